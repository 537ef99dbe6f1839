#include "aggregates/policy_state.h"

#include <algorithm>

namespace crm::aggregates {

const events::Policy& PolicyState::InForceAt(events::TimeMs at_ms) const {
  static const events::Policy* const kDefaults = new events::Policy();
  const auto after =
      std::upper_bound(changes.begin(), changes.end(), at_ms,
                       [](events::TimeMs t, const Change& change) { return t < change.effective_at_ms; });
  return after == changes.begin() ? *kDefaults : std::prev(after)->policy;
}

PolicyState EvolvePolicy(PolicyState state, const events::Event& event, events::TimeMs effective_at_ms) {
  if (const auto* changed = std::get_if<events::PolicyChanged>(&event)) {
    // Recorded times never decrease along the log, so neither do these; a clamp keeps the
    // binary search sound even for a hand-made history.
    const events::TimeMs at =
        state.changes.empty() ? effective_at_ms : std::max(effective_at_ms, state.changes.back().effective_at_ms);
    state.changes.push_back({at, changed->policy});
  }
  ++state.version;
  return state;
}

}  // namespace crm::aggregates
