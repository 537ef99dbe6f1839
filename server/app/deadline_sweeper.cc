#include "server/app/deadline_sweeper.h"

namespace crm::server::app {

DeadlineSweeper::DeadlineSweeper(aggregates::CommandService& commands, const ServerClock& clock,
                                 std::uint32_t interval_ms, std::function<void(const SweepPassReport&)> on_pass)
    : commands_(commands), clock_(clock), interval_(interval_ms), on_pass_(std::move(on_pass)) {}

DeadlineSweeper::~DeadlineSweeper() {
  Stop();
}

void DeadlineSweeper::Start() {
  thread_ = std::thread([this] { Run(); });
}

void DeadlineSweeper::Stop() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

SweepPassReport DeadlineSweeper::SweepNow() {
  std::lock_guard pass(pass_mutex_);
  SweepPassReport report;
  for (int batch = 0; batch < kSweepBatchesPerPassMax; ++batch) {
    Result<aggregates::SweepReport> swept = commands_.Sweep(clock_.Now());
    if (!swept.ok()) {
      report.status = swept.status();
      break;
    }
    report.released += swept->released;
    if (!swept->more) break;
  }
  if (on_pass_) on_pass_(report);
  return report;
}

void DeadlineSweeper::Run() {
  std::unique_lock lock(stop_mutex_);
  while (!stopping_) {
    lock.unlock();
    SweepNow();
    lock.lock();
    stop_changed_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace crm::server::app
