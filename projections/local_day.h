// Calendar days for views that count per day or month (analytics, domain.md "Views people
// expect"). A view never reads a time-zone database: the shell builds a LocalDayFn from the
// company calendar (policy `timeZone`, rule 13) and passes it to the read, so the view stays a
// pure fold and a test can use a fixed offset.
//
// Days are counted from 1970-01-01 (day 0) in the proleptic Gregorian calendar; negative days
// are before it. The civil conversions are Howard Hinnant's (http://howardhinnant.github.io/
// date_algorithms.html), exact for every day a TimeMs can fall on.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "events/domain_values.h"

namespace crm::projections {

// Which calendar day, in the company's zone, an instant falls on (days since 1970-01-01).
// REQUIRES of every LocalDayFn: non-decreasing in time (a later instant is never on an earlier
// day), which every real zone is, DST included.
using LocalDayFn = std::function<std::int64_t(events::TimeMs)>;

struct CivilDate {
  int year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31

  bool operator==(const CivilDate&) const = default;
};

CivilDate CivilFromDays(std::int64_t days);
// REQUIRES: `date` is a valid date (month 1..12, day within the month).
std::int64_t DaysFromCivil(const CivilDate& date);

// "2026-03-03": the ISO date of `day`. Years outside 0..9999 get a sign or more digits.
std::string DayKey(std::int64_t day);
// "2026-03": the ISO month `day` falls in.
std::string MonthKey(std::int64_t day);
// Months since 1970-01 of the month `day` falls in (negative before), for counting months.
std::int64_t MonthIndex(std::int64_t day);
// The first day of a month counted by MonthIndex.
std::int64_t FirstDayOfMonth(std::int64_t month_index);

// A zone with a fixed offset from UTC (Asia/Shanghai is +8 h and keeps no DST): for tests and
// for shells whose company zone has no transitions.
LocalDayFn FixedOffsetDays(std::int64_t offset_ms);

}  // namespace crm::projections
