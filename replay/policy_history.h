// Which rule values were in force at each log position: the "policy" stream's PolicyChanged
// events, each carrying the whole policy (events/event_types.h), read once.
#pragma once

#include <string>
#include <vector>

#include "events/envelope.h"
#include "events/log/event_log.h"
#include "events/status.h"
#include "replay/event_json.h"

namespace crm::replay {

class PolicyHistory {
 public:
  struct Change {
    events::Seq seq = 0;
    events::TimeMs effective_at_ms = 0;
    std::string actor_id;
    events::Policy policy;
  };

  // Every change at or before `max_seq`, from the log's "policy" stream.
  static Result<PolicyHistory> Load(const log::EventLog& log, events::Seq max_seq = log::kLatestSeq);

  // The policy in force once the event at `seq` happened: the last change at or before it, else
  // the product's defaults.
  const events::Policy& AtSeq(events::Seq seq) const;
  // The change AtSeq(seq) comes from; nullptr when it is the defaults.
  const Change* ChangeAtSeq(events::Seq seq) const;

  const std::vector<Change>& changes() const { return changes_; }

 private:
  std::vector<Change> changes_;  // in seq order
  events::Policy defaults_;
};

struct PolicyFieldChange {
  std::string field;  // api.md's name: "potentialDays"
  Json from;          // the values as PolicyJson gives them: 30, true, ["2026-10-01"], "Asia/Shanghai"
  Json to;
};

// The values that differ between two policies, in api.md's order.
std::vector<PolicyFieldChange> DiffPolicies(const events::Policy& before, const events::Policy& after);

// The values people ask about first, on one line: "potentialDays=30 intentionDays=15 ...".
std::string PolicySummary(const events::Policy& policy);

}  // namespace crm::replay
