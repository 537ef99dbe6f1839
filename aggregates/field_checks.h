// Validation of the free-text and contact fields people type in (domain rule 5), shared by the
// deciders. Each check returns kInvalidArgument with a code naming the field's problem.
#pragma once

#include <cstddef>
#include <string_view>

#include "events/status.h"

namespace crm::aggregates {

// Bounds on what one field may hold, so that one careless paste cannot bloat the log.
inline constexpr std::size_t kShortTextBytesMax = 300;  // names, titles, regions, addresses (100 CJK characters)
inline constexpr std::size_t kLongTextBytesMax = 8000;  // introductions, follow-up notes, reasons
inline constexpr std::size_t kIdBytesMax = 64;          // user ids, contract numbers

// Required text: not blank (Unicode spaces such as U+3000 count as blank), valid UTF-8, at most `bytes_max`. Codes:
// missing_field, invalid_utf8, text_too_long; details name the field.
Status CheckRequiredText(std::string_view field, std::string_view value, std::size_t bytes_max);
// The same, but empty is allowed.
Status CheckOptionalText(std::string_view field, std::string_view value, std::size_t bytes_max);

// An identifier chosen by people (user id, contract number): 1..kIdBytesMax of
// [A-Za-z0-9._/-]. Code: invalid_<field>.
Status CheckIdentifier(std::string_view field, std::string_view value);

// 11 digits starting with 1 (mainland mobile numbers): "13812345678".
bool IsMobileNumber(std::string_view value);
// Area code (010 and 02x: three digits; others four) and a 7- or 8-digit local number not
// starting with 0 or 1, optionally joined by '-': "0523-84561234", "01088886666". After a '-',
// an extension may follow ("-801").
bool IsLandlineNumber(std::string_view value);
// Six digits: "214500".
bool IsPostcode(std::string_view value);
// local@domain.tld with no spaces; deliberately not RFC 5322's full grammar, which admits
// addresses no mail system in use accepts.
bool IsEmailAddress(std::string_view value);

}  // namespace crm::aggregates
