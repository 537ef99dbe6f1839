#include "projections/local_day.h"

#include <cstdio>

namespace crm::projections {
namespace {

constexpr std::int64_t kDaysPerEra = 146097;      // 400 Gregorian years
constexpr std::int64_t kEpochShiftDays = 719468;  // from 0000-03-01 to 1970-01-01

// Floor division: -1 / 86400000 is day -1, not day 0.
std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

std::string FormatYear(std::int64_t year) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, year < 0 ? "-%04lld" : "%04lld",
                static_cast<long long>(year < 0 ? -year : year));
  return buffer;
}

std::string TwoDigits(unsigned value) {
  return {static_cast<char>('0' + value / 10 % 10), static_cast<char>('0' + value % 10)};
}

}  // namespace

CivilDate CivilFromDays(std::int64_t days) {
  const std::int64_t z = days + kEpochShiftDays;  // days since 0000-03-01
  const std::int64_t era = FloorDiv(z, kDaysPerEra);
  const std::int64_t doe = z - era * kDaysPerEra;                                  // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const std::int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11], March first
  const auto day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);            // [1, 31]
  const auto month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);             // [1, 12]
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return CivilDate{.year = static_cast<int>(year), .month = month, .day = day};
}

std::int64_t DaysFromCivil(const CivilDate& date) {
  const std::int64_t year = static_cast<std::int64_t>(date.year) - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = FloorDiv(year, 400);
  const std::int64_t yoe = year - era * 400;                                 // [0, 399]
  const std::int64_t mp = date.month > 2 ? date.month - 3 : date.month + 9;  // March first
  const std::int64_t doy = (153 * mp + 2) / 5 + date.day - 1;                // [0, 365]
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * kDaysPerEra + doe - kEpochShiftDays;
}

std::string DayKey(std::int64_t day) {
  const CivilDate date = CivilFromDays(day);
  return FormatYear(date.year) + "-" + TwoDigits(date.month) + "-" + TwoDigits(date.day);
}

std::string MonthKey(std::int64_t day) {
  const CivilDate date = CivilFromDays(day);
  return FormatYear(date.year) + "-" + TwoDigits(date.month);
}

std::int64_t MonthIndex(std::int64_t day) {
  const CivilDate date = CivilFromDays(day);
  return (static_cast<std::int64_t>(date.year) - 1970) * 12 + (date.month - 1);
}

std::int64_t FirstDayOfMonth(std::int64_t month_index) {
  const std::int64_t year = 1970 + FloorDiv(month_index, 12);
  const auto month = static_cast<unsigned>(month_index - FloorDiv(month_index, 12) * 12 + 1);
  return DaysFromCivil(CivilDate{.year = static_cast<int>(year), .month = month, .day = 1});
}

LocalDayFn FixedOffsetDays(std::int64_t offset_ms) {
  return [offset_ms](events::TimeMs at_ms) { return FloorDiv(at_ms + offset_ms, events::kMsPerDay); };
}

}  // namespace crm::projections
