#include "aggregates/user_decider.h"

#include <string>

#include "aggregates/customer_decider.h"
#include "aggregates/customer_rules.h"
#include "aggregates/domain_errors.h"
#include "aggregates/field_checks.h"
#include "aggregates/stream_ids.h"

namespace crm::aggregates {
namespace {

using internal::RequireActive;
using internal::RequireRole;

DecidedEvent OnUserStream(std::string_view user_id, std::string actor_id, events::Event event) {
  return DecidedEvent{.stream_id = UserStream(user_id),
                      .event = std::move(event),
                      .actor_id = std::move(actor_id),
                      .effective_at_ms = std::nullopt};
}

Status CheckManagerId(const std::string& manager_id, const Directory& directory) {
  if (manager_id.empty()) return Status::Ok();
  const UserState* manager = directory.FindUser(manager_id);
  if (manager == nullptr || manager->role != events::Role::kManager) {
    return errors::InvalidField("invalid_manager", "managerId", "managerId must name a user with the manager role");
  }
  return Status::Ok();
}

Status CheckNewUser(const CreateUser& c, const Directory& directory) {
  CRM_RETURN_IF_ERROR(CheckIdentifier("user_id", c.user_id));
  if (c.user_id == events::kSystemActorId) {
    return errors::InvalidField("invalid_user_id", "id", "\"system\" is reserved for the deadline sweeper");
  }
  CRM_RETURN_IF_ERROR(CheckRequiredText("name", c.name, kShortTextBytesMax));
  CRM_RETURN_IF_ERROR(CheckOptionalText("team", c.team, kShortTextBytesMax));
  if (directory.FindUser(c.user_id) != nullptr) return errors::UserExists(c.user_id);
  // A token names one user: a second user with the same hash would make the first one's token
  // sign in as the second.
  if (directory.FindUserByToken(c.token_sha256) != nullptr) {
    return Status::Conflict("token_in_use", "this token belongs to another user; issue a new one");
  }
  return CheckManagerId(c.manager_id, directory);
}

events::UserCreated Created(const CreateUser& c) {
  return events::UserCreated{.user_id = c.user_id,
                             .name = c.name,
                             .role = c.role,
                             .team = c.team,
                             .manager_id = c.manager_id,
                             .token_sha256 = c.token_sha256};
}

Result<events::Event> DecideUserCommand(const UserState&, const CreateUser& c, const DecisionContext& ctx) {
  CRM_RETURN_IF_ERROR(CheckNewUser(c, ctx.directory));
  return events::Event{Created(c)};
}

Result<events::Event> DecideUserCommand(const UserState& target, const DeactivateUser& c, const DecisionContext& ctx) {
  if (!target.exists()) return errors::UserNotFound(c.user_id);
  if (!target.active) return errors::UserInactive(c.user_id);
  if (target.user_id == ctx.actor.user_id) return errors::CannotDeactivateSelf();
  CRM_RETURN_IF_ERROR(CheckOptionalText("reason", c.reason, kLongTextBytesMax));
  return events::Event{events::UserDeactivated{.user_id = c.user_id, .reason = c.reason}};
}

// Whether the user holds a customer at `now` (rule 13: an ended hold is no longer theirs) or
// owns a formal one.
bool OwnsCustomersAt(const std::string& user_id, const DecisionContext& ctx) {
  for (const std::string& id : ctx.directory.CustomersOwnedBy(user_id)) {
    const Hold* hold = ctx.directory.FindHold(id);
    if (hold != nullptr && (hold->stage == CustomerStage::kFormal || hold->HeldAt(ctx.now_ms))) return true;
  }
  return false;
}

Result<events::Event> DecideUserCommand(const UserState& target, const ChangeUserRole& c, const DecisionContext& ctx) {
  if (!target.exists()) return errors::UserNotFound(c.user_id);
  if (!target.active) return errors::UserInactive(c.user_id);
  if (target.user_id == ctx.actor.user_id) {
    return Status::Conflict("cannot_change_own_role", "an admin cannot change their own role");
  }
  // Customers are owned by a role (sales hold, after-sales own formal ones): hand them over
  // first, or they would belong to someone who may not work them.
  if (c.role != target.role && OwnsCustomersAt(c.user_id, ctx)) {
    return Status::Conflict("user_owns_customers", "hand this user's customers over before changing the role",
                            {{"userId", c.user_id}});
  }
  return events::Event{events::UserRoleChanged{.user_id = c.user_id, .role = c.role}};
}

Result<events::Event> DecideUserCommand(const UserState& target, const ChangeUserTeam& c, const DecisionContext& ctx) {
  if (!target.exists()) return errors::UserNotFound(c.user_id);
  if (!target.active) return errors::UserInactive(c.user_id);
  CRM_RETURN_IF_ERROR(CheckOptionalText("team", c.team, kShortTextBytesMax));
  CRM_RETURN_IF_ERROR(CheckManagerId(c.manager_id, ctx.directory));
  return events::Event{events::UserTeamChanged{.user_id = c.user_id, .team = c.team, .manager_id = c.manager_id}};
}

const std::string& TargetUserId(const UserCommand& command) {
  return std::visit([](const auto& c) -> const std::string& { return c.user_id; }, command);
}

}  // namespace

Result<Decision> DecideUser(const UserState& target, const UserCommand& command, const DecisionContext& ctx) {
  CRM_RETURN_IF_ERROR(RequireActive(ctx.actor));
  CRM_RETURN_IF_ERROR(RequireRole(ctx, events::Role::kAdmin, "manage users"));
  CRM_ASSIGN_OR_RETURN(events::Event event,
                       std::visit([&](const auto& c) { return DecideUserCommand(target, c, ctx); }, command));
  Decision decision;
  decision.events.push_back(OnUserStream(TargetUserId(command), ctx.actor.user_id, std::move(event)));
  return decision;
}

Result<Decision> DecideFirstAdmin(const CreateUser& command, const Directory& directory) {
  if (directory.user_count() != 0) {
    return Status::Conflict("already_initialised", "the first admin exists already; admins create the other users");
  }
  if (command.role != events::Role::kAdmin) {
    return errors::InvalidField("invalid_role", "role", "the first user must be an admin");
  }
  CRM_RETURN_IF_ERROR(CheckNewUser(command, directory));
  Decision decision;
  decision.events.push_back(OnUserStream(command.user_id, std::string(events::kSystemActorId), Created(command)));
  return decision;
}

Result<Decision> DecideHandover(const HandOverCustomers& command, const std::vector<CustomerState>& owned,
                                const DecisionContext& ctx) {
  CRM_RETURN_IF_ERROR(RequireActive(ctx.actor));
  CRM_RETURN_IF_ERROR(RequireRole(ctx, events::Role::kManager, "hand customers over"));
  const UserState* from = ctx.directory.FindUser(command.from_user_id);
  if (from == nullptr) return errors::UserNotFound(command.from_user_id);
  if (!from->ManagedBy(ctx.actor)) return errors::NotYourTeam(command.from_user_id);
  if (command.to_user_id == command.from_user_id) {
    return errors::InvalidField("same_user", "toUserId", "hand customers over to someone else");
  }
  const UserState* to = ctx.directory.FindUser(command.to_user_id);
  if (to == nullptr) return errors::UserNotFound(command.to_user_id);
  // Checked before looking at the customers, so that an empty handover is refused alike.
  if (!to->active) return errors::InvalidTargetUser(command.to_user_id, "the user is deactivated");
  if (to->role != events::Role::kSales && to->role != events::Role::kAftersales) {
    return errors::InvalidTargetUser(command.to_user_id, "only sales and after-sales users own customers");
  }
  CRM_RETURN_IF_ERROR(CheckRequiredText("reason", command.reason, kLongTextBytesMax));
  if (owned.size() > kHandoverCustomersMax) {
    return Status::TooLarge("handover_too_large",
                            "this user owns more customers than one handover moves; reassign some first",
                            {{"owned", std::to_string(owned.size())}, {"max", std::to_string(kHandoverCustomersMax)}});
  }

  Decision decision;
  std::vector<std::string> moved;
  std::size_t held = 0;
  for (const CustomerState& customer : owned) {
    Decision release = DecideDueRelease(customer, ctx.now_ms);
    if (!release.events.empty()) {
      decision.events.push_back(std::move(release.events.front()));
      continue;
    }
    if (customer.hold.owner_id != command.from_user_id) continue;  // the directory was ahead of us
    CRM_RETURN_IF_ERROR(internal::CheckRecipient(to, command.to_user_id, customer.hold.stage));
    held += customer.hold.held() ? 1 : 0;
    moved.push_back(customer.customer_id);
    decision.events.push_back(DecidedEvent{.stream_id = CustomerStream(customer.customer_id),
                                           .event = events::CustomerReassigned{.customer_id = customer.customer_id,
                                                                               .from_user_id = command.from_user_id,
                                                                               .to_user_id = command.to_user_id,
                                                                               .reason = command.reason},
                                           .actor_id = ctx.actor.user_id,
                                           .effective_at_ms = std::nullopt});
  }
  if (held > 0) CRM_RETURN_IF_ERROR(internal::CheckHoldQuota(command.to_user_id, held, ctx));
  decision.events.push_back(OnUserStream(command.from_user_id, ctx.actor.user_id,
                                         events::CustomersHandedOver{.from_user_id = command.from_user_id,
                                                                     .to_user_id = command.to_user_id,
                                                                     .reason = command.reason,
                                                                     .customer_ids = std::move(moved)}));
  return decision;
}

namespace {

Status CheckRange(std::string_view field, std::uint32_t value, std::uint32_t min, std::uint32_t max) {
  if (value >= min && value <= max) return Status::Ok();
  return errors::InvalidPolicy(field, "must be between " + std::to_string(min) + " and " + std::to_string(max));
}

inline constexpr std::size_t kPolicyHolidaysMax = 1000;

}  // namespace

Result<Decision> DecidePolicy(const ChangePolicy& command, const DecisionContext& ctx) {
  CRM_RETURN_IF_ERROR(RequireActive(ctx.actor));
  CRM_RETURN_IF_ERROR(RequireRole(ctx, events::Role::kAdmin, "change the policy"));
  const events::Policy& p = command.policy;
  CRM_RETURN_IF_ERROR(CheckRange("potentialDays", p.potential_days, 1, 3650));
  CRM_RETURN_IF_ERROR(CheckRange("intentionDays", p.intention_days, 1, 3650));
  CRM_RETURN_IF_ERROR(CheckRange("abandonCooldownDays", p.abandon_cooldown_days, 0, 3650));
  CRM_RETURN_IF_ERROR(CheckRange("reviewWorkingDays", p.review_working_days, 1, 250));
  CRM_RETURN_IF_ERROR(CheckRange("maxProtected", p.max_protected, 1, 1'000'000));
  CRM_RETURN_IF_ERROR(CheckRange("maxClaimsPerDay", p.max_claims_per_day, 1, 1'000'000));
  CRM_RETURN_IF_ERROR(CheckRange("maxExtensions", p.max_extensions, 0, 100));
  CRM_RETURN_IF_ERROR(CheckRange("maxExtensionDays", p.max_extension_days, 1, 3650));
  if (p.holidays.size() > kPolicyHolidaysMax) {
    return errors::InvalidPolicy("holidays", "may list at most " + std::to_string(kPolicyHolidaysMax) + " dates");
  }
  for (const std::string& day : p.holidays) {
    if (!ParseIsoDate(day).ok()) return errors::InvalidPolicy("holidays", "must be dates like 2026-10-01");
  }
  if (p.time_zone.empty()) return errors::InvalidPolicy("timeZone", "is required");
  if (!p.default_aftersales_owner_id.empty()) {
    const UserState* owner = ctx.directory.FindUser(p.default_aftersales_owner_id);
    if (owner == nullptr || !owner->active || owner->role != events::Role::kAftersales) {
      return errors::InvalidPolicy("defaultAftersalesOwnerId", "must name an active after-sales user");
    }
  }
  Decision decision;
  decision.events.push_back(DecidedEvent{.stream_id = std::string(kPolicyStream),
                                         .event = events::PolicyChanged{.policy = p},
                                         .actor_id = ctx.actor.user_id,
                                         .effective_at_ms = std::nullopt});
  return decision;
}

}  // namespace crm::aggregates
