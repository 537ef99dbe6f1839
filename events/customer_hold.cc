#include "events/customer_hold.h"

#include <algorithm>
#include <type_traits>

namespace crm::events {

std::string_view CustomerStageName(CustomerStage stage) {
  switch (stage) {
    case CustomerStage::kUnregistered: return "unregistered";
    case CustomerStage::kPotential: return "potential";
    case CustomerStage::kIntention: return "intention";
    case CustomerStage::kFormal: return "formal";
    case CustomerStage::kPool: return "pool";
  }
  return "unknown";
}

std::string_view PoolReasonName(PoolReason reason) {
  switch (reason) {
    case PoolReason::kNone: return "none";
    case PoolReason::kRejected: return "rejected";
    case PoolReason::kReviewTimedOut: return "review_timed_out";
    case PoolReason::kAbandoned: return "abandoned";
    case PoolReason::kExpired: return "expired";
  }
  return "unknown";
}

std::optional<PoolEntrance> PoolEntranceOf(const Event& event, TimeMs effective_at_ms) {
  return std::visit(
      [effective_at_ms](const auto& e) -> std::optional<PoolEntrance> {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, ProtectionRejected>) {
          return PoolEntrance{PoolReason::kRejected, effective_at_ms};
        } else if constexpr (std::is_same_v<E, ProtectionReviewTimedOut>) {
          return PoolEntrance{PoolReason::kReviewTimedOut, e.review_deadline_ms};
        } else if constexpr (std::is_same_v<E, CustomerAbandoned>) {
          return PoolEntrance{PoolReason::kAbandoned, effective_at_ms};
        } else if constexpr (std::is_same_v<E, ProtectionExpired>) {
          return PoolEntrance{PoolReason::kExpired, e.deadline_ms};
        } else {
          return std::nullopt;
        }
      },
      event);
}

std::optional<PoolEntrance> Hold::EndedBy(TimeMs now_ms) const {
  const std::optional<TimeMs> due = ReleaseDueAt();
  if (!due.has_value() || now_ms < *due) return std::nullopt;
  return PoolEntrance{ReviewTimesOutFirst() ? PoolReason::kReviewTimedOut : PoolReason::kExpired, *due};
}

std::optional<TimeMs> Hold::ReleaseDueAt() const {
  if (!held()) return std::nullopt;
  return review_pending ? std::min(review_deadline_ms, deadline_ms) : deadline_ms;
}

bool Hold::HeldAt(TimeMs now_ms) const {
  const std::optional<TimeMs> due = ReleaseDueAt();
  return due.has_value() && now_ms < *due;
}

namespace {

void ReleaseToPool(Hold& hold) {
  hold.stage = CustomerStage::kPool;
  hold.owner_id.clear();
  hold.deadline_ms = 0;
  hold.review_pending = false;
  hold.review_deadline_ms = 0;
}

}  // namespace

void ApplyToHold(Hold& hold, const Event& event) {
  std::visit(
      [&hold](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, CustomerRegistered>) {
          hold.stage = CustomerStage::kPool;  // until the CustomerProtected that always follows
        } else if constexpr (std::is_same_v<E, CustomerProtected>) {
          hold = Hold{.stage = CustomerStage::kPotential,
                      .owner_id = e.owner_id,
                      .deadline_ms = e.deadline_ms,
                      .review_pending = true,
                      .review_deadline_ms = e.review_deadline_ms};
        } else if constexpr (std::is_same_v<E, ProtectionApproved>) {
          hold.review_pending = false;
          hold.review_deadline_ms = 0;
        } else if constexpr (std::is_same_v<E, ExtensionGranted>) {
          hold.deadline_ms = e.deadline_ms;
        } else if constexpr (std::is_same_v<E, CustomerPromoted>) {
          hold.stage = CustomerStage::kIntention;
          hold.deadline_ms = e.deadline_ms;
        } else if constexpr (std::is_same_v<E, ProtectionRejected> || std::is_same_v<E, ProtectionReviewTimedOut> ||
                             std::is_same_v<E, CustomerAbandoned> || std::is_same_v<E, ProtectionExpired>) {
          ReleaseToPool(hold);
        } else if constexpr (std::is_same_v<E, CustomerReassigned>) {
          hold.owner_id = e.to_user_id;
        } else if constexpr (std::is_same_v<E, CustomerHandedToAftersales>) {
          hold = Hold{.stage = CustomerStage::kFormal,
                      .owner_id = e.aftersales_owner_id,
                      .deadline_ms = 0,
                      .review_pending = false,
                      .review_deadline_ms = 0};
        }
      },
      event);
}

}  // namespace crm::events
