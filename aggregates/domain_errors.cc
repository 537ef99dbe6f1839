#include "aggregates/domain_errors.h"

#include <string>

namespace crm::aggregates::errors {
namespace {

std::string S(std::string_view s) {
  return std::string(s);
}
std::string N(std::int64_t n) {
  return std::to_string(n);
}

}  // namespace

Status UserDeactivated(std::string_view user_id) {
  return Status::PermissionDenied("user_deactivated", "your account has been deactivated and can change nothing",
                                  {{"userId", S(user_id)}});
}
Status RoleForbidden(std::string_view action, events::Role role) {
  return Status::PermissionDenied("role_forbidden", "the role " + S(events::RoleName(role)) + " may not " + S(action),
                                  {{"role", S(events::RoleName(role))}, {"action", S(action)}});
}
Status NotOwner(std::string_view customer_id, std::string_view owner_id) {
  return Status::PermissionDenied("not_owner", "only the customer's owner may do this",
                                  {{"customerId", S(customer_id)}, {"ownerId", S(owner_id)}});
}
Status NotYourTeam(std::string_view user_id) {
  return Status::PermissionDenied("not_your_team", "this belongs to a user outside your team",
                                  {{"userId", S(user_id)}});
}
Status UnknownActor(std::string_view user_id) {
  return Status(StatusCode::kUnauthenticated, "unknown_user", "the caller is not a known user",
                {{"userId", S(user_id)}});
}

Status CustomerNotFound(std::string_view customer_id) {
  return Status::NotFound("customer_not_found", "no such customer", {{"customerId", S(customer_id)}});
}
Status UserNotFound(std::string_view user_id) {
  return Status::NotFound("user_not_found", "no such user", {{"userId", S(user_id)}});
}
Status ContractNotFound(std::string_view contract_no) {
  return Status::NotFound("contract_not_found", "no such contract", {{"contractNo", S(contract_no)}});
}
Status RequestNotFound(std::string_view customer_id, std::string_view request_id) {
  return Status::NotFound("request_not_found", "the customer has no such request",
                          {{"customerId", S(customer_id)}, {"requestId", S(request_id)}});
}

Status DuplicateName(std::string_view existing_customer_id, const Hold& existing) {
  StatusDetails details{{"existingCustomerId", S(existing_customer_id)},
                        {"stage", S(CustomerStageName(existing.stage))}};
  if (!existing.owner_id.empty()) details["ownerId"] = existing.owner_id;
  return Status::Conflict("duplicate_name",
                          "this company is already registered (" + S(CustomerStageName(existing.stage)) +
                              "); report it instead of registering it again",
                          std::move(details));
}
Status AlreadyProtected(std::string_view customer_id, std::string_view owner_id) {
  return Status::Conflict("already_protected", "someone else already protects this customer",
                          {{"customerId", S(customer_id)}, {"ownerId", S(owner_id)}});
}
Status CustomerFormal(std::string_view customer_id) {
  return Status::Conflict("customer_formal", "this customer has signed a contract and belongs to after-sales",
                          {{"customerId", S(customer_id)}});
}
Status CustomerInPool(std::string_view customer_id) {
  return Status::Conflict("customer_in_pool", "this customer is in the public pool; protect it first",
                          {{"customerId", S(customer_id)}});
}
Status DeadlinePassed(std::string_view customer_id, events::TimeMs deadline_ms) {
  return Status::Conflict("deadline_passed", "the protection deadline has passed; the customer is back in the pool",
                          {{"customerId", S(customer_id)}, {"deadlineMs", N(deadline_ms)}});
}
Status CooldownActive(std::string_view customer_id, events::TimeMs until_ms) {
  return Status::Conflict("cooldown_active",
                          "you gave this customer up recently (abandoned, or let it expire) and cannot protect it yet",
                          {{"customerId", S(customer_id)}, {"untilMs", N(until_ms)}});
}
Status QuotaExceeded(std::string_view user_id, std::size_t held, std::uint32_t max_protected) {
  return Status::Conflict(
      "quota_exceeded", "already holding " + N(static_cast<std::int64_t>(held)) + " customers, the most allowed",
      {{"userId", S(user_id)}, {"held", N(static_cast<std::int64_t>(held))}, {"maxProtected", N(max_protected)}});
}
Status DailyQuotaExceeded(std::string_view user_id, std::size_t claimed, std::uint32_t max_claims_per_day) {
  return Status::Conflict(
      "daily_quota_exceeded",
      "already claimed " + N(static_cast<std::int64_t>(claimed)) + " customers from the pool today, the most allowed",
      {{"userId", S(user_id)},
       {"claimedToday", N(static_cast<std::int64_t>(claimed))},
       {"maxClaimsPerDay", N(max_claims_per_day)}});
}
Status ReviewNotPending(std::string_view customer_id) {
  return Status::Conflict("review_not_pending", "this customer's protection is not waiting for review",
                          {{"customerId", S(customer_id)}});
}
Status ReviewPending(std::string_view customer_id) {
  return Status::Conflict("review_pending", "the protection has not been approved by review yet",
                          {{"customerId", S(customer_id)}});
}
Status WrongStage(std::string_view customer_id, CustomerStage stage, std::string_view needed) {
  return Status::Conflict(
      "wrong_stage", "the customer is " + S(CustomerStageName(stage)) + "; this needs " + S(needed),
      {{"customerId", S(customer_id)}, {"stage", S(CustomerStageName(stage))}, {"needed", S(needed)}});
}
Status RequestPending(std::string_view customer_id, std::string_view request_id) {
  return Status::Conflict("request_pending", "a request of this kind is already waiting for a decision",
                          {{"customerId", S(customer_id)}, {"requestId", S(request_id)}});
}
Status RequestNotPending(std::string_view customer_id, std::string_view request_id, std::string_view status) {
  return Status::Conflict("request_not_pending", "this request is " + S(status) + " and cannot be decided",
                          {{"customerId", S(customer_id)}, {"requestId", S(request_id)}, {"status", S(status)}});
}
Status ExtensionLimitReached(std::string_view customer_id, std::uint32_t max_extensions) {
  return Status::Conflict("extension_limit_reached", "this protection has had all the extensions allowed",
                          {{"customerId", S(customer_id)}, {"maxExtensions", N(max_extensions)}});
}
Status ExtensionTooLong(std::uint32_t days, std::uint32_t max_extension_days) {
  return Status::Conflict("extension_too_long", "an extension may add at most " + N(max_extension_days) + " days",
                          {{"days", N(days)}, {"maxExtensionDays", N(max_extension_days)}});
}
Status AlreadyOwner(std::string_view customer_id, std::string_view user_id) {
  return Status::Conflict("already_owner", "the customer already belongs to this user",
                          {{"customerId", S(customer_id)}, {"userId", S(user_id)}});
}
Status InvalidTargetUser(std::string_view user_id, std::string_view why) {
  return Status::Conflict("invalid_target_user", "cannot give customers to this user: " + S(why),
                          {{"userId", S(user_id)}});
}

Status ContractExists(std::string_view contract_no) {
  return Status::Conflict("contract_exists", "a contract with this number already exists",
                          {{"contractNo", S(contract_no)}});
}
Status TotalMismatch(events::Fen stated_fen, events::Fen sum_fen) {
  return Status::InvalidArgument("total_mismatch", "the total does not equal the sum of the lines",
                                 {{"totalFen", N(stated_fen)}, {"sumOfLinesFen", N(sum_fen)}});
}
Status PaymentExceedsTotal(std::string_view contract_no, events::Fen amount_fen, events::Fen receivable_fen) {
  return Status::Conflict(
      "payment_exceeds_total", "the payment is more than what is still owed on the contract",
      {{"contractNo", S(contract_no)}, {"amountFen", N(amount_fen)}, {"receivableFen", N(receivable_fen)}});
}
Status AftersalesOwnerRequired() {
  return Status::InvalidArgument("aftersales_owner_required",
                                 "a first contract needs an after-sales owner, and the policy names none",
                                 {{"field", "aftersalesOwnerId"}});
}

Status UserExists(std::string_view user_id) {
  return Status::Conflict("user_exists", "a user with this id already exists", {{"userId", S(user_id)}});
}
Status UserInactive(std::string_view user_id) {
  return Status::Conflict("user_inactive", "this user is deactivated", {{"userId", S(user_id)}});
}
Status CannotDeactivateSelf() {
  return Status::Conflict("cannot_deactivate_self", "an admin cannot deactivate their own account");
}
Status InvalidPolicy(std::string_view field, std::string_view why) {
  return Status::InvalidArgument("invalid_policy", S(field) + " " + S(why), {{"field", S(field)}});
}

Status InvalidField(std::string_view code, std::string_view field, std::string_view message) {
  return Status::InvalidArgument(S(code), S(message), {{"field", S(field)}});
}

}  // namespace crm::aggregates::errors
