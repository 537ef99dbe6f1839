#include "server/demo/demo_clock.h"

namespace crm::demo {
namespace {

constexpr events::TimeMs kCompanyUtcOffsetMs = 8 * kHourMs;  // Asia/Shanghai
constexpr events::TimeMs kWorkdayStartMs = 9 * kHourMs;
constexpr events::TimeMs kWorkdayEndMs = 18 * kHourMs;
// Longer than any run of days off (国庆 and its weekends: 9 days).
constexpr int kDaysOffInARowMax = 31;
// A new working day's first action comes up to this long after 09:00.
constexpr events::TimeMs kMorningJitterMs = 90 * kMinuteMs;

}  // namespace

events::TimeMs DemoClock::NextWorkingMoment(events::TimeMs at_ms, events::TimeMs jitter_ms) const {
  aggregates::CivilDay day = calendar_.LocalDay(at_ms);
  const events::TimeMs midnight_ms = static_cast<events::TimeMs>(day) * kDayMs - kCompanyUtcOffsetMs;
  const events::TimeMs time_of_day_ms = at_ms - midnight_ms;
  if (calendar_.IsWorkingDay(day) && time_of_day_ms >= kWorkdayStartMs && time_of_day_ms < kWorkdayEndMs) {
    return at_ms;
  }
  if (!calendar_.IsWorkingDay(day) || time_of_day_ms >= kWorkdayEndMs) ++day;
  for (int i = 0; i < kDaysOffInARowMax && !calendar_.IsWorkingDay(day); ++i) ++day;
  return static_cast<events::TimeMs>(day) * kDayMs - kCompanyUtcOffsetMs + kWorkdayStartMs + jitter_ms;
}

events::TimeMs DemoClock::Within(events::TimeMs lo_ms, events::TimeMs hi_ms, DemoRandom& random) const {
  const events::TimeMs drawn_ms = random.Between(lo_ms, hi_ms);
  const events::TimeMs jitter_ms = random.Between(0, kMorningJitterMs);
  if (const events::TimeMs moved_ms = NextWorkingMoment(drawn_ms, jitter_ms); moved_ms <= hi_ms) return moved_ms;
  if (const events::TimeMs earliest_ms = NextWorkingMoment(lo_ms, 0); earliest_ms <= hi_ms) return earliest_ms;
  return drawn_ms;
}

}  // namespace crm::demo
