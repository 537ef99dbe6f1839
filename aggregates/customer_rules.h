// Internal to the customer decider: one Decide overload per command, and the checks they share.
#pragma once

#include <string_view>
#include <vector>

#include "aggregates/commands.h"
#include "aggregates/customer_state.h"
#include "aggregates/decision.h"
#include "aggregates/stream_ids.h"
#include "events/status.h"

namespace crm::aggregates::internal {

using Events = std::vector<DecidedEvent>;

// "30 days" is 30 x 24 hours (rule 13), not 30 calendar days in some zone.
inline TimeMs DaysAfter(TimeMs from_ms, std::uint32_t days) {
  return from_ms + static_cast<TimeMs>(days) * events::kMsPerDay;
}

// The customer a command decides on: after rule 13's due release, if there was one.
struct CustomerView {
  const CustomerState& state;
  // Who held the customer until a deadline that has passed with no release written: the
  // customer is in the pool now, and that user is told "deadline_passed", not "not held".
  std::string_view lapsed_owner_id;
  TimeMs lapsed_deadline_ms = 0;
};

Status RequireActive(const UserState& user);
Status RequireRole(const DecisionContext& ctx, events::Role role, std::string_view action);
// The caller holds the customer (potential or intention).
Status RequireHolder(const CustomerView& view, const DecisionContext& ctx);
// The caller holds the customer, or owns it as its after-sales owner (formal).
Status RequireHolderOrOwner(const CustomerView& view, const DecisionContext& ctx);
// The caller is a manager of the customer's holder.
Status RequireManagerOfHolder(const CustomerView& view, const DecisionContext& ctx);

// An event on the customer's stream, by the caller.
DecidedEvent ByCaller(const CustomerView& view, const DecisionContext& ctx, events::Event event);

Result<Events> Decide(const ProtectCustomer& command, const CustomerView& view, const DecisionContext& ctx);
Result<Events> Decide(const ReviewProtection& command, const CustomerView& view, const DecisionContext& ctx);
Result<Events> Decide(const AbandonCustomer& command, const CustomerView& view, const DecisionContext& ctx);
Result<Events> Decide(const ReassignCustomer& command, const CustomerView& view, const DecisionContext& ctx);
Result<Events> Decide(const AddContact& command, const CustomerView& view, const DecisionContext& ctx);
Result<Events> Decide(const RecordFollowUp& command, const CustomerView& view, const DecisionContext& ctx);
Result<Events> Decide(const RequestExtension& command, const CustomerView& view, const DecisionContext& ctx);
Result<Events> Decide(const DecideExtension& command, const CustomerView& view, const DecisionContext& ctx);
Result<Events> Decide(const RequestPromotion& command, const CustomerView& view, const DecisionContext& ctx);
Result<Events> Decide(const DecidePromotion& command, const CustomerView& view, const DecisionContext& ctx);
Result<Events> Decide(const SignContract& command, const CustomerView& view, const DecisionContext& ctx);

// Whether `target` (nullptr: unknown) may receive a customer in `stage`: an active user of
// the role that owns such customers (sales for held ones, after-sales for formal ones).
Status CheckRecipient(const UserState* target, std::string_view target_id, CustomerStage stage);

// Rule 3's limits on what one salesperson may hold and claim, shared by protect, reassign and
// handover. `incoming` customers would be added.
Status CheckHoldQuota(std::string_view user_id, std::size_t incoming, const DecisionContext& ctx);

}  // namespace crm::aggregates::internal
