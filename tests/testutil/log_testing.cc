#include "testutil/log_testing.h"

namespace crm::testutil {

Result<std::unique_ptr<log::EventLog>> OpenTestLog(const std::string& path, log::OpenMode mode, rocksdb::Env* env) {
  log::LogOptions options;
  options.store.path = path;
  options.store.mode = mode;
  options.store.env = env;
  options.store.block_cache_bytes = 8u << 20;
  return log::EventLog::Open(options);
}

events::Event NoteEvent(const std::string& stream_id, const std::string& notes) {
  return events::FollowUpRecorded{stream_id, "f-" + notes, events::FollowUpChannel::kPhone, notes, std::nullopt};
}

std::string NotesOf(const events::RecordedEvent& event) {
  return std::get<events::FollowUpRecorded>(event.event).notes;
}

log::AppendBatch OneEventBatch(const std::string& stream_id, events::StreamVersion expected_version,
                               const std::string& notes, events::TimeMs recorded_at_ms, const std::string& command_id) {
  log::AppendBatch batch;
  batch.command_id = command_id;
  batch.recorded_at_ms = recorded_at_ms;
  batch.streams.push_back(log::StreamAppend{
      .stream_id = stream_id,
      .expected_version = expected_version,
      .events = {log::NewEvent{NoteEvent(stream_id, notes), "u-test", std::nullopt}},
  });
  return batch;
}

}  // namespace crm::testutil
