// Rules 2, 3, 4, 9 and 12: who holds a customer. Registration, protection from the pool,
// review, abandonment, reassignment.
#include <algorithm>
#include <string>

#include "aggregates/customer_decider.h"
#include "aggregates/customer_rules.h"
#include "aggregates/domain_errors.h"
#include "aggregates/field_checks.h"
#include "aggregates/stream_ids.h"
#include "events/company_name.h"

namespace crm::aggregates {
namespace {

using internal::DaysAfter;

// A full company name has an administrative region, a trade name, an industry and a legal form
// (靖江市春意空调有限公司: 11 characters). Fewer than this many characters cannot be one; the
// reviewer checks the rest (rule 4).
constexpr std::size_t kCompanyNameCodePointsMin = 4;

std::size_t CodePoints(std::string_view utf8) {
  std::size_t count = 0;
  for (const char c : utf8) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

Status CheckRegistrationFields(const RegisterCustomer& c) {
  CRM_RETURN_IF_ERROR(CheckRequiredText("name", c.name, kShortTextBytesMax));
  CRM_RETURN_IF_ERROR(CheckRequiredText("region", c.region, kShortTextBytesMax));
  CRM_RETURN_IF_ERROR(CheckRequiredText("industry", c.industry, kShortTextBytesMax));
  CRM_RETURN_IF_ERROR(CheckRequiredText("address", c.address, kShortTextBytesMax));
  CRM_RETURN_IF_ERROR(CheckRequiredText("phone", c.phone, kShortTextBytesMax));
  CRM_RETURN_IF_ERROR(CheckRequiredText("intro", c.intro, kLongTextBytesMax));
  CRM_RETURN_IF_ERROR(CheckOptionalText("website", c.website, kShortTextBytesMax));
  if (!IsLandlineNumber(c.phone) && !IsMobileNumber(c.phone)) {
    return errors::InvalidField("invalid_phone", "phone",
                                "the phone must be a landline with its area code (0523-84561234) or a mobile number");
  }
  return Status::Ok();
}

events::CustomerProtected NewProtection(const std::string& customer_id, const DecisionContext& ctx,
                                        events::ProtectionSource source) {
  return events::CustomerProtected{
      .customer_id = customer_id,
      .owner_id = ctx.actor.user_id,
      .source = source,
      .deadline_ms = DaysAfter(ctx.now_ms, ctx.policy.potential_days),
      .review_deadline_ms = ctx.calendar.AddWorkingDays(ctx.now_ms, ctx.policy.review_working_days)};
}

// The existing customer as a reader sees it now: a hold that time has ended reads as the pool.
Hold HoldAsSeenNow(const Hold* hold, TimeMs now_ms) {
  if (hold == nullptr) return Hold{};
  Hold seen = *hold;
  if (seen.held() && !seen.HeldAt(now_ms)) seen = Hold{.stage = CustomerStage::kPool, .owner_id = {}};
  return seen;
}

}  // namespace

Result<Decision> DecideRegistration(const RegisterCustomer& command, const DecisionContext& ctx) {
  CRM_RETURN_IF_ERROR(internal::RequireActive(ctx.actor));
  CRM_RETURN_IF_ERROR(internal::RequireRole(ctx, events::Role::kSales, "register customers"));
  CRM_RETURN_IF_ERROR(CheckRegistrationFields(command));
  CRM_ASSIGN_OR_RETURN(std::string normalized, events::NormalizeCompanyName(command.name));
  if (CodePoints(normalized) < kCompanyNameCodePointsMin) {
    return errors::InvalidField("name_too_short", "name",
                                "enter the company's full registered name (region, trade name, industry, legal form)");
  }
  if (const std::optional<std::string> existing = ctx.directory.CustomerWithName(normalized)) {
    return errors::DuplicateName(*existing, HoldAsSeenNow(ctx.directory.FindHold(*existing), ctx.now_ms));
  }
  CRM_RETURN_IF_ERROR(internal::CheckHoldQuota(ctx.actor.user_id, 1, ctx));

  const std::string stream = CustomerStream(command.customer_id);
  Decision decision;
  decision.events.push_back({.stream_id = stream,
                             .event = events::CustomerRegistered{.customer_id = command.customer_id,
                                                                 .name = command.name,
                                                                 .normalized_name = std::move(normalized),
                                                                 .region = command.region,
                                                                 .industry = command.industry,
                                                                 .address = command.address,
                                                                 .phone = command.phone,
                                                                 .intro = command.intro,
                                                                 .website = command.website},
                             .actor_id = ctx.actor.user_id,
                             .effective_at_ms = std::nullopt});
  decision.events.push_back({.stream_id = stream,
                             .event = NewProtection(command.customer_id, ctx, events::ProtectionSource::kRegistration),
                             .actor_id = ctx.actor.user_id,
                             .effective_at_ms = std::nullopt});
  return decision;
}

namespace internal {

Result<Events> Decide(const ProtectCustomer&, const CustomerView& view, const DecisionContext& ctx) {
  CRM_RETURN_IF_ERROR(RequireRole(ctx, events::Role::kSales, "protect customers"));
  const CustomerState& state = view.state;
  if (state.hold.held()) return errors::AlreadyProtected(state.customer_id, state.hold.owner_id);
  if (state.hold.stage == CustomerStage::kFormal) return errors::CustomerFormal(state.customer_id);
  TimeMs cooldown_until_ms = 0;
  if (const auto abandoned = state.cooldown_until_ms.find(ctx.actor.user_id);
      abandoned != state.cooldown_until_ms.end()) {
    cooldown_until_ms = abandoned->second;
  }
  if (const auto lapsed = state.lapsed_at_ms.find(ctx.actor.user_id); lapsed != state.lapsed_at_ms.end()) {
    cooldown_until_ms = std::max(cooldown_until_ms, DaysAfter(lapsed->second, ctx.policy.abandon_cooldown_days));
  }
  if (ctx.now_ms < cooldown_until_ms) return errors::CooldownActive(state.customer_id, cooldown_until_ms);
  CRM_RETURN_IF_ERROR(CheckHoldQuota(ctx.actor.user_id, 1, ctx));
  const std::size_t claimed_today =
      ctx.directory.PoolClaimsOnDay(ctx.actor.user_id, ctx.calendar.LocalDay(ctx.now_ms), ctx.calendar);
  if (claimed_today >= ctx.policy.max_claims_per_day) {
    return errors::DailyQuotaExceeded(ctx.actor.user_id, claimed_today, ctx.policy.max_claims_per_day);
  }
  return Events{ByCaller(view, ctx, NewProtection(state.customer_id, ctx, events::ProtectionSource::kPool))};
}

Result<Events> Decide(const ReviewProtection& command, const CustomerView& view, const DecisionContext& ctx) {
  CRM_RETURN_IF_ERROR(RequireRole(ctx, events::Role::kReviewer, "review protections"));
  const CustomerState& state = view.state;
  if (!state.hold.held() || !state.hold.review_pending) return errors::ReviewNotPending(state.customer_id);
  if (command.approve) {
    CRM_RETURN_IF_ERROR(CheckOptionalText("reason", command.reason, kLongTextBytesMax));
    return Events{
        ByCaller(view, ctx,
                 events::ProtectionApproved{
                     .customer_id = state.customer_id, .owner_id = state.hold.owner_id, .reason = command.reason})};
  }
  CRM_RETURN_IF_ERROR(CheckRequiredText("reason", command.reason, kLongTextBytesMax));
  return Events{
      ByCaller(view, ctx,
               events::ProtectionRejected{
                   .customer_id = state.customer_id, .owner_id = state.hold.owner_id, .reason = command.reason})};
}

Result<Events> Decide(const AbandonCustomer& command, const CustomerView& view, const DecisionContext& ctx) {
  CRM_RETURN_IF_ERROR(RequireRole(ctx, events::Role::kSales, "abandon customers"));
  CRM_RETURN_IF_ERROR(RequireHolder(view, ctx));
  CRM_RETURN_IF_ERROR(CheckRequiredText("reason", command.reason, kLongTextBytesMax));
  const CustomerState& state = view.state;
  return Events{ByCaller(
      view, ctx,
      events::CustomerAbandoned{.customer_id = state.customer_id,
                                .owner_id = ctx.actor.user_id,
                                .reason = command.reason,
                                .cooldown_until_ms = DaysAfter(ctx.now_ms, ctx.policy.abandon_cooldown_days)})};
}

namespace {

// Rule 12 for a formal customer: it moves between after-sales owners, by a manager of either
// the after-sales owner or the salesperson who signed it.
Status CheckFormalReassignScope(const CustomerState& state, const DecisionContext& ctx) {
  for (const std::string* id : {&state.hold.owner_id, &state.sales_owner_id}) {
    const UserState* user = ctx.directory.FindUser(*id);
    if (user != nullptr && user->ManagedBy(ctx.actor)) return Status::Ok();
  }
  return errors::NotYourTeam(state.hold.owner_id);
}

}  // namespace

// Whether `target` may receive a customer in `stage`: active, and of the role that owns it.
Status CheckRecipient(const UserState* target, std::string_view target_id, CustomerStage stage) {
  if (target == nullptr) return errors::UserNotFound(target_id);
  if (!target->active) return errors::InvalidTargetUser(target_id, "the user is deactivated");
  const events::Role needed = stage == CustomerStage::kFormal ? events::Role::kAftersales : events::Role::kSales;
  if (target->role != needed) {
    return errors::InvalidTargetUser(target_id, "a " + std::string(CustomerStageName(stage)) + " customer needs a " +
                                                    std::string(events::RoleName(needed)) + " owner");
  }
  return Status::Ok();
}

Result<Events> Decide(const ReassignCustomer& command, const CustomerView& view, const DecisionContext& ctx) {
  CRM_RETURN_IF_ERROR(RequireRole(ctx, events::Role::kManager, "reassign customers"));
  CRM_RETURN_IF_ERROR(CheckRequiredText("reason", command.reason, kLongTextBytesMax));
  const CustomerState& state = view.state;
  const bool formal = state.hold.stage == CustomerStage::kFormal;
  if (formal) {
    CRM_RETURN_IF_ERROR(CheckFormalReassignScope(state, ctx));
  } else {
    CRM_RETURN_IF_ERROR(RequireManagerOfHolder(view, ctx));
  }
  CRM_RETURN_IF_ERROR(CheckRecipient(ctx.directory.FindUser(command.to_user_id), command.to_user_id, state.hold.stage));
  if (command.to_user_id == state.hold.owner_id) return errors::AlreadyOwner(state.customer_id, command.to_user_id);
  if (!formal) CRM_RETURN_IF_ERROR(CheckHoldQuota(command.to_user_id, 1, ctx));
  return Events{ByCaller(view, ctx,
                         events::CustomerReassigned{.customer_id = state.customer_id,
                                                    .from_user_id = state.hold.owner_id,
                                                    .to_user_id = command.to_user_id,
                                                    .reason = command.reason})};
}

}  // namespace internal
}  // namespace crm::aggregates
