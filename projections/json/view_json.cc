#include "projections/json/view_json.h"

#include "events/domain_values.h"
#include "events/time_format.h"
#include "projections/json/json_text.h"

namespace crm::projections::json {
namespace {

Json OptionalTime(std::optional<TimeMs> time_ms) {
  return time_ms.has_value() ? TimeJson(*time_ms) : Json();
}
Json NonZeroTime(TimeMs time_ms) {
  return time_ms != 0 ? TimeJson(time_ms) : Json();
}
Json NonEmpty(std::string_view text) {
  return text.empty() ? Json() : Json(std::string(text));
}
Json OptionalDouble(std::optional<double> value) {
  return value.has_value() ? Json(*value) : Json();
}

std::string_view PoolReasonJson(PoolReason reason) {
  return reason == PoolReason::kNone ? std::string_view() : PoolReasonName(reason);
}

Json ConversionJson(const Conversion& conversion) {
  return Json{{"numerator", conversion.numerator},
              {"denominator", conversion.denominator},
              {"rate", OptionalDouble(conversion.ratio)}};
}

Json RequestJson(const CustomerRequestEntry& request) {
  return Json{{"requestId", request.request_id},
              {"kind", CustomerRequestKindName(request.kind)},
              {"days", request.kind == CustomerRequestKind::kExtension ? Json(request.days) : Json()},
              {"reason", request.reason},
              {"status", CustomerRequestStatusName(request.status)},
              {"requestedAt", TimeJson(request.requested_at_ms)},
              {"requestedBy", request.requested_by},
              {"decidedAt", NonZeroTime(request.decided_at_ms)},
              {"decidedBy", NonEmpty(request.decided_by)},
              {"decisionReason", NonEmpty(request.decision_reason)},
              {"grantedDeadline", NonZeroTime(request.granted_deadline_ms)}};
}

Json HoldingJson(const Holding& holding) {
  Json stages = Json::array();
  for (const CustomerStage stage : holding.stages) stages.push_back(CustomerStageName(stage));
  return Json{{"ownerId", holding.owner_id},
              {"stages", std::move(stages)},
              {"from", TimeJson(holding.from_ms)},
              {"to", OptionalTime(holding.to_ms)},
              {"began", HoldingStartName(holding.began)},
              {"beganBy", holding.began_by},
              {"beganReason", NonEmpty(holding.began_reason)},
              {"ended", holding.ended == HoldingEnd::kOpen ? Json() : Json(HoldingEndName(holding.ended))},
              {"endedBy", NonEmpty(holding.ended_by)},
              {"endedReason", NonEmpty(holding.ended_reason)},
              {"contractNo", NonEmpty(holding.contract_no)},
              {"approvedAt", NonZeroTime(holding.approved_at_ms)},
              {"approvedBy", NonEmpty(holding.approved_by)}};
}

Json ContactJson(const CustomerContactEntry& entry) {
  const events::ContactAdded& contact = entry.contact;
  return Json{{"contactId", contact.contact_id},
              {"name", contact.name},
              {"title", contact.title},
              {"mobile", NonEmpty(contact.mobile)},
              {"phone", NonEmpty(contact.phone)},
              {"email", NonEmpty(contact.email)},
              {"postcode", NonEmpty(contact.postcode)},
              {"addedAt", TimeJson(entry.added_at_ms)},
              {"addedBy", entry.added_by}};
}

Json FollowUpJson(const CustomerFollowUpEntry& entry) {
  const events::FollowUpRecorded& follow_up = entry.follow_up;
  return Json{{"followUpId", follow_up.follow_up_id},
              {"channel", events::FollowUpChannelName(follow_up.channel)},
              {"notes", follow_up.notes},
              {"nextContactAt", OptionalTime(follow_up.next_contact_at_ms)},
              {"at", TimeJson(entry.at_ms)},
              {"by", entry.by}};
}

}  // namespace

Json TimeJson(TimeMs time_ms) {
  return events::FormatRfc3339(time_ms);
}

Json SearchHitJson(const SearchHit& hit, const UserNameFn& user_name) {
  const std::string owner_name = hit.owner_id.empty() ? std::string() : user_name(hit.owner_id);
  return Json{{"id", hit.customer->customer_id},
              {"name", hit.customer->name},
              {"stage", CustomerStageName(hit.stage)},
              {"ownerId", NonEmpty(hit.owner_id)},
              {"ownerName", NonEmpty(owner_name)}};
}

Json PoolEntryJson(const PoolEntry& entry) {
  std::string text;
  AppendPoolEntryText(text, entry);
  return Json::parse(text);
}

void AppendPoolEntryText(std::string& out, const PoolEntry& entry) {
  out.append("{\"id\":");
  AppendJsonString(out, entry.customer->customer_id);
  out.append(",\"name\":");
  AppendJsonString(out, entry.customer->name);
  out.append(",\"region\":");
  AppendJsonString(out, entry.customer->region);
  out.append(",\"industry\":");
  AppendJsonString(out, entry.customer->industry);
  out.append(",\"enteredAt\":");
  AppendJsonString(out, events::FormatRfc3339(entry.entered_at_ms));
  out.append(",\"reason\":");
  const std::string_view reason = PoolReasonJson(entry.reason);
  if (reason.empty()) {
    out.append("null");
  } else {
    AppendJsonString(out, reason);
  }
  out.append(",\"previousOwners\":");
  AppendJsonNumber(out, entry.previous_owners);
  out.push_back('}');
}

Json OwnedEntryJson(const OwnedEntry& entry, TimeMs now_ms) {
  Json pending = Json::array();
  for (const auto& [request_id, kind] : entry.customer->pending_requests) {
    pending.push_back(
        Json{{"requestId", request_id}, {"kind", kind == RequestKind::kExtension ? "extension" : "promotion"}});
  }
  const events::Hold& hold = entry.customer->hold;
  return Json{{"id", entry.customer->customer_id},
              {"name", entry.customer->name},
              {"stage", CustomerStageName(StageAt(*entry.customer, now_ms))},
              {"ownerId", hold.owner_id},
              {"deadline", TimeJson(entry.deadline_ms)},
              {"endsAt", TimeJson(entry.ends_at_ms)},
              {"daysLeft", entry.days_left},
              {"reviewPending", hold.review_pending},
              {"reviewDeadline", hold.review_pending ? TimeJson(hold.review_deadline_ms) : Json()},
              {"pendingRequests", std::move(pending)}};
}

Json ReminderJson(const ReminderEntry& entry) {
  return Json{{"customerId", entry.customer->customer_id},
              {"name", entry.customer->name},
              {"nextContactAt", TimeJson(entry.next_contact_at_ms)},
              {"overdue", entry.overdue},
              {"followUpId", std::string(entry.follow_up_id)}};
}

Json ContractJson(const ContractRecord& record) {
  const events::ContractSigned& contract = record.contract;
  const events::ContractBuyer& buyer = contract.buyer;
  Json lines = Json::array();
  for (const events::ContractLine& line : contract.lines) {
    lines.push_back(Json{{"product", line.product},
                         {"quantity", line.quantity},
                         {"unitPriceFen", line.unit_price_fen},
                         {"amountFen", line.amount_fen}});
  }
  Json payments = Json::array();
  for (const ContractPayment& payment : record.payments) {
    payments.push_back(Json{{"paymentId", payment.payment_id},
                            {"amountFen", payment.amount_fen},
                            {"paidAt", TimeJson(payment.paid_at_ms)},
                            {"method", payment.method},
                            {"handler", payment.handler},
                            {"account", payment.account},
                            {"seq", payment.seq},
                            {"recordedAt", TimeJson(payment.recorded_at_ms)},
                            {"recordedBy", payment.recorded_by}});
  }
  return Json{{"contractNo", contract.contract_no},
              {"customerId", contract.customer_id},
              {"type", contract.contract_type},
              {"signedAt", TimeJson(contract.signed_at_ms)},
              {"paymentMethod", contract.payment_method},
              {"buyer", Json{{"name", buyer.name},
                             {"taxId", buyer.tax_id},
                             {"address", buyer.address},
                             {"phone", buyer.phone},
                             {"bank", buyer.bank},
                             {"bankAccount", buyer.bank_account},
                             {"contactPerson", buyer.contact_person}}},
              {"lines", std::move(lines)},
              {"extras", contract.extras},
              {"totalFen", contract.total_fen},
              {"salesOwnerId", contract.sales_owner_id},
              {"aftersalesOwnerId", NonEmpty(record.aftersales_owner_id)},
              {"signedSeq", record.signed_seq},
              {"recordedAt", TimeJson(record.recorded_at_ms)},
              {"recordedBy", record.recorded_by},
              {"payments", std::move(payments)},
              {"paidFen", record.paid_fen},
              {"receivableFen", record.receivable_fen()}};
}

Json Customer360Json(const Customer360Report& report) {
  const events::CustomerRegistered& registration = report.profile.registration;
  Json contacts = Json::array();
  for (const CustomerContactEntry& contact : report.contacts) contacts.push_back(ContactJson(contact));
  Json follow_ups = Json::array();
  for (const CustomerFollowUpEntry& follow_up : report.follow_ups) follow_ups.push_back(FollowUpJson(follow_up));
  Json requests = Json::array();
  for (const CustomerRequestEntry& request : report.requests) requests.push_back(RequestJson(request));
  Json contracts = Json::array();
  for (const ContractRecord& contract : report.contracts) contracts.push_back(ContractJson(contract));
  Json ownership = Json::array();
  for (const Holding& holding : report.ownership) ownership.push_back(HoldingJson(holding));
  const bool held = report.stage == CustomerStage::kPotential || report.stage == CustomerStage::kIntention;
  return Json{{"id", registration.customer_id},
              {"name", registration.name},
              {"region", registration.region},
              {"industry", registration.industry},
              {"address", registration.address},
              {"phone", registration.phone},
              {"intro", registration.intro},
              {"website", NonEmpty(registration.website)},
              {"registeredAt", TimeJson(report.profile.registered_at_ms)},
              {"registeredBy", report.profile.registered_by},
              {"stage", CustomerStageName(report.stage)},
              {"ownerId", NonEmpty(report.owner_id)},
              {"deadline", held ? TimeJson(report.deadline_ms) : Json()},
              {"reviewPending", report.review_pending},
              {"reviewDeadline", report.review_pending ? TimeJson(report.review_deadline_ms) : Json()},
              {"holdEndsAt", OptionalTime(report.hold_ends_at_ms)},
              {"poolReason", NonEmpty(PoolReasonJson(report.pool_reason))},
              {"poolSince", report.stage == CustomerStage::kPool ? TimeJson(report.pool_since_ms) : Json()},
              {"extensionsGranted", report.extensions_granted},
              {"contacts", std::move(contacts)},
              {"followUps", std::move(follow_ups)},
              {"requests", std::move(requests)},
              {"contracts", std::move(contracts)},
              {"signedFen", report.signed_fen},
              {"paidFen", report.paid_fen},
              {"receivableFen", report.receivable_fen},
              {"ownershipHistory", std::move(ownership)}};
}

Json FunnelJson(const FunnelReport& report) {
  return Json{{"registered", report.registered},
              {"potential", report.potential},
              {"intention", report.intention},
              {"formal", report.formal},
              {"pool", report.pool},
              {"conversion", Json{{"protectedToIntention", ConversionJson(report.protected_to_intention)},
                                  {"intentionToFormal", ConversionJson(report.intention_to_formal)}}},
              {"medianDays", Json{{"protectToPromote", OptionalDouble(report.median_days_protect_to_promote)},
                                  {"promoteToSign", OptionalDouble(report.median_days_promote_to_sign)},
                                  {"protectToSign", OptionalDouble(report.median_days_protect_to_sign)}}}};
}

Json PoolFlowDayJson(const PoolFlowDay& day) {
  const std::int64_t inflow = day.rejected + day.review_timed_out + day.abandoned + day.expired;
  return Json{{"date", day.date},
              {"inflow", Json{{"rejected", day.rejected},
                              {"reviewTimedOut", day.review_timed_out},
                              {"abandoned", day.abandoned},
                              {"expired", day.expired},
                              {"total", inflow}}},
              {"outflow", day.outflow}};
}

Json SalespersonJson(const SalespersonFigures& figures) {
  return Json{{"userId", figures.user_id},
              {"protections", figures.protections},
              {"promotions", figures.promotions},
              {"contracts", figures.contracts},
              {"signedFen", figures.signed_fen},
              {"collectedFen", figures.collected_fen},
              {"receivableFen", figures.receivable_fen}};
}

Json RevenuePointJson(const RevenuePoint& point) {
  return Json{{"bucket", point.key}, {"signedFen", point.signed_fen}, {"collectedFen", point.collected_fen}};
}

Json RfmCustomerJson(const RfmCustomer& customer) {
  return Json{{"customerId", customer.customer_id},
              {"recencyDays", customer.recency_days},
              {"frequency", customer.frequency},
              {"monetaryFen", customer.monetary_fen},
              {"class", RfmClassName(customer.rfm_class)}};
}

Json RfmMediansJson(const RfmReport& report) {
  return Json{{"recencyDays", report.median_recency_days},
              {"frequency", report.median_frequency},
              {"monetaryFen", report.median_monetary_fen}};
}

}  // namespace crm::projections::json
