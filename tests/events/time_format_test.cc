// RFC 3339 on the wire: what api.md's examples look like, offsets, and what is refused.
#include "events/time_format.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include "testutil/status_matchers.h"

namespace crm::events {
namespace {

constexpr TimeMs kMarch3Nine = 1772528400000;  // 2026-03-03T09:00:00Z

TEST(TimeFormatTest, FormatsUtcWithMillisecondsOnlyWhenThereAreAny) {
  EXPECT_EQ(FormatRfc3339(kMarch3Nine), "2026-03-03T09:00:00Z");
  EXPECT_EQ(FormatRfc3339(kMarch3Nine + 7), "2026-03-03T09:00:00.007Z");
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59.999Z");
}

// The formatter as it was first written, with snprintf: the reference for the one that writes
// digits itself.
std::string FormatWithPrintf(TimeMs time_ms) {
  const TimeMs day_count = (time_ms >= 0 ? time_ms : time_ms - (kMsPerDay - 1)) / kMsPerDay;
  const TimeMs in_day_ms = time_ms - day_count * kMsPerDay;
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{day_count}}};
  const TimeMs seconds = in_day_ms / 1000;
  const TimeMs millis = in_day_ms % 1000;
  char text[64];
  std::snprintf(text, sizeof(text), "%04d-%02u-%02uT%02lld:%02lld:%02lld", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<long long>(seconds / 3600), static_cast<long long>(seconds / 60 % 60),
                static_cast<long long>(seconds % 60));
  std::string formatted = text;
  if (millis != 0) {
    std::snprintf(text, sizeof(text), ".%03lld", static_cast<long long>(millis));
    formatted += text;
  }
  return formatted + "Z";
}

TEST(TimeFormatTest, FormatsEveryTimeAsPrintfWould) {
  constexpr TimeMs kYear1 = -62'135'596'800'000;      // 0001-01-01T00:00:00Z
  constexpr TimeMs kYear10000 = 253'402'300'800'000;  // 10000-01-01T00:00:00Z
  std::mt19937_64 random(3);
  std::uniform_int_distribution<TimeMs> any_time(kYear1 - 1000 * kMsPerDay, kYear10000 + 1000 * kMsPerDay);
  for (int i = 0; i < 20'000; ++i) {
    TimeMs time = any_time(random);
    if (i % 4 == 1) time -= time % 1000;  // whole seconds, without a fraction
    if (i % 4 == 2) time -= time % 1000 - 10;
    SCOPED_TRACE(time);
    ASSERT_EQ(FormatRfc3339(time), FormatWithPrintf(time));
  }
  for (const TimeMs time : {kYear1, kYear1 - 1, kYear10000, kYear10000 - 1, TimeMs{-1}, TimeMs{0}}) {
    EXPECT_EQ(FormatRfc3339(time), FormatWithPrintf(time));
  }
  EXPECT_EQ(FormatRfc3339(kYear10000 - 1), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatRfc3339(kYear10000), "10000-01-01T00:00:00Z");
}

TEST(TimeFormatTest, ParsesWhatItFormatsAndOffsets) {
  ASSERT_OK_AND_ASSIGN(TimeMs parsed, ParseRfc3339("2026-03-03T09:00:00Z"));
  EXPECT_EQ(parsed, kMarch3Nine);
  ASSERT_OK_AND_ASSIGN(parsed, ParseRfc3339("2026-03-03T17:00:00+08:00"));
  EXPECT_EQ(parsed, kMarch3Nine);
  ASSERT_OK_AND_ASSIGN(parsed, ParseRfc3339("2026-03-03t09:00:00.123456z"));
  EXPECT_EQ(parsed, kMarch3Nine + 123);
  ASSERT_OK_AND_ASSIGN(parsed, ParseRfc3339("2024-02-29T00:00:00-00:30"));
  EXPECT_EQ(FormatRfc3339(parsed), "2024-02-29T00:30:00Z");
  for (const TimeMs time : {TimeMs{0}, kMarch3Nine + 999, TimeMs{-86'400'001}}) {
    ASSERT_OK_AND_ASSIGN(parsed, ParseRfc3339(FormatRfc3339(time)));
    EXPECT_EQ(parsed, time);
  }
}

TEST(TimeFormatTest, RefusesWhatIsNotATime) {
  for (const char* text : {"", "2026-03-03", "2026-03-03T09:00:00", "2026-02-30T09:00:00Z", "2026-03-03T24:00:00Z",
                           "2026-03-03T09:00:00Zjunk", "2026-03-03T09:00:00.Z", "2026-03-03T09:00:00+8:00",
                           "２０２６-03-03T09:00:00Z", "2026-13-01T00:00:00Z"}) {
    SCOPED_TRACE(text);
    EXPECT_REASON(ParseRfc3339(text).status(), "invalid_time");
  }
}

}  // namespace
}  // namespace crm::events
