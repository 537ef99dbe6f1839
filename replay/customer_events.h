// One customer's whole history as the log holds it: its own stream (aggregates::CustomerStream)
// and the streams of its contracts (ContractSigned, then payments), merged by seq.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "events/envelope.h"
#include "events/log/event_log.h"
#include "events/status.h"

namespace crm::replay {

struct CustomerHistory {
  std::vector<events::RecordedEvent> events;  // seq order, each once
  std::vector<std::string> contract_nos;      // in signing order
};

// kNotFound/no_customer when the customer has no events at or before `max_seq`.
//
// Cost: the customer's stream is one prefix scan. Its first contract is named by the hand-over
// to after-sales in that stream, but a follow-on contract is only in its own stream, so for a
// formal customer the log after the hand-over is scanned once for ContractSigned events of this
// customer (never for a customer that has not signed).
Result<CustomerHistory> LoadCustomerHistory(const log::EventLog& log, std::string_view customer_id,
                                            events::Seq max_seq = log::kLatestSeq);

}  // namespace crm::replay
