// FeedLog: appends a Workload's commands to our EventLog, as fast as the log takes them, for
// generate-log and for benchmarks that need a log of a given size.
//
// Commands become appends in `units`: consecutive commands whose streams are all different are
// grouped into one AppendBatch until it holds `batch_events` events (1: one Append per command,
// exactly what the command service appends). Units go to `appenders` threads; a unit waits while
// an earlier unit that touches one of its streams is still being appended, so every stream gets
// its events in the workload's order and every expected version holds. Across streams, units in
// flight at the same time may land in either order.
//
// Recorded times: an AppendBatch has one recorded time, so a grouped unit is recorded at its
// last command's time (a few seconds to minutes after the first one was decided, never before
// any of them); and the log raises a time that arrives after a later one to the later one. Both
// move recorded times later by the width of a unit at most; effective times are untouched.
#pragma once

#include <cstdint>
#include <functional>

#include "events/log/event_log.h"
#include "events/status.h"
#include "workload/workload.h"

namespace crm::bench::workload {

struct FeedProgress {
  std::uint64_t events = 0;  // appended and acknowledged
  std::uint64_t commands = 0;
  double seconds = 0;
};

struct FeedOptions {
  // Stop once at least this many events are appended (the last command is appended whole).
  std::uint64_t events = 1'000'000;
  // Events per AppendBatch at most (a single command larger than this is appended alone).
  // Default: 1 (one Append per command).
  std::size_t batch_events = 1;
  // Threads calling Append. Default: 1.
  int appenders = 1;
  // Called from the generating thread about every `progress_every_events`. Default: none.
  std::function<void(const FeedProgress&)> progress;
  std::uint64_t progress_every_events = 1'000'000;
};

struct FeedReport {
  std::uint64_t events = 0;
  std::uint64_t commands = 0;
  std::uint64_t appends = 0;
  double seconds = 0;
};

// The Append the command service would issue for `command`.
log::AppendBatch ToAppendBatch(const Command& command);

// Appends commands from `workload` until options.events are in the log. Commands that set up
// the company (users, policy) are appended one by one before any other, so no unit can overtake
// them. Any refused append is returned as the error: with a fresh log there should be none.
Result<FeedReport> FeedLog(Workload& workload, log::EventLog& log, const FeedOptions& options);

}  // namespace crm::bench::workload
