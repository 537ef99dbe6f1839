// RFC 3339 on the wire: what api.md's examples look like, offsets, and what is refused.
#include "events/time_format.h"

#include <gtest/gtest.h>

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
