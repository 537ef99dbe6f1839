#include "aggregates/company_calendar.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <date/date.h>
#include <date/tz.h>

namespace crm::aggregates {
namespace {

using Milliseconds = std::chrono::milliseconds;

Status InvalidDate(std::string_view text) {
  return Status::InvalidArgument("invalid_date", "'" + std::string(text) + "' is not a date like 2026-10-01");
}

bool ParseNumber(std::string_view text, int* out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

Result<CivilDay> ParseIsoDate(std::string_view iso_date) {
  int year = 0;
  int month = 0;
  int day = 0;
  if (iso_date.size() != 10 || iso_date[4] != '-' || iso_date[7] != '-' || !ParseNumber(iso_date.substr(0, 4), &year) ||
      !ParseNumber(iso_date.substr(5, 2), &month) || !ParseNumber(iso_date.substr(8, 2), &day)) {
    return InvalidDate(iso_date);
  }
  const date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                                 date::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return InvalidDate(iso_date);
  return static_cast<CivilDay>(date::sys_days{ymd}.time_since_epoch().count());
}

std::string FormatIsoDate(CivilDay day) {
  return date::format("%F", date::sys_days{date::days{day}});
}

Result<CompanyCalendar> CompanyCalendar::Create(std::string_view time_zone, const std::vector<std::string>& holidays) {
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(time_zone);
  } catch (const std::runtime_error&) {
    return Status::InvalidArgument("unknown_time_zone",
                                   "'" + std::string(time_zone) + "' is not a time zone like Asia/Shanghai");
  }
  std::vector<CivilDay> days;
  days.reserve(holidays.size());
  for (const std::string& holiday : holidays) {
    CRM_ASSIGN_OR_RETURN(const CivilDay day, ParseIsoDate(holiday));
    days.push_back(day);
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return CompanyCalendar(zone, std::move(days));
}

CivilDay CompanyCalendar::LocalDay(TimeMs at_ms) const {
  const auto local = zone_->to_local(date::sys_time<Milliseconds>(Milliseconds(at_ms)));
  return static_cast<CivilDay>(date::floor<date::days>(local).time_since_epoch().count());
}

bool CompanyCalendar::IsWorkingDay(CivilDay day) const {
  const date::weekday weekday{date::sys_days{date::days{day}}};
  if (weekday == date::Saturday || weekday == date::Sunday) return false;
  return !std::binary_search(holidays_.begin(), holidays_.end(), day);
}

TimeMs CompanyCalendar::AddWorkingDays(TimeMs from_ms, std::uint32_t working_days) const {
  const auto local = zone_->to_local(date::sys_time<Milliseconds>(Milliseconds(from_ms)));
  const auto local_day = date::floor<date::days>(local);
  const auto time_of_day = local - local_day;
  // Terminates: at most 2 of every 7 days are weekend days, and holidays are finitely many.
  CivilDay day = static_cast<CivilDay>(local_day.time_since_epoch().count());
  for (std::uint32_t counted = 0; counted < working_days;) {
    ++day;
    if (IsWorkingDay(day)) ++counted;
  }
  const date::local_time<Milliseconds> deadline_local = date::local_days{date::days{day}} + time_of_day;
  // A wall-clock time skipped by a daylight-saving change resolves to the earlier instant.
  return zone_->to_sys(deadline_local, date::choose::earliest).time_since_epoch().count();
}

}  // namespace crm::aggregates
