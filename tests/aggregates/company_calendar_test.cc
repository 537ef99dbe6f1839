#include "aggregates/company_calendar.h"

#include <gtest/gtest.h>

#include "testutil/status_matchers.h"

namespace crm::aggregates {
namespace {

// Instants in UTC; the company is in Asia/Shanghai (UTC+8, no daylight saving).
constexpr TimeMs kFriday0306At1000Shanghai = 1772762400000;     // 2026-03-06T02:00:00Z
constexpr TimeMs kWednesday0311At1000Shanghai = 1773194400000;  // 2026-03-11T02:00:00Z
constexpr TimeMs kSaturday0307At0030Shanghai = 1772814600000;   // 2026-03-06T16:30:00Z (Friday in UTC)
constexpr TimeMs kWednesday0311At0030Shanghai = 1773160200000;  // 2026-03-10T16:30:00Z
constexpr TimeMs kTuesday0929At1000Shanghai = 1790647200000;    // 2026-09-29T02:00:00Z
constexpr TimeMs kFriday1009At1000Shanghai = 1791511200000;     // 2026-10-09T02:00:00Z
constexpr TimeMs kMs = 1;

CompanyCalendar Shanghai(const std::vector<std::string>& holidays = {}) {
  Result<CompanyCalendar> calendar = CompanyCalendar::Create("Asia/Shanghai", holidays);
  EXPECT_OK(calendar.status());
  return std::move(calendar).value();
}

TEST(CompanyCalendarTest, FridayPlusThreeWorkingDaysIsWednesdayAtTheSameTime) {
  EXPECT_EQ(Shanghai().AddWorkingDays(kFriday0306At1000Shanghai, 3), kWednesday0311At1000Shanghai);
  EXPECT_EQ(Shanghai().AddWorkingDays(kFriday0306At1000Shanghai - kMs, 3), kWednesday0311At1000Shanghai - kMs);
}

TEST(CompanyCalendarTest, WorkingDaysAreCountedInTheCompanyZoneNotUtc) {
  // Saturday 00:30 in Shanghai is still Friday in UTC; counted in UTC the deadline would be a
  // day late (Wednesday 16:30Z).
  EXPECT_EQ(Shanghai().AddWorkingDays(kSaturday0307At0030Shanghai, 3), kWednesday0311At0030Shanghai);
  EXPECT_EQ(FormatIsoDate(Shanghai().LocalDay(kSaturday0307At0030Shanghai)), "2026-03-07");
}

TEST(CompanyCalendarTest, HolidaysAreSkipped) {
  std::vector<std::string> national_day;
  for (int d = 1; d <= 7; ++d) national_day.push_back("2026-10-0" + std::to_string(d));
  // Tuesday 29 Sep: Wednesday 30 counts, 1–7 Oct are holidays, Thursday 8 and Friday 9 count.
  EXPECT_EQ(Shanghai(national_day).AddWorkingDays(kTuesday0929At1000Shanghai, 3), kFriday1009At1000Shanghai);
  EXPECT_FALSE(Shanghai(national_day).IsWorkingDay(*ParseIsoDate("2026-10-05")));
  EXPECT_TRUE(Shanghai(national_day).IsWorkingDay(*ParseIsoDate("2026-10-08")));
}

TEST(CompanyCalendarTest, ZeroWorkingDaysIsTheSameInstant) {
  EXPECT_EQ(Shanghai().AddWorkingDays(kFriday0306At1000Shanghai, 0), kFriday0306At1000Shanghai);
}

TEST(CompanyCalendarTest, UnknownZonesAndMalformedDatesAreRefused) {
  EXPECT_REASON(CompanyCalendar::Create("Mars/Olympus_Mons", {}), "unknown_time_zone");
  EXPECT_REASON(CompanyCalendar::Create("Asia/Shanghai", {"2026-02-30"}), "invalid_date");
  EXPECT_REASON(CompanyCalendar::Create("Asia/Shanghai", {"2026/10/01"}), "invalid_date");
  EXPECT_REASON(ParseIsoDate("2026-1-01"), "invalid_date");
}

TEST(CompanyCalendarTest, IsoDatesRoundTrip) {
  ASSERT_OK_AND_ASSIGN(const CivilDay day, ParseIsoDate("2026-10-01"));
  EXPECT_EQ(FormatIsoDate(day), "2026-10-01");
  EXPECT_EQ(*ParseIsoDate("1970-01-01"), 0);
}

}  // namespace
}  // namespace crm::aggregates
