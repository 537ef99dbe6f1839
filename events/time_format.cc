#include "events/time_format.h"

#include <chrono>
#include <cstdio>

namespace crm::events {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

// Reads exactly `count` digits at `pos`; false when they are not all digits.
bool Digits(std::string_view text, std::size_t pos, std::size_t count, int& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

Status Invalid(std::string_view text) {
  return Status::InvalidArgument("invalid_time",
                                 "'" + std::string(text) + "' is not an RFC 3339 time like 2026-03-03T09:00:00Z");
}

}  // namespace

std::string FormatRfc3339(TimeMs time_ms) {
  const TimeMs day_count = (time_ms >= 0 ? time_ms : time_ms - (kMsPerDay - 1)) / kMsPerDay;
  const TimeMs in_day_ms = time_ms - day_count * kMsPerDay;
  const std::chrono::year_month_day date{sys_days{days{day_count}}};
  const TimeMs seconds = in_day_ms / 1000;
  const TimeMs millis = in_day_ms % 1000;
  char text[48];
  if (millis == 0) {
    std::snprintf(text, sizeof(text), "%04d-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<long long>(seconds / 3600), static_cast<long long>(seconds / 60 % 60),
                  static_cast<long long>(seconds % 60));
  } else {
    std::snprintf(text, sizeof(text), "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<long long>(seconds / 3600), static_cast<long long>(seconds / 60 % 60),
                  static_cast<long long>(seconds % 60), static_cast<long long>(millis));
  }
  return text;
}

std::string FormatRfc3339Millis(TimeMs time_ms) {
  std::string text = FormatRfc3339(time_ms);
  if (text.find('.') == std::string::npos) text.insert(text.size() - 1, ".000");
  return text;
}

Result<TimeMs> ParseRfc3339(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!Digits(text, 0, 4, year) || text.size() < 20 || text[4] != '-' || !Digits(text, 5, 2, month) || text[7] != '-' ||
      !Digits(text, 8, 2, day) || (text[10] != 'T' && text[10] != 't') || !Digits(text, 11, 2, hour) ||
      text[13] != ':' || !Digits(text, 14, 2, minute) || text[16] != ':' || !Digits(text, 17, 2, second)) {
    return Invalid(text);
  }
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) return Invalid(text);
  std::size_t pos = 19;
  TimeMs millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t digits_start = pos;
    TimeMs scale = 100;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      millis += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == digits_start) return Invalid(text);
  }
  TimeMs offset_ms = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int offset_hours = 0, offset_minutes = 0;
    if (!Digits(text, pos + 1, 2, offset_hours) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !Digits(text, pos + 4, 2, offset_minutes) || offset_hours > 23 || offset_minutes > 59) {
      return Invalid(text);
    }
    offset_ms = (offset_hours * 60 + offset_minutes) * 60'000LL * (text[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return Invalid(text);
  }
  if (pos != text.size()) return Invalid(text);
  const TimeMs day_count = sys_days{date}.time_since_epoch().count();
  return day_count * kMsPerDay + ((hour * 60 + minute) * 60 + second) * 1000LL + millis - offset_ms;
}

}  // namespace crm::events
