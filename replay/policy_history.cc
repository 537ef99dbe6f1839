#include "replay/policy_history.h"

#include <algorithm>

#include "aggregates/stream_ids.h"

namespace crm::replay {

Result<PolicyHistory> PolicyHistory::Load(const log::EventLog& log, events::Seq max_seq) {
  log::StreamReadOptions options;
  options.max_seq = max_seq;
  CRM_ASSIGN_OR_RETURN(const std::vector<events::RecordedEvent> stream,
                       log.ReadStream(aggregates::kPolicyStream, options));
  PolicyHistory history;
  for (const events::RecordedEvent& recorded : stream) {
    const auto* changed = std::get_if<events::PolicyChanged>(&recorded.event);
    if (changed == nullptr) continue;
    history.changes_.push_back(Change{.seq = recorded.envelope.seq,
                                      .effective_at_ms = recorded.envelope.effective_at_ms,
                                      .actor_id = recorded.envelope.actor_id,
                                      .policy = changed->policy});
  }
  return history;
}

const events::Policy& PolicyHistory::AtSeq(events::Seq seq) const {
  const Change* change = ChangeAtSeq(seq);
  return change == nullptr ? defaults_ : change->policy;
}

const PolicyHistory::Change* PolicyHistory::ChangeAtSeq(events::Seq seq) const {
  const auto after = std::upper_bound(changes_.begin(), changes_.end(), seq,
                                      [](events::Seq s, const Change& change) { return s < change.seq; });
  return after == changes_.begin() ? nullptr : &*std::prev(after);
}

std::vector<PolicyFieldChange> DiffPolicies(const events::Policy& before, const events::Policy& after) {
  // Through the JSON form, so that a field added to the policy is compared without a change here.
  const Json old_values = PolicyJson(before);
  const Json new_values = PolicyJson(after);
  std::vector<PolicyFieldChange> changes;
  for (const auto& [field, value] : new_values.items()) {
    const Json& old_value = old_values.at(field);
    if (old_value != value) changes.push_back(PolicyFieldChange{.field = field, .from = old_value, .to = value});
  }
  return changes;
}

std::string PolicySummary(const events::Policy& p) {
  return "potentialDays=" + std::to_string(p.potential_days) + " intentionDays=" + std::to_string(p.intention_days) +
         " reviewWorkingDays=" + std::to_string(p.review_working_days) +
         " abandonCooldownDays=" + std::to_string(p.abandon_cooldown_days) +
         " maxProtected=" + std::to_string(p.max_protected) +
         " maxClaimsPerDay=" + std::to_string(p.max_claims_per_day) +
         " maxExtensions=" + std::to_string(p.max_extensions) +
         " maxExtensionDays=" + std::to_string(p.max_extension_days);
}

}  // namespace crm::replay
