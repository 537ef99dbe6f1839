#include "replay/time_format.h"

#include "events/time_format.h"

namespace crm::replay {
namespace {

constexpr std::size_t kIsoDateChars = 10;  // "2026-03-03"

}  // namespace

std::string FormatTime(TimeMs time_ms) {
  return events::FormatRfc3339(time_ms);
}

std::string FormatTimeMs(TimeMs time_ms) {
  return events::FormatRfc3339Millis(time_ms);
}

Result<TimeMs> ParseTimeArg(std::string_view text, std::string_view option) {
  // A bare date is that day's 00:00 UTC: the same parser then checks that the date exists.
  const std::string full = text.size() == kIsoDateChars ? std::string(text) + "T00:00:00Z" : std::string(text);
  const Result<TimeMs> parsed = events::ParseRfc3339(full);
  if (!parsed.ok()) {
    return Status::InvalidArgument("invalid_time", std::string(option) + " must be an RFC 3339 time or a date " +
                                                       "(2026-03-03T09:00:00Z, 2026-03-03), not '" + std::string(text) +
                                                       "'");
  }
  return *parsed;
}

}  // namespace crm::replay
