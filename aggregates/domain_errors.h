// Every refusal a decider can give, with its stable machine code (the `reason`) and words a
// salesperson understands. docs/rules.md lists them with the HTTP status each maps to; the
// status code category carries that mapping (kConflict -> 409, kPermissionDenied -> 403, ...).
#pragma once

#include <string>
#include <string_view>

#include "aggregates/hold.h"
#include "events/domain_values.h"
#include "events/status.h"

namespace crm::aggregates::errors {

// Who may act.
Status UserDeactivated(std::string_view user_id);
Status RoleForbidden(std::string_view action, events::Role role);
Status NotOwner(std::string_view customer_id, std::string_view owner_id);
Status NotYourTeam(std::string_view user_id);
Status UnknownActor(std::string_view user_id);

// What exists.
Status CustomerNotFound(std::string_view customer_id);
Status UserNotFound(std::string_view user_id);
Status ContractNotFound(std::string_view contract_no);
Status RequestNotFound(std::string_view customer_id, std::string_view request_id);

// The customer's state refuses it (409).
Status DuplicateName(std::string_view existing_customer_id, const Hold& existing);
Status AlreadyProtected(std::string_view customer_id, std::string_view owner_id);
Status CustomerFormal(std::string_view customer_id);
Status CustomerInPool(std::string_view customer_id);
Status DeadlinePassed(std::string_view customer_id, events::TimeMs deadline_ms);
Status CooldownActive(std::string_view customer_id, events::TimeMs until_ms);
Status QuotaExceeded(std::string_view user_id, std::size_t held, std::uint32_t max_protected);
Status DailyQuotaExceeded(std::string_view user_id, std::size_t claimed, std::uint32_t max_claims_per_day);
Status ReviewNotPending(std::string_view customer_id);
Status ReviewPending(std::string_view customer_id);
Status WrongStage(std::string_view customer_id, CustomerStage stage, std::string_view needed);
Status RequestPending(std::string_view customer_id, std::string_view request_id);
Status RequestNotPending(std::string_view customer_id, std::string_view request_id, std::string_view status);
Status ExtensionLimitReached(std::string_view customer_id, std::uint32_t max_extensions);
Status ExtensionTooLong(std::uint32_t days, std::uint32_t max_extension_days);
Status AlreadyOwner(std::string_view customer_id, std::string_view user_id);
Status InvalidTargetUser(std::string_view user_id, std::string_view why);

// Contracts and payments.
Status ContractExists(std::string_view contract_no);
Status TotalMismatch(events::Fen stated_fen, events::Fen sum_fen);
Status PaymentExceedsTotal(std::string_view contract_no, events::Fen amount_fen, events::Fen receivable_fen);
Status AftersalesOwnerRequired();

// Users and policy.
Status UserExists(std::string_view user_id);
Status UserInactive(std::string_view user_id);
Status CannotDeactivateSelf();
Status InvalidPolicy(std::string_view field, std::string_view why);

// Malformed fields (400) that are not plain text problems (field_checks.h has those).
Status InvalidField(std::string_view code, std::string_view field, std::string_view message);

}  // namespace crm::aggregates::errors
