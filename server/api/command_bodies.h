// The bodies of api.md's commands, read into the command structs of aggregates/commands.h.
//
// One function per body; each takes the parsed body (ParseJsonBody) and the values that come
// from the path, and answers the command or the body's first problem (body_reader.h: unknown_field,
// missing_field, wrong_type, text_too_long, invalid_time; plus invalid_channel, invalid_role,
// invalid_days and invalid_policy where a value of the right type names nothing we know).
//
// Field names are exactly api.md's. Only the shape is checked here: whether a text is blank, a
// mobile number well formed or a total right is decided by the deciders, with their own codes,
// so that one rule has one place. Text limits are the deciders' own (aggregates/field_checks.h),
// so a text refused here would have been refused there with the same code.
//
// What the shell chooses is left for it to fill in: the customer id of a registration (the
// command service picks it) and the token hash of a new user (the shell issues the token).
#pragma once

#include <string>

#include "aggregates/commands.h"
#include "events/domain_values.h"
#include "events/status.h"
#include "server/api/json_body.h"

namespace crm::server::api {

// POST /v1/customers {"name","region","industry","address","phone","intro","website"?}.
// customer_id is left empty.
Result<aggregates::RegisterCustomer> ParseRegisterCustomer(const Json& body);

// POST /v1/customers/{id}/protect {}: any field is unknown_field.
Result<aggregates::ProtectCustomer> ParseProtectCustomer(const Json& body);

// POST /v1/customers/{id}/review {"approve","reason"}. The reason may be left out when
// approving; the decider requires it to reject.
Result<aggregates::ReviewProtection> ParseReviewProtection(const Json& body);

// POST /v1/customers/{id}/contacts {"name","title","mobile"?,"phone"?,"email"?,"postcode"?}.
Result<aggregates::AddContact> ParseAddContact(const Json& body);

// POST /v1/customers/{id}/followups {"channel","notes","nextContactAt"?}. A channel that is not
// phone|visit|email|wechat|other is invalid_channel.
Result<aggregates::RecordFollowUp> ParseRecordFollowUp(const Json& body);

// POST /v1/customers/{id}/extension-requests {"days","reason"}. Negative days are invalid_days
// (the decider's code for 0); more days than 32 bits hold are read as the most they hold, which
// the decider refuses as extension_too_long.
Result<aggregates::RequestExtension> ParseRequestExtension(const Json& body);

// POST /v1/customers/{id}/extension-requests/{rid}/decision {"approve","reason"?}.
Result<aggregates::DecideExtension> ParseDecideExtension(const Json& body, std::string request_id);

// POST /v1/customers/{id}/promotion-requests {"reason"}.
Result<aggregates::RequestPromotion> ParseRequestPromotion(const Json& body);

// POST /v1/customers/{id}/promotion-requests/{rid}/decision {"approve","reason"?}.
Result<aggregates::DecidePromotion> ParseDecidePromotion(const Json& body, std::string request_id);

// POST /v1/customers/{id}/abandon {"reason"}.
Result<aggregates::AbandonCustomer> ParseAbandonCustomer(const Json& body);

// POST /v1/customers/{id}/contracts {"contractNo","type","signedAt","paymentMethod",
// "buyer":{"name","taxId"?,"address"?,"phone"?,"bank"?,"bankAccount"?,"contactPerson"?},
// "lines":[{"product","quantity","unitPriceFen"}],"extras":[...],"totalFen","aftersalesOwnerId"?}.
Result<aggregates::SignContract> ParseSignContract(const Json& body);

// POST /v1/contracts/{no}/payments {"amountFen","paidAt","method","handler","account"}.
Result<aggregates::RecordPayment> ParseRecordPayment(const Json& body, std::string contract_no);

// POST /v1/customers/{id}/reassign {"toUserId","reason"}.
Result<aggregates::ReassignCustomer> ParseReassignCustomer(const Json& body);

// POST /v1/users/{id}/handover {"toUserId","reason"}: every customer of `from_user_id`.
Result<aggregates::HandOverCustomers> ParseHandOver(const Json& body, std::string from_user_id);

// POST /v1/users {"id","name","role","team","managerId"?}. A role that is not one of api.md's
// seven is invalid_role. token_sha256 is left zero.
Result<aggregates::CreateUser> ParseCreateUser(const Json& body);

// PUT /v1/policy: any subset of {"potentialDays","intentionDays","abandonCooldownDays",
// "reviewWorkingDays","maxProtected","maxClaimsPerDay","maxExtensions","maxExtensionDays",
// "promotionNeedsApproval","maskPoolContacts","holidays","timeZone","defaultAftersalesOwnerId"},
// merged into `in_force` (the policy at the time of the request). The ranges are the decider's;
// a number no policy value can hold (negative, or beyond 32 bits) is invalid_policy here.
Result<aggregates::ChangePolicy> ParsePolicyChange(const Json& body, events::Policy in_force);

// POST /v1/test/clock {"now"}: the time to set.
Result<events::TimeMs> ParseTestClock(const Json& body);

}  // namespace crm::server::api
