// Users, handovers and the policy: the admin's and the manager's rulebook.
#pragma once

#include <vector>

#include "aggregates/commands.h"
#include "aggregates/customer_state.h"
#include "aggregates/decision.h"
#include "aggregates/directory.h"
#include "events/status.h"

namespace crm::aggregates {

// The most customers one handover moves: each is an event in one atomic append, and the log
// takes at most log::kBatchEventsMax events per append.
inline constexpr std::size_t kHandoverCustomersMax = 4000;

// User administration (admin only). `target` is the named user's state (empty when unknown).
Result<Decision> DecideUser(const UserState& target, const UserCommand& command, const DecisionContext& ctx);

// The very first user of an empty system: an admin created by the system itself, so that the
// server's --admin-token has a user to act as. Refused once any user exists.
Result<Decision> DecideFirstAdmin(const CreateUser& command, const Directory& directory);

// Rule 12: everything `command.from_user_id` owns to another user, deadlines kept. `owned` are
// the states of every customer the directory lists as owned by that user. Holds that time has
// already ended are released (rule 13) instead of moved.
Result<Decision> DecideHandover(const HandOverCustomers& command, const std::vector<CustomerState>& owned,
                                const DecisionContext& ctx);

// A policy change (admin only). The shell checks that the time zone exists (building a
// calendar reads the tz database); this checks every other value's range.
Result<Decision> DecidePolicy(const ChangePolicy& command, const DecisionContext& ctx);

}  // namespace crm::aggregates
