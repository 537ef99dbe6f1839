// workload_check: proves that the workload generator writes histories the real rulebook could
// have written. Every command is turned back into the command a person issued (the follow-up's
// channel, notes and next contact time; the contract's lines; ...), decided again by the real
// deciders of aggregates/ on the state folded from every event so far, and the decision must
// equal the generated events exactly: same streams in the same order, same events, actors and
// effective times, and expected versions equal to the streams' versions. On top of that:
//
//   - recorded times never decrease, and no hold is ever past its deadline unreleased when
//     someone acts (the sweeper writes every expiry and review time-out on time, rule 13);
//   - customer ids are C1, C2, ... in registration order; contract numbers are unique (the
//     decider is given a contract stream that must not exist); payments never exceed totals;
//   - every kind of event domain.md describes occurs, and follow-ups are the most frequent;
//   - the same seed gives the same history, a different seed another.
//
//   build/release/bin/workload_check [--events N] [--seed S] [--salespeople P] [--customers M]
//
// Exits 0 when every check holds, 1 with the first violation otherwise.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <unordered_map>

#include "aggregates/customer_decider.h"
#include "aggregates/directory.h"
#include "aggregates/stream_ids.h"
#include "aggregates/user_decider.h"
#include "events/event_subject.h"
#include "workload/workload.h"

namespace crm::bench {
namespace {

using aggregates::Decision;
using events::Event;
using events::TimeMs;
using workload::Command;
using workload::CommandKind;
using workload::WorkloadEvent;
using workload::WorkloadStream;

Status Violation(const std::string& what) {
  return Status::Internal("workload_violation", what);
}

std::string Describe(const Command& command) {
  std::string text = std::string(workload::CommandKindName(command.kind)) + " by " + command.actor_id + " at " +
                     std::to_string(command.recorded_at_ms) + " on";
  for (const WorkloadStream& stream : command.streams) text += " " + stream.stream_id;
  return text;
}

class Checker {
 public:
  Status Check(const Command& command);
  std::uint64_t events_checked() const { return seq_; }

 private:
  Result<Decision> Decide(const Command& command);
  Result<Decision> DecideCustomerCommand(const Command& command, const aggregates::DecisionContext& ctx);
  Result<aggregates::CompanyCalendar> CalendarFor(const events::Policy& policy);
  Status Compare(const Command& command, const Decision& decision) const;
  Status CheckVersions(const Command& command) const;
  void Apply(const Command& command);

  aggregates::Directory directory_;
  std::unordered_map<std::string, aggregates::CustomerState> customers_;
  std::unordered_map<std::string, aggregates::ContractState> contracts_;
  std::unordered_map<std::string, events::StreamVersion> versions_;
  std::map<std::string, aggregates::CompanyCalendar> calendars_;
  events::Seq seq_ = 0;
  TimeMs last_recorded_ms_ = 0;
};

Result<aggregates::CompanyCalendar> Checker::CalendarFor(const events::Policy& policy) {
  std::string key = policy.time_zone;
  for (const std::string& day : policy.holidays) key += "|" + day;
  if (const auto it = calendars_.find(key); it != calendars_.end()) return it->second;
  CRM_ASSIGN_OR_RETURN(aggregates::CompanyCalendar calendar,
                       aggregates::CompanyCalendar::Create(policy.time_zone, policy.holidays));
  calendars_.emplace(key, calendar);
  return calendar;
}

Status Checker::Check(const Command& command) {
  if (command.streams.empty() || command.event_count() == 0) return Violation("empty command: " + Describe(command));
  if (command.recorded_at_ms < last_recorded_ms_) return Violation("time went backwards: " + Describe(command));
  if (command.kind != CommandKind::kSweep) {
    const std::vector<std::string> due = directory_.DueForRelease(command.recorded_at_ms, 1);
    if (!due.empty())
      return Violation("customer " + due.front() + " is past its deadline unreleased at " + Describe(command));
  }
  CRM_RETURN_IF_ERROR(CheckVersions(command));
  Result<Decision> decision = Decide(command);
  if (!decision.ok())
    return Violation("the deciders refuse " + Describe(command) + ": " + decision.status().ToString());
  CRM_RETURN_IF_ERROR(Compare(command, *decision));
  Apply(command);
  last_recorded_ms_ = command.recorded_at_ms;
  return Status::Ok();
}

Status Checker::CheckVersions(const Command& command) const {
  for (std::size_t i = 0; i < command.streams.size(); ++i) {
    const WorkloadStream& stream = command.streams[i];
    for (std::size_t j = 0; j < i; ++j) {
      if (command.streams[j].stream_id == stream.stream_id)
        return Violation("stream named twice: " + Describe(command));
    }
    const auto it = versions_.find(stream.stream_id);
    const events::StreamVersion version = it == versions_.end() ? 0 : it->second;
    if (stream.expected_version != version) {
      return Violation("expected version " + std::to_string(stream.expected_version) + " of " + stream.stream_id +
                       " but it is at " + std::to_string(version) + ": " + Describe(command));
    }
  }
  return Status::Ok();
}

// The decision as the command service would append it: one stream entry per stream, in the
// order the decision first names it.
Status Checker::Compare(const Command& command, const Decision& decision) const {
  std::vector<WorkloadStream> expected;
  for (const aggregates::DecidedEvent& decided : decision.events) {
    WorkloadStream* stream = nullptr;
    for (WorkloadStream& existing : expected) {
      if (existing.stream_id == decided.stream_id) stream = &existing;
    }
    if (stream == nullptr) stream = &expected.emplace_back(WorkloadStream{decided.stream_id, 0, {}});
    stream->events.push_back(WorkloadEvent{decided.event, decided.actor_id, decided.effective_at_ms});
  }
  if (expected.size() != command.streams.size())
    return Violation("streams differ from the decision: " + Describe(command));
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const WorkloadStream& want = expected[i];
    const WorkloadStream& got = command.streams[i];
    if (want.stream_id != got.stream_id || want.events.size() != got.events.size()) {
      return Violation("stream " + got.stream_id + " differs from the decision's " + want.stream_id + ": " +
                       Describe(command));
    }
    for (std::size_t e = 0; e < want.events.size(); ++e) {
      const WorkloadEvent& a = want.events[e];
      const WorkloadEvent& b = got.events[e];
      if (!(a.event == b.event) || a.actor_id != b.actor_id || a.effective_at_ms != b.effective_at_ms) {
        return Violation("event " + std::to_string(e) + " (" + std::string(events::EventTypeName(b.event)) +
                         ") differs from the decision's (" + std::string(events::EventTypeName(a.event)) +
                         "): " + Describe(command));
      }
    }
  }
  return Status::Ok();
}

Result<Decision> Checker::Decide(const Command& command) {
  const Event& first = command.streams.front().events.front().event;
  const TimeMs now = command.recorded_at_ms;
  if (command.kind == CommandKind::kCreateFirstAdmin) {
    const auto& e = std::get<events::UserCreated>(first);
    return aggregates::DecideFirstAdmin({.user_id = e.user_id,
                                         .name = e.name,
                                         .role = e.role,
                                         .team = e.team,
                                         .manager_id = e.manager_id,
                                         .token_sha256 = e.token_sha256},
                                        directory_);
  }
  if (command.kind == CommandKind::kSweep) {
    Decision decision;
    for (const WorkloadStream& stream : command.streams) {
      const auto it = customers_.find(*events::CustomerIdOf(stream.events.front().event));
      if (it == customers_.end()) return Violation("sweep of an unknown customer");
      for (aggregates::DecidedEvent& release : aggregates::DecideDueRelease(it->second, now).events) {
        decision.events.push_back(std::move(release));
      }
    }
    return decision;
  }
  const aggregates::UserState* actor = directory_.FindUser(command.actor_id);
  if (actor == nullptr) return Violation("unknown actor " + command.actor_id);
  const events::Policy& policy = directory_.policy().InForceAt(now);
  CRM_ASSIGN_OR_RETURN(const aggregates::CompanyCalendar calendar, CalendarFor(policy));
  const aggregates::DecisionContext ctx{
      .actor = *actor, .policy = policy, .calendar = calendar, .directory = directory_, .now_ms = now};
  switch (command.kind) {
    case CommandKind::kCreateUser: {
      const auto& e = std::get<events::UserCreated>(first);
      const aggregates::UserState* known = directory_.FindUser(e.user_id);
      aggregates::UserState target = known != nullptr ? *known : aggregates::UserState{};
      target.user_id = e.user_id;
      return aggregates::DecideUser(target,
                                    aggregates::CreateUser{.user_id = e.user_id,
                                                           .name = e.name,
                                                           .role = e.role,
                                                           .team = e.team,
                                                           .manager_id = e.manager_id,
                                                           .token_sha256 = e.token_sha256},
                                    ctx);
    }
    case CommandKind::kChangePolicy:
      return aggregates::DecidePolicy({.policy = std::get<events::PolicyChanged>(first).policy}, ctx);
    case CommandKind::kRegisterCustomer: {
      const auto& e = std::get<events::CustomerRegistered>(first);
      if (e.customer_id != "C" + std::to_string(directory_.max_customer_number() + 1)) {
        return Violation("customer id " + e.customer_id + " is not the next one");
      }
      return aggregates::DecideRegistration({.customer_id = e.customer_id,
                                             .name = e.name,
                                             .region = e.region,
                                             .industry = e.industry,
                                             .address = e.address,
                                             .phone = e.phone,
                                             .intro = e.intro,
                                             .website = e.website},
                                            ctx);
    }
    case CommandKind::kRecordPayment: {
      const auto& e = std::get<events::PaymentRecorded>(first);
      const auto it = contracts_.find(e.contract_no);
      const aggregates::ContractState contract = it != contracts_.end() ? it->second : aggregates::ContractState{};
      return aggregates::DecidePayment(contract,
                                       {.contract_no = e.contract_no,
                                        .amount_fen = e.amount_fen,
                                        .paid_at_ms = e.paid_at_ms,
                                        .method = e.method,
                                        .handler = e.handler,
                                        .account = e.account},
                                       ctx);
    }
    default: return DecideCustomerCommand(command, ctx);
  }
}

// The customer command a person issued to produce these events.
Result<Decision> Checker::DecideCustomerCommand(const Command& command, const aggregates::DecisionContext& ctx) {
  const Event& first = command.streams.front().events.front().event;
  aggregates::CustomerCommand customer_command;
  std::string customer_id;
  if (const auto* e = std::get_if<events::ContractSigned>(&first)) {
    customer_id = e->customer_id;
    aggregates::SignContract sign{.contract_no = e->contract_no,
                                  .contract_type = e->contract_type,
                                  .signed_at_ms = e->signed_at_ms,
                                  .payment_method = e->payment_method,
                                  .buyer = e->buyer,
                                  .lines = {},
                                  .extras = e->extras,
                                  .total_fen = e->total_fen,
                                  .aftersales_owner_id = ""};
    for (const events::ContractLine& line : e->lines) {
      sign.lines.push_back({.product = line.product, .quantity = line.quantity, .unit_price_fen = line.unit_price_fen});
    }
    if (command.streams.size() > 1) {
      const auto& handed = std::get<events::CustomerHandedToAftersales>(command.streams[1].events.front().event);
      sign.aftersales_owner_id = handed.aftersales_owner_id;
    }
    customer_command = std::move(sign);
  } else {
    const std::string* id = events::CustomerIdOf(first);
    if (id == nullptr) return Violation("not a customer event");
    customer_id = *id;
    customer_command = std::visit(
        [&](const auto& e) -> aggregates::CustomerCommand {
          using E = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<E, events::CustomerProtected>) {
            return aggregates::ProtectCustomer{};
          } else if constexpr (std::is_same_v<E, events::ProtectionApproved>) {
            return aggregates::ReviewProtection{.approve = true, .reason = e.reason};
          } else if constexpr (std::is_same_v<E, events::ProtectionRejected>) {
            return aggregates::ReviewProtection{.approve = false, .reason = e.reason};
          } else if constexpr (std::is_same_v<E, events::ContactAdded>) {
            return aggregates::AddContact{.name = e.name,
                                          .title = e.title,
                                          .mobile = e.mobile,
                                          .phone = e.phone,
                                          .email = e.email,
                                          .postcode = e.postcode};
          } else if constexpr (std::is_same_v<E, events::FollowUpRecorded>) {
            return aggregates::RecordFollowUp{
                .channel = e.channel, .notes = e.notes, .next_contact_at_ms = e.next_contact_at_ms};
          } else if constexpr (std::is_same_v<E, events::ExtensionRequested>) {
            return aggregates::RequestExtension{.days = e.days, .reason = e.reason};
          } else if constexpr (std::is_same_v<E, events::ExtensionGranted>) {
            return aggregates::DecideExtension{.request_id = e.request_id, .approve = true, .reason = e.reason};
          } else if constexpr (std::is_same_v<E, events::ExtensionDenied>) {
            return aggregates::DecideExtension{.request_id = e.request_id, .approve = false, .reason = e.reason};
          } else if constexpr (std::is_same_v<E, events::PromotionRequested>) {
            return aggregates::RequestPromotion{.reason = e.reason};
          } else if constexpr (std::is_same_v<E, events::CustomerPromoted>) {
            return aggregates::DecidePromotion{.request_id = e.request_id, .approve = true, .reason = e.reason};
          } else if constexpr (std::is_same_v<E, events::PromotionDenied>) {
            return aggregates::DecidePromotion{.request_id = e.request_id, .approve = false, .reason = e.reason};
          } else if constexpr (std::is_same_v<E, events::CustomerAbandoned>) {
            return aggregates::AbandonCustomer{.reason = e.reason};
          } else if constexpr (std::is_same_v<E, events::CustomerReassigned>) {
            return aggregates::ReassignCustomer{.to_user_id = e.to_user_id, .reason = e.reason};
          } else {
            return aggregates::ProtectCustomer{};  // no command writes this alone: Compare will say so
          }
        },
        first);
  }
  const auto it = customers_.find(customer_id);
  if (it == customers_.end()) return Violation("command on unknown customer " + customer_id);
  return aggregates::DecideCustomer(it->second, customer_command, ctx);
}

void Checker::Apply(const Command& command) {
  for (const WorkloadStream& stream : command.streams) {
    events::StreamVersion& version = versions_[stream.stream_id];
    for (const WorkloadEvent& event : stream.events) {
      events::RecordedEvent recorded;
      recorded.envelope.seq = ++seq_;
      recorded.envelope.stream_id = stream.stream_id;
      recorded.envelope.stream_version = ++version;
      recorded.envelope.recorded_at_ms = command.recorded_at_ms;
      recorded.envelope.effective_at_ms = event.effective_at_ms.value_or(command.recorded_at_ms);
      recorded.envelope.actor_id = event.actor_id;
      recorded.event = event.event;
      directory_.Apply(recorded);
      if (const std::string* customer_id = events::CustomerIdOf(event.event)) {
        aggregates::CustomerState& state = customers_[*customer_id];
        state = aggregates::EvolveCustomer(std::move(state), event.event, recorded.envelope.effective_at_ms);
      } else if (const auto* signed_ = std::get_if<events::ContractSigned>(&event.event)) {
        contracts_[signed_->contract_no] = aggregates::EvolveContract({}, event.event);
      } else if (const auto* paid = std::get_if<events::PaymentRecorded>(&event.event)) {
        aggregates::ContractState& contract = contracts_[paid->contract_no];
        contract = aggregates::EvolveContract(std::move(contract), event.event);
      }
    }
  }
}

bool SameCommand(const Command& a, const Command& b) {
  if (a.kind != b.kind || a.actor_id != b.actor_id || a.recorded_at_ms != b.recorded_at_ms ||
      a.streams.size() != b.streams.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.streams.size(); ++i) {
    const WorkloadStream& x = a.streams[i];
    const WorkloadStream& y = b.streams[i];
    if (x.stream_id != y.stream_id || x.expected_version != y.expected_version || x.events.size() != y.events.size()) {
      return false;
    }
    for (std::size_t e = 0; e < x.events.size(); ++e) {
      if (!(x.events[e].event == y.events[e].event) || x.events[e].actor_id != y.events[e].actor_id ||
          x.events[e].effective_at_ms != y.events[e].effective_at_ms) {
        return false;
      }
    }
  }
  return true;
}

// Same seed, same history; another seed, another history.
Status CheckDeterminism(const workload::WorkloadOptions& options, int commands) {
  workload::Workload a(options);
  workload::Workload b(options);
  workload::WorkloadOptions other_options = options;
  ++other_options.seed;
  workload::Workload other(other_options);
  bool differs = false;
  for (int i = 0; i < commands; ++i) {
    const Command x = *a.Next();
    if (!SameCommand(x, *b.Next())) return Violation("one seed gave two histories at command " + std::to_string(i));
    differs = differs || !SameCommand(x, *other.Next());
  }
  return differs ? Status::Ok() : Violation("two seeds gave the same history");
}

Status CheckMix(const workload::WorkloadStats& stats) {
  using namespace events;
  const auto count = [&](auto tag) { return stats.events_by_type[Event(std::in_place_type<decltype(tag)>).index()]; };
  const std::pair<const char*, std::uint64_t> required[] = {
      {"CustomerRegistered", count(CustomerRegistered{})},
      {"CustomerProtected", count(CustomerProtected{})},
      {"ProtectionApproved", count(ProtectionApproved{})},
      {"ProtectionRejected", count(ProtectionRejected{})},
      {"ProtectionReviewTimedOut", count(ProtectionReviewTimedOut{})},
      {"ContactAdded", count(ContactAdded{})},
      {"FollowUpRecorded", count(FollowUpRecorded{})},
      {"ExtensionRequested", count(ExtensionRequested{})},
      {"ExtensionGranted", count(ExtensionGranted{})},
      {"ExtensionDenied", count(ExtensionDenied{})},
      {"PromotionRequested", count(PromotionRequested{})},
      {"CustomerPromoted", count(CustomerPromoted{})},
      {"PromotionDenied", count(PromotionDenied{})},
      {"CustomerAbandoned", count(CustomerAbandoned{})},
      {"ProtectionExpired", count(ProtectionExpired{})},
      {"CustomerReassigned", count(CustomerReassigned{})},
      {"CustomerHandedToAftersales", count(CustomerHandedToAftersales{})},
      {"ContractSigned", count(ContractSigned{})},
      {"PaymentRecorded", count(PaymentRecorded{})}};
  for (const auto& [name, n] : required) {
    if (n == 0) return Violation(std::string("no ") + name + " event in the workload");
  }
  const std::uint64_t follow_ups = count(FollowUpRecorded{});
  for (std::size_t type = 0; type < kEventTypeCount; ++type) {
    if (stats.events_by_type[type] > follow_ups) return Violation("follow-ups are not the most frequent event");
  }
  return Status::Ok();
}

void PrintMix(const workload::WorkloadStats& stats, TimeMs start_ms) {
  std::printf(
      "%llu commands, %llu events, %llu customers, %llu contracts, %.0f simulated days\n",
      static_cast<unsigned long long>(stats.commands), static_cast<unsigned long long>(stats.events),
      static_cast<unsigned long long>(
          stats.events_by_type[Event(std::in_place_type<events::CustomerRegistered>).index()]),
      static_cast<unsigned long long>(stats.events_by_type[Event(std::in_place_type<events::ContractSigned>).index()]),
      static_cast<double>(stats.now_ms - start_ms) / events::kMsPerDay);
  std::printf("\n| event | count | share |\n|---|---:|---:|\n");
  for (std::size_t type = 0; type < events::kEventTypeCount; ++type) {
    const std::uint64_t n = stats.events_by_type[type];
    if (n == 0) continue;
    Event sample;
    // The name of alternative `type`: build a default value of it.
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((I == type ? (sample = Event(std::in_place_index<I>), 0) : 0), ...);
    }
    (std::make_index_sequence<events::kEventTypeCount>());
    std::printf("| %s | %llu | %.1f%% |\n", std::string(events::EventTypeName(sample)).c_str(),
                static_cast<unsigned long long>(n), 100.0 * static_cast<double>(n) / static_cast<double>(stats.events));
  }
  std::printf("\n| command | count |\n|---|---:|\n");
  for (int kind = 0; kind < workload::kCommandKindCount; ++kind) {
    std::printf("| %s | %llu |\n", std::string(workload::CommandKindName(static_cast<CommandKind>(kind))).c_str(),
                static_cast<unsigned long long>(stats.commands_by_kind[kind]));
  }
}

std::uint64_t FlagValue(int argc, char** argv, const char* flag, std::uint64_t fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], flag) == 0) return std::strtoull(argv[i + 1], nullptr, 10);
  }
  return fallback;
}

int Run(int argc, char** argv) {
  const std::uint64_t events_target = FlagValue(argc, argv, "--events", 200'000);
  workload::WorkloadOptions options;
  options.seed = FlagValue(argc, argv, "--seed", 1);
  options.salespeople = static_cast<std::uint32_t>(FlagValue(argc, argv, "--salespeople", 100));
  options.customers = static_cast<std::uint32_t>(FlagValue(argc, argv, "--customers", 20'000));
  workload::Workload workload(options);
  Checker checker;
  while (workload.stats().events < events_target) {
    const Command command = *workload.Next();
    const Status checked = checker.Check(command);
    if (!checked.ok()) {
      std::fprintf(stderr, "workload_check: VIOLATION after %llu events: %s\n",
                   static_cast<unsigned long long>(checker.events_checked()), checked.ToString().c_str());
      return 1;
    }
  }
  PrintMix(workload.stats(), options.start_ms);
  for (const Status& status : {CheckMix(workload.stats()), CheckDeterminism(options, 20'000)}) {
    if (!status.ok()) {
      std::fprintf(stderr, "workload_check: VIOLATION: %s\n", status.ToString().c_str());
      return 1;
    }
  }
  std::printf("\nworkload_check: OK: %llu events decided again by the real deciders, all equal\n",
              static_cast<unsigned long long>(checker.events_checked()));
  return 0;
}

}  // namespace
}  // namespace crm::bench

int main(int argc, char** argv) {
  return crm::bench::Run(argc, argv);
}
