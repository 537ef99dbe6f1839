// The company's calendar: its time zone and holidays, for "3 working days" (review deadlines)
// and "today" (daily claim limits), domain rule 13.
//
// Deciders take a calendar as an argument and never build one: Create() reads the operating
// system's time-zone database the first time a zone is looked up, and deciders do no I/O.
// A calendar is immutable and cheap to copy; the zone it points to lives for the process.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/domain_values.h"
#include "events/status.h"

namespace date {
class time_zone;
}

namespace crm::aggregates {

using events::TimeMs;

// A calendar day, as days since 1970-01-01.
using CivilDay = std::int32_t;

// "2026-10-01" -> its CivilDay; kInvalidArgument/invalid_date otherwise.
Result<CivilDay> ParseIsoDate(std::string_view iso_date);
std::string FormatIsoDate(CivilDay day);

class CompanyCalendar {
 public:
  // `time_zone` is an IANA name ("Asia/Shanghai"); `holidays` are ISO dates in that zone.
  // Errors: unknown_time_zone, invalid_date.
  static Result<CompanyCalendar> Create(std::string_view time_zone, const std::vector<std::string>& holidays);

  // The same local wall-clock time `working_days` working days after `from_ms`, skipping
  // Saturdays, Sundays and holidays: protected Friday 10:00 + 3 -> Wednesday 10:00.
  TimeMs AddWorkingDays(TimeMs from_ms, std::uint32_t working_days) const;

  // The company's calendar day at an instant ("today" for daily limits).
  CivilDay LocalDay(TimeMs at_ms) const;

  bool IsWorkingDay(CivilDay day) const;

 private:
  CompanyCalendar(const date::time_zone* zone, std::vector<CivilDay> holidays)
      : zone_(zone), holidays_(std::move(holidays)) {}

  const date::time_zone* zone_;     // owned by the date library's database
  std::vector<CivilDay> holidays_;  // sorted, unique
};

}  // namespace crm::aggregates
