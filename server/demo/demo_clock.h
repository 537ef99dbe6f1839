// When the demo's people work: working days (the company calendar, with the demo's holidays)
// between 09:00 and 18:00 company time. Times are drawn inside a window the rules allow and
// moved into working hours only when that keeps them inside it: a step that must happen before
// a deadline is done in the evening rather than late.
#pragma once

#include "aggregates/company_calendar.h"
#include "server/demo/demo_random.h"

namespace crm::demo {

inline constexpr events::TimeMs kMinuteMs = 60 * events::kMsPerSecond;
inline constexpr events::TimeMs kHourMs = 60 * kMinuteMs;
inline constexpr events::TimeMs kDayMs = events::kMsPerDay;

class DemoClock {
 public:
  // `calendar` must count the policy's holidays, so that planned review deadlines are the
  // service's. The demo keeps the default zone, Asia/Shanghai: UTC+8 all year (no DST since 1991).
  explicit DemoClock(aggregates::CompanyCalendar calendar) : calendar_(std::move(calendar)) {}

  // A time in [lo_ms, hi_ms], in working hours when some working moment of the window allows.
  // REQUIRES: lo_ms <= hi_ms.
  events::TimeMs Within(events::TimeMs lo_ms, events::TimeMs hi_ms, DemoRandom& random) const;

  const aggregates::CompanyCalendar& calendar() const { return calendar_; }

 private:
  // The first working moment at or after `at_ms`; a new working day starts up to `jitter_ms`
  // after 09:00.
  events::TimeMs NextWorkingMoment(events::TimeMs at_ms, events::TimeMs jitter_ms) const;

  aggregates::CompanyCalendar calendar_;
};

}  // namespace crm::demo
