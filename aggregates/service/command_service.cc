#include "aggregates/service/command_service.h"

#include <algorithm>
#include <utility>

#include "aggregates/customer_decider.h"
#include "aggregates/domain_errors.h"
#include "aggregates/stream_ids.h"
#include "aggregates/user_decider.h"
#include "events/company_name.h"

namespace crm::aggregates {
namespace {

bool IsVersionConflict(const Status& status) {
  return status.reason() == "wrong_expected_version";
}

Status TooMuchContention(int attempts) {
  return Status(StatusCode::kResourceExhausted, "too_much_contention",
                "other changes to the same records kept coming first; try again",
                {{"attempts", std::to_string(attempts)}});
}

}  // namespace

struct CommandService::Context {
  UserState actor;
  events::Policy policy;
  CompanyCalendar calendar;

  DecisionContext For(const Directory& directory, TimeMs now_ms) const {
    return DecisionContext{
        .actor = actor, .policy = policy, .calendar = calendar, .directory = directory, .now_ms = now_ms};
  }
};

CommandService::CommandService(log::EventLog& log, CommandServiceOptions options)
    : log_(log), options_(options), customers_(options.customer_cache_entries) {}

Result<std::unique_ptr<CommandService>> CommandService::Open(log::EventLog& log, CommandServiceOptions options) {
  std::unique_ptr<CommandService> service(new CommandService(log, options));
  CRM_RETURN_IF_ERROR(service->CatchUp(log.HeadSeq()));
  service->next_customer_number_ = service->directory_.max_customer_number() + 1;
  return service;
}

// ---- The decide-append loop -------------------------------------------------------------------

Result<CommandOutcome> CommandService::Run(const CommandMeta& meta, const Planner& planner) {
  CRM_ASSIGN_OR_RETURN(std::optional<CommandOutcome> seen, AnswerSeen(meta));
  if (seen.has_value()) return std::move(*seen);
  for (int attempt = 1; attempt <= options_.decision_attempts_max; ++attempt) {
    CRM_ASSIGN_OR_RETURN(const Plan plan, PlanAttempt(planner));
    Result<log::AppendResult> appended = Append(plan, meta);
    if (!appended.ok()) {
      if (!IsVersionConflict(appended.status())) return appended.status();
      Refresh(plan);
      continue;
    }
    return Conclude(plan, std::move(*appended));
  }
  return TooMuchContention(options_.decision_attempts_max);
}

struct CommandService::AsyncRun {
  CommandMeta meta;
  Planner planner;
  Post post;
  OutcomeDone done;
  int attempts = 0;
};

void CommandService::RunAsync(std::shared_ptr<AsyncRun> run) {
  Result<std::optional<CommandOutcome>> seen = AnswerSeen(run->meta);
  if (!seen.ok()) return run->done(seen.status());
  if (seen->has_value()) return run->done(std::move(**seen));
  AttemptAsync(std::move(run));
}

void CommandService::AttemptAsync(std::shared_ptr<AsyncRun> run) {
  ++run->attempts;
  Result<Plan> planned = PlanAttempt(run->planner);
  if (!planned.ok()) return run->done(planned.status());
  auto plan = std::make_shared<const Plan>(std::move(*planned));
  log_.AppendAsync(BatchFor(*plan, run->meta), [this, run, plan](Result<log::AppendResult> appended) {
    // On the log's writer thread: everything else happens where `post` puts it.
    run->post([this, run, plan, appended = std::move(appended)]() mutable {
      if (appended.ok()) return run->done(Conclude(*plan, std::move(*appended)));
      if (!IsVersionConflict(appended.status())) return run->done(appended.status());
      Refresh(*plan);
      if (run->attempts >= options_.decision_attempts_max) {
        return run->done(TooMuchContention(options_.decision_attempts_max));
      }
      AttemptAsync(run);
    });
  });
}

Result<std::optional<CommandOutcome>> CommandService::AnswerSeen(const CommandMeta& meta) {
  if (meta.idempotency_key.empty()) return std::optional<CommandOutcome>();
  CRM_ASSIGN_OR_RETURN(std::optional<log::AppendResult> seen,
                       log_.FindCommand(meta.idempotency_key, meta.request_fingerprint));
  if (!seen.has_value()) return std::optional<CommandOutcome>();
  CRM_ASSIGN_OR_RETURN(CommandOutcome outcome, OutcomeOf(std::move(*seen)));
  return std::optional<CommandOutcome>(std::move(outcome));
}

Result<CommandService::Plan> CommandService::PlanAttempt(const Planner& planner) {
  CRM_RETURN_IF_ERROR(CatchUp(log_.HeadSeq()));
  return planner();
}

Result<CommandOutcome> CommandService::Conclude(const Plan& plan, log::AppendResult appended) {
  CRM_ASSIGN_OR_RETURN(CommandOutcome outcome, OutcomeOf(std::move(appended)));
  CRM_RETURN_IF_ERROR(CatchUp(outcome));
  if (!outcome.duplicate) Recache(plan, outcome);
  return outcome;
}

log::AppendBatch CommandService::BatchFor(const Plan& plan, const CommandMeta& meta) const {
  log::AppendBatch batch{.command_id = meta.idempotency_key,
                         .request_fingerprint = meta.request_fingerprint,
                         .recorded_at_ms = meta.now_ms,
                         .streams = {}};
  // One StreamAppend per stream, in the order the decision first names it; a stream that
  // was only read is a condition without events.
  const auto stream_of = [&batch](const std::string& stream_id) -> log::StreamAppend& {
    for (log::StreamAppend& stream : batch.streams) {
      if (stream.stream_id == stream_id) return stream;
    }
    return batch.streams.emplace_back(log::StreamAppend{stream_id, log::kAnyVersion, {}});
  };
  for (const DecidedEvent& decided : plan.decision.events) {
    stream_of(decided.stream_id)
        .events.push_back(log::NewEvent{decided.event, decided.actor_id, decided.effective_at_ms});
  }
  for (const auto& [stream_id, version] : plan.expected) stream_of(stream_id).expected_version = version;
  return batch;
}

Result<log::AppendResult> CommandService::Append(const Plan& plan, const CommandMeta& meta) {
  return log_.Append(BatchFor(plan, meta));
}

Result<CommandOutcome> CommandService::OutcomeOf(log::AppendResult appended) {
  CommandOutcome outcome{.first_seq = appended.first_seq,
                         .last_seq = appended.last_seq,
                         .duplicate = appended.duplicate,
                         .events = std::move(appended.events)};
  // A fresh append hands back what it wrote; only a repeated command reads its first answer.
  if (!outcome.duplicate) return outcome;
  const std::unique_ptr<log::EventCursor> cursor = log_.Scan(appended.first_seq, appended.last_seq);
  for (; cursor->Valid(); cursor->Next()) outcome.events.push_back(cursor->event());
  CRM_RETURN_IF_ERROR(cursor->status());
  return outcome;
}

void CommandService::Recache(const Plan& plan, const CommandOutcome& outcome) {
  for (CustomerState state : plan.customers) {
    const std::string stream = CustomerStream(state.customer_id);
    for (const events::RecordedEvent& recorded : outcome.events) {
      if (recorded.envelope.stream_id == stream) {
        state = EvolveCustomer(std::move(state), recorded.event, recorded.envelope.effective_at_ms);
      }
    }
    customers_.Put(state);
  }
}

void CommandService::Refresh(const Plan& plan) {
  // A refused append means some stream moved on since the plan read it. Reading only the
  // events after each cached version brings the states up to date: reloading a busy customer
  // from its first event cost the HTTP follow-ups benchmark 9% of the server's time.
  for (CustomerState state : plan.customers) {
    Result<std::vector<events::RecordedEvent>> newer =
        log_.ReadStream(CustomerStream(state.customer_id), {.from_version = state.version + 1});
    if (!newer.ok()) {
      customers_.Erase(state.customer_id);  // the next command reloads it whole
      continue;
    }
    for (const events::RecordedEvent& recorded : *newer) {
      state = EvolveCustomer(std::move(state), recorded.event, recorded.envelope.effective_at_ms);
    }
    if (state.registered()) customers_.Put(state);
  }
}

Status CommandService::CatchUp(events::Seq seq) {
  {
    std::shared_lock lock(directory_mutex_);
    if (directory_.applied_seq() >= seq) return Status::Ok();
  }
  std::unique_lock lock(directory_mutex_);
  if (directory_.applied_seq() >= seq) return Status::Ok();
  const std::unique_ptr<log::EventCursor> cursor = log_.Scan(directory_.applied_seq() + 1, seq);
  for (; cursor->Valid(); cursor->Next()) directory_.Apply(cursor->event());
  return cursor->status();
}

Status CommandService::CatchUp(const CommandOutcome& outcome) {
  {
    std::shared_lock lock(directory_mutex_);
    if (directory_.applied_seq() >= outcome.last_seq) return Status::Ok();
  }
  {
    std::unique_lock lock(directory_mutex_);
    if (directory_.applied_seq() >= outcome.last_seq) return Status::Ok();
    // Nothing came between: the events in hand are the next ones, no read needed.
    if (directory_.applied_seq() + 1 == outcome.first_seq) {
      for (const events::RecordedEvent& recorded : outcome.events) directory_.Apply(recorded);
      return Status::Ok();
    }
  }
  // Commands of the same commit group came first and are not applied yet. Apply everything
  // durable in one go, so that the rest of the group finds its events applied under the shared
  // lock instead of queueing for the exclusive one to read the log again (a lock convoy the
  // peers benchmark showed: docs/benchmarks.md, "Peers").
  return CatchUp(std::max(outcome.last_seq, log_.HeadSeq()));
}

// ---- What decisions look at -------------------------------------------------------------------

Result<CommandService::Context> CommandService::ContextFor(const std::string& actor_id, TimeMs now_ms) {
  const UserState* actor = directory_.FindUser(actor_id);
  if (actor == nullptr) return errors::UnknownActor(actor_id);
  const events::Policy& policy = directory_.policy().InForceAt(now_ms);
  CRM_ASSIGN_OR_RETURN(CompanyCalendar calendar, CalendarFor(policy));
  return Context{.actor = *actor, .policy = policy, .calendar = std::move(calendar)};
}

Result<CompanyCalendar> CommandService::CalendarFor(const events::Policy& policy) {
  std::string key = policy.time_zone;
  for (const std::string& day : policy.holidays) key.append("|").append(day);
  std::lock_guard lock(calendars_mutex_);
  if (const auto it = calendars_.find(key); it != calendars_.end()) return it->second;
  CRM_ASSIGN_OR_RETURN(CompanyCalendar calendar, CompanyCalendar::Create(policy.time_zone, policy.holidays));
  calendars_.emplace(std::move(key), calendar);
  return calendar;
}

Result<CustomerState> CommandService::LoadCustomer(const std::string& customer_id) {
  if (std::optional<CustomerState> cached = customers_.Get(customer_id)) return std::move(*cached);
  CRM_ASSIGN_OR_RETURN(const std::vector<events::RecordedEvent> stream, log_.ReadStream(CustomerStream(customer_id)));
  CustomerState state;
  state.customer_id = customer_id;
  for (const events::RecordedEvent& recorded : stream) {
    state = EvolveCustomer(std::move(state), recorded.event, recorded.envelope.effective_at_ms);
  }
  if (state.registered()) customers_.Put(state);
  return state;
}

Result<ContractState> CommandService::LoadContract(const std::string& contract_no) {
  CRM_ASSIGN_OR_RETURN(const std::vector<events::RecordedEvent> stream, log_.ReadStream(ContractStream(contract_no)));
  ContractState state;
  state.contract_no = contract_no;
  for (const events::RecordedEvent& recorded : stream) state = EvolveContract(std::move(state), recorded.event);
  return state;
}

// ---- Commands ---------------------------------------------------------------------------------

Result<CommandOutcome> CommandService::CreateFirstAdmin(const CreateUser& command, TimeMs now_ms) {
  std::lock_guard lock(first_admin_mutex_);
  const CommandMeta meta{.actor_id = std::string(events::kSystemActorId),
                         .now_ms = now_ms,
                         .idempotency_key = {},
                         .request_fingerprint = std::nullopt};
  return Run(meta, [&]() -> Result<Plan> {
    std::shared_lock directory_lock(directory_mutex_);
    Plan plan;
    CRM_ASSIGN_OR_RETURN(plan.decision, DecideFirstAdmin(command, directory_));
    plan.expected[UserStream(command.user_id)] = log::kNoStream;
    return plan;
  });
}

Result<CommandOutcome> CommandService::RegisterCustomer(const CommandMeta& meta, aggregates::RegisterCustomer command) {
  // Both locks before the first decision: the name's, so that of two registrations of one
  // name exactly one is decided on a directory without it; the user's, for maxProtected.
  const Result<std::string> normalized = events::NormalizeCompanyName(command.name);
  const std::string& name_key = normalized.ok() ? *normalized : command.name;
  LockTable::Guard user_guard(user_locks_, {meta.actor_id});
  LockTable::Guard name_guard(name_locks_, {name_key});
  return Run(meta, [&]() -> Result<Plan> {
    std::shared_lock directory_lock(directory_mutex_);
    std::uint64_t number = next_customer_number_.fetch_add(1);
    if (number <= directory_.max_customer_number()) {
      number = directory_.max_customer_number() + 1;
      next_customer_number_ = number + 1;
    }
    command.customer_id = "C" + std::to_string(number);
    CRM_ASSIGN_OR_RETURN(const Context context, ContextFor(meta.actor_id, meta.now_ms));
    Plan plan;
    CRM_ASSIGN_OR_RETURN(plan.decision, DecideRegistration(command, context.For(directory_, meta.now_ms)));
    plan.expected[CustomerStream(command.customer_id)] = log::kNoStream;
    return plan;
  });
}

bool CommandService::HoldsUserLock(const CustomerCommand& command) {
  return std::holds_alternative<ProtectCustomer>(command) || std::holds_alternative<ReassignCustomer>(command);
}

Result<CommandOutcome> CommandService::ExecuteCustomer(const CommandMeta& meta, const std::string& customer_id,
                                                       const CustomerCommand& command) {
  // Commands that add to a user's holdings hold that user's lock (see the header): a claim the
  // caller's, a reassignment its new owner's.
  std::string_view gaining_user;
  if (HoldsUserLock(command)) {
    const auto* reassign = std::get_if<ReassignCustomer>(&command);
    gaining_user = reassign != nullptr ? std::string_view(reassign->to_user_id) : std::string_view(meta.actor_id);
  }
  LockTable::Guard user_guard(user_locks_, {gaining_user});
  return Run(meta, [&] { return PlanCustomer(meta, customer_id, command); });
}

void CommandService::ExecuteCustomerAsync(CommandMeta meta, std::string customer_id, CustomerCommand command, Post post,
                                          OutcomeDone done) {
  if (HoldsUserLock(command)) {
    return done(Status::Internal("async_needs_lock", "claims and reassignments run with ExecuteCustomer"));
  }
  auto run = std::make_shared<AsyncRun>(
      AsyncRun{.meta = meta, .planner = {}, .post = std::move(post), .done = std::move(done), .attempts = 0});
  run->planner = [this, meta = std::move(meta), customer_id = std::move(customer_id), command = std::move(command)] {
    return PlanCustomer(meta, customer_id, command);
  };
  RunAsync(std::move(run));
}

Result<CommandService::Plan> CommandService::PlanCustomer(const CommandMeta& meta, const std::string& customer_id,
                                                          const CustomerCommand& command) {
  Plan plan;
  if (const auto* sign = std::get_if<SignContract>(&command)) {
    // A contract number is taken once: its stream must not exist yet.
    const std::string contract_stream = ContractStream(sign->contract_no);
    CRM_ASSIGN_OR_RETURN(const events::StreamVersion contract_version, log_.StreamHead(contract_stream));
    if (contract_version != 0) return errors::ContractExists(sign->contract_no);
    plan.expected[contract_stream] = log::kNoStream;
  }
  CRM_ASSIGN_OR_RETURN(CustomerState state, LoadCustomer(customer_id));
  std::shared_lock directory_lock(directory_mutex_);
  CRM_ASSIGN_OR_RETURN(const Context context, ContextFor(meta.actor_id, meta.now_ms));
  CRM_ASSIGN_OR_RETURN(plan.decision, DecideCustomer(state, command, context.For(directory_, meta.now_ms)));
  plan.expected[CustomerStream(customer_id)] = state.version;
  plan.customers.push_back(std::move(state));
  return plan;
}

Result<CommandOutcome> CommandService::RecordPayment(const CommandMeta& meta,
                                                     const aggregates::RecordPayment& command) {
  return Run(meta, [&]() -> Result<Plan> {
    CRM_ASSIGN_OR_RETURN(const ContractState contract, LoadContract(command.contract_no));
    std::shared_lock directory_lock(directory_mutex_);
    CRM_ASSIGN_OR_RETURN(const Context context, ContextFor(meta.actor_id, meta.now_ms));
    Plan plan;
    CRM_ASSIGN_OR_RETURN(plan.decision, DecidePayment(contract, command, context.For(directory_, meta.now_ms)));
    plan.expected[ContractStream(command.contract_no)] = contract.version;
    return plan;
  });
}

Result<CommandOutcome> CommandService::ExecuteUser(const CommandMeta& meta, const UserCommand& command) {
  const std::string user_id = std::visit([](const auto& c) { return c.user_id; }, command);
  return Run(meta, [&]() -> Result<Plan> {
    std::shared_lock directory_lock(directory_mutex_);
    CRM_ASSIGN_OR_RETURN(const Context context, ContextFor(meta.actor_id, meta.now_ms));
    const UserState* known = directory_.FindUser(user_id);
    UserState target = known != nullptr ? *known : UserState{};
    if (known == nullptr) target.user_id = user_id;
    Plan plan;
    CRM_ASSIGN_OR_RETURN(plan.decision, DecideUser(target, command, context.For(directory_, meta.now_ms)));
    plan.expected[UserStream(user_id)] = target.version;
    return plan;
  });
}

Result<CommandOutcome> CommandService::HandOver(const CommandMeta& meta, const HandOverCustomers& command) {
  // The giver's lock too: nothing may be added to what is being handed over meanwhile.
  LockTable::Guard user_guard(user_locks_, {command.from_user_id, command.to_user_id});
  return Run(meta, [&]() -> Result<Plan> {
    std::vector<std::string> owned_ids;
    {
      std::shared_lock directory_lock(directory_mutex_);
      owned_ids = directory_.CustomersOwnedBy(command.from_user_id);
    }
    Plan plan;
    if (owned_ids.size() > kHandoverCustomersMax) owned_ids.resize(kHandoverCustomersMax + 1);  // refused below
    for (const std::string& id : owned_ids) {
      CRM_ASSIGN_OR_RETURN(CustomerState state, LoadCustomer(id));
      plan.expected[CustomerStream(id)] = state.version;
      plan.customers.push_back(std::move(state));
    }
    std::shared_lock directory_lock(directory_mutex_);
    CRM_ASSIGN_OR_RETURN(const Context context, ContextFor(meta.actor_id, meta.now_ms));
    CRM_ASSIGN_OR_RETURN(plan.decision, DecideHandover(command, plan.customers, context.For(directory_, meta.now_ms)));
    return plan;
  });
}

Result<CommandOutcome> CommandService::ChangePolicy(const CommandMeta& meta, const aggregates::ChangePolicy& command) {
  // The zone must exist before the policy can be in force; finding out reads the tz database,
  // which is the shell's business, not the decider's.
  CRM_RETURN_IF_ERROR(CalendarFor(command.policy).status());
  return Run(meta, [&]() -> Result<Plan> {
    std::shared_lock directory_lock(directory_mutex_);
    CRM_ASSIGN_OR_RETURN(const Context context, ContextFor(meta.actor_id, meta.now_ms));
    Plan plan;
    CRM_ASSIGN_OR_RETURN(plan.decision, DecidePolicy(command, context.For(directory_, meta.now_ms)));
    plan.expected[std::string(kPolicyStream)] = directory_.policy().version;
    return plan;
  });
}

// ---- The sweeper ------------------------------------------------------------------------------

Result<SweepReport> CommandService::Sweep(TimeMs now_ms) {
  CRM_RETURN_IF_ERROR(CatchUp(log_.HeadSeq()));
  std::vector<std::string> due_ids;
  {
    std::shared_lock directory_lock(directory_mutex_);
    due_ids = directory_.DueForRelease(now_ms, options_.sweep_batch_max);
  }
  Plan plan;
  for (const std::string& id : due_ids) {
    CRM_ASSIGN_OR_RETURN(CustomerState state, LoadCustomer(id));
    Decision release = DecideDueRelease(state, now_ms);
    if (release.events.empty()) continue;  // someone wrote it meanwhile
    plan.expected[CustomerStream(id)] = state.version;
    plan.decision.events.push_back(std::move(release.events.front()));
    plan.customers.push_back(std::move(state));
  }
  SweepReport report{.released = 0, .last_seq = 0, .more = due_ids.size() == options_.sweep_batch_max};
  if (plan.decision.events.empty()) return report;

  const CommandMeta meta{.actor_id = std::string(events::kSystemActorId),
                         .now_ms = now_ms,
                         .idempotency_key = {},
                         .request_fingerprint = std::nullopt};
  Result<log::AppendResult> appended = Append(plan, meta);
  if (!appended.ok()) {
    if (!IsVersionConflict(appended.status())) return appended.status();
    // A command touched one of them since we looked (and wrote its release itself, or moved
    // it on): release the rest one at a time.
    Refresh(plan);
    CRM_ASSIGN_OR_RETURN(SweepReport single, SweepOneByOne(plan.customers, now_ms));
    single.more = report.more;
    return single;
  }
  CRM_ASSIGN_OR_RETURN(const CommandOutcome outcome, OutcomeOf(std::move(*appended)));
  CRM_RETURN_IF_ERROR(CatchUp(outcome));
  Recache(plan, outcome);
  report.released = plan.decision.events.size();
  report.last_seq = outcome.last_seq;
  return report;
}

Result<SweepReport> CommandService::SweepOneByOne(const std::vector<CustomerState>& due, TimeMs now_ms) {
  SweepReport report{.released = 0, .last_seq = 0, .more = false};
  const CommandMeta meta{.actor_id = std::string(events::kSystemActorId),
                         .now_ms = now_ms,
                         .idempotency_key = {},
                         .request_fingerprint = std::nullopt};
  for (const CustomerState& stale : due) {
    bool released = false;
    const Result<CommandOutcome> outcome = Run(meta, [&]() -> Result<Plan> {
      CRM_ASSIGN_OR_RETURN(CustomerState state, LoadCustomer(stale.customer_id));
      Plan plan;
      plan.decision = DecideDueRelease(state, now_ms);
      released = !plan.decision.events.empty();
      plan.expected[CustomerStream(stale.customer_id)] = state.version;
      plan.customers.push_back(std::move(state));
      return plan;
    });
    CRM_RETURN_IF_ERROR(outcome.status());
    if (released) {
      ++report.released;
      report.last_seq = outcome->last_seq;
    }
  }
  return report;
}

// ---- Reads ------------------------------------------------------------------------------------

std::optional<UserState> CommandService::FindUser(const std::string& user_id) {
  CatchUp(log_.HeadSeq()).IgnoreError();  // a stale answer is still an answer
  std::shared_lock lock(directory_mutex_);
  const UserState* user = directory_.FindUser(user_id);
  return user != nullptr ? std::optional<UserState>(*user) : std::nullopt;
}

std::optional<UserState> CommandService::FindUserByToken(const events::Sha256Digest& token_sha256) {
  CatchUp(log_.HeadSeq()).IgnoreError();
  std::shared_lock lock(directory_mutex_);
  const UserState* user = directory_.FindUserByToken(token_sha256);
  return user != nullptr ? std::optional<UserState>(*user) : std::nullopt;
}

std::vector<UserState> CommandService::Users() {
  CatchUp(log_.HeadSeq()).IgnoreError();
  std::shared_lock lock(directory_mutex_);
  std::vector<UserState> users;
  for (const UserState* user : directory_.Users()) users.push_back(*user);
  return users;
}

events::Policy CommandService::PolicyAt(TimeMs at_ms) {
  CatchUp(log_.HeadSeq()).IgnoreError();
  std::shared_lock lock(directory_mutex_);
  return directory_.policy().InForceAt(at_ms);
}

}  // namespace crm::aggregates
