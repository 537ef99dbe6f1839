// Query parameters of the reads (api.md "Conventions" and "Reads"): the query string itself,
// pages (`limit`, `cursor`), `asOf`, and the bounded numbers and times some reads take.
//
// Every problem is kInvalidArgument (HTTP 400) with a stable reason and details.parameter:
//   invalid_query        not a query string (bad %-escape, too many parameters);
//   invalid_utf8         a decoded name or value is not UTF-8;
//   duplicate_parameter  a name given twice (which one would we believe?);
//   unknown_parameter    a name this read does not take (CheckKnownParameters);
//   invalid_limit        `limit` not a whole number 1..limit_max;
//   invalid_cursor       `cursor` not one we issued;
//   invalid_as_of        `asOf` neither RFC 3339 nor seq:<N>;
//   invalid_parameter    any other number or time that is malformed or out of its bounds
//                        (details.min/max where there are bounds).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "events/domain_values.h"
#include "events/envelope.h"
#include "events/status.h"

namespace crm::server::api {

// Decoded names to decoded values.
using QueryParams = std::map<std::string, std::string, std::less<>>;

// Limits, each with its unit last.
inline constexpr std::size_t kQueryParametersMax = 32;        // more is not a request of ours
inline constexpr std::size_t kPageItemsDefault = 50;          // api.md: default 50
inline constexpr std::size_t kPageItemsMax = 1000;            // api.md: max 1000
inline constexpr std::size_t kCursorBytesMax = 1024;          // the encoded text
inline constexpr std::uint32_t kWaitMsMax = 30'000;           // GET /v1/events long-poll
inline constexpr std::int64_t kExpiringWithinDaysMax = 3650;  // the longest a policy hold can be

// Parses "a=1&b=%E6%98%A5+x" (without the '?'): %XX escapes and '+' as a space, in names and
// values. Empty pieces ("a=1&&b=2") are skipped; "flag" alone is flag="".
Result<QueryParams> ParseQueryString(std::string_view query);

// unknown_parameter for the first name not in `known`.
Status CheckKnownParameters(const QueryParams& params, std::initializer_list<std::string_view> known);

// What a cursor carries from one page to the next. The text is base64url (no padding) of
// "c1." + seq + "." + after_key: opaque to clients, and versioned so that a later format can
// tell its own cursors from these.
struct PageCursor {
  // The log position the first page was read at, so that later pages can be read as of it and
  // a list does not shift under its reader. 0: not pinned.
  events::Seq seq = 0;
  // The sort key of the last item of the previous page; the next page starts after it.
  std::string after_key;

  bool operator==(const PageCursor&) const = default;
};

// REQUIRES: the text fits kCursorBytesMax (an after_key of up to about 740 bytes), or
// DecodeCursor will refuse it; sort keys are ids and names, far shorter.
std::string EncodeCursor(const PageCursor& cursor);
// invalid_cursor for anything EncodeCursor could not have written.
Result<PageCursor> DecodeCursor(std::string_view text);

struct PageLimits {
  std::size_t items_default = kPageItemsDefault;  // Default: kPageItemsDefault
  std::size_t items_max = kPageItemsMax;          // Default: kPageItemsMax
};

struct PageRequest {
  std::size_t limit = kPageItemsDefault;
  std::optional<PageCursor> cursor;  // nullopt: the first page
};

// `limit` (1..items_max; absent: items_default) and `cursor` (absent or empty: the first page).
Result<PageRequest> ParsePageRequest(const QueryParams& params, const PageLimits& limits = {});

// `asOf=<RFC 3339>` or `asOf=seq:<N>`; absent (or empty): now.
struct AsOf {
  enum class Kind : std::uint8_t { kNow, kTime, kSeq };
  Kind kind = Kind::kNow;
  events::TimeMs time_ms = 0;  // kTime only
  events::Seq seq = 0;         // kSeq only; 0 is "before the first event"

  bool operator==(const AsOf&) const = default;
};
Result<AsOf> ParseAsOf(const QueryParams& params);

// A whole number in [min, max] (decimal digits, an optional leading '-'); absent or empty: nullopt.
Result<std::optional<std::int64_t>> OptionalIntParam(const QueryParams& params, std::string_view name, std::int64_t min,
                                                     std::int64_t max);

// An RFC 3339 time (`from`, `to`); absent or empty: nullopt.
Result<std::optional<events::TimeMs>> OptionalTimeParam(const QueryParams& params, std::string_view name);

// GET /v1/events: `after` (a seq; absent: 0, from the start) and `waitMs` (0..kWaitMsMax;
// absent: 0, answer at once). A wait beyond the bound is refused rather than cut short, so that
// a client learns the limit instead of polling faster than it thinks.
Result<events::Seq> ParseAfterSeq(const QueryParams& params);
Result<std::uint32_t> ParseWaitMs(const QueryParams& params);

// GET /v1/ownership: `expiringWithinDays` (0..kExpiringWithinDaysMax); absent: nullopt.
Result<std::optional<std::uint32_t>> ParseExpiringWithinDays(const QueryParams& params);

}  // namespace crm::server::api
