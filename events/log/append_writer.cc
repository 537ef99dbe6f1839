#include "events/log/append_writer.h"

#include <algorithm>

#include "events/codec.h"
#include "events/log/log_format.h"
#include "events/log/log_internal.h"

namespace crm::log {
namespace {

// The stream-version cache is only an accelerator; past this many streams it starts over
// rather than grow without bound (a miss costs one RocksDB seek).
constexpr std::size_t kStreamVersionCacheEntriesMax = 1u << 20;

std::string VersionText(StreamVersion version) {
  if (version == kAnyVersion) return "any";
  return std::to_string(version);
}

}  // namespace

Status IdempotencyKeyReused(const std::string& command_id) {
  return Status::Conflict("idempotency_key_reused", "this idempotency key was already used for a different request",
                          {{"commandId", command_id}});
}

Result<AppendResult> AnswerForSeenCommand(const CommandEntry& seen, const std::string& command_id,
                                          const std::optional<Sha256Digest>& request_fingerprint) {
  if (seen.request_fingerprint.has_value() && request_fingerprint.has_value() &&
      *seen.request_fingerprint != *request_fingerprint) {
    return IdempotencyKeyReused(command_id);
  }
  return AppendResult{seen.first_seq, seen.last_seq, seen.recorded_at_ms, /*duplicate=*/true, /*events=*/{}};
}

AppendWriter::AppendWriter(RocksStore& store, const Head& head, HeadWatch& head_watch, WriterOptions options)
    : store_(store),
      events_family_(store.Family(kEventsFamily)),
      streams_family_(store.Family(kStreamsFamily)),
      commands_family_(store.Family(kCommandsFamily)),
      meta_family_(store.Family(kMetaFamily)),
      head_watch_(head_watch),
      options_(options),
      head_(head),
      thread_([this] { Run(); }) {}

AppendWriter::~AppendWriter() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_changed_.notify_all();
  thread_.join();
}

void AppendWriter::Submit(PreparedBatch batch, EventLog::AppendDone done) {
  auto pending = std::make_unique<Pending>(Pending{.batch = std::move(batch), .done = std::move(done)});
  {
    std::lock_guard lock(queue_mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(pending));
    }
  }
  if (pending != nullptr) {
    pending->done(Status::Unavailable("log_closing", "the event log is closing"));
    return;
  }
  queue_changed_.notify_one();
}

void AppendWriter::Run() {
  while (true) {
    std::vector<std::unique_ptr<Pending>> group = TakeGroup();
    if (group.empty()) return;  // stopping, and nothing left to commit
    CommitGroup(group);
  }
}

std::vector<std::unique_ptr<AppendWriter::Pending>> AppendWriter::TakeGroup() {
  std::unique_lock lock(queue_mutex_);
  queue_changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
  std::vector<std::unique_ptr<Pending>> group;
  std::size_t bytes = 0;
  // Always take one, so that a batch above group_bytes_max still gets written.
  while (!queue_.empty() && group.size() < options_.group_batches_max &&
         (group.empty() || bytes + queue_.front()->batch.payload_bytes <= options_.group_bytes_max)) {
    bytes += queue_.front()->batch.payload_bytes;
    group.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return group;
}

void AppendWriter::CommitGroup(std::vector<std::unique_ptr<Pending>>& group) {
  write_batch_.Clear();
  GroupState state{.head = head_, .stream_versions = {}, .commands = {}};
  std::vector<Result<AppendResult>> results;
  results.reserve(group.size());
  for (const auto& pending : group) results.push_back(Stage(pending->batch, state));

  Status written;
  if (state.head.seq != head_.seq) {
    write_batch_.Put(meta_family_, kHeadKey, EncodeHead(state.head));
    rocksdb::WriteOptions write_options;
    write_options.sync = options_.sync;
    written = FromRocks(store_.db().Write(write_options, &write_batch_), "appending to the event log");
    counters_.commit_groups.fetch_add(1, std::memory_order_relaxed);
  }
  Count(results, written);
  if (!written.ok()) {
    // The disk may hold the group after all (a WAL append that landed before its sync failed).
    // Only the tail check at the next open knows; until then this log takes no more writes.
    failed_ = Status::IOError("log_write_failed",
                              "the event log could not write to disk and accepts no more appends until it is "
                              "reopened: " +
                                  written.message());
  } else {
    head_ = state.head;
    if (stream_versions_.size() + state.stream_versions.size() > kStreamVersionCacheEntriesMax) {
      stream_versions_.clear();
    }
    for (auto& [stream_id, version] : state.stream_versions) stream_versions_[stream_id] = version;
    head_watch_.Publish(head_.seq);
  }
  for (std::size_t i = 0; i < group.size(); ++i) {
    // Nothing staged in a failed write may be acknowledged, duplicates included: they may
    // point at events of this very group.
    group[i]->done(written.ok() || !results[i].ok() ? std::move(results[i]) : Result<AppendResult>(written));
  }
}

void AppendWriter::Count(const std::vector<Result<AppendResult>>& results, const Status& written) {
  if (!written.ok()) {
    counters_.failed_writes.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  for (const Result<AppendResult>& result : results) {
    if (!result.ok()) {
      if (result.status().code() == StatusCode::kConflict)
        counters_.refused_batches.fetch_add(1, std::memory_order_relaxed);
    } else if (result->duplicate) {
      counters_.duplicate_batches.fetch_add(1, std::memory_order_relaxed);
    } else {
      counters_.appended_batches.fetch_add(1, std::memory_order_relaxed);
      counters_.appended_events.fetch_add(result->last_seq - result->first_seq + 1, std::memory_order_relaxed);
    }
  }
}

LogStats AppendWriter::Stats() const {
  return LogStats{
      .appended_batches = counters_.appended_batches.load(std::memory_order_relaxed),
      .appended_events = counters_.appended_events.load(std::memory_order_relaxed),
      .duplicate_batches = counters_.duplicate_batches.load(std::memory_order_relaxed),
      .refused_batches = counters_.refused_batches.load(std::memory_order_relaxed),
      .commit_groups = counters_.commit_groups.load(std::memory_order_relaxed),
      .failed_writes = counters_.failed_writes.load(std::memory_order_relaxed),
  };
}

Result<AppendResult> AppendWriter::Stage(PreparedBatch& batch, GroupState& group) {
  if (!failed_.ok()) return failed_;
  // Every check comes before the first Put, so a refused batch leaves the WriteBatch as it was.
  if (!batch.command_id.empty()) {
    CRM_ASSIGN_OR_RETURN(const std::optional<CommandEntry> seen, FindCommand(batch.command_id, group));
    if (seen.has_value()) return AnswerForSeenCommand(*seen, batch.command_id, batch.request_fingerprint);
  }
  std::vector<StreamVersion> current(batch.streams.size());
  for (std::size_t i = 0; i < batch.streams.size(); ++i) {
    const PreparedStream& stream = batch.streams[i];
    CRM_ASSIGN_OR_RETURN(current[i], CurrentVersion(stream.stream_id, group));
    if (stream.expected_version != kAnyVersion && stream.expected_version != current[i]) {
      return Status::Conflict("wrong_expected_version",
                              "stream " + stream.stream_id + " is at version " + std::to_string(current[i]) +
                                  ", expected " + VersionText(stream.expected_version),
                              {{"streamId", stream.stream_id},
                               {"expectedVersion", VersionText(stream.expected_version)},
                               {"actualVersion", std::to_string(current[i])}});
    }
  }

  const TimeMs recorded_at_ms = std::max(batch.recorded_at_ms, group.head.recorded_at_ms);
  AppendResult result{.first_seq = group.head.seq + 1,
                      .last_seq = 0,
                      .recorded_at_ms = recorded_at_ms,
                      .duplicate = false,
                      .events = {}};
  for (std::size_t i = 0; i < batch.streams.size(); ++i) {
    StageEvents(batch.streams[i], current[i], recorded_at_ms, batch.command_id, group, result.events);
  }
  result.last_seq = group.head.seq;
  group.head.recorded_at_ms = recorded_at_ms;
  if (!batch.command_id.empty()) {
    const CommandEntry entry{result.first_seq, result.last_seq, recorded_at_ms, batch.request_fingerprint};
    write_batch_.Put(commands_family_, batch.command_id, EncodeCommandEntry(entry));
    group.commands[batch.command_id] = entry;
  }
  return result;
}

void AppendWriter::StageEvents(PreparedStream& stream, StreamVersion from_version, TimeMs recorded_at_ms,
                               const std::string& command_id, GroupState& group, std::vector<RecordedEvent>& staged) {
  StreamVersion version = from_version;
  for (PreparedEvent& event : stream.events) {
    ++version;
    events::EventEnvelope envelope{
        .seq = group.head.seq + 1,
        .stream_id = stream.stream_id,
        .stream_version = version,
        .recorded_at_ms = recorded_at_ms,
        .effective_at_ms = event.effective_at_ms.value_or(recorded_at_ms),
        .actor_id = event.actor_id,
        .command_id = command_id,
        .schema_version = events::kEventSchemaVersion,
        .prev_hash = group.head.hash,
    };
    events::EncodeRecordInto(envelope, event.payload, kHashBytes, &stored_value_);
    const Sha256Digest hash = AppendRecordHash(&stored_value_);
    write_batch_.Put(events_family_, EventKey(envelope.seq), stored_value_);
    write_batch_.Put(streams_family_, StreamKey(stream.stream_id, version), EventKey(envelope.seq));
    group.head.seq = envelope.seq;
    group.head.hash = hash;
    staged.push_back(RecordedEvent{.envelope = std::move(envelope), .event = std::move(event.event), .hash = hash});
  }
  if (!stream.events.empty()) group.stream_versions[stream.stream_id] = version;
}

Result<std::optional<CommandEntry>> AppendWriter::FindCommand(const std::string& command_id,
                                                              const GroupState& group) const {
  if (const auto it = group.commands.find(command_id); it != group.commands.end()) return {it->second};
  std::string value;
  const rocksdb::Status found = store_.db().Get(rocksdb::ReadOptions(), commands_family_, command_id, &value);
  if (found.IsNotFound()) return std::optional<CommandEntry>();
  CRM_RETURN_IF_ERROR(FromRocks(found, "looking up command id"));
  CRM_ASSIGN_OR_RETURN(CommandEntry entry, ParseCommandEntry(value));
  return std::optional<CommandEntry>(entry);
}

Result<StreamVersion> AppendWriter::CurrentVersion(const std::string& stream_id, const GroupState& group) const {
  if (const auto it = group.stream_versions.find(stream_id); it != group.stream_versions.end()) return it->second;
  if (const auto it = stream_versions_.find(stream_id); it != stream_versions_.end()) return it->second;
  return ReadStreamHead(store_.db(), streams_family_, stream_id, kLatestSeq);
}

}  // namespace crm::log
