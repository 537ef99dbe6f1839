// The hash chain's two checks: the cheap one at every open (the tail) and the full walk.
#include <unordered_map>

#include "events/codec.h"
#include "events/log/log_format.h"
#include "events/log/log_internal.h"
#include "events/log/sha256.h"

namespace crm::log {
namespace {

constexpr Seq kProgressEveryEvents = 4096;

Status TailDamaged(Seq seq, const std::string& problem) {
  return Status::Corruption("log_tail_damaged",
                            "the event log's tail is damaged at seq " + std::to_string(seq) + ": " + problem +
                                "; run `crm-replay verify` and restore from a backup",
                            {{"seq", std::to_string(seq)}});
}

Result<std::optional<Head>> ReadHead(RocksStore& store, const rocksdb::Snapshot* snapshot) {
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot;
  std::string value;
  const rocksdb::Status found = store.db().Get(read_options, store.Family(kMetaFamily), kHeadKey, &value);
  if (found.IsNotFound()) return std::optional<Head>();
  CRM_RETURN_IF_ERROR(FromRocks(found, "reading the log head"));
  CRM_ASSIGN_OR_RETURN(const Head head, ParseHead(value));
  return std::optional<Head>(head);
}

// Everything the walk knows about the chain so far; Check() returns the first problem at `seq`.
class ChainWalk {
 public:
  ChainWalk(RocksStore& store, const rocksdb::Snapshot* snapshot, const VerifyOptions& options)
      : store_(store), snapshot_(snapshot), options_(options) {}

  // Empty when the event at `seq` (stored as `value`) is sound.
  Result<std::string> Check(Seq seq, std::string_view value) {
    const Result<StoredEvent> parsed = ParseStoredEvent(value, seq);
    if (!parsed.ok()) return parsed.status().message();
    const StoredEvent& stored = *parsed;
    if (Sha256(stored.record) != stored.hash) return std::string("stored hash does not match the event's bytes");
    const Result<RecordedEvent> decoded = events::DecodeRecord(stored.record);
    if (!decoded.ok()) return "record does not decode: " + decoded.status().message();
    const events::EventEnvelope& envelope = decoded->envelope;
    if (envelope.seq != seq) return "record says it is seq " + std::to_string(envelope.seq);
    if (envelope.prev_hash != prev_hash_) return "previous hash does not match event " + std::to_string(seq - 1);
    if (envelope.recorded_at_ms < prev_recorded_at_ms_) return std::string("recorded time goes backwards");
    if (options_.check_stream_index) {
      CRM_ASSIGN_OR_RETURN(std::string index_problem, CheckStreamIndex(seq, envelope));
      if (!index_problem.empty()) return index_problem;
    }
    prev_hash_ = stored.hash;
    prev_recorded_at_ms_ = envelope.recorded_at_ms;
    return std::string();
  }

  const Sha256Digest& last_hash() const { return prev_hash_; }

 private:
  Result<std::string> CheckStreamIndex(Seq seq, const events::EventEnvelope& envelope) {
    StreamVersion& last_version = stream_versions_[envelope.stream_id];
    if (envelope.stream_version != last_version + 1) {
      return "stream " + envelope.stream_id + " jumps from version " + std::to_string(last_version) + " to " +
             std::to_string(envelope.stream_version);
    }
    last_version = envelope.stream_version;
    rocksdb::ReadOptions read_options;
    read_options.snapshot = snapshot_;
    std::string value;
    const rocksdb::Status found = store_.db().Get(read_options, store_.Family(kStreamsFamily),
                                                  StreamKey(envelope.stream_id, envelope.stream_version), &value);
    if (found.IsNotFound()) return std::string("stream index has no entry for this event");
    CRM_RETURN_IF_ERROR(FromRocks(found, "reading the stream index"));
    if (value.size() != kSeqBytes || ReadBigEndian64(value) != seq) {
      return std::string("stream index entry points at another event");
    }
    return std::string();
  }

  RocksStore& store_;
  const rocksdb::Snapshot* snapshot_;
  const VerifyOptions& options_;
  Sha256Digest prev_hash_{};
  TimeMs prev_recorded_at_ms_ = std::numeric_limits<TimeMs>::min();
  std::unordered_map<std::string, StreamVersion> stream_versions_;
};

ChainReport Bad(ChainReport report, Seq seq, std::string problem) {
  report.ok = false;
  report.first_bad_seq = seq;
  report.problem = std::move(problem);
  return report;
}

// Releases the snapshot however the walk ends.
class ScopedSnapshot {
 public:
  explicit ScopedSnapshot(rocksdb::DB& db) : db_(db), snapshot_(db.GetSnapshot()) {}
  ~ScopedSnapshot() { db_.ReleaseSnapshot(snapshot_); }
  ScopedSnapshot(const ScopedSnapshot&) = delete;
  ScopedSnapshot& operator=(const ScopedSnapshot&) = delete;
  const rocksdb::Snapshot* get() const { return snapshot_; }

 private:
  rocksdb::DB& db_;
  const rocksdb::Snapshot* snapshot_;
};

}  // namespace

Result<Head> CheckTail(RocksStore& store) {
  CRM_ASSIGN_OR_RETURN(const std::optional<Head> stored_head, ReadHead(store, nullptr));
  std::unique_ptr<rocksdb::Iterator> it(store.db().NewIterator(rocksdb::ReadOptions(), store.Family(kEventsFamily)));
  it->SeekToLast();
  CRM_RETURN_IF_ERROR(FromRocks(it->status(), "reading the log tail"));
  if (!stored_head.has_value()) {
    if (it->Valid()) return TailDamaged(0, "events exist but the head record is missing");
    return Head{};
  }
  const Head& head = *stored_head;
  const std::optional<Seq> last_seq = it->Valid() ? ParseEventKey(it->key().ToStringView()) : std::optional<Seq>(0);
  if (last_seq != head.seq) {
    return TailDamaged(head.seq, "the head names seq " + std::to_string(head.seq) + " but the last stored event is " +
                                     (last_seq.has_value() ? std::to_string(*last_seq) : "unreadable"));
  }
  if (head.seq == 0) return head;

  CRM_ASSIGN_OR_RETURN(const StoredEvent last, ParseStoredEvent(it->value().ToStringView(), head.seq));
  if (Sha256(last.record) != last.hash || last.hash != head.hash) {
    return TailDamaged(head.seq, "the last event's bytes do not match its hash");
  }
  const Result<events::EventEnvelope> envelope = events::DecodeEnvelope(last.record);
  if (!envelope.ok()) return TailDamaged(head.seq, envelope.status().message());
  Sha256Digest expected_prev{};
  if (head.seq > 1) {
    const Result<RecordedEvent> previous = ReadEventAt(store.db(), store.Family(kEventsFamily), head.seq - 1);
    if (!previous.ok()) return TailDamaged(head.seq - 1, previous.status().message());
    expected_prev = previous->hash;
  }
  if (envelope->seq != head.seq || envelope->prev_hash != expected_prev ||
      envelope->recorded_at_ms != head.recorded_at_ms) {
    return TailDamaged(head.seq, "the last event does not link to its predecessor");
  }
  return head;
}

Result<ChainReport> WalkChain(RocksStore& store, const VerifyOptions& options) {
  const ScopedSnapshot snapshot(store.db());
  CRM_ASSIGN_OR_RETURN(const std::optional<Head> head, ReadHead(store, snapshot.get()));
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot.get();
  read_options.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(store.db().NewIterator(read_options, store.Family(kEventsFamily)));

  ChainReport report;
  ChainWalk walk(store, snapshot.get(), options);
  Seq expected_seq = 1;
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++expected_seq) {
    const std::optional<Seq> seq = ParseEventKey(it->key().ToStringView());
    if (seq != expected_seq) {
      return Bad(report, expected_seq, "event " + std::to_string(expected_seq) + " is missing");
    }
    CRM_ASSIGN_OR_RETURN(const std::string problem, walk.Check(*seq, it->value().ToStringView()));
    if (!problem.empty()) return Bad(report, *seq, problem);
    ++report.events_checked;
    if (options.progress && *seq % kProgressEveryEvents == 0) options.progress(*seq);
  }
  CRM_RETURN_IF_ERROR(FromRocks(it->status(), "walking the event log"));

  const Seq last_seq = expected_seq - 1;
  const Head expected_head = head.value_or(Head{});
  if (expected_head.seq != last_seq) {
    return Bad(
        report, std::max(expected_head.seq, last_seq),
        "the head names seq " + std::to_string(expected_head.seq) + " but the log ends at " + std::to_string(last_seq));
  }
  if (last_seq > 0 && expected_head.hash != walk.last_hash()) {
    return Bad(report, last_seq, "the head's hash does not match the last event");
  }
  if (options.progress) options.progress(last_seq);
  return report;
}

}  // namespace crm::log
