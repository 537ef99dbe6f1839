// Calendar days for the analytics reads: Hinnant's civil conversions, ISO keys, and the fixed
// offset calendar tests use.
#include "projections/local_day.h"

#include <gtest/gtest.h>

namespace crm::projections {
namespace {

using events::kMsPerDay;
using events::TimeMs;

constexpr TimeMs kHourMs = 60 * 60 * 1000;

TEST(LocalDayTest, KnownDaysConvertBothWays) {
  EXPECT_EQ(DaysFromCivil({.year = 1970, .month = 1, .day = 1}), 0);
  EXPECT_EQ(DaysFromCivil({.year = 2026, .month = 3, .day = 3}), 20515);
  EXPECT_EQ(DaysFromCivil({.year = 2000, .month = 2, .day = 29}), 11016);
  EXPECT_EQ(DaysFromCivil({.year = 1600, .month = 1, .day = 1}), -135140);
  EXPECT_EQ(CivilFromDays(20515), (CivilDate{.year = 2026, .month = 3, .day = 3}));
  EXPECT_EQ(CivilFromDays(-135140), (CivilDate{.year = 1600, .month = 1, .day = 1}));
}

TEST(LocalDayTest, NegativeDaysAreBeforeTheEpoch) {
  EXPECT_EQ(CivilFromDays(-1), (CivilDate{.year = 1969, .month = 12, .day = 31}));
  EXPECT_EQ(DaysFromCivil({.year = 1969, .month = 12, .day = 31}), -1);
  EXPECT_EQ(DayKey(-1), "1969-12-31");
  EXPECT_EQ(CivilFromDays(-719468), (CivilDate{.year = 0, .month = 3, .day = 1}));
  EXPECT_EQ(DayKey(DaysFromCivil({.year = -1, .month = 12, .day = 31})), "-0001-12-31");
}

TEST(LocalDayTest, LeapYearsFollowTheGregorianRules) {
  const auto days_in_february = [](int year) {
    return DaysFromCivil({.year = year, .month = 3, .day = 1}) - DaysFromCivil({.year = year, .month = 2, .day = 1});
  };
  EXPECT_EQ(days_in_february(2024), 29);
  EXPECT_EQ(days_in_february(2026), 28);
  EXPECT_EQ(days_in_february(1900), 28);  // divisible by 100, not by 400
  EXPECT_EQ(days_in_february(2000), 29);  // divisible by 400
  EXPECT_EQ(days_in_february(1600), 29);
  EXPECT_EQ(CivilFromDays(DaysFromCivil({.year = 2024, .month = 2, .day = 28}) + 1),
            (CivilDate{.year = 2024, .month = 2, .day = 29}));
  EXPECT_EQ(CivilFromDays(DaysFromCivil({.year = 2023, .month = 2, .day = 28}) + 1),
            (CivilDate{.year = 2023, .month = 3, .day = 1}));
}

TEST(LocalDayTest, EveryDayOfEightHundredYearsRoundTripsAndFollowsTheDayBefore) {
  CivilDate previous = CivilFromDays(-146097 - 1);
  for (std::int64_t day = -146097; day <= 146097; ++day) {
    const CivilDate date = CivilFromDays(day);
    ASSERT_EQ(DaysFromCivil(date), day) << DayKey(day);
    const bool next_in_month =
        date.year == previous.year && date.month == previous.month && date.day == previous.day + 1;
    const bool first_of_month = date.day == 1 && (date.month == previous.month % 12 + 1) &&
                                date.year == previous.year + (date.month == 1 ? 1 : 0);
    ASSERT_TRUE(next_in_month || first_of_month) << DayKey(day);
    previous = date;
  }
}

TEST(LocalDayTest, KeysAreIsoDatesAndMonths) {
  const std::int64_t jan31 = DaysFromCivil({.year = 2026, .month = 1, .day = 31});
  EXPECT_EQ(DayKey(jan31), "2026-01-31");
  EXPECT_EQ(MonthKey(jan31), "2026-01");
  EXPECT_EQ(DayKey(jan31 + 1), "2026-02-01");
  EXPECT_EQ(MonthKey(jan31 + 1), "2026-02");
  EXPECT_EQ(MonthKey(DaysFromCivil({.year = 2026, .month = 12, .day = 31}) + 1), "2027-01");
  EXPECT_EQ(DayKey(0), "1970-01-01");
}

TEST(LocalDayTest, MonthIndexCountsMonthsFromTheEpoch) {
  EXPECT_EQ(MonthIndex(0), 0);
  EXPECT_EQ(MonthIndex(-1), -1);
  EXPECT_EQ(MonthIndex(DaysFromCivil({.year = 2026, .month = 3, .day = 31})), 56 * 12 + 2);
  EXPECT_EQ(FirstDayOfMonth(56 * 12 + 2), DaysFromCivil({.year = 2026, .month = 3, .day = 1}));
  EXPECT_EQ(FirstDayOfMonth(-1), DaysFromCivil({.year = 1969, .month = 12, .day = 1}));
  EXPECT_EQ(FirstDayOfMonth(-13), DaysFromCivil({.year = 1968, .month = 12, .day = 1}));
}

TEST(LocalDayTest, AFixedOffsetMovesTheDayBoundary) {
  const LocalDayFn shanghai = FixedOffsetDays(8 * kHourMs);
  const std::int64_t march2 = DaysFromCivil({.year = 2026, .month = 3, .day = 2});
  const TimeMs midnight_ms = march2 * kMsPerDay - 8 * kHourMs;  // 2026-03-01T16:00Z
  EXPECT_EQ(shanghai(midnight_ms), march2);
  EXPECT_EQ(shanghai(midnight_ms - 1), march2 - 1);
  EXPECT_EQ(shanghai(1772416800000), march2);  // Monday 2026-03-02 10:00 Shanghai
  const LocalDayFn utc = FixedOffsetDays(0);
  EXPECT_EQ(utc(midnight_ms), march2 - 1);
  EXPECT_EQ(utc(-1), -1);  // floor, not truncation, before the epoch
  EXPECT_EQ(utc(-kMsPerDay), -1);
  EXPECT_EQ(utc(-kMsPerDay - 1), -2);
  EXPECT_EQ(FixedOffsetDays(-5 * kHourMs)(0), -1);
}

}  // namespace
}  // namespace crm::projections
