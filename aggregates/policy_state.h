// The policy's history: which rule values were in force when. A decision uses the policy in
// force at its `now` (issue 3), and an auditor asks the same question about any past time.
#pragma once

#include <vector>

#include "events/domain_values.h"
#include "events/envelope.h"
#include "events/event_types.h"

namespace crm::aggregates {

struct PolicyState {
  struct Change {
    events::TimeMs effective_at_ms = 0;
    events::Policy policy;
  };
  std::vector<Change> changes;  // in log order; effective times never decrease along it
  events::StreamVersion version = 0;

  // The policy in force at `at_ms`: the last change effective at or before it, else the
  // product's defaults.
  const events::Policy& InForceAt(events::TimeMs at_ms) const;
};

PolicyState EvolvePolicy(PolicyState state, const events::Event& event, events::TimeMs effective_at_ms);

}  // namespace crm::aggregates
