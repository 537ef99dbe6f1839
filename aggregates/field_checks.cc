#include "aggregates/field_checks.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "events/utf8.h"

namespace crm::aggregates {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), IsDigit);
}

// Unicode White_Space characters beyond ASCII that people actually type or paste: no-break
// space, the en/em spaces, line and paragraph separators, and the ideographic space U+3000 that
// a Chinese input method produces. A text of only these is as empty as "".
bool IsUnicodeSpace(std::uint32_t c) {
  return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

// REQUIRES: `s` is well-formed UTF-8 (checked first by the callers).
bool IsBlank(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto byte = static_cast<unsigned char>(s[i]);
    if (byte < 0x80) {
      if (byte != ' ' && byte != '\t' && byte != '\r' && byte != '\n' && byte != '\v' && byte != '\f') return false;
      ++i;
      continue;
    }
    const std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2;
    std::uint32_t code_point = byte & (0x7F >> length);
    for (std::size_t k = 1; k < length && i + k < s.size(); ++k) {
      code_point = (code_point << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    if (!IsUnicodeSpace(code_point)) return false;
    i += length;
  }
  return true;
}

}  // namespace

Status CheckOptionalText(std::string_view field, std::string_view value, std::size_t bytes_max) {
  const StatusDetails details{{"field", std::string(field)}};
  if (value.size() > bytes_max) {
    return Status::InvalidArgument("text_too_long",
                                   std::string(field) + " is longer than " + std::to_string(bytes_max) + " bytes",
                                   {{"field", std::string(field)}, {"maxBytes", std::to_string(bytes_max)}});
  }
  if (!events::IsWellFormedUtf8(value)) {
    return Status::InvalidArgument("invalid_utf8", std::string(field) + " is not valid UTF-8", details);
  }
  return Status::Ok();
}

Status CheckRequiredText(std::string_view field, std::string_view value, std::size_t bytes_max) {
  CRM_RETURN_IF_ERROR(CheckOptionalText(field, value, bytes_max));
  if (IsBlank(value)) {
    return Status::InvalidArgument("missing_field", std::string(field) + " is required",
                                   {{"field", std::string(field)}});
  }
  return Status::Ok();
}

Status CheckIdentifier(std::string_view field, std::string_view value) {
  const bool ok = !value.empty() && value.size() <= kIdBytesMax && std::all_of(value.begin(), value.end(), [](char c) {
    return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == '-' ||
           c == '/';
  });
  if (ok) return Status::Ok();
  return Status::InvalidArgument("invalid_" + std::string(field),
                                 std::string(field) + " must be 1 to " + std::to_string(kIdBytesMax) +
                                     " characters of letters, digits, '.', '_', '-' or '/'",
                                 {{"field", std::string(field)}});
}

bool IsMobileNumber(std::string_view value) {
  return value.size() == 11 && value[0] == '1' && AllDigits(value);
}

bool IsLandlineNumber(std::string_view value) {
  // Mainland area codes: 010 and 02x have three digits, every other (0311, 0523, ...) four.
  // The local number has 7 or 8 digits and never starts with 0 or 1 (those lead to trunk and
  // service numbers). A '-' may separate the area code, and then an extension may follow.
  if (value.size() < 2 || value[0] != '0' || value[1] == '0' || !IsDigit(value[1])) return false;
  const std::size_t area_digits = value[1] == '1' || value[1] == '2' ? 3 : 4;
  if (value.size() < area_digits || !AllDigits(value.substr(0, area_digits))) return false;
  std::string_view rest = value.substr(area_digits);
  const bool dashed = !rest.empty() && rest[0] == '-';
  if (dashed) rest.remove_prefix(1);
  std::string_view number = rest;
  if (const std::size_t ext = rest.find('-'); ext != std::string_view::npos) {
    const std::string_view extension = rest.substr(ext + 1);
    if (!dashed || extension.empty() || extension.size() > 6 || !AllDigits(extension)) return false;
    number = rest.substr(0, ext);
  }
  return (number.size() == 7 || number.size() == 8) && AllDigits(number) && number[0] >= '2';
}

bool IsPostcode(std::string_view value) {
  return value.size() == 6 && AllDigits(value);
}

bool IsEmailAddress(std::string_view value) {
  if (value.size() > 254) return false;
  const std::size_t at = value.find('@');
  if (at == std::string_view::npos || at == 0 || value.find('@', at + 1) != std::string_view::npos) return false;
  const std::string_view domain = value.substr(at + 1);
  const std::size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= domain.size()) return false;
  if (domain.find("..") != std::string_view::npos) return false;
  return std::none_of(value.begin(), value.end(),
                      [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ';'; });
}

}  // namespace crm::aggregates
