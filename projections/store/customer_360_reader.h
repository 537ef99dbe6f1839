// Reads one customer's 360 from the log (api.md GET /v1/customers/{id}): the customer's stream,
// its contracts' streams, and the CustomersHandedOver that turned a reassignment into part of a
// handover, merged in seq order and cut at `seq` — so "as of" a position needs no snapshot, only
// the customer's own streams (issue 4).
//
// Stream ids are the writer's naming (aggregates/stream_ids.h); the shell passes them in so
// that the projections stay ignorant of the deciders.
#pragma once

#include <string>
#include <vector>

#include "events/log/event_log.h"
#include "projections/customer_360.h"

namespace crm::projections::store {

// Events one 360 may fold; a customer beyond it is refused rather than read without bound.
inline constexpr std::size_t kCustomer360EventsMax = 200'000;

// The events ReadCustomer360 folds, in seq order, each once (api.md GET /v1/customers/{id}/history).
// An unknown customer has none. kTooLarge/history_too_long beyond kCustomer360EventsMax events.
Result<std::vector<events::RecordedEvent>> ReadCustomerEvents(const log::EventLog& log, const std::string& customer_id,
                                                              const std::string& customer_stream,
                                                              const std::vector<std::string>& contract_streams,
                                                              events::Seq seq);

// kNotFound/unknown_customer when the customer is not registered at or before `seq`.
// kTooLarge/history_too_long beyond kCustomer360EventsMax events.
Result<Customer360> ReadCustomer360(const log::EventLog& log, const std::string& customer_id,
                                    const std::string& customer_stream,
                                    const std::vector<std::string>& contract_streams, events::Seq seq);

}  // namespace crm::projections::store
