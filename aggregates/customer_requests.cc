// Rules 7 and 8: extension and promotion requests, and a manager's decisions on them.
#include <string>

#include "aggregates/customer_rules.h"
#include "aggregates/domain_errors.h"
#include "aggregates/field_checks.h"

namespace crm::aggregates::internal {
namespace {

std::string_view RequestStatusName(RequestStatus status) {
  switch (status) {
    case RequestStatus::kPending: return "pending";
    case RequestStatus::kGranted: return "granted";
    case RequestStatus::kDenied: return "denied";
    case RequestStatus::kClosed: return "closed";
  }
  return "unknown";
}

// Request ids are per customer and never reused: "x1", "p2", "x3" in the order asked.
std::string NextRequestId(const CustomerState& state, RequestKind kind) {
  return (kind == RequestKind::kExtension ? "x" : "p") + std::to_string(state.requests.size() + 1);
}

Status CheckExtensionAllowed(const CustomerState& state, std::uint32_t days, const DecisionContext& ctx) {
  if (days > ctx.policy.max_extension_days) return errors::ExtensionTooLong(days, ctx.policy.max_extension_days);
  if (state.extensions_granted >= ctx.policy.max_extensions) {
    return errors::ExtensionLimitReached(state.customer_id, ctx.policy.max_extensions);
  }
  return Status::Ok();
}

// The request a manager decides on: it must exist, be of this kind, be about a customer in
// the manager's team, and still wait for a decision.
Result<const CustomerRequest*> FindPendingRequest(const CustomerView& view, const std::string& request_id,
                                                  RequestKind kind, const DecisionContext& ctx) {
  CRM_RETURN_IF_ERROR(RequireRole(ctx, events::Role::kManager,
                                  kind == RequestKind::kExtension ? "decide extensions" : "decide promotions"));
  const CustomerState& state = view.state;
  const auto it = state.requests.find(request_id);
  if (it == state.requests.end() || it->second.kind != kind) {
    return errors::RequestNotFound(state.customer_id, request_id);
  }
  CRM_RETURN_IF_ERROR(RequireManagerOfHolder(view, ctx));
  if (it->second.status != RequestStatus::kPending) {
    return errors::RequestNotPending(state.customer_id, request_id, RequestStatusName(it->second.status));
  }
  return &it->second;
}

}  // namespace

Result<Events> Decide(const RequestExtension& command, const CustomerView& view, const DecisionContext& ctx) {
  CRM_RETURN_IF_ERROR(RequireRole(ctx, events::Role::kSales, "ask for extensions"));
  CRM_RETURN_IF_ERROR(RequireHolder(view, ctx));
  const CustomerState& state = view.state;
  if (command.days == 0) return errors::InvalidField("invalid_days", "days", "ask for at least one day");
  CRM_RETURN_IF_ERROR(CheckExtensionAllowed(state, command.days, ctx));
  std::string pending_id;
  if (state.PendingRequest(RequestKind::kExtension, &pending_id) != nullptr) {
    return errors::RequestPending(state.customer_id, pending_id);
  }
  CRM_RETURN_IF_ERROR(CheckRequiredText("reason", command.reason, kLongTextBytesMax));
  return Events{ByCaller(view, ctx,
                         events::ExtensionRequested{.customer_id = state.customer_id,
                                                    .request_id = NextRequestId(state, RequestKind::kExtension),
                                                    .days = command.days,
                                                    .reason = command.reason})};
}

Result<Events> Decide(const DecideExtension& command, const CustomerView& view, const DecisionContext& ctx) {
  CRM_ASSIGN_OR_RETURN(const CustomerRequest* request,
                       FindPendingRequest(view, command.request_id, RequestKind::kExtension, ctx));
  CRM_RETURN_IF_ERROR(CheckOptionalText("reason", command.reason, kLongTextBytesMax));
  const CustomerState& state = view.state;
  if (!command.approve) {
    return Events{
        ByCaller(view, ctx,
                 events::ExtensionDenied{
                     .customer_id = state.customer_id, .request_id = command.request_id, .reason = command.reason})};
  }
  // The policy may have changed since the request: the decision follows the policy now.
  CRM_RETURN_IF_ERROR(CheckExtensionAllowed(state, request->days, ctx));
  return Events{ByCaller(view, ctx,
                         events::ExtensionGranted{.customer_id = state.customer_id,
                                                  .request_id = command.request_id,
                                                  .days = request->days,
                                                  .deadline_ms = DaysAfter(state.hold.deadline_ms, request->days),
                                                  .reason = command.reason})};
}

Result<Events> Decide(const RequestPromotion& command, const CustomerView& view, const DecisionContext& ctx) {
  CRM_RETURN_IF_ERROR(RequireRole(ctx, events::Role::kSales, "ask for promotions"));
  CRM_RETURN_IF_ERROR(RequireHolder(view, ctx));
  const CustomerState& state = view.state;
  if (state.hold.stage != CustomerStage::kPotential) {
    return errors::WrongStage(state.customer_id, state.hold.stage, "potential");
  }
  if (state.hold.review_pending) return errors::ReviewPending(state.customer_id);
  std::string pending_id;
  if (state.PendingRequest(RequestKind::kPromotion, &pending_id) != nullptr) {
    return errors::RequestPending(state.customer_id, pending_id);
  }
  CRM_RETURN_IF_ERROR(CheckRequiredText("reason", command.reason, kLongTextBytesMax));
  if (!ctx.policy.promotion_needs_approval) {
    return Events{ByCaller(view, ctx,
                           events::CustomerPromoted{.customer_id = state.customer_id,
                                                    .request_id = "",
                                                    .deadline_ms = DaysAfter(ctx.now_ms, ctx.policy.intention_days),
                                                    .reason = command.reason})};
  }
  return Events{ByCaller(view, ctx,
                         events::PromotionRequested{.customer_id = state.customer_id,
                                                    .request_id = NextRequestId(state, RequestKind::kPromotion),
                                                    .reason = command.reason})};
}

Result<Events> Decide(const DecidePromotion& command, const CustomerView& view, const DecisionContext& ctx) {
  CRM_RETURN_IF_ERROR(FindPendingRequest(view, command.request_id, RequestKind::kPromotion, ctx).status());
  CRM_RETURN_IF_ERROR(CheckOptionalText("reason", command.reason, kLongTextBytesMax));
  const CustomerState& state = view.state;
  if (!command.approve) {
    return Events{
        ByCaller(view, ctx,
                 events::PromotionDenied{
                     .customer_id = state.customer_id, .request_id = command.request_id, .reason = command.reason})};
  }
  return Events{ByCaller(view, ctx,
                         events::CustomerPromoted{.customer_id = state.customer_id,
                                                  .request_id = command.request_id,
                                                  .deadline_ms = DaysAfter(ctx.now_ms, ctx.policy.intention_days),
                                                  .reason = command.reason})};
}

}  // namespace crm::aggregates::internal
