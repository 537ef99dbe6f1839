#include "aggregates/customer_state.h"

#include <type_traits>

namespace crm::aggregates {

const CustomerRequest* CustomerState::PendingRequest(RequestKind kind, std::string* request_id) const {
  for (const auto& [id, request] : requests) {
    if (request.kind == kind && request.status == RequestStatus::kPending) {
      if (request_id != nullptr) *request_id = id;
      return &request;
    }
  }
  return nullptr;
}

namespace {

// A hold that ends (release, promotion) closes the requests made about it.
void CloseRequests(CustomerState& state, std::optional<RequestKind> only_kind = std::nullopt) {
  for (auto& [id, request] : state.requests) {
    if (request.status == RequestStatus::kPending && (!only_kind || request.kind == *only_kind)) {
      request.status = RequestStatus::kClosed;
    }
  }
}

void EnterPool(CustomerState& state, const events::PoolEntrance& entrance) {
  CloseRequests(state);
  state.extensions_granted = 0;
  state.pool_reason = entrance.reason;
  state.pool_entered_ms = entrance.at_ms;
}

void SetRequestStatus(CustomerState& state, const std::string& request_id, RequestStatus status) {
  if (const auto it = state.requests.find(request_id); it != state.requests.end()) it->second.status = status;
}

}  // namespace

CustomerState EvolveCustomer(CustomerState state, const events::Event& event, TimeMs effective_at_ms) {
  using namespace events;
  // The owner before the event: a request is "requested_by" whoever held the customer.
  const std::string owner_before = state.hold.owner_id;
  ApplyToHold(state.hold, event);
  if (const std::optional<events::PoolEntrance> entrance = events::PoolEntranceOf(event, effective_at_ms)) {
    EnterPool(state, *entrance);
  }
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, CustomerRegistered>) {
          state.customer_id = e.customer_id;
          state.name = e.name;
          state.normalized_name = e.normalized_name;
        } else if constexpr (std::is_same_v<E, CustomerProtected>) {
          state.extensions_granted = 0;
          state.pool_reason = PoolReason::kNone;
          state.pool_entered_ms = 0;
        } else if constexpr (std::is_same_v<E, ProtectionExpired>) {
          state.lapsed_at_ms[e.owner_id] = e.deadline_ms;
        } else if constexpr (std::is_same_v<E, CustomerAbandoned>) {
          state.cooldown_until_ms[e.owner_id] = e.cooldown_until_ms;
        } else if constexpr (std::is_same_v<E, ContactAdded>) {
          ++state.contact_count;
        } else if constexpr (std::is_same_v<E, FollowUpRecorded>) {
          ++state.follow_up_count;
        } else if constexpr (std::is_same_v<E, ExtensionRequested>) {
          state.requests[e.request_id] = CustomerRequest{.kind = RequestKind::kExtension,
                                                         .status = RequestStatus::kPending,
                                                         .requested_by = owner_before,
                                                         .days = e.days};
        } else if constexpr (std::is_same_v<E, ExtensionGranted>) {
          SetRequestStatus(state, e.request_id, RequestStatus::kGranted);
          ++state.extensions_granted;
        } else if constexpr (std::is_same_v<E, ExtensionDenied>) {
          SetRequestStatus(state, e.request_id, RequestStatus::kDenied);
        } else if constexpr (std::is_same_v<E, PromotionRequested>) {
          state.requests[e.request_id] = CustomerRequest{
              .kind = RequestKind::kPromotion, .status = RequestStatus::kPending, .requested_by = owner_before};
        } else if constexpr (std::is_same_v<E, CustomerPromoted>) {
          if (!e.request_id.empty()) SetRequestStatus(state, e.request_id, RequestStatus::kGranted);
          // The new stage is a new protection: a pending potential-stage extension is moot.
          CloseRequests(state, RequestKind::kExtension);
          state.extensions_granted = 0;
        } else if constexpr (std::is_same_v<E, PromotionDenied>) {
          SetRequestStatus(state, e.request_id, RequestStatus::kDenied);
        } else if constexpr (std::is_same_v<E, CustomerHandedToAftersales>) {
          CloseRequests(state);
          state.sales_owner_id = e.from_user_id;
        }
      },
      event);
  ++state.version;
  return state;
}

std::optional<events::Event> DueRelease(const CustomerState& state, TimeMs now_ms) {
  const Hold& hold = state.hold;
  const std::optional<TimeMs> due = hold.ReleaseDueAt();
  if (!due.has_value() || now_ms < *due) return std::nullopt;
  if (hold.ReviewTimesOutFirst()) {
    return events::ProtectionReviewTimedOut{
        .customer_id = state.customer_id, .owner_id = hold.owner_id, .review_deadline_ms = hold.review_deadline_ms};
  }
  return events::ProtectionExpired{
      .customer_id = state.customer_id,
      .owner_id = hold.owner_id,
      .stage = hold.stage == CustomerStage::kIntention ? events::HeldStage::kIntention : events::HeldStage::kPotential,
      .deadline_ms = hold.deadline_ms};
}

}  // namespace crm::aggregates
