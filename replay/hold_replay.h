// The heart of `crm-replay what-if`: every hold period of every customer, as it happened and as
// it would have ended under alternative rule values. Pure: events in, outcomes out, no I/O.
//
// A hold period starts with CustomerProtected and ends with a release (rejection, abandonment,
// review time-out, expiry) or the hand-over to after-sales (kept for good), or is still open
// at the end of the log. Its alternative deadlines are recomputed from the protection and
// promotion times with the alternative values:
//   potential deadline  = protected at + potentialDays        (recorded deadline if not given)
//   review deadline     = protected at + reviewWorkingDays working days, in the alternative
//                         time zone, skipping the alternative holidays (recorded if none given)
//   intention deadline  = promoted at + intentionDays         (recorded deadline if not given)
//   extensions          = the days granted, added as recorded
// so a replay with no alternative values reproduces the recorded deadlines exactly. "Protected
// at" and "promoted at" are the deciding clock's times, recovered from the recorded deadline and
// the policy in force (the log may record a slightly later time when writers' clocks disagree).
//
// The alternative ends a hold by time (review time-out first when its review deadline comes
// first, rule 13's choice) when its due time is at or before the next event that acted on the
// hold as it really happened: an approval, extension, promotion, reassignment, contract,
// abandonment or rejection. A hold that really ended by time is compared with the alternative
// due time: earlier, it is a release moved; later, it was kept past the real release.
//
// What it cannot know: people would have acted differently. Every event after a divergence is
// taken as it happened; quotas, daily claims, cooldowns, extension limits and approvals are
// not decided again (a claim of a customer the alternative still held is not refused).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aggregates/company_calendar.h"
#include "events/customer_hold.h"
#include "events/envelope.h"
#include "events/event_subject.h"
#include "events/status.h"
#include "replay/what_if_policy.h"

namespace crm::replay {

struct Fate {
  bool released = false;     // false: kept
  events::TimeMs at_ms = 0;  // released: when (the deadline for a time release); kept: the as-of time or the contract's
  std::string how;           // released: PoolReasonName ("expired", ...); kept: "formal" or "held"
  bool operator==(const Fate&) const = default;
};

enum class FateChange {
  kSame,
  kMoreRelease,   // the alternative releases a hold that was really kept
  kFewerRelease,  // the alternative still holds, as of the end, a hold that was really released
  kReleaseMoved,  // both release, at another time or for another reason
};
std::string_view FateChangeName(FateChange change);  // "same", "released_instead_of_kept", ...

struct PreemptedEvent {
  events::Seq seq = 0;
  std::string type;  // the event type the alternative release came before
  events::TimeMs at_ms = 0;
};

struct HoldOutcome {
  std::string customer_id;
  std::string owner_id;  // who protected it
  events::Seq protected_seq = 0;
  events::TimeMs protected_at_ms = 0;
  Fate actual;
  Fate alternative;
  std::optional<PreemptedEvent> preempted;  // kMoreRelease, and moved releases before an abandonment
  FateChange change = FateChange::kSame;
  events::TimeMs diverges_at_ms = 0;  // the earlier of the two fates' times when they differ
};

class HoldReplayer {
 public:
  using OutcomeFn = std::function<void(const HoldOutcome&)>;

  // `as_of_ms`: the end of the history (the log head's recorded time); holds still open then
  // are judged at it. `on_outcome` is called once per hold, when the hold closes or at Finish.
  HoldReplayer(PolicyOverrides overrides, events::TimeMs as_of_ms, OutcomeFn on_outcome);

  // REQUIRES: every event of the log, in seq order (the policy stream included).
  // Fails only when a calendar cannot be built for the alternative values.
  Status Apply(const events::RecordedEvent& recorded);

  // Judges every hold still open, in protection order.
  void Finish();

 private:
  struct OpenHold {
    HoldOutcome outcome;
    events::Hold actual;
    events::TimeMs alt_deadline_ms = 0;
    bool alt_review_pending = true;
    events::TimeMs alt_review_deadline_ms = 0;
    std::optional<Fate> alt_fate;  // set once the alternative has ended the hold

    // How time alone ends the alternative hold (rule 13's order: the review deadline first
    // when a pending review's comes first).
    Fate AltTimeRelease() const;
  };

  Status Open(const events::RecordedEvent& recorded, const events::CustomerProtected& protected_);
  // False when the alternative has ended the hold by `at_ms` (and records that it did).
  static bool AliveAt(OpenHold& hold, const events::RecordedEvent& recorded, events::TimeMs at_ms);
  void Close(const std::string& customer_id, Fate actual);
  Result<const aggregates::CompanyCalendar*> CalendarFor(const events::Policy& policy);

  const PolicyOverrides overrides_;
  const events::TimeMs as_of_ms_;
  OutcomeFn on_outcome_;
  events::Policy policy_;  // in force at the event being applied
  std::map<std::string, OpenHold> open_;
  std::map<std::string, aggregates::CompanyCalendar> calendars_;  // by zone and holidays
};

}  // namespace crm::replay
