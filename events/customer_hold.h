// Who holds a customer, in which stage, and until when, as the customer's events say. This is
// part of what the events mean, so it lives with them: the deciders (aggregates/customer_state.h,
// aggregates/directory.h) and the views (projections/) fold holds with the same ApplyToHold, so
// a view can never disagree with a decision about who holds a customer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "events/event_types.h"

namespace crm::events {

enum class CustomerStage : std::uint8_t {
  kUnregistered,  // no such customer yet
  kPotential,     // 潜在客户: held, 30 days
  kIntention,     // 意向客户: held, 15 days
  kFormal,        // 正式客户: signed; owned by after-sales, never in the pool again
  kPool,          // 公共客户池: anyone in sales may protect it
};
std::string_view CustomerStageName(CustomerStage stage);  // "potential", ...

// Why a customer is in the pool.
enum class PoolReason : std::uint8_t { kNone, kRejected, kReviewTimedOut, kAbandoned, kExpired };
std::string_view PoolReasonName(PoolReason reason);  // "rejected", "review_timed_out", ...

struct PoolEntrance {
  PoolReason reason = PoolReason::kNone;
  TimeMs at_ms = 0;  // the release's effective time: the deadline for time-outs and expiries
};

// The pool entrance a release event records (rejection, review time-out, abandonment, expiry);
// nullopt for every other event. `effective_at_ms` is the event's effective time.
std::optional<PoolEntrance> PoolEntranceOf(const Event& event, TimeMs effective_at_ms);

struct Hold {
  CustomerStage stage = CustomerStage::kUnregistered;
  std::string owner_id;    // the holder (potential/intention) or the after-sales owner (formal)
  TimeMs deadline_ms = 0;  // potential/intention: the hold ends here (rule 6, 8)
  bool review_pending = false;
  TimeMs review_deadline_ms = 0;  // while review_pending: released if not reviewed by then (rule 4)

  bool held() const { return stage == CustomerStage::kPotential || stage == CustomerStage::kIntention; }
  // When the hold ends by time alone, if it can (rule 13): the review deadline while the review
  // is pending, else the stage's deadline. nullopt for customers nobody holds.
  std::optional<TimeMs> ReleaseDueAt() const;
  // Held, and still held at `now_ms` (a hold ends exactly at its due time).
  bool HeldAt(TimeMs now_ms) const;
  // Whether the pending review's deadline ends the hold (a review time-out) rather than the
  // stage's deadline (an expiry).
  bool ReviewTimesOutFirst() const { return review_pending && review_deadline_ms <= deadline_ms; }
  // The pool entrance time alone has made by `now_ms` (rule 13), if the hold has ended.
  std::optional<PoolEntrance> EndedBy(TimeMs now_ms) const;
};

// Applies one event of a customer stream; events of other streams are ignored.
void ApplyToHold(Hold& hold, const Event& event);

}  // namespace crm::events
