// Dispatch, rule 13's due release, and the checks every customer command shares.
#include "aggregates/customer_decider.h"

#include "aggregates/customer_rules.h"
#include "aggregates/domain_errors.h"
#include "aggregates/stream_ids.h"

namespace crm::aggregates {
namespace internal {

Status RequireActive(const UserState& user) {
  if (!user.exists()) return errors::UnknownActor(user.user_id);
  if (!user.active) return errors::UserDeactivated(user.user_id);
  return Status::Ok();
}

Status RequireRole(const DecisionContext& ctx, events::Role role, std::string_view action) {
  return ctx.actor.role == role ? Status::Ok() : errors::RoleForbidden(action, ctx.actor.role);
}

Status RequireHolder(const CustomerView& view, const DecisionContext& ctx) {
  const CustomerState& state = view.state;
  const Hold& hold = state.hold;
  if (hold.held()) {
    return hold.owner_id == ctx.actor.user_id ? Status::Ok() : errors::NotOwner(state.customer_id, hold.owner_id);
  }
  if (hold.stage == CustomerStage::kFormal) return errors::CustomerFormal(state.customer_id);
  if (!view.lapsed_owner_id.empty() && view.lapsed_owner_id == ctx.actor.user_id) {
    return errors::DeadlinePassed(state.customer_id, view.lapsed_deadline_ms);
  }
  return errors::CustomerInPool(state.customer_id);
}

Status RequireHolderOrOwner(const CustomerView& view, const DecisionContext& ctx) {
  const Hold& hold = view.state.hold;
  if (hold.stage == CustomerStage::kFormal) {
    return hold.owner_id == ctx.actor.user_id ? Status::Ok() : errors::NotOwner(view.state.customer_id, hold.owner_id);
  }
  return RequireHolder(view, ctx);
}

Status RequireManagerOfHolder(const CustomerView& view, const DecisionContext& ctx) {
  const CustomerState& state = view.state;
  if (!state.hold.held()) {
    if (state.hold.stage == CustomerStage::kFormal) return errors::CustomerFormal(state.customer_id);
    if (!view.lapsed_owner_id.empty()) return errors::DeadlinePassed(state.customer_id, view.lapsed_deadline_ms);
    return errors::CustomerInPool(state.customer_id);
  }
  const UserState* holder = ctx.directory.FindUser(state.hold.owner_id);
  if (holder == nullptr || !holder->ManagedBy(ctx.actor)) return errors::NotYourTeam(state.hold.owner_id);
  return Status::Ok();
}

DecidedEvent ByCaller(const CustomerView& view, const DecisionContext& ctx, events::Event event) {
  return DecidedEvent{.stream_id = CustomerStream(view.state.customer_id),
                      .event = std::move(event),
                      .actor_id = ctx.actor.user_id,
                      .effective_at_ms = std::nullopt};
}

Status CheckHoldQuota(std::string_view user_id, std::size_t incoming, const DecisionContext& ctx) {
  const std::size_t held = ctx.directory.HeldCount(user_id, ctx.now_ms);
  if (held + incoming > ctx.policy.max_protected) return errors::QuotaExceeded(user_id, held, ctx.policy.max_protected);
  return Status::Ok();
}

}  // namespace internal

Decision DecideDueRelease(const CustomerState& state, TimeMs now_ms) {
  Decision decision;
  if (std::optional<events::Event> release = DueRelease(state, now_ms)) {
    decision.events.push_back(DecidedEvent{.stream_id = CustomerStream(state.customer_id),
                                           .event = std::move(*release),
                                           .actor_id = std::string(events::kSystemActorId),
                                           .effective_at_ms = state.hold.ReleaseDueAt()});
  }
  return decision;
}

Result<Decision> DecideCustomer(const CustomerState& state, const CustomerCommand& command,
                                const DecisionContext& ctx) {
  CRM_RETURN_IF_ERROR(internal::RequireActive(ctx.actor));
  if (!state.registered()) return errors::CustomerNotFound(state.customer_id);

  Decision decision = DecideDueRelease(state, ctx.now_ms);
  std::optional<CustomerState> released;
  std::string_view lapsed_owner_id;
  TimeMs lapsed_deadline_ms = 0;
  if (!decision.events.empty()) {
    const DecidedEvent& release = decision.events.front();
    released = EvolveCustomer(state, release.event, *release.effective_at_ms);
    lapsed_owner_id = state.hold.owner_id;
    lapsed_deadline_ms = *release.effective_at_ms;
  }
  const internal::CustomerView view{.state = released ? *released : state,
                                    .lapsed_owner_id = lapsed_owner_id,
                                    .lapsed_deadline_ms = lapsed_deadline_ms};
  CRM_ASSIGN_OR_RETURN(internal::Events events,
                       std::visit([&](const auto& c) { return internal::Decide(c, view, ctx); }, command));
  for (DecidedEvent& event : events) decision.events.push_back(std::move(event));
  return decision;
}

}  // namespace crm::aggregates
