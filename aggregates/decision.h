// What every decider takes and returns.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aggregates/company_calendar.h"
#include "aggregates/directory.h"
#include "aggregates/user_state.h"
#include "events/event_types.h"

namespace crm::aggregates {

// Everything a decision may look at besides the state it decides on. All borrowed for the call.
struct DecisionContext {
  const UserState& actor;           // who asks; resolved by the shell from the caller's token
  const events::Policy& policy;     // the policy in force at now_ms
  const CompanyCalendar& calendar;  // built from `policy` (time zone, holidays)
  const Directory& directory;       // cross-stream facts, up to the state being decided on
  TimeMs now_ms;                    // the shell's clock: deciders never read one
};

// One event to append, with where it goes and whose act it is.
struct DecidedEvent {
  std::string stream_id;
  events::Event event;
  std::string actor_id;                   // a user id, or events::kSystemActorId
  std::optional<TimeMs> effective_at_ms;  // default: when it is recorded
};

// The events a command decided, in order; they are appended atomically or not at all.
struct Decision {
  std::vector<DecidedEvent> events;
};

}  // namespace crm::aggregates
