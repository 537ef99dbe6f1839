// DemoPlayer: issues the demo's planned steps to the command service, in time order, and runs
// the sweeper as the simulated clock passes each hour.
//
// Who acts is decided when a step runs, not when it is planned: a handover or a reassignment
// changes the holder of a customer, so "the holder" and "the holder's manager" are looked up
// from the holds the player folds from every outcome (events::ApplyToHold, as the service does).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "aggregates/service/command_service.h"
#include "events/customer_hold.h"

namespace crm::demo {

// Who performs a customer step.
enum class DemoActor {
  kHolder,   // the salesperson holding it, or the after-sales owner of a formal customer
  kManager,  // the manager of the holder's team
  kReviewer,
};

class DemoPlayer {
 public:
  // `service` is borrowed for the player's life. Sweeps run on the hour from `from_ms` on.
  DemoPlayer(aggregates::CommandService& service, std::size_t customers, events::TimeMs from_ms);

  // Runs the sweeper at every whole hour after the last one run, up to `at_ms`.
  Status AdvanceTo(events::TimeMs at_ms);
  // The last sweeps at `now_ms`, until nothing more is due.
  Status Finish(events::TimeMs now_ms);

  Status Register(std::size_t customer, std::string_view sales_id, events::TimeMs at_ms,
                  const aggregates::RegisterCustomer& command);
  Status Act(std::size_t customer, DemoActor actor, events::TimeMs at_ms, const aggregates::CustomerCommand& command);
  // The manager decides the customer's pending request of this kind.
  Status DecideRequest(std::size_t customer, aggregates::RequestKind kind, bool approve, std::string reason,
                       events::TimeMs at_ms);
  // A salesperson of `sales_team` who never held it, is active and is not `excluded` (one
  // about to leave) claims it from the pool; `pick` chooses among them.
  Status Claim(std::size_t customer, int sales_team, std::string_view excluded, std::uint64_t pick,
               events::TimeMs at_ms);
  // The holder's manager moves it to another active salesperson of the team, not `excluded`.
  Status Reassign(std::size_t customer, std::string_view excluded, std::string reason, events::TimeMs at_ms);
  Status Pay(std::size_t customer, const aggregates::RecordPayment& command, events::TimeMs at_ms);
  // Commands that are not about one customer (users, handover), by `actor_id`.
  Status HandOver(std::string_view manager_id, const aggregates::HandOverCustomers& command, events::TimeMs at_ms);
  Status ExecuteUser(std::string_view admin_id, const aggregates::UserCommand& command, events::TimeMs at_ms);

  // "" until the customer's registration step ran.
  const std::string& CustomerId(std::size_t customer) const { return customer_ids_[customer]; }
  events::Seq last_seq() const { return last_seq_; }
  std::size_t contracts() const { return contracts_; }
  std::size_t payments() const { return payments_; }
  events::Fen receivable_fen() const { return signed_fen_ - paid_fen_; }

 private:
  // Folds the outcome into the holds; a failure becomes the demo's failure, naming the step.
  Status Track(std::string_view step, std::size_t customer, events::TimeMs at_ms,
               const Result<aggregates::CommandOutcome>& outcome);
  Result<std::string> ActorFor(std::size_t customer, DemoActor actor) const;
  bool IsActive(std::string_view user_id) const;
  aggregates::CommandMeta Meta(std::string_view actor_id, events::TimeMs at_ms) const;

  aggregates::CommandService& service_;
  std::vector<std::string> customer_ids_;        // by plan index
  std::map<std::string, std::size_t> index_of_;  // plan index by customer id
  std::vector<events::Hold> holds_;              // by plan index
  std::vector<std::set<std::string>> holders_;   // everyone who ever held it, by plan index
  events::TimeMs next_sweep_ms_;
  events::Seq last_seq_ = 0;
  std::size_t contracts_ = 0;
  std::size_t payments_ = 0;
  events::Fen signed_fen_ = 0;
  events::Fen paid_fen_ = 0;
};

}  // namespace crm::demo
