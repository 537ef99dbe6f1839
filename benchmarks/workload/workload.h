// Workload: a deterministic, seeded simulation of a sales company working the lead-protection
// process of ../shared/domain.md, as the commands its people would issue and the events the
// real deciders (aggregates/) would append for them.
//
//   Workload workload({.seed = 7, .salespeople = 200, .customers = 50'000});
//   while (std::optional<Command> command = workload.Next()) Feed(*command);
//
// Each Command is what one command handler appends atomically: for every stream it touches,
// the exact version it decided on and the events, each with its actor and effective time, plus
// the time the command was decided (its recorded time). The same seed and options give the
// same commands, byte for byte, on every machine: every system under test (our log, the
// PostgreSQL and SQLite peers of issue 6) can be fed the same logical history.
//
// The company: an admin creates every user at the start (managers, salespeople in teams of
// `sales_per_team` under one manager, reviewers, after-sales, finance) and sets the policy.
// Then each person acts on their own clock, minutes to hours apart, on working days between
// 09:00 and 18:00 company time:
//   salespeople   register new customers (up to `customers` in all), protect pool customers,
//                 add contacts and, most often, record follow-ups (some with a next contact
//                 time); ask for extensions and promotions; abandon; sign contracts
//   reviewers     approve or reject new protections (a few are never reviewed and time out)
//   managers      grant or deny extension and promotion requests; now and then reassign a
//                 customer between two salespeople of the team
//   after-sales   follow up formal customers; now and then sign a follow-on contract
//   finance       record payments, never more than a contract's receivable
//   system        the deadline sweeper: before anyone acts at time t, every hold whose
//                 deadline is at or before t is released (expiry or review time-out), effective
//                 at its deadline, in sweeps of at most `sweep_releases_max` customers
//
// Every event obeys the rulebook as aggregates/ decides it (benchmarks/workload_check replays
// the commands through the real deciders and compares). Thread-compatible: one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/envelope.h"
#include "events/event_types.h"

namespace crm::bench::workload {

using events::TimeMs;

// 2026-03-02 (a Monday) 09:00 in Asia/Shanghai.
inline constexpr TimeMs kWorkloadStartMsDefault = 1772413200000;

struct WorkloadOptions {
  // Seed of every random choice. Default: 1.
  std::uint64_t seed = 1;
  // Salespeople (role sales). Default: 100.
  std::uint32_t salespeople = 100;
  // Customers registered at most; once reached, salespeople work the pool only. Default: 50'000.
  std::uint32_t customers = 50'000;
  // Salespeople per team; each team has one manager. Default: 10.
  std::uint32_t sales_per_team = 10;
  // Customers a salesperson tries to hold at once: below it they look for new ones. Must stay
  // below the policy's max_protected (200). Default: 40.
  std::uint32_t held_target = 40;
  // Releases one sweep command writes at most (the command service's sweep_batch_max is 256).
  // Default: 64.
  std::uint32_t sweep_releases_max = 64;
  // Simulated time of the first command. Default: kWorkloadStartMsDefault.
  TimeMs start_ms = kWorkloadStartMsDefault;
};

// One event as a command handler appends it.
struct WorkloadEvent {
  events::Event event;
  std::string actor_id;                   // a user id, or events::kSystemActorId
  std::optional<TimeMs> effective_at_ms;  // nullopt: the command's recorded time
};

// The events a command appends to one stream, and the version the stream must be at.
struct WorkloadStream {
  std::string stream_id;
  events::StreamVersion expected_version = 0;  // exact; 0: the stream must not exist yet
  std::vector<WorkloadEvent> events;
};

enum class CommandKind : std::uint8_t {
  kCreateFirstAdmin,
  kCreateUser,
  kChangePolicy,
  kRegisterCustomer,
  kProtectCustomer,
  kReviewProtection,
  kAddContact,
  kRecordFollowUp,
  kRequestExtension,
  kDecideExtension,
  kRequestPromotion,
  kDecidePromotion,
  kAbandonCustomer,
  kReassignCustomer,
  kSignContract,
  kRecordPayment,
  kSweep,
};
inline constexpr int kCommandKindCount = 17;
std::string_view CommandKindName(CommandKind kind);  // "record_follow_up", ...

// What one command handler appends atomically: every stream or none.
struct Command {
  CommandKind kind = CommandKind::kRecordFollowUp;
  std::string actor_id;
  TimeMs recorded_at_ms = 0;  // when it was decided; never decreases from one command to the next
  std::vector<WorkloadStream> streams;

  std::size_t event_count() const;
};

// Counts since construction, for reports.
struct WorkloadStats {
  std::uint64_t commands = 0;
  std::uint64_t events = 0;
  std::uint64_t commands_by_kind[kCommandKindCount] = {};
  std::uint64_t events_by_type[events::kEventTypeCount] = {};
  std::uint64_t customers_registered = 0;
  std::uint64_t contracts_signed = 0;
  TimeMs now_ms = 0;  // the simulated clock
};

class Workload {
 public:
  // REQUIRES: salespeople >= 1, customers >= 1, sales_per_team >= 1,
  // 1 <= held_target < 200, sweep_releases_max >= 1.
  explicit Workload(const WorkloadOptions& options);
  ~Workload();
  Workload(const Workload&) = delete;
  Workload& operator=(const Workload&) = delete;

  // The next command. The company works forever: never nullopt (the type leaves room for
  // finite workloads); callers stop when they have enough.
  std::optional<Command> Next();

  const WorkloadStats& stats() const;

 private:
  class Simulation;
  std::unique_ptr<Simulation> simulation_;
};

}  // namespace crm::bench::workload
