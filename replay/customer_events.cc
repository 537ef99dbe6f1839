#include "replay/customer_events.h"

#include <algorithm>

#include "aggregates/stream_ids.h"

namespace crm::replay {

Result<CustomerHistory> LoadCustomerHistory(const log::EventLog& log, std::string_view customer_id,
                                            events::Seq max_seq) {
  log::StreamReadOptions options;
  options.max_seq = max_seq;
  CRM_ASSIGN_OR_RETURN(std::vector<events::RecordedEvent> own,
                       log.ReadStream(aggregates::CustomerStream(customer_id), options));
  if (own.empty()) return Status::NotFound("no_customer", "no customer " + std::string(customer_id));
  CustomerHistory history;
  events::Seq handed_over_seq = 0;
  for (const events::RecordedEvent& recorded : own) {
    if (const auto* handed = std::get_if<events::CustomerHandedToAftersales>(&recorded.event)) {
      history.contract_nos.push_back(handed->contract_no);
      if (handed_over_seq == 0) handed_over_seq = recorded.envelope.seq;
    }
  }
  if (handed_over_seq != 0) {
    auto cursor = log.Scan(handed_over_seq + 1, max_seq);
    for (; cursor->Valid(); cursor->Next()) {
      const auto* signed_contract = std::get_if<events::ContractSigned>(&cursor->event().event);
      if (signed_contract == nullptr || signed_contract->customer_id != customer_id) continue;
      if (std::find(history.contract_nos.begin(), history.contract_nos.end(), signed_contract->contract_no) ==
          history.contract_nos.end()) {
        history.contract_nos.push_back(signed_contract->contract_no);
      }
    }
    CRM_RETURN_IF_ERROR(cursor->status());
  }
  history.events = std::move(own);
  for (const std::string& contract_no : history.contract_nos) {
    CRM_ASSIGN_OR_RETURN(std::vector<events::RecordedEvent> contract,
                         log.ReadStream(aggregates::ContractStream(contract_no), options));
    for (events::RecordedEvent& recorded : contract) history.events.push_back(std::move(recorded));
  }
  std::sort(
      history.events.begin(), history.events.end(),
      [](const events::RecordedEvent& a, const events::RecordedEvent& b) { return a.envelope.seq < b.envelope.seq; });
  return history;
}

}  // namespace crm::replay
