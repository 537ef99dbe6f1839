// EventLog: the append-only, hash-chained, durable log of every event (docs/storage-format.md).
//
// The log knows streams, versions and bytes; it knows nothing of customers. Writers say which
// stream each event belongs to and which version they expect the stream to be at.
//
// Thread-safety: every method may be called from any number of threads at once. Appends are
// serialised by a single writer thread that commits whatever has queued up in one synced
// RocksDB write (group commit), so concurrent appenders share one fsync.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/envelope.h"
#include "events/event_types.h"
#include "events/log/event_cursor.h"
#include "events/log/rocks_store.h"
#include "events/status.h"

namespace crm::log {

using events::Event;
using events::RecordedEvent;
using events::Seq;
using events::Sha256Digest;
using events::StreamVersion;
using events::TimeMs;

// Expected-version values besides an exact version.
inline constexpr StreamVersion kAnyVersion = ~StreamVersion{0};  // no check
inline constexpr StreamVersion kNoStream = 0;                    // the stream must be empty
// "Up to the newest event" for every read that takes an upper bound.
inline constexpr Seq kLatestSeq = ~Seq{0};

struct NewEvent {
  Event event;
  std::string actor_id;  // who did it: a user id, or events::kSystemActorId
  // When the fact took effect. Default: the batch's recorded time. A deadline release passes
  // the deadline.
  std::optional<TimeMs> effective_at_ms;
};

struct StreamAppend {
  std::string stream_id;  // non-empty, at most kStreamIdBytesMax bytes, no NUL byte
  // The stream's current version for the append to go ahead. Default: kAnyVersion.
  StreamVersion expected_version = kAnyVersion;
  // May be empty: the entry is then only a condition on the stream's version (e.g. "the
  // customer has not changed since I decided"), and writes nothing to it.
  std::vector<NewEvent> events;
};

// One atomic append: every event of every stream is written, or none is.
struct AppendBatch {
  // Idempotency key. Default: empty (none). A batch whose command id the log has seen returns
  // the first append's result with duplicate = true and writes nothing.
  std::string command_id;
  // Digest of the request behind command_id; a repeat with another fingerprint is refused
  // (the same key used for a different request). Default: none (not checked).
  std::optional<Sha256Digest> request_fingerprint;
  // The writer's clock. The log keeps recorded times non-decreasing along seq: an earlier
  // time than the head's is raised to the head's.
  TimeMs recorded_at_ms = 0;
  std::vector<StreamAppend> streams;
};

struct AppendResult {
  Seq first_seq = 0;
  Seq last_seq = 0;
  TimeMs recorded_at_ms = 0;  // as stored, after the non-decreasing adjustment
  bool duplicate = false;     // the command id was seen before; nothing was written now
  // The records written, in seq order, exactly as a Read() would return them: a writer can
  // apply its own events without reading them back. Empty for a duplicate (read the range).
  std::vector<RecordedEvent> events;
};

// Counters since open, for metrics. Each field is read atomically; the set is not a snapshot.
struct LogStats {
  std::uint64_t appended_batches = 0;  // acknowledged appends that wrote events
  std::uint64_t appended_events = 0;
  std::uint64_t duplicate_batches = 0;  // answered from the command-id index
  std::uint64_t refused_batches = 0;    // wrong expected version or reused idempotency key
  std::uint64_t commit_groups = 0;      // synced RocksDB writes: one fsync each
  std::uint64_t failed_writes = 0;      // writes RocksDB refused; nothing in them was acknowledged
};

struct LogOptions {
  StoreOptions store;
  // Sync the WAL before acknowledging. Default: true. Only benchmarks measuring what
  // durability costs turn it off.
  bool sync = true;
  // Bound on one group commit. Default: 1024 batches, 16 MiB.
  std::size_t group_batches_max = 1024;
  std::size_t group_bytes_max = 16u << 20;
};

struct StreamReadOptions {
  StreamVersion from_version = 1;
  // As-of reads: events after this position are left out. Default: all.
  Seq max_seq = kLatestSeq;
};

struct ChainReport {
  bool ok = true;
  Seq events_checked = 0;
  Seq first_bad_seq = 0;  // 0 when ok
  std::string problem;    // empty when ok
};

struct VerifyOptions {
  // Also check that every event's stream index entry points back at it and that each stream's
  // versions have no gaps. Default: true.
  bool check_stream_index = true;
  // Called every few thousand events with the seq reached. Default: none.
  std::function<void(Seq)> progress;
};

class AppendWriter;
class HeadWatch;

class EventLog {
 public:
  // Opens (or, in kReadWrite mode, creates) the log and checks its tail: the head recorded in
  // meta must be the last event, whose hash must match its bytes and link to its predecessor.
  static Result<std::unique_ptr<EventLog>> Open(const LogOptions& options);
  // Lets queued appends finish, then closes.
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // Blocks until the batch is durable (or refused). Refusals write nothing:
  //   kConflict/wrong_expected_version   a stream is not at its expected version
  //   kConflict/idempotency_key_reused   command id seen with another request fingerprint
  //   kInvalidArgument, kTooLarge        malformed or oversized batch
  //   kUnavailable                       the log is read-only or closing
  //   kIOError/log_write_failed          a write failed; nothing more is accepted until reopen
  Result<AppendResult> Append(AppendBatch batch);

  // The same without blocking: `done` gets Append's answer, on the log's writer thread once the
  // batch is durable or refused (or at once, on the calling thread, when it is refused before
  // queueing). `done` must be quick and must not call back into the log: every append of the
  // next commit group waits while it runs. Hand the result to another thread instead.
  using AppendDone = std::function<void(Result<AppendResult>)>;
  void AppendAsync(AppendBatch batch, AppendDone done);

  // The answer an Append with this command id would give without writing: the first append's
  // result (duplicate = true), kConflict/idempotency_key_reused for another fingerprint, or
  // nullopt when the id is new. Lets a writer answer a repeated command before deciding again.
  Result<std::optional<AppendResult>> FindCommand(const std::string& command_id,
                                                  const std::optional<Sha256Digest>& request_fingerprint) const;

  // The newest durable event's seq; 0 for an empty log.
  Seq HeadSeq() const;

  // Blocks until HeadSeq() > after or the timeout passes; returns HeadSeq().
  Seq WaitForHeadAbove(Seq after, std::chrono::milliseconds timeout) const;

  Result<RecordedEvent> Read(Seq seq) const;

  // The events of one stream in version order (empty for an unknown stream).
  Result<std::vector<RecordedEvent>> ReadStream(std::string_view stream_id,
                                                const StreamReadOptions& options = {}) const;

  // The stream's version (0: empty), counting only events at or before max_seq.
  Result<StreamVersion> StreamHead(std::string_view stream_id, Seq max_seq = kLatestSeq) const;

  // Events with from_seq <= seq <= min(max_seq, HeadSeq() at the call).
  std::unique_ptr<EventCursor> Scan(Seq from_seq, Seq max_seq = kLatestSeq) const;

  // The last seq recorded at or before `time` (0 if none): "as of time T" is the log up to it.
  Result<Seq> LastSeqAtOrBefore(TimeMs time) const;

  // Walks the whole log from seq 1 and names the first event that breaks the chain.
  Result<ChainReport> VerifyChain(const VerifyOptions& options = {}) const;

  LogStats Stats() const;

  // The underlying store, for sibling infrastructure that keeps its data beside the log.
  RocksStore& store() { return *store_; }

 private:
  EventLog(LogOptions options, std::unique_ptr<RocksStore> store);

  LogOptions options_;
  std::unique_ptr<RocksStore> store_;
  std::unique_ptr<HeadWatch> head_watch_;
  std::unique_ptr<AppendWriter> writer_;  // null when opened read-only; uses the two above
};

}  // namespace crm::log
