#include "workload/feed_log.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

namespace crm::bench::workload {

log::AppendBatch ToAppendBatch(const Command& command) {
  log::AppendBatch batch;
  batch.recorded_at_ms = command.recorded_at_ms;
  batch.streams.reserve(command.streams.size());
  for (const WorkloadStream& stream : command.streams) {
    log::StreamAppend& out = batch.streams.emplace_back();
    out.stream_id = stream.stream_id;
    out.expected_version = stream.expected_version;
    out.events.reserve(stream.events.size());
    for (const WorkloadEvent& event : stream.events) {
      out.events.push_back(log::NewEvent{event.event, event.actor_id, event.effective_at_ms});
    }
  }
  return batch;
}

namespace {

// Units queued per appender thread at most: enough to keep them busy, few enough that
// the generator does not run far ahead.
constexpr std::size_t kQueuedUnitsPerAppender = 4;

struct Unit {
  log::AppendBatch batch;
  std::unordered_set<std::string> streams;
  std::uint64_t events = 0;
};

// Appender threads fed in order; a unit is held back while a stream of it is in flight.
class Pipeline {
 public:
  Pipeline(log::EventLog& log, int appenders) : log_(log), queue_max_(kQueuedUnitsPerAppender * appenders) {
    for (int i = 0; i < appenders; ++i) threads_.emplace_back([this] { Work(); });
  }
  ~Pipeline() { Finish().IgnoreError(); }

  // Blocks while the queue is full or an earlier unit on one of the unit's streams is in flight.
  Status Submit(Unit unit) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] {
      if (!error_.ok()) return true;
      if (queue_.size() >= queue_max_) return false;
      for (const std::string& stream : unit.streams) {
        if (in_flight_.contains(stream)) return false;
      }
      return true;
    });
    if (!error_.ok()) return error_;
    for (const std::string& stream : unit.streams) in_flight_.insert(stream);
    queue_.push_back(std::move(unit));
    changed_.notify_all();
    return Status::Ok();
  }

  // Waits for every unit, stops the threads; the first refused append, if any.
  Status Finish() {
    {
      const std::lock_guard lock(mutex_);
      closing_ = true;
      changed_.notify_all();
    }
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
    const std::lock_guard lock(mutex_);
    return error_;
  }

  std::uint64_t appended_events() const { return appended_events_.load(); }
  std::uint64_t appends() const { return appends_.load(); }

 private:
  void Work() {
    std::unique_lock lock(mutex_);
    while (true) {
      changed_.wait(lock, [&] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;
      Unit unit = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      Result<log::AppendResult> appended = log_.Append(std::move(unit.batch));
      lock.lock();
      for (const std::string& stream : unit.streams) in_flight_.erase(stream);
      if (!appended.ok() && error_.ok()) error_ = appended.status();
      appended_events_ += unit.events;
      ++appends_;
      changed_.notify_all();
    }
  }

  log::EventLog& log_;
  const std::size_t queue_max_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Unit> queue_;                     // guarded by mutex_
  std::unordered_set<std::string> in_flight_;  // guarded by mutex_: streams of queued and appending units
  Status error_;                               // guarded by mutex_
  bool closing_ = false;                       // guarded by mutex_
  std::atomic<std::uint64_t> appended_events_{0};
  std::atomic<std::uint64_t> appends_{0};
  std::vector<std::thread> threads_;
};

bool IsSetup(CommandKind kind) {
  return kind == CommandKind::kCreateFirstAdmin || kind == CommandKind::kCreateUser ||
         kind == CommandKind::kChangePolicy;
}

void AddToUnit(Unit& unit, const Command& command) {
  log::AppendBatch batch = ToAppendBatch(command);
  unit.batch.recorded_at_ms = batch.recorded_at_ms;  // the last command's time: never before a decision
  for (log::StreamAppend& stream : batch.streams) {
    unit.streams.insert(stream.stream_id);
    unit.events += stream.events.size();
    unit.batch.streams.push_back(std::move(stream));
  }
}

bool Collides(const Unit& unit, const Command& command) {
  for (const WorkloadStream& stream : command.streams) {
    if (unit.streams.contains(stream.stream_id)) return true;
  }
  return false;
}

}  // namespace

Result<FeedReport> FeedLog(Workload& workload, log::EventLog& log, const FeedOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  FeedReport report;
  std::uint64_t setup_appends = 0;
  Pipeline pipeline(log, std::max(1, options.appenders));
  Unit unit;
  std::uint64_t next_progress = options.progress_every_events;
  while (report.events < options.events) {
    const std::optional<Command> command = workload.Next();
    if (!command.has_value()) break;
    const std::size_t events = command->event_count();
    report.events += events;
    ++report.commands;
    if (IsSetup(command->kind)) {
      CRM_RETURN_IF_ERROR(log.Append(ToAppendBatch(*command)).status());
      ++setup_appends;
      continue;
    }
    if (unit.events > 0 && (unit.events + events > options.batch_events || Collides(unit, *command))) {
      CRM_RETURN_IF_ERROR(pipeline.Submit(std::move(unit)));
      unit = Unit();
    }
    AddToUnit(unit, *command);
    if (options.progress && report.events >= next_progress) {
      next_progress += options.progress_every_events;
      options.progress(
          FeedProgress{.events = pipeline.appended_events() + 0, .commands = report.commands, .seconds = seconds()});
    }
  }
  if (unit.events > 0) CRM_RETURN_IF_ERROR(pipeline.Submit(std::move(unit)));
  CRM_RETURN_IF_ERROR(pipeline.Finish());
  report.appends = pipeline.appends() + setup_appends;
  report.seconds = seconds();
  return report;
}

}  // namespace crm::bench::workload
