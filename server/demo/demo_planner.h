// DemoPlanner: the building blocks of a customer's story (register, review, follow up, ask,
// decide, sign, pay, abandon, claim), each planned as a step at a time the rules allow.
//
// Every step is planned inside a window that ends before the deadline it must beat, and
// before the end of the history: the windows are the rulebook's deadlines written as
// arithmetic, so a refused step means a window is wrong. Steps are planned up front (times and
// texts from the seed); who performs them is resolved when they run (demo_player.h).
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "server/demo/demo_clock.h"
#include "server/demo/demo_player.h"
#include "server/demo/demo_profiles.h"

namespace crm::demo {

struct DemoStep {
  events::TimeMs at_ms = 0;
  std::function<Status(DemoPlayer&)> run;
};

struct DemoTimeline {
  events::TimeMs start_ms = 0;      // users and policy; stories begin a day later
  events::TimeMs now_ms = 0;        // the history ends
  events::TimeMs last_step_ms = 0;  // nothing is planned after this (a little before now_ms)
  events::TimeMs departure_ms = 0;  // the departing salesperson's customers are handed over
};

class DemoPlanner {
 public:
  // All borrowed for the planner's life; `steps` receives the plan, unsorted. The steps keep
  // references to the profiles given to Register and friends: they must outlive the steps.
  DemoPlanner(const DemoTimeline& timeline, const DemoClock& clock, DemoRandom& random, std::vector<DemoStep>& steps)
      : timeline_(timeline), clock_(clock), random_(random), steps_(steps) {}

  const DemoTimeline& timeline() const { return timeline_; }
  DemoRandom& random() { return random_; }
  const aggregates::CompanyCalendar& calendar() const { return clock_.calendar(); }

  // A working moment in [lo_ms, min(hi_ms, last step)] (demo_clock.h).
  events::TimeMs Within(events::TimeMs lo_ms, events::TimeMs hi_ms);
  // Whether [lo_ms, hi_ms] has room for a step, before the history's end.
  bool Fits(events::TimeMs lo_ms, events::TimeMs hi_ms) const;

  // A salesperson of the customer's team registers it in [lo_ms, hi_ms] and enters its
  // contacts; returns the registration time.
  events::TimeMs Register(std::size_t customer, const DemoCustomerProfile& profile, events::TimeMs lo_ms,
                          events::TimeMs hi_ms);
  // The reviewer decides within a day of `protected_ms` (well inside 3 working days).
  events::TimeMs Review(std::size_t customer, events::TimeMs protected_ms, bool approve);
  // `count_min`..`count_max` follow-ups by the holder inside (lo_ms, hi_ms), some with a next
  // contact time (reminders).
  void FollowUps(std::size_t customer, const DemoCustomerProfile& profile, std::span<const DemoNote> notes,
                 int count_min, int count_max, events::TimeMs lo_ms, events::TimeMs hi_ms);
  void AskPromotion(std::size_t customer, events::TimeMs at_ms);
  void AskExtension(std::size_t customer, std::uint32_t days, events::TimeMs at_ms);
  void Decide(std::size_t customer, aggregates::RequestKind kind, bool approve, events::TimeMs at_ms);
  void Abandon(std::size_t customer, events::TimeMs at_ms);
  void Reassign(std::size_t customer, events::TimeMs at_ms);
  // A colleague claims it from the pool after `released_ms`; the reviewer approves when there is
  // time before the end, and the new holder follows up.
  void Reclaim(std::size_t customer, const DemoCustomerProfile& profile, events::TimeMs released_ms);
  // The holder signs `contract` at its signing time; finance records some payments after it.
  void Sign(std::size_t customer, aggregates::SignContract contract);
  // A contract number unique in the demo: "HT20261012-007".
  std::string NextContractNo(events::TimeMs signed_at_ms);

  // Any other step, at `at_ms`.
  void At(events::TimeMs at_ms, std::function<Status(DemoPlayer&)> run);

 private:
  // The salesperson who leaves, from a day before the departure on (nothing new is given to
  // them, or it would stay with a deactivated user); else empty.
  std::string_view Leaving(events::TimeMs at_ms) const;
  void Payments(std::size_t customer, const aggregates::SignContract& contract);
  void Pay(std::size_t customer, const std::string& contract_no, events::Fen amount_fen, events::TimeMs at_ms,
           events::TimeMs signed_at_ms);

  const DemoTimeline& timeline_;
  const DemoClock& clock_;
  DemoRandom& random_;
  std::vector<DemoStep>& steps_;
  int contracts_planned_ = 0;
};

}  // namespace crm::demo
