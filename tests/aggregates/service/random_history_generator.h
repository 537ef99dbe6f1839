// The random commands of the randomised history test (issue 3): a seeded generator of commands by
// random users, mostly plausible and often wrong, sent to the CommandService under test at times
// that jump minutes to days. It reads the independent model (random_history_model.h) to pick
// plausible customers and requests and to predict some verdicts; the model itself never calls
// the code under test.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "aggregates/service/command_service.h"
#include "aggregates/service/random_history_model.h"

namespace crm::aggregates::random_history {

// One command as sent, and what came back.
struct Attempt {
  std::string what;  // for the failure's history
  Status status;
  std::optional<CommandOutcome> outcome;  // what an accepted command appended (not for sweeps)
  bool duplicate_expected = false;        // a retry under an idempotency key already used
  // The model's verdict, where this test predicts one: empty when the command must be accepted,
  // else why it must be refused.
  std::optional<std::string> verdict;
  bool sweep_complete = false;  // a sweep that wrote every release due
};

// One engine drives every choice, so a seed replays the same history (with the same standard
// library: its distributions are implementation-defined).
class Generator {
 public:
  // `service` is the fixture's: a reopen replaces what it points to. Both are borrowed for the
  // generator's life.
  Generator(std::uint64_t seed, const Model& model, const std::unique_ptr<CommandService>& service);
  ~Generator();
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;

  // The next command's time. Mostly minutes or hours later, sometimes days, so that 30-day holds,
  // 3-working-day reviews and 3-day cooldowns all run out; and now and then exactly at (or 1 ms
  // either side of) an instant a rule turns on, where off-by-one mistakes live.
  TimeMs NextTime(TimeMs now);

  // Sends one random command at `now`, the time NextTime returned last.
  Attempt Next(TimeMs now);

  // Now and then the service restarts mid-history: it must rebuild what it knew from the log
  // (directory, ids, claims, policy history). Sometimes with a cache too small to keep
  // anyone and small sweep batches, so that every load reads the log and sweeps come in parts.
  std::optional<CommandServiceOptions> Restart();

  // A policy with small limits, so that maxProtected and maxClaimsPerDay are reached; now and
  // then short stages (expiry before the review times out), holidays, no approval needed.
  events::Policy SmallPolicy();

 private:
  class Impl;  // the commands, the edges and the engine: random_history_generator.cc
  std::unique_ptr<Impl> impl_;
};

}  // namespace crm::aggregates::random_history
