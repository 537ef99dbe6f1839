#include "projections/json/event_json.h"

#include <type_traits>

#include "events/time_format.h"

namespace crm::projections::json {
namespace {

using namespace crm::events;

Json EventTime(TimeMs time_ms) {
  return FormatRfc3339Millis(time_ms);
}

Json OptionalEventTime(const std::optional<TimeMs>& time_ms) {
  return time_ms.has_value() ? EventTime(*time_ms) : Json(nullptr);
}

std::string Hex(const Sha256Digest& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (const std::uint8_t byte : digest) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0xf]);
  }
  return hex;
}

Json Strings(const std::vector<std::string>& values) {
  Json array = Json::array();
  for (const std::string& value : values) array.push_back(value);
  return array;
}

Json Data(const UserCreated& e) {
  return {{"userId", e.user_id},       {"name", e.name},
          {"role", RoleName(e.role)},  {"team", e.team},
          {"managerId", e.manager_id}, {"tokenSha256", Hex(e.token_sha256)}};
}
Json Data(const UserRoleChanged& e) {
  return {{"userId", e.user_id}, {"role", RoleName(e.role)}};
}
Json Data(const UserTeamChanged& e) {
  return {{"userId", e.user_id}, {"team", e.team}, {"managerId", e.manager_id}};
}
Json Data(const UserDeactivated& e) {
  return {{"userId", e.user_id}, {"reason", e.reason}};
}
Json Data(const CustomersHandedOver& e) {
  return {{"fromUserId", e.from_user_id},
          {"toUserId", e.to_user_id},
          {"reason", e.reason},
          {"customerIds", Strings(e.customer_ids)}};
}
Json Data(const PolicyChanged& e) {
  return {{"policy", PolicyJson(e.policy)}};
}
Json Data(const CustomerRegistered& e) {
  return {{"customerId", e.customer_id},
          {"name", e.name},
          {"normalizedName", e.normalized_name},
          {"region", e.region},
          {"industry", e.industry},
          {"address", e.address},
          {"phone", e.phone},
          {"intro", e.intro},
          {"website", e.website}};
}
Json Data(const CustomerProtected& e) {
  return {{"customerId", e.customer_id},
          {"ownerId", e.owner_id},
          {"source", ProtectionSourceName(e.source)},
          {"deadline", EventTime(e.deadline_ms)},
          {"reviewDeadline", EventTime(e.review_deadline_ms)}};
}
Json Data(const ProtectionApproved& e) {
  return {{"customerId", e.customer_id}, {"ownerId", e.owner_id}, {"reason", e.reason}};
}
Json Data(const ProtectionRejected& e) {
  return {{"customerId", e.customer_id}, {"ownerId", e.owner_id}, {"reason", e.reason}};
}
Json Data(const ProtectionReviewTimedOut& e) {
  return {{"customerId", e.customer_id}, {"ownerId", e.owner_id}, {"reviewDeadline", EventTime(e.review_deadline_ms)}};
}
Json Data(const ContactAdded& e) {
  return {{"customerId", e.customer_id}, {"contactId", e.contact_id}, {"name", e.name},   {"title", e.title},
          {"mobile", e.mobile},          {"phone", e.phone},          {"email", e.email}, {"postcode", e.postcode}};
}
Json Data(const FollowUpRecorded& e) {
  return {{"customerId", e.customer_id},
          {"followUpId", e.follow_up_id},
          {"channel", FollowUpChannelName(e.channel)},
          {"notes", e.notes},
          {"nextContactAt", OptionalEventTime(e.next_contact_at_ms)}};
}
Json Data(const ExtensionRequested& e) {
  return {{"customerId", e.customer_id}, {"requestId", e.request_id}, {"days", e.days}, {"reason", e.reason}};
}
Json Data(const ExtensionGranted& e) {
  return {{"customerId", e.customer_id},
          {"requestId", e.request_id},
          {"days", e.days},
          {"deadline", EventTime(e.deadline_ms)},
          {"reason", e.reason}};
}
Json Data(const ExtensionDenied& e) {
  return {{"customerId", e.customer_id}, {"requestId", e.request_id}, {"reason", e.reason}};
}
Json Data(const PromotionRequested& e) {
  return {{"customerId", e.customer_id}, {"requestId", e.request_id}, {"reason", e.reason}};
}
Json Data(const CustomerPromoted& e) {
  return {{"customerId", e.customer_id},
          {"requestId", e.request_id},
          {"deadline", EventTime(e.deadline_ms)},
          {"reason", e.reason}};
}
Json Data(const PromotionDenied& e) {
  return {{"customerId", e.customer_id}, {"requestId", e.request_id}, {"reason", e.reason}};
}
Json Data(const CustomerAbandoned& e) {
  return {{"customerId", e.customer_id},
          {"ownerId", e.owner_id},
          {"reason", e.reason},
          {"cooldownUntil", EventTime(e.cooldown_until_ms)}};
}
Json Data(const ProtectionExpired& e) {
  return {{"customerId", e.customer_id},
          {"ownerId", e.owner_id},
          {"stage", HeldStageName(e.stage)},
          {"deadline", EventTime(e.deadline_ms)}};
}
Json Data(const CustomerReassigned& e) {
  return {
      {"customerId", e.customer_id}, {"fromUserId", e.from_user_id}, {"toUserId", e.to_user_id}, {"reason", e.reason}};
}
Json Data(const CustomerHandedToAftersales& e) {
  return {{"customerId", e.customer_id},
          {"contractNo", e.contract_no},
          {"fromUserId", e.from_user_id},
          {"aftersalesOwnerId", e.aftersales_owner_id}};
}
Json Buyer(const ContractBuyer& b) {
  return {{"name", b.name},
          {"taxId", b.tax_id},
          {"address", b.address},
          {"phone", b.phone},
          {"bank", b.bank},
          {"bankAccount", b.bank_account},
          {"contactPerson", b.contact_person}};
}
Json Data(const ContractSigned& e) {
  Json lines = Json::array();
  for (const ContractLine& line : e.lines) {
    lines.push_back({{"product", line.product},
                     {"quantity", line.quantity},
                     {"unitPriceFen", line.unit_price_fen},
                     {"amountFen", line.amount_fen}});
  }
  return {{"contractNo", e.contract_no},
          {"customerId", e.customer_id},
          {"type", e.contract_type},
          {"signedAt", EventTime(e.signed_at_ms)},
          {"paymentMethod", e.payment_method},
          {"buyer", Buyer(e.buyer)},
          {"lines", lines},
          {"extras", Strings(e.extras)},
          {"totalFen", e.total_fen},
          {"salesOwnerId", e.sales_owner_id}};
}
Json Data(const PaymentRecorded& e) {
  return {{"contractNo", e.contract_no},
          {"customerId", e.customer_id},
          {"paymentId", e.payment_id},
          {"amountFen", e.amount_fen},
          {"paidAt", EventTime(e.paid_at_ms)},
          {"method", e.method},
          {"handler", e.handler},
          {"account", e.account}};
}

}  // namespace

Json EventDataJson(const events::Event& event) {
  return std::visit([](const auto& e) { return Data(e); }, event);
}

Json PolicyJson(const events::Policy& p) {
  return {{"potentialDays", p.potential_days},
          {"intentionDays", p.intention_days},
          {"abandonCooldownDays", p.abandon_cooldown_days},
          {"reviewWorkingDays", p.review_working_days},
          {"maxProtected", p.max_protected},
          {"maxClaimsPerDay", p.max_claims_per_day},
          {"maxExtensions", p.max_extensions},
          {"maxExtensionDays", p.max_extension_days},
          {"promotionNeedsApproval", p.promotion_needs_approval},
          {"maskPoolContacts", p.mask_pool_contacts},
          {"holidays", Strings(p.holidays)},
          {"timeZone", p.time_zone},
          {"defaultAftersalesOwnerId", p.default_aftersales_owner_id}};
}

Json RecordedEventJson(const events::RecordedEvent& recorded) {
  const events::EventEnvelope& envelope = recorded.envelope;
  return {{"seq", envelope.seq},
          {"stream", envelope.stream_id},
          {"version", envelope.stream_version},
          {"recorded", EventTime(envelope.recorded_at_ms)},
          {"effective", EventTime(envelope.effective_at_ms)},
          {"actor", envelope.actor_id},
          {"commandId", envelope.command_id},
          {"type", EventTypeName(recorded.event)},
          {"data", EventDataJson(recorded.event)}};
}

Json ApiEventJson(const events::RecordedEvent& recorded) {
  const events::EventEnvelope& envelope = recorded.envelope;
  return {{"seq", envelope.seq},
          {"type", EventTypeName(recorded.event)},
          {"at", EventTime(envelope.recorded_at_ms)},
          {"effectiveAt", EventTime(envelope.effective_at_ms)},
          {"actorId", envelope.actor_id},
          {"stream", envelope.stream_id},
          {"version", envelope.stream_version},
          {"data", EventDataJson(recorded.event)}};
}

std::string DumpJson(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace crm::projections::json
