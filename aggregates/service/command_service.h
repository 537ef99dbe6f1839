// CommandService: where a command becomes durable events. For each command it loads the state
// the decider needs (from its cache or the log), decides with the pure deciders of aggregates/,
// and appends the decision with the stream versions it was decided on; when another command
// got there first it decides again, a bounded number of times.
//
// What makes the cross-stream rules exact (docs/rules.md, "Concurrency"):
//   - one customer:  the expected version of its stream: N simultaneous claims, one wins;
//   - one user's holdings and daily claims: the user's lock, held from decision to append, by
//     every command that can add to them (register, protect, reassign to, hand over to);
//   - one normalised name: the name's lock, held the same way by registrations;
//   - one contract number: the contract's stream must not exist yet.
// Idempotency: a command with a key seen before answers with the first outcome, decided and
// written once, even when both arrive at once (the log's command index breaks the tie).
//
// Thread-safety: every method may be called from any number of threads at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "aggregates/commands.h"
#include "aggregates/company_calendar.h"
#include "aggregates/contract_state.h"
#include "aggregates/customer_state.h"
#include "aggregates/decision.h"
#include "aggregates/directory.h"
#include "aggregates/service/customer_cache.h"
#include "aggregates/service/lock_table.h"
#include "events/log/event_log.h"

namespace crm::aggregates {

struct CommandServiceOptions {
  // Customers whose state stays in memory between commands. Default: 100'000.
  std::size_t customer_cache_entries = 100'000;
  // Decisions one command may take when other commands keep changing its streams first.
  // Default: 16; then kResourceExhausted/too_much_contention (HTTP 429: try again).
  int decision_attempts_max = 16;
  // Releases one Sweep call writes at most. Default: 256.
  std::size_t sweep_batch_max = 256;
};

// Who asks, when, and under which idempotency key.
struct CommandMeta {
  std::string actor_id;  // the caller's user id, resolved from the token by the shell
  TimeMs now_ms = 0;     // the shell's clock; the decision's "now" and the recorded time
  // Empty: none. The shell scopes keys per caller, so two users' keys never collide.
  std::string idempotency_key;
  // Digest of the request behind the key; the same key with another request is refused
  // (idempotency_key_reused). Default: none.
  std::optional<events::Sha256Digest> request_fingerprint;
};

struct CommandOutcome {
  events::Seq first_seq = 0;
  events::Seq last_seq = 0;  // durable when returned
  bool duplicate = false;    // answered from the first time the key was used
  std::vector<events::RecordedEvent> events;
};

struct SweepReport {
  std::size_t released = 0;
  events::Seq last_seq = 0;  // 0 when nothing was written
  bool more = false;         // the batch was full: more releases may be due
};

class CommandService {
 public:
  // Rebuilds the directory from the whole log. `log` is borrowed and must outlive the service.
  static Result<std::unique_ptr<CommandService>> Open(log::EventLog& log, CommandServiceOptions options = {});

  // The first admin of an empty system, written by the system (the server's --admin-token).
  Result<CommandOutcome> CreateFirstAdmin(const CreateUser& command, TimeMs now_ms);

  // Rule 2. The service chooses the customer id ("C<n>"); it is in the outcome's events.
  Result<CommandOutcome> RegisterCustomer(const CommandMeta& meta, RegisterCustomer command);
  Result<CommandOutcome> ExecuteCustomer(const CommandMeta& meta, const std::string& customer_id,
                                         const CustomerCommand& command);

  // ExecuteCustomer without blocking on the disk, for shells that park no thread per command.
  // Decides on the calling thread and queues the append (EventLog::AppendAsync); once the log
  // answers, `post` is handed the rest (a retry after a conflict, or the outcome) so that it
  // leaves the log's writer thread, and `done` gets what ExecuteCustomer would return. A command
  // refused before its append is answered on the calling thread. `post` must run each task soon,
  // on any thread. The service must outlive every `done`.
  // REQUIRES: !HoldsUserLock(command): claims and reassignments hold a user's lock from decision
  // to append, which a thread that does not wait cannot do; run those with ExecuteCustomer.
  using Post = std::function<void(std::function<void()>)>;
  using OutcomeDone = std::function<void(Result<CommandOutcome>)>;
  void ExecuteCustomerAsync(CommandMeta meta, std::string customer_id, CustomerCommand command, Post post,
                            OutcomeDone done);
  // Whether `command` adds to a user's holdings, and so takes that user's lock (see above).
  static bool HoldsUserLock(const CustomerCommand& command);
  Result<CommandOutcome> RecordPayment(const CommandMeta& meta, const RecordPayment& command);
  Result<CommandOutcome> ExecuteUser(const CommandMeta& meta, const UserCommand& command);
  Result<CommandOutcome> HandOver(const CommandMeta& meta, const HandOverCustomers& command);
  // `command.policy` is the whole new policy; PolicyAt gives the current one to merge into.
  Result<CommandOutcome> ChangePolicy(const CommandMeta& meta, const ChangePolicy& command);

  // Rule 13's writer: appends up to sweep_batch_max releases that are due at `now_ms` (expiry,
  // review time-out), each effective at its deadline, by the system.
  Result<SweepReport> Sweep(TimeMs now_ms);

  // Reads the shell needs to authenticate and answer: copies, current as of the call.
  std::optional<UserState> FindUser(const std::string& user_id);
  std::optional<UserState> FindUserByToken(const events::Sha256Digest& token_sha256);
  std::vector<UserState> Users();
  events::Policy PolicyAt(TimeMs at_ms);
  Result<CustomerState> LoadCustomer(const std::string& customer_id);

 private:
  // One attempt's decision, and every stream version it was decided on.
  struct Plan {
    Decision decision;
    std::map<std::string, events::StreamVersion> expected;  // absent: written with any version
    std::vector<CustomerState> customers;                   // the states decided on, to re-cache
  };
  using Planner = std::function<Result<Plan>()>;

  CommandService(log::EventLog& log, CommandServiceOptions options);

  // Answers a seen key, else decides and appends, retrying on version conflicts.
  Result<CommandOutcome> Run(const CommandMeta& meta, const Planner& planner);
  // The same without waiting for the disk (ExecuteCustomerAsync).
  struct AsyncRun;
  void RunAsync(std::shared_ptr<AsyncRun> run);
  void AttemptAsync(std::shared_ptr<AsyncRun> run);

  // The pieces of a run. The first outcome of a seen idempotency key, if any.
  Result<std::optional<CommandOutcome>> AnswerSeen(const CommandMeta& meta);
  // One attempt's plan, decided on a directory caught up with the log.
  Result<Plan> PlanAttempt(const Planner& planner);
  // The customer's decision of ExecuteCustomer. REQUIRES: the user lock, if HoldsUserLock.
  Result<Plan> PlanCustomer(const CommandMeta& meta, const std::string& customer_id, const CustomerCommand& command);
  log::AppendBatch BatchFor(const Plan& plan, const CommandMeta& meta) const;
  Result<log::AppendResult> Append(const Plan& plan, const CommandMeta& meta);
  // A durable append as the command's outcome, applied to the directory and the cache.
  Result<CommandOutcome> Conclude(const Plan& plan, log::AppendResult appended);
  Result<CommandOutcome> OutcomeOf(log::AppendResult appended);
  void Recache(const Plan& plan, const CommandOutcome& outcome);
  // Brings the cached states of a refused plan up to date with the log.
  void Refresh(const Plan& plan);

  // Applies the log up to `seq` to the directory.
  Status CatchUp(events::Seq seq);
  // The same up to a command's last event, using its events when they are the next ones.
  Status CatchUp(const CommandOutcome& outcome);
  // What a decision by `actor_id` at `now_ms` looks at. REQUIRES: directory_mutex_ held.
  struct Context;
  Result<Context> ContextFor(const std::string& actor_id, TimeMs now_ms);
  Result<CompanyCalendar> CalendarFor(const events::Policy& policy);
  Result<ContractState> LoadContract(const std::string& contract_no);
  Result<SweepReport> SweepOneByOne(const std::vector<CustomerState>& due, TimeMs now_ms);

  log::EventLog& log_;
  const CommandServiceOptions options_;
  CustomerCache customers_;
  LockTable user_locks_;
  LockTable name_locks_;
  std::mutex first_admin_mutex_;
  std::atomic<std::uint64_t> next_customer_number_{1};

  std::shared_mutex directory_mutex_;
  Directory directory_;

  std::mutex calendars_mutex_;
  std::map<std::string, CompanyCalendar> calendars_;  // by time zone and holidays
};

}  // namespace crm::aggregates
