#include "projections/store/customer_360_reader.h"

#include <algorithm>

namespace crm::projections::store {
namespace {

// More than one handover moves (aggregates' kHandoverCustomersMax), so the scan for the handover
// that ends a run of reassignments always reaches it.
constexpr events::Seq kHandoverScanEventsMax = 5000;

}  // namespace

Result<std::vector<events::RecordedEvent>> ReadCustomerEvents(const log::EventLog& log, const std::string& customer_id,
                                                              const std::string& customer_stream,
                                                              const std::vector<std::string>& contract_streams,
                                                              events::Seq seq) {
  const log::StreamReadOptions options{.from_version = 1, .max_seq = seq};
  CRM_ASSIGN_OR_RETURN(std::vector<events::RecordedEvent> merged, log.ReadStream(customer_stream, options));
  std::vector<events::Seq> reassignments;
  for (const events::RecordedEvent& recorded : merged) {
    if (std::holds_alternative<events::CustomerReassigned>(recorded.event)) {
      reassignments.push_back(recorded.envelope.seq);
    }
  }
  for (const std::string& stream : contract_streams) {
    CRM_ASSIGN_OR_RETURN(std::vector<events::RecordedEvent> contract, log.ReadStream(stream, options));
    std::move(contract.begin(), contract.end(), std::back_inserter(merged));
    if (merged.size() > kCustomer360EventsMax) break;
  }
  // A handover appends every customer's reassignment and then one CustomersHandedOver, in one
  // batch: the first event after the run of reassignments tells whether this one was part of it.
  for (const events::Seq reassigned : reassignments) {
    auto cursor = log.Scan(reassigned + 1, std::min(seq, reassigned + kHandoverScanEventsMax));
    for (; cursor->Valid(); cursor->Next()) {
      const events::Event& event = cursor->event().event;
      if (std::holds_alternative<events::CustomerReassigned>(event)) continue;
      const auto* handover = std::get_if<events::CustomersHandedOver>(&event);
      if (handover != nullptr && std::find(handover->customer_ids.begin(), handover->customer_ids.end(), customer_id) !=
                                     handover->customer_ids.end()) {
        merged.push_back(cursor->event());
      }
      break;
    }
    CRM_RETURN_IF_ERROR(cursor->status());
  }
  if (merged.size() > kCustomer360EventsMax) {
    return Status::TooLarge("history_too_long", "customer " + customer_id + " has more than " +
                                                    std::to_string(kCustomer360EventsMax) + " events");
  }
  std::sort(merged.begin(), merged.end(), [](const events::RecordedEvent& a, const events::RecordedEvent& b) {
    return a.envelope.seq < b.envelope.seq;
  });
  merged.erase(std::unique(merged.begin(), merged.end(),
                           [](const events::RecordedEvent& a, const events::RecordedEvent& b) {
                             return a.envelope.seq == b.envelope.seq;
                           }),
               merged.end());
  return merged;
}

Result<Customer360> ReadCustomer360(const log::EventLog& log, const std::string& customer_id,
                                    const std::string& customer_stream,
                                    const std::vector<std::string>& contract_streams, events::Seq seq) {
  CRM_ASSIGN_OR_RETURN(const std::vector<events::RecordedEvent> merged,
                       ReadCustomerEvents(log, customer_id, customer_stream, contract_streams, seq));
  Customer360 customer(customer_id);
  for (const events::RecordedEvent& recorded : merged) customer.Apply(recorded);
  if (!customer.exists()) {
    return Status::NotFound("unknown_customer", "no customer " + customer_id, {{"customerId", customer_id}});
  }
  return customer;
}

}  // namespace crm::projections::store
