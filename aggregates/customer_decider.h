// The customer's rulebook (domain.md rules 2-13): pure decisions over a customer's state.
//
// Rule 13 is built in: if time has already ended the customer's hold, the decision is taken on
// the released customer, and the due release event (actor "system", effective at the deadline)
// comes first in the returned events, to be appended atomically with the rest. A refusal
// returns an error and no events at all, the due release included: the sweeper writes it.
#pragma once

#include "aggregates/commands.h"
#include "aggregates/contract_state.h"
#include "aggregates/customer_state.h"
#include "aggregates/decision.h"
#include "events/status.h"

namespace crm::aggregates {

// Rule 2: a new customer, protected for the caller. Refuses a normalised name that
// ctx.directory already has (duplicate_name, with the existing customer's id and stage).
Result<Decision> DecideRegistration(const RegisterCustomer& command, const DecisionContext& ctx);

// Every other customer command. `state` is the customer's stream as read; kNotFound when the
// stream is empty.
Result<Decision> DecideCustomer(const CustomerState& state, const CustomerCommand& command, const DecisionContext& ctx);

// The sweeper's decision: the customer's due release, if time has already decided one.
Decision DecideDueRelease(const CustomerState& state, TimeMs now_ms);

// Rule 11: a payment on a contract (finance only; never above what is still receivable).
Result<Decision> DecidePayment(const ContractState& contract, const RecordPayment& command, const DecisionContext& ctx);

}  // namespace crm::aggregates
