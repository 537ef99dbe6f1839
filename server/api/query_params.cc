#include "server/api/query_params.h"

#include <array>
#include <charconv>
#include <system_error>
#include <utility>

#include "events/time_format.h"
#include "events/utf8.h"
#include "server/api/json_body.h"

namespace crm::server::api {
namespace {

constexpr std::string_view kCursorVersion = "c1.";
constexpr std::string_view kBase64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

Status InvalidParameter(std::string_view name, std::string message, StatusDetails details = {}) {
  details["parameter"] = std::string(name);
  return Status::InvalidArgument("invalid_parameter", std::move(message), std::move(details));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX and '+' decoded; nullopt on a broken escape.
std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c != '%') {
      out.push_back(c);
    } else {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    }
  }
  return out;
}

// Decimal digits only (no sign, no spaces), fitting in 64 bits.
std::optional<std::uint64_t> ParseUnsigned(std::string_view text) {
  if (text.empty()) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::int64_t> ParseSigned(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  const std::string_view digits = negative ? text.substr(1) : text;
  if (!ParseUnsigned(digits)) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The value of `name`, or nullopt when it is absent or empty ("limit=" is no limit given).
std::optional<std::string_view> Given(const QueryParams& params, std::string_view name) {
  const auto it = params.find(name);
  if (it == params.end() || it->second.empty()) return std::nullopt;
  return std::string_view(it->second);
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8 |
                            static_cast<unsigned char>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kBase64UrlAlphabet[(n >> shift) & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    out.push_back(kBase64UrlAlphabet[(n >> 18) & 63]);
    out.push_back(kBase64UrlAlphabet[(n >> 12) & 63]);
  } else if (rest == 2) {
    const std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8;
    out.push_back(kBase64UrlAlphabet[(n >> 18) & 63]);
    out.push_back(kBase64UrlAlphabet[(n >> 12) & 63]);
    out.push_back(kBase64UrlAlphabet[(n >> 6) & 63]);
  }
  return out;
}

// Strict: the URL-safe alphabet, no padding, and the unused low bits of the last character zero,
// so that every byte string has exactly one text.
std::optional<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::array<int, 256> value{};
  value.fill(-1);
  for (std::size_t k = 0; k < kBase64UrlAlphabet.size(); ++k) {
    value[static_cast<unsigned char>(kBase64UrlAlphabet[k])] = static_cast<int>(k);
  }
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int v = value[static_cast<unsigned char>(c)];
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

Status InvalidCursor() {
  return Status::InvalidArgument("invalid_cursor",
                                 "this page cursor is not one we gave out; start again from the first page",
                                 {{"parameter", "cursor"}});
}

}  // namespace

Result<QueryParams> ParseQueryString(std::string_view query) {
  QueryParams params;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (piece.empty()) continue;
    if (params.size() == kQueryParametersMax) {
      return Status::InvalidArgument("invalid_query",
                                     "a request takes at most " + std::to_string(kQueryParametersMax) + " parameters");
    }
    const std::size_t eq = piece.find('=');
    const std::optional<std::string> name = PercentDecode(piece.substr(0, eq));
    const std::optional<std::string> value =
        PercentDecode(eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1));
    if (!name || !value) {
      return Status::InvalidArgument("invalid_query", "the query has a broken %-escape",
                                     {{"parameter", std::string(piece.substr(0, eq))}});
    }
    if (events::FirstInvalidUtf8Offset(*name) != std::string_view::npos ||
        events::FirstInvalidUtf8Offset(*value) != std::string_view::npos) {
      // The name itself may be the bad text: name the raw piece, which is ASCII.
      return Status::InvalidArgument("invalid_utf8", "a query parameter is not valid UTF-8 text",
                                     {{"parameter", std::string(piece.substr(0, eq))}});
    }
    if (name->empty()) continue;
    if (!params.emplace(*name, *value).second) {
      return Status::InvalidArgument("duplicate_parameter", *name + " is given twice", {{"parameter", *name}});
    }
  }
  return params;
}

Status CheckKnownParameters(const QueryParams& params, std::initializer_list<std::string_view> known) {
  for (const auto& [name, value] : params) {
    bool found = false;
    for (std::string_view k : known) found = found || k == name;
    if (!found) {
      return Status::InvalidArgument("unknown_parameter", name + " is not something this request takes",
                                     {{"parameter", name}});
    }
  }
  return Status::Ok();
}

std::string EncodeCursor(const PageCursor& cursor) {
  std::string payload(kCursorVersion);
  payload += std::to_string(cursor.seq);
  payload += '.';
  payload += cursor.after_key;
  return Base64UrlEncode(payload);
}

Result<PageCursor> DecodeCursor(std::string_view text) {
  if (text.empty() || text.size() > kCursorBytesMax) return InvalidCursor();
  const std::optional<std::string> payload = Base64UrlDecode(text);
  if (!payload || !payload->starts_with(kCursorVersion)) return InvalidCursor();
  const std::string_view rest = std::string_view(*payload).substr(kCursorVersion.size());
  const std::size_t dot = rest.find('.');
  if (dot == std::string_view::npos) return InvalidCursor();
  const std::optional<std::uint64_t> seq = ParseUnsigned(rest.substr(0, dot));
  if (!seq) return InvalidCursor();
  PageCursor cursor;
  cursor.seq = *seq;
  cursor.after_key = std::string(rest.substr(dot + 1));
  return cursor;
}

Result<PageRequest> ParsePageRequest(const QueryParams& params, const PageLimits& limits) {
  PageRequest page;
  page.limit = limits.items_default;
  if (const auto limit = Given(params, "limit")) {
    const std::optional<std::uint64_t> n = ParseUnsigned(*limit);
    if (!n || *n < 1 || *n > limits.items_max) {
      return Status::InvalidArgument("invalid_limit",
                                     "limit must be a whole number from 1 to " + std::to_string(limits.items_max),
                                     {{"parameter", "limit"}, {"min", "1"}, {"max", std::to_string(limits.items_max)}});
    }
    page.limit = static_cast<std::size_t>(*n);
  }
  if (const auto cursor = Given(params, "cursor")) {
    CRM_ASSIGN_OR_RETURN(page.cursor, DecodeCursor(*cursor));
  }
  return page;
}

Result<AsOf> ParseAsOf(const QueryParams& params) {
  AsOf as_of;
  const auto text = Given(params, "asOf");
  if (!text) return as_of;
  const Status invalid = Status::InvalidArgument(
      "invalid_as_of", "asOf must be a time like 2026-03-03T09:00:00Z or a log position like seq:1200",
      {{"parameter", "asOf"}});
  if (text->starts_with("seq:")) {
    const std::optional<std::uint64_t> seq = ParseUnsigned(text->substr(4));
    if (!seq) return invalid;
    as_of.kind = AsOf::Kind::kSeq;
    as_of.seq = *seq;
    return as_of;
  }
  const Result<events::TimeMs> time = events::ParseRfc3339(*text);
  if (!time.ok()) return invalid;
  as_of.kind = AsOf::Kind::kTime;
  as_of.time_ms = *time;
  return as_of;
}

Result<std::optional<std::int64_t>> OptionalIntParam(const QueryParams& params, std::string_view name, std::int64_t min,
                                                     std::int64_t max) {
  const auto text = Given(params, name);
  if (!text) return std::optional<std::int64_t>();
  const std::optional<std::int64_t> value = ParseSigned(*text);
  if (!value || *value < min || *value > max) {
    return InvalidParameter(
        name, std::string(name) + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max),
        {{"min", std::to_string(min)}, {"max", std::to_string(max)}});
  }
  return std::optional<std::int64_t>(*value);
}

Result<std::optional<events::TimeMs>> OptionalTimeParam(const QueryParams& params, std::string_view name) {
  const auto text = Given(params, name);
  if (!text) return std::optional<events::TimeMs>();
  const Result<events::TimeMs> time = events::ParseRfc3339(*text);
  if (!time.ok()) return InvalidParameter(name, std::string(name) + " must be a time like 2026-03-03T09:00:00Z");
  return std::optional<events::TimeMs>(*time);
}

Result<events::Seq> ParseAfterSeq(const QueryParams& params) {
  const auto text = Given(params, "after");
  if (!text) return events::Seq{0};
  const std::optional<std::uint64_t> seq = ParseUnsigned(*text);
  if (!seq) return InvalidParameter("after", "after must be a log position (a whole number, 0 or more)");
  return events::Seq{*seq};
}

Result<std::uint32_t> ParseWaitMs(const QueryParams& params) {
  CRM_ASSIGN_OR_RETURN(const std::optional<std::int64_t> wait_ms, OptionalIntParam(params, "waitMs", 0, kWaitMsMax));
  return static_cast<std::uint32_t>(wait_ms.value_or(0));
}

Result<std::optional<std::uint32_t>> ParseExpiringWithinDays(const QueryParams& params) {
  CRM_ASSIGN_OR_RETURN(const std::optional<std::int64_t> days,
                       OptionalIntParam(params, "expiringWithinDays", 0, kExpiringWithinDaysMax));
  if (!days) return std::optional<std::uint32_t>();
  return std::optional<std::uint32_t>(static_cast<std::uint32_t>(*days));
}

}  // namespace crm::server::api
