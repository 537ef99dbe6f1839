// A customer as its own stream tells it: everything a decision about that customer needs.
// Evolve is the only way a state changes; it is pure and total over the customer's events.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "aggregates/hold.h"
#include "events/envelope.h"
#include "events/event_types.h"

namespace crm::aggregates {

enum class RequestKind : std::uint8_t { kExtension, kPromotion };
enum class RequestStatus : std::uint8_t { kPending, kGranted, kDenied, kClosed };

// An extension or promotion request. kClosed: the hold it was about ended (released, promoted
// past it) before a manager decided.
struct CustomerRequest {
  RequestKind kind = RequestKind::kExtension;
  RequestStatus status = RequestStatus::kPending;
  std::string requested_by;
  std::uint32_t days = 0;  // extensions only
};

struct CustomerState {
  std::string customer_id;
  std::string name;
  std::string normalized_name;
  Hold hold;
  // Extensions granted in the current stage: each stage is its own protection (rule 7, 8).
  std::uint32_t extensions_granted = 0;
  // The requests of the customer's life by id; ids are "x<n>" / "p<n>" in request order.
  std::map<std::string, CustomerRequest> requests;
  std::uint32_t contact_count = 0;
  std::uint32_t follow_up_count = 0;
  // Why and since when it is in the pool (hold.stage == kPool).
  PoolReason pool_reason = PoolReason::kNone;
  TimeMs pool_entered_ms = 0;
  // Abandoners may not protect it again before these times (rule 3, 9).
  std::map<std::string, TimeMs> cooldown_until_ms;
  // When each owner's hold last ran out of time (expiry, not review time-out): they wait the
  // policy's cooldown from then too, or a salesperson could renew a protection forever by
  // claiming it back the moment it lapses (docs/rules.md).
  std::map<std::string, TimeMs> lapsed_at_ms;
  // The salesperson who held it when it was first signed.
  std::string sales_owner_id;
  events::StreamVersion version = 0;  // events applied

  bool registered() const { return hold.stage != CustomerStage::kUnregistered; }
  // The pending request of this kind, if any.
  const CustomerRequest* PendingRequest(RequestKind kind, std::string* request_id = nullptr) const;
};

// `effective_at_ms` is the event's effective time from its envelope (when a release happened).
CustomerState EvolveCustomer(CustomerState state, const events::Event& event, TimeMs effective_at_ms);

// Rule 13: the release that time has already decided but nobody has written yet, if any.
// Effective at the deadline it carries; always written by events::kSystemActorId.
std::optional<events::Event> DueRelease(const CustomerState& state, TimeMs now_ms);

}  // namespace crm::aggregates
