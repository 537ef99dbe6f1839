// DeadlineSweeper: writes the releases that time has made due (rule 13) so that they appear in
// the log and the feed on their own. Reads never wait for it: every view applies deadlines when
// it is read. A background thread runs the command service's Sweep every interval, repeating
// while a batch comes back full; SweepNow runs one pass at once (after a test-clock change).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "aggregates/service/command_service.h"
#include "server/app/server_clock.h"

namespace crm::server::app {

inline constexpr std::uint32_t kSweepIntervalMsDefault = 10'000;
// Batches one pass writes at most, so one pass ends even if releases keep falling due.
inline constexpr int kSweepBatchesPerPassMax = 1000;

struct SweepPassReport {
  std::size_t released = 0;
  Status status = Status::Ok();
};

class DeadlineSweeper {
 public:
  // `on_pass(report)` after every pass (metrics, logs). Borrowed: commands, clock.
  DeadlineSweeper(aggregates::CommandService& commands, const ServerClock& clock, std::uint32_t interval_ms,
                  std::function<void(const SweepPassReport&)> on_pass);
  ~DeadlineSweeper();
  DeadlineSweeper(const DeadlineSweeper&) = delete;
  DeadlineSweeper& operator=(const DeadlineSweeper&) = delete;

  void Start();
  // Joins the thread; a pass in progress finishes first.
  void Stop();
  // One pass now, in the caller's thread (passes never overlap).
  SweepPassReport SweepNow();

 private:
  void Run();

  aggregates::CommandService& commands_;
  const ServerClock& clock_;
  const std::chrono::milliseconds interval_;
  std::function<void(const SweepPassReport&)> on_pass_;
  std::mutex pass_mutex_;
  std::mutex stop_mutex_;
  std::condition_variable stop_changed_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace crm::server::app
