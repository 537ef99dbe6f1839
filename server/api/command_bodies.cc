#include "server/api/command_bodies.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

#include "aggregates/domain_errors.h"
#include "aggregates/field_checks.h"
#include "server/api/body_reader.h"

namespace crm::server::api {
namespace {

using aggregates::kLongTextBytesMax;
using aggregates::kShortTextBytesMax;

// Ids people choose (user ids, contract numbers) are checked by the deciders
// (CheckIdentifier: invalid_<field>); this bound only keeps a pasted essay out, and is wide
// enough that the deciders' more precise code wins for anything an id could be mistaken for.
inline constexpr std::size_t kIdFieldBytesMax = kShortTextBytesMax;

template <typename Command>
Result<Command> Finished(BodyReader& reader, Command command) {
  CRM_RETURN_IF_ERROR(reader.Finish());
  return command;
}

// {"approve","reason"?}: the body of both kinds of decision.
template <typename Decision>
Result<Decision> ParseDecision(const Json& body, std::string request_id) {
  BodyReader reader(body);
  Decision command;
  command.request_id = std::move(request_id);
  command.approve = reader.RequiredBool("approve");
  command.reason = reader.OptionalString("reason", kLongTextBytesMax);
  return Finished(reader, std::move(command));
}

// {"toUserId","reason"}: reassignments and handovers.
struct Transfer {
  std::string to_user_id;
  std::string reason;
};

Result<Transfer> ParseTransfer(const Json& body) {
  BodyReader reader(body);
  Transfer transfer;
  transfer.to_user_id = reader.RequiredString("toUserId", kIdFieldBytesMax);
  transfer.reason = reader.RequiredString("reason", kLongTextBytesMax);
  return Finished(reader, std::move(transfer));
}

events::ContractBuyer ReadBuyer(BodyReader& reader) {
  events::ContractBuyer buyer;
  buyer.name = reader.RequiredString("name", kShortTextBytesMax);
  buyer.tax_id = reader.OptionalString("taxId", kShortTextBytesMax);
  buyer.address = reader.OptionalString("address", kShortTextBytesMax);
  buyer.phone = reader.OptionalString("phone", kShortTextBytesMax);
  buyer.bank = reader.OptionalString("bank", kShortTextBytesMax);
  buyer.bank_account = reader.OptionalString("bankAccount", kShortTextBytesMax);
  buyer.contact_person = reader.OptionalString("contactPerson", kShortTextBytesMax);
  return buyer;
}

aggregates::SignContractLine ReadLine(BodyReader& reader) {
  aggregates::SignContractLine line;
  line.product = reader.RequiredString("product", kShortTextBytesMax);
  line.quantity = reader.RequiredInt64("quantity");
  line.unit_price_fen = reader.RequiredInt64("unitPriceFen");
  return line;
}

// A policy count: the decider checks its range; here only that a uint32 can hold it.
void ReadPolicyCount(BodyReader& reader, std::string_view name, std::uint32_t& field) {
  const std::optional<std::int64_t> value = reader.OptionalInt64(name);
  if (!value) return;
  if (*value < 0) {
    reader.AddProblem(aggregates::errors::InvalidPolicy(name, "cannot be negative"));
  } else if (*value > std::numeric_limits<std::uint32_t>::max()) {
    reader.AddProblem(aggregates::errors::InvalidPolicy(name, "is far too large"));
  } else {
    field = static_cast<std::uint32_t>(*value);
  }
}

void ReadPolicyFlag(BodyReader& reader, std::string_view name, bool& field) {
  if (const std::optional<bool> value = reader.OptionalBool(name)) field = *value;
}

}  // namespace

Result<aggregates::RegisterCustomer> ParseRegisterCustomer(const Json& body) {
  BodyReader reader(body);
  aggregates::RegisterCustomer command;
  command.name = reader.RequiredString("name", kShortTextBytesMax);
  command.region = reader.RequiredString("region", kShortTextBytesMax);
  command.industry = reader.RequiredString("industry", kShortTextBytesMax);
  command.address = reader.RequiredString("address", kShortTextBytesMax);
  command.phone = reader.RequiredString("phone", kShortTextBytesMax);
  command.intro = reader.RequiredString("intro", kLongTextBytesMax);
  command.website = reader.OptionalString("website", kShortTextBytesMax);
  return Finished(reader, std::move(command));
}

Result<aggregates::ProtectCustomer> ParseProtectCustomer(const Json& body) {
  BodyReader reader(body);
  return Finished(reader, aggregates::ProtectCustomer{});
}

Result<aggregates::ReviewProtection> ParseReviewProtection(const Json& body) {
  BodyReader reader(body);
  aggregates::ReviewProtection command;
  command.approve = reader.RequiredBool("approve");
  command.reason = reader.OptionalString("reason", kLongTextBytesMax);
  return Finished(reader, std::move(command));
}

Result<aggregates::AddContact> ParseAddContact(const Json& body) {
  BodyReader reader(body);
  aggregates::AddContact command;
  command.name = reader.RequiredString("name", kShortTextBytesMax);
  command.title = reader.RequiredString("title", kShortTextBytesMax);
  command.mobile = reader.OptionalString("mobile", kShortTextBytesMax);
  command.phone = reader.OptionalString("phone", kShortTextBytesMax);
  command.email = reader.OptionalString("email", kShortTextBytesMax);
  command.postcode = reader.OptionalString("postcode", kShortTextBytesMax);
  return Finished(reader, std::move(command));
}

Result<aggregates::RecordFollowUp> ParseRecordFollowUp(const Json& body) {
  BodyReader reader(body);
  aggregates::RecordFollowUp command;
  const std::string channel = reader.RequiredString("channel", kShortTextBytesMax);
  if (const std::optional<events::FollowUpChannel> parsed = events::ParseFollowUpChannel(channel)) {
    command.channel = *parsed;
  } else if (!channel.empty()) {
    reader.AddProblem(aggregates::errors::InvalidField("invalid_channel", "channel",
                                                       "channel must be one of phone, visit, email, wechat, other"));
  }
  command.notes = reader.RequiredString("notes", kLongTextBytesMax);
  command.next_contact_at_ms = reader.OptionalTime("nextContactAt");
  return Finished(reader, std::move(command));
}

Result<aggregates::RequestExtension> ParseRequestExtension(const Json& body) {
  BodyReader reader(body);
  aggregates::RequestExtension command;
  const std::int64_t days = reader.RequiredInt64("days");
  if (days < 0) {
    reader.AddProblem(aggregates::errors::InvalidField("invalid_days", "days", "ask for at least one day"));
  } else {
    command.days = static_cast<std::uint32_t>(std::min<std::int64_t>(days, std::numeric_limits<std::uint32_t>::max()));
  }
  command.reason = reader.RequiredString("reason", kLongTextBytesMax);
  return Finished(reader, std::move(command));
}

Result<aggregates::DecideExtension> ParseDecideExtension(const Json& body, std::string request_id) {
  return ParseDecision<aggregates::DecideExtension>(body, std::move(request_id));
}

Result<aggregates::RequestPromotion> ParseRequestPromotion(const Json& body) {
  BodyReader reader(body);
  aggregates::RequestPromotion command;
  command.reason = reader.RequiredString("reason", kLongTextBytesMax);
  return Finished(reader, std::move(command));
}

Result<aggregates::DecidePromotion> ParseDecidePromotion(const Json& body, std::string request_id) {
  return ParseDecision<aggregates::DecidePromotion>(body, std::move(request_id));
}

Result<aggregates::AbandonCustomer> ParseAbandonCustomer(const Json& body) {
  BodyReader reader(body);
  aggregates::AbandonCustomer command;
  command.reason = reader.RequiredString("reason", kLongTextBytesMax);
  return Finished(reader, std::move(command));
}

Result<aggregates::SignContract> ParseSignContract(const Json& body) {
  BodyReader reader(body);
  aggregates::SignContract command;
  command.contract_no = reader.RequiredString("contractNo", kIdFieldBytesMax);
  command.contract_type = reader.RequiredString("type", kShortTextBytesMax);
  command.signed_at_ms = reader.RequiredTime("signedAt");
  command.payment_method = reader.RequiredString("paymentMethod", kShortTextBytesMax);
  reader.RequiredObject("buyer", [&](BodyReader& buyer) { command.buyer = ReadBuyer(buyer); });
  reader.RequiredObjectArray("lines", [&](BodyReader& line, std::size_t) { command.lines.push_back(ReadLine(line)); });
  command.extras = reader.RequiredStringArray("extras", kLongTextBytesMax);
  command.total_fen = reader.RequiredInt64("totalFen");
  command.aftersales_owner_id = reader.OptionalString("aftersalesOwnerId", kIdFieldBytesMax);
  return Finished(reader, std::move(command));
}

Result<aggregates::RecordPayment> ParseRecordPayment(const Json& body, std::string contract_no) {
  BodyReader reader(body);
  aggregates::RecordPayment command;
  command.contract_no = std::move(contract_no);
  command.amount_fen = reader.RequiredInt64("amountFen");
  command.paid_at_ms = reader.RequiredTime("paidAt");
  command.method = reader.RequiredString("method", kShortTextBytesMax);
  command.handler = reader.RequiredString("handler", kShortTextBytesMax);
  command.account = reader.RequiredString("account", kShortTextBytesMax);
  return Finished(reader, std::move(command));
}

Result<aggregates::ReassignCustomer> ParseReassignCustomer(const Json& body) {
  CRM_ASSIGN_OR_RETURN(Transfer transfer, ParseTransfer(body));
  aggregates::ReassignCustomer command;
  command.to_user_id = std::move(transfer.to_user_id);
  command.reason = std::move(transfer.reason);
  return command;
}

Result<aggregates::HandOverCustomers> ParseHandOver(const Json& body, std::string from_user_id) {
  CRM_ASSIGN_OR_RETURN(Transfer transfer, ParseTransfer(body));
  aggregates::HandOverCustomers command;
  command.from_user_id = std::move(from_user_id);
  command.to_user_id = std::move(transfer.to_user_id);
  command.reason = std::move(transfer.reason);
  return command;
}

Result<aggregates::CreateUser> ParseCreateUser(const Json& body) {
  BodyReader reader(body);
  aggregates::CreateUser command;
  command.user_id = reader.RequiredString("id", kIdFieldBytesMax);
  command.name = reader.RequiredString("name", kShortTextBytesMax);
  const std::string role = reader.RequiredString("role", kShortTextBytesMax);
  if (const std::optional<events::Role> parsed = events::ParseRole(role)) {
    command.role = *parsed;
  } else if (!role.empty()) {
    reader.AddProblem(aggregates::errors::InvalidField(
        "invalid_role", "role", "role must be one of sales, manager, reviewer, aftersales, finance, auditor, admin"));
  }
  command.team = reader.RequiredString("team", kShortTextBytesMax);
  command.manager_id = reader.OptionalString("managerId", kIdFieldBytesMax);
  return Finished(reader, std::move(command));
}

Result<aggregates::ChangePolicy> ParsePolicyChange(const Json& body, events::Policy in_force) {
  BodyReader reader(body);
  events::Policy& p = in_force;
  ReadPolicyCount(reader, "potentialDays", p.potential_days);
  ReadPolicyCount(reader, "intentionDays", p.intention_days);
  ReadPolicyCount(reader, "abandonCooldownDays", p.abandon_cooldown_days);
  ReadPolicyCount(reader, "reviewWorkingDays", p.review_working_days);
  ReadPolicyCount(reader, "maxProtected", p.max_protected);
  ReadPolicyCount(reader, "maxClaimsPerDay", p.max_claims_per_day);
  ReadPolicyCount(reader, "maxExtensions", p.max_extensions);
  ReadPolicyCount(reader, "maxExtensionDays", p.max_extension_days);
  ReadPolicyFlag(reader, "promotionNeedsApproval", p.promotion_needs_approval);
  ReadPolicyFlag(reader, "maskPoolContacts", p.mask_pool_contacts);
  // Dates are short; the decider checks each is one ("2026-10-01") and how many there are.
  if (auto holidays = reader.OptionalStringArray("holidays", kShortTextBytesMax)) p.holidays = std::move(*holidays);
  // Absent or null keeps the value in force; "" is a value (the decider refuses an empty zone,
  // and an empty owner means "none").
  if (auto zone = reader.GivenString("timeZone", kShortTextBytesMax)) p.time_zone = std::move(*zone);
  if (auto owner = reader.GivenString("defaultAftersalesOwnerId", kIdFieldBytesMax)) {
    p.default_aftersales_owner_id = std::move(*owner);
  }
  aggregates::ChangePolicy command;
  command.policy = std::move(in_force);
  return Finished(reader, std::move(command));
}

Result<events::TimeMs> ParseTestClock(const Json& body) {
  BodyReader reader(body);
  const events::TimeMs now_ms = reader.RequiredTime("now");
  return Finished(reader, now_ms);
}

}  // namespace crm::server::api
