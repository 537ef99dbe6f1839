// AppendWriter: the single thread that turns queued appends into synced RocksDB writes.
// Internal to event_log; EventLog::AppendAsync validates and encodes, then calls Submit().
//
// Why one thread: seq assignment, expected-version checks and the hash chain are inherently
// sequential. Doing them in one thread needs no locks on the hot path, and everything that has
// queued while the previous fsync ran goes out in the next WriteBatch: N concurrent appenders
// cost one fsync, not N (docs/benchmarks.md compares this with RocksDB's own write grouping).
#pragma once

#include <rocksdb/write_batch.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "events/log/event_log.h"
#include "events/log/head_watch.h"
#include "events/log/keys.h"
#include "events/log/rocks_store.h"

namespace crm::log {

struct PreparedEvent {
  std::string payload;  // EncodeEvent() output
  events::Event event;  // what payload encodes, handed back in AppendResult::events
  std::string actor_id;
  std::optional<TimeMs> effective_at_ms;
};

struct PreparedStream {
  std::string stream_id;
  StreamVersion expected_version = kAnyVersion;
  std::vector<PreparedEvent> events;
};

struct PreparedBatch {
  std::string command_id;
  std::optional<Sha256Digest> request_fingerprint;
  TimeMs recorded_at_ms = 0;
  std::vector<PreparedStream> streams;
  std::size_t payload_bytes = 0;
};

struct WriterOptions {
  bool sync = true;
  std::size_t group_batches_max = 1024;
  std::size_t group_bytes_max = 16u << 20;
};

class AppendWriter {
 public:
  // `store` and `head_watch` are borrowed and must outlive the writer. `head` is the log's
  // verified head at open.
  AppendWriter(RocksStore& store, const Head& head, HeadWatch& head_watch, WriterOptions options);
  // Commits what is queued, then stops the thread.
  ~AppendWriter();
  AppendWriter(const AppendWriter&) = delete;
  AppendWriter& operator=(const AppendWriter&) = delete;

  // Queues the batch; `done` runs on the writer thread once it is durable or refused (at once on
  // the caller's thread if the writer is closing).
  void Submit(PreparedBatch batch, EventLog::AppendDone done);

  LogStats Stats() const;

 private:
  struct Pending {
    PreparedBatch batch;
    EventLog::AppendDone done;
  };

  // What a group has changed so far, on top of the committed state; discarded if the write fails.
  struct GroupState {
    Head head;
    std::unordered_map<std::string, StreamVersion> stream_versions;
    std::unordered_map<std::string, CommandEntry> commands;
  };

  void Run();
  std::vector<std::unique_ptr<Pending>> TakeGroup();
  void CommitGroup(std::vector<std::unique_ptr<Pending>>& group);
  Result<AppendResult> Stage(PreparedBatch& batch, GroupState& group);
  Result<std::optional<CommandEntry>> FindCommand(const std::string& command_id, const GroupState& group) const;
  Result<StreamVersion> CurrentVersion(const std::string& stream_id, const GroupState& group) const;
  void StageEvents(PreparedStream& stream, StreamVersion from_version, TimeMs recorded_at_ms,
                   const std::string& command_id, GroupState& group, std::vector<RecordedEvent>& staged);

  RocksStore& store_;
  rocksdb::ColumnFamilyHandle* const events_family_;
  rocksdb::ColumnFamilyHandle* const streams_family_;
  rocksdb::ColumnFamilyHandle* const commands_family_;
  rocksdb::ColumnFamilyHandle* const meta_family_;
  HeadWatch& head_watch_;
  const WriterOptions options_;

  struct Counters {
    std::atomic<std::uint64_t> appended_batches{0};
    std::atomic<std::uint64_t> appended_events{0};
    std::atomic<std::uint64_t> duplicate_batches{0};
    std::atomic<std::uint64_t> refused_batches{0};
    std::atomic<std::uint64_t> commit_groups{0};
    std::atomic<std::uint64_t> failed_writes{0};
  };
  void Count(const std::vector<Result<AppendResult>>& results, const Status& written);
  Counters counters_;

  // Owned by the writer thread: no lock.
  Head head_;
  std::unordered_map<std::string, StreamVersion> stream_versions_;  // a cache of the streams family
  rocksdb::WriteBatch write_batch_;
  std::string stored_value_;  // reused for every event's record and hash
  Status failed_;             // set by the first failed write; refuses every later append

  std::mutex queue_mutex_;
  std::condition_variable queue_changed_;
  std::deque<std::unique_ptr<Pending>> queue_;  // guarded by queue_mutex_
  bool stopping_ = false;                       // guarded by queue_mutex_
  std::thread thread_;                          // last: starts once everything above exists
};

}  // namespace crm::log
