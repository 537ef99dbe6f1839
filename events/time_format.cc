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

// "2026-03-03T09:00:00.123Z" is 24 bytes; a year beyond four digits takes a few more.
constexpr std::size_t kTextBytesMax = 48;

char* Digits2(char* out, unsigned value) {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
  return out + 2;
}

char* Digits4(char* out, unsigned value) {
  return Digits2(Digits2(out, value / 100), value % 100);
}

// Years before 0 or after 9999, which no CRM record carries but a time value can: the same
// fields, the year as printf's %04d writes it.
std::string FormatFarYear(int year, const std::chrono::year_month_day& date, unsigned seconds, unsigned millis) {
  char text[kTextBytesMax];
  const int length =
      std::snprintf(text, sizeof(text), "%04d-%02u-%02uT%02u:%02u:%02u", year, static_cast<unsigned>(date.month()),
                    static_cast<unsigned>(date.day()), seconds / 3600, seconds / 60 % 60, seconds % 60);
  std::string formatted(text, static_cast<std::size_t>(length));
  if (millis != 0) {
    std::snprintf(text, sizeof(text), ".%03u", millis);
    formatted += text;
  }
  formatted += 'Z';
  return formatted;
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
  const auto seconds = static_cast<unsigned>(in_day_ms / 1000);
  const auto millis = static_cast<unsigned>(in_day_ms % 1000);
  const int year = static_cast<int>(date.year());
  if (year < 0 || year > 9999) return FormatFarYear(year, date, seconds, millis);
  // Written digit by digit: a page of the pool formats fifty of these, and snprintf's format
  // parsing was about 15% of the server's samples answering it (docs/benchmarks.md, "Peers").
  char text[kTextBytesMax];
  char* out = text;
  out = Digits4(out, static_cast<unsigned>(year));
  *out++ = '-';
  out = Digits2(out, static_cast<unsigned>(date.month()));
  *out++ = '-';
  out = Digits2(out, static_cast<unsigned>(date.day()));
  *out++ = 'T';
  out = Digits2(out, seconds / 3600);
  *out++ = ':';
  out = Digits2(out, seconds / 60 % 60);
  *out++ = ':';
  out = Digits2(out, seconds % 60);
  if (millis != 0) {
    *out++ = '.';
    *out++ = static_cast<char>('0' + millis / 100);
    out = Digits2(out, millis % 100);
  }
  *out++ = 'Z';
  return std::string(text, out);
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
