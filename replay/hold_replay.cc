#include "replay/hold_replay.h"

#include <algorithm>
#include <type_traits>

namespace crm::replay {

using events::kMsPerDay;
using events::TimeMs;

namespace {

TimeMs DaysAfter(TimeMs from_ms, std::uint32_t days) {
  return from_ms + static_cast<TimeMs>(days) * kMsPerDay;
}

// The decider's clock when it set `deadline_ms` as `days` after its now. The log records a
// later time than the writer's clock when clocks disagree (it never lets recorded times go
// backwards), so the recorded time can be late; the deadline and the policy in force say
// exactly when the decision was taken. A result after the recorded time is impossible and
// means the policy in force was not the one decided with: then the recorded time it is.
TimeMs DecidedAt(TimeMs deadline_ms, std::uint32_t days, TimeMs recorded_at_ms) {
  const TimeMs decided_at_ms = deadline_ms - static_cast<TimeMs>(days) * kMsPerDay;
  return decided_at_ms <= recorded_at_ms ? decided_at_ms : recorded_at_ms;
}

Fate Kept(TimeMs at_ms, std::string how) {
  return Fate{.released = false, .at_ms = at_ms, .how = std::move(how)};
}

void Classify(HoldOutcome& outcome) {
  const Fate& a = outcome.actual;
  const Fate& b = outcome.alternative;
  if (!a.released && !b.released) {
    outcome.change = FateChange::kSame;
  } else if (a.released && b.released) {
    outcome.change = a == b ? FateChange::kSame : FateChange::kReleaseMoved;
    outcome.diverges_at_ms = std::min(a.at_ms, b.at_ms);
  } else if (b.released) {
    outcome.change = FateChange::kMoreRelease;
    outcome.diverges_at_ms = b.at_ms;
  } else {
    outcome.change = FateChange::kFewerRelease;
    outcome.diverges_at_ms = a.at_ms;
  }
}

}  // namespace

Fate HoldReplayer::OpenHold::AltTimeRelease() const {
  const bool review_first = alt_review_pending && alt_review_deadline_ms <= alt_deadline_ms;
  return Fate{.released = true,
              .at_ms = review_first ? alt_review_deadline_ms : alt_deadline_ms,
              .how = std::string(events::PoolReasonName(review_first ? events::PoolReason::kReviewTimedOut
                                                                     : events::PoolReason::kExpired))};
}

std::string_view FateChangeName(FateChange change) {
  switch (change) {
    case FateChange::kSame: return "same";
    case FateChange::kMoreRelease: return "released_instead_of_kept";
    case FateChange::kFewerRelease: return "kept_instead_of_released";
    case FateChange::kReleaseMoved: return "release_moved";
  }
  return "unknown";
}

HoldReplayer::HoldReplayer(PolicyOverrides overrides, TimeMs as_of_ms, OutcomeFn on_outcome)
    : overrides_(std::move(overrides)), as_of_ms_(as_of_ms), on_outcome_(std::move(on_outcome)) {}

Result<const aggregates::CompanyCalendar*> HoldReplayer::CalendarFor(const events::Policy& policy) {
  std::string key = policy.time_zone;
  for (const std::string& day : policy.holidays) key += "|" + day;
  auto it = calendars_.find(key);
  if (it == calendars_.end()) {
    CRM_ASSIGN_OR_RETURN(aggregates::CompanyCalendar calendar,
                         aggregates::CompanyCalendar::Create(policy.time_zone, policy.holidays));
    it = calendars_.emplace(key, std::move(calendar)).first;
  }
  return &it->second;
}

Status HoldReplayer::Open(const events::RecordedEvent& recorded, const events::CustomerProtected& e) {
  const TimeMs at_ms = recorded.envelope.effective_at_ms;
  // A protection while a hold is open cannot happen (the pool comes first); if a damaged or
  // hand-made history has one, the old hold ends where the new one starts.
  if (open_.contains(e.customer_id)) Close(e.customer_id, Kept(at_ms, "held"));
  const events::Policy alternative = overrides_.Apply(policy_);
  OpenHold hold;
  hold.outcome.customer_id = e.customer_id;
  hold.outcome.owner_id = e.owner_id;
  hold.outcome.protected_seq = recorded.envelope.seq;
  hold.outcome.protected_at_ms = at_ms;
  events::ApplyToHold(hold.actual, recorded.event);
  const TimeMs decided_at_ms = DecidedAt(e.deadline_ms, policy_.potential_days, at_ms);
  hold.alt_deadline_ms =
      overrides_.potential_days ? DaysAfter(decided_at_ms, alternative.potential_days) : e.deadline_ms;
  hold.alt_review_deadline_ms = e.review_deadline_ms;
  if (overrides_.ChangesReviewDeadline()) {
    CRM_ASSIGN_OR_RETURN(const aggregates::CompanyCalendar* calendar, CalendarFor(alternative));
    hold.alt_review_deadline_ms = calendar->AddWorkingDays(decided_at_ms, alternative.review_working_days);
  }
  open_.emplace(e.customer_id, std::move(hold));
  return Status::Ok();
}

bool HoldReplayer::AliveAt(OpenHold& hold, const events::RecordedEvent& recorded, TimeMs at_ms) {
  if (hold.alt_fate.has_value()) return false;
  const Fate release = hold.AltTimeRelease();
  // A hold ends exactly at its due time: an act at that instant already finds it released.
  if (release.at_ms > at_ms) return true;
  hold.alt_fate = release;
  hold.outcome.preempted = PreemptedEvent{
      .seq = recorded.envelope.seq, .type = std::string(events::EventTypeName(recorded.event)), .at_ms = at_ms};
  return false;
}

void HoldReplayer::Close(const std::string& customer_id, Fate actual) {
  const auto it = open_.find(customer_id);
  OpenHold& hold = it->second;
  hold.outcome.actual = std::move(actual);
  hold.outcome.alternative = *hold.alt_fate;
  Classify(hold.outcome);
  on_outcome_(hold.outcome);
  open_.erase(it);
}

Status HoldReplayer::Apply(const events::RecordedEvent& recorded) {
  if (const auto* changed = std::get_if<events::PolicyChanged>(&recorded.event)) {
    policy_ = changed->policy;
    return Status::Ok();
  }
  if (const auto* protected_ = std::get_if<events::CustomerProtected>(&recorded.event)) {
    return Open(recorded, *protected_);
  }
  const std::string* customer_id = events::CustomerIdOf(recorded.event);
  if (customer_id == nullptr) return Status::Ok();
  const auto it = open_.find(*customer_id);
  if (it == open_.end()) return Status::Ok();  // a pool or formal customer: no hold to judge
  OpenHold& hold = it->second;
  const TimeMs at_ms = recorded.envelope.effective_at_ms;
  const std::string id = *customer_id;  // Close() erases the hold the pointer may point into
  events::ApplyToHold(hold.actual, recorded.event);
  return std::visit(
      [&](const auto& e) -> Status {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, events::ProtectionApproved>) {
          if (AliveAt(hold, recorded, at_ms)) hold.alt_review_pending = false;
        } else if constexpr (std::is_same_v<E, events::ExtensionGranted>) {
          if (AliveAt(hold, recorded, at_ms)) hold.alt_deadline_ms = DaysAfter(hold.alt_deadline_ms, e.days);
        } else if constexpr (std::is_same_v<E, events::CustomerPromoted>) {
          if (AliveAt(hold, recorded, at_ms)) {
            hold.alt_deadline_ms =
                overrides_.intention_days
                    ? DaysAfter(DecidedAt(e.deadline_ms, policy_.intention_days, at_ms), *overrides_.intention_days)
                    : e.deadline_ms;
            hold.alt_review_pending = false;
          }
        } else if constexpr (std::is_same_v<E, events::CustomerReassigned>) {
          // The hold moves with its deadlines; all that matters is whether it was still there.
          AliveAt(hold, recorded, at_ms);
        } else if constexpr (std::is_same_v<E, events::CustomerHandedToAftersales>) {
          if (AliveAt(hold, recorded, at_ms)) hold.alt_fate = Kept(at_ms, "formal");
          Close(id, Kept(at_ms, "formal"));
        } else if constexpr (std::is_same_v<E, events::ProtectionRejected> ||
                             std::is_same_v<E, events::CustomerAbandoned>) {
          const events::PoolEntrance entrance = *events::PoolEntranceOf(recorded.event, at_ms);
          const Fate actual{
              .released = true, .at_ms = entrance.at_ms, .how = std::string(PoolReasonName(entrance.reason))};
          if (AliveAt(hold, recorded, at_ms)) hold.alt_fate = actual;
          Close(id, actual);
        } else if constexpr (std::is_same_v<E, events::ProtectionExpired> ||
                             std::is_same_v<E, events::ProtectionReviewTimedOut>) {
          const events::PoolEntrance entrance = *events::PoolEntranceOf(recorded.event, at_ms);
          const Fate actual{
              .released = true, .at_ms = entrance.at_ms, .how = std::string(PoolReasonName(entrance.reason))};
          if (!hold.alt_fate.has_value()) {
            const Fate release = hold.AltTimeRelease();
            // Later than the real release: kept past it, until its own due time if the log reaches it.
            hold.alt_fate = release.at_ms <= as_of_ms_ ? release : Kept(as_of_ms_, "held");
          }
          Close(id, actual);
        }
        return Status::Ok();
      },
      recorded.event);
}

void HoldReplayer::Finish() {
  std::vector<std::string> ids;
  for (const auto& [id, hold] : open_) ids.push_back(id);
  std::sort(ids.begin(), ids.end(), [this](const std::string& a, const std::string& b) {
    return open_.at(a).outcome.protected_seq < open_.at(b).outcome.protected_seq;
  });
  for (const std::string& id : ids) {
    OpenHold& hold = open_.at(id);
    if (!hold.alt_fate.has_value()) {
      const Fate release = hold.AltTimeRelease();
      hold.alt_fate = release.at_ms <= as_of_ms_ ? release : Kept(as_of_ms_, "held");
    }
    // Rule 13: a hold whose deadline has passed is released even before the sweeper writes it.
    const std::optional<events::PoolEntrance> ended = hold.actual.EndedBy(as_of_ms_);
    Close(id, ended.has_value()
                  ? Fate{.released = true, .at_ms = ended->at_ms, .how = std::string(PoolReasonName(ended->reason))}
                  : Kept(as_of_ms_, "held"));
  }
}

}  // namespace crm::replay
