// Helpers for tests that need a real EventLog on disk.
#pragma once

#include <memory>
#include <string>

#include "events/log/event_log.h"

namespace crm::testutil {

Result<std::unique_ptr<log::EventLog>> OpenTestLog(const std::string& path,
                                                   log::OpenMode mode = log::OpenMode::kReadWrite,
                                                   rocksdb::Env* env = nullptr);

// A small event whose notes identify it ("t3-17"), for tests that only care about order.
events::Event NoteEvent(const std::string& stream_id, const std::string& notes);

// The notes of an event made by NoteEvent.
std::string NotesOf(const events::RecordedEvent& event);

// One event on one stream.
log::AppendBatch OneEventBatch(const std::string& stream_id, events::StreamVersion expected_version,
                               const std::string& notes, events::TimeMs recorded_at_ms,
                               const std::string& command_id = "");

}  // namespace crm::testutil
