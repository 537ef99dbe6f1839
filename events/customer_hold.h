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
};

// Applies one event of a customer stream; events of other streams are ignored.
void ApplyToHold(Hold& hold, const Event& event);

}  // namespace crm::events
