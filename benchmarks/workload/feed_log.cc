#include "workload/feed_log.h"

#include <atomic>
#include <chrono>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "workload/stream_ordered_pipeline.h"

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

struct Unit {
  log::AppendBatch batch;
  std::unordered_set<std::string> streams;
  std::uint64_t events = 0;
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
  std::atomic<std::uint64_t> appended_events{0};
  StreamOrderedPipeline<Unit> pipeline(std::max(1, options.appenders), [&](int, Unit& unit) {
    CRM_RETURN_IF_ERROR(log.Append(std::move(unit.batch)).status());
    appended_events += unit.events;
    return Status::Ok();
  });
  const auto submit = [&](Unit& unit) {
    std::vector<std::string> streams(unit.streams.begin(), unit.streams.end());
    return pipeline.Submit(std::exchange(unit, Unit()), std::move(streams));
  };
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
      CRM_RETURN_IF_ERROR(submit(unit));
    }
    AddToUnit(unit, *command);
    if (options.progress && report.events >= next_progress) {
      next_progress += options.progress_every_events;
      options.progress(
          FeedProgress{.events = appended_events.load(), .commands = report.commands, .seconds = seconds()});
    }
  }
  if (unit.events > 0) CRM_RETURN_IF_ERROR(submit(unit));
  CRM_RETURN_IF_ERROR(pipeline.Finish());
  report.appends = pipeline.done() + setup_appends;
  report.seconds = seconds();
  return report;
}

}  // namespace crm::bench::workload
