// The invariants of the randomised history test (issue 3), checked on the independent model of
// random_history_model.h: each event as the model folds it in, the whole model after every step,
// and the service's view of every customer against the model's. What is right comes from the
// model and the events alone: the model never calls the code under test, and the service is
// asked only for what is compared with the model.
#pragma once

#include "aggregates/service/command_service.h"
#include "aggregates/service/random_history_model.h"

namespace crm::aggregates::random_history {

// Checks each event against the model as it stood just before it (was the act allowed at that
// moment?), folds it in, then checks what it added (limits). Failures are gtest failures.
class Checker {
 public:
  // `model` is borrowed for the checker's life; Fold applies every event to it.
  explicit Checker(Model& model) : model_(model) {}

  // `recorded` is the log's next event after the last one folded.
  void Fold(const RecordedEvent& recorded);

  // Whole-model invariants at `now`: FORMAL never back in the pool, every pool customer has a
  // reason, owners have the role their customers need, no contract paid beyond its total.
  void CheckState(TimeMs now) const;

 private:
  Model& model_;
  TimeMs last_recorded_ms_ = 0;
};

// The service's state of every customer (as its stream tells it, before rule 13) must be the
// model's: same stage, owner, deadlines and pool reason.
void ExpectServiceAgrees(CommandService& service, const Model& model);

}  // namespace crm::aggregates::random_history
