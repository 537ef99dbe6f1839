#include "events/log/event_log.h"

#include <algorithm>
#include <future>
#include <unordered_set>

#include "events/codec.h"
#include "events/log/append_writer.h"
#include "events/log/head_watch.h"
#include "events/log/log_format.h"
#include "events/log/log_internal.h"

namespace crm::log {
namespace {

Status CheckIdentifier(std::string_view what, std::string_view value, std::size_t bytes_max) {
  if (value.empty()) return Status::InvalidArgument("invalid_" + std::string(what), std::string(what) + " is empty");
  if (value.size() > bytes_max) {
    return Status::InvalidArgument("invalid_" + std::string(what),
                                   std::string(what) + " is longer than " + std::to_string(bytes_max) + " bytes");
  }
  return Status::Ok();
}

Status CheckStreamId(std::string_view stream_id) {
  CRM_RETURN_IF_ERROR(CheckIdentifier("stream_id", stream_id, kStreamIdBytesMax));
  if (stream_id.find(kStreamKeySeparator) != std::string_view::npos) {
    return Status::InvalidArgument("invalid_stream_id", "stream id contains a NUL byte");
  }
  return Status::Ok();
}

// Validates the whole batch and encodes its payloads in the caller's thread, so that the
// writer thread only builds envelopes and hashes.
Result<PreparedBatch> PrepareBatch(AppendBatch batch) {
  if (batch.command_id.size() > kCommandIdBytesMax) {
    return Status::InvalidArgument("invalid_command_id",
                                   "command id is longer than " + std::to_string(kCommandIdBytesMax) + " bytes");
  }
  PreparedBatch prepared{.command_id = std::move(batch.command_id),
                         .request_fingerprint = batch.request_fingerprint,
                         .recorded_at_ms = batch.recorded_at_ms,
                         .streams = {},
                         .payload_bytes = 0};
  std::unordered_set<std::string> seen_streams;
  std::size_t event_count = 0;
  prepared.streams.reserve(batch.streams.size());
  for (StreamAppend& stream : batch.streams) {
    CRM_RETURN_IF_ERROR(CheckStreamId(stream.stream_id));
    if (!seen_streams.insert(stream.stream_id).second) {
      return Status::InvalidArgument("duplicate_stream", "stream " + stream.stream_id + " appears twice in one batch");
    }
    event_count += stream.events.size();
    if (event_count > kBatchEventsMax) {
      return Status::TooLarge("batch_too_large",
                              "a batch may hold at most " + std::to_string(kBatchEventsMax) + " events");
    }
    PreparedStream& out = prepared.streams.emplace_back();
    out.stream_id = std::move(stream.stream_id);
    out.expected_version = stream.expected_version;
    for (NewEvent& event : stream.events) {
      CRM_RETURN_IF_ERROR(CheckIdentifier("actor_id", event.actor_id, kActorIdBytesMax));
      std::string payload = events::EncodeEvent(event.event);
      if (payload.size() > kEventPayloadBytesMax) {
        return Status::TooLarge("event_too_large", "an event of " + std::to_string(payload.size()) +
                                                       " bytes exceeds the limit of " +
                                                       std::to_string(kEventPayloadBytesMax));
      }
      prepared.payload_bytes += payload.size();
      out.events.push_back(
          PreparedEvent{std::move(payload), std::move(event.event), std::move(event.actor_id), event.effective_at_ms});
    }
  }
  if (event_count == 0) return Status::InvalidArgument("empty_batch", "a batch must append at least one event");
  if (prepared.payload_bytes > kBatchBytesMax) {
    return Status::TooLarge("batch_too_large", "a batch may hold at most " + std::to_string(kBatchBytesMax) + " bytes");
  }
  return prepared;
}

Status CheckFormat(RocksStore& store) {
  std::string format;
  const rocksdb::Status found = store.db().Get(rocksdb::ReadOptions(), store.Family(kMetaFamily), kFormatKey, &format);
  if (found.ok()) {
    if (format == kFormatValue) return Status::Ok();
    return Status::InvalidArgument("unsupported_format", "the data directory holds format '" + format +
                                                             "'; this build reads '" + std::string(kFormatValue) + "'");
  }
  if (!found.IsNotFound()) return FromRocks(found, "reading the log format");
  if (store.options().mode != OpenMode::kReadWrite) {
    return Status::Corruption("missing_format", "the data directory has no log format marker");
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  return FromRocks(store.db().Put(write_options, store.Family(kMetaFamily), kFormatKey, kFormatValue),
                   "writing the log format");
}

}  // namespace

Result<std::unique_ptr<EventLog>> EventLog::Open(const LogOptions& options) {
  CRM_ASSIGN_OR_RETURN(std::unique_ptr<RocksStore> store, RocksStore::Open(options.store));
  CRM_RETURN_IF_ERROR(CheckFormat(*store));
  CRM_ASSIGN_OR_RETURN(const Head head, CheckTail(*store));
  std::unique_ptr<EventLog> log(new EventLog(options, std::move(store)));
  log->head_watch_->Publish(head.seq);
  if (options.store.mode == OpenMode::kReadWrite) {
    log->writer_ =
        std::make_unique<AppendWriter>(*log->store_, head, *log->head_watch_,
                                       WriterOptions{options.sync, options.group_batches_max, options.group_bytes_max});
  }
  return log;
}

EventLog::EventLog(LogOptions options, std::unique_ptr<RocksStore> store)
    : options_(std::move(options)), store_(std::move(store)), head_watch_(std::make_unique<HeadWatch>()) {}

EventLog::~EventLog() = default;

Result<AppendResult> EventLog::Append(AppendBatch batch) {
  std::promise<Result<AppendResult>> answer;
  std::future<Result<AppendResult>> answered = answer.get_future();
  AppendAsync(std::move(batch), [&answer](Result<AppendResult> result) { answer.set_value(std::move(result)); });
  return answered.get();
}

void EventLog::AppendAsync(AppendBatch batch, AppendDone done) {
  if (writer_ == nullptr) {
    done(Status::Unavailable("log_read_only", "the event log was opened read-only"));
    return;
  }
  Result<PreparedBatch> prepared = PrepareBatch(std::move(batch));
  if (!prepared.ok()) {
    done(prepared.status());
    return;
  }
  writer_->Submit(std::move(prepared).value(), std::move(done));
}

LogStats EventLog::Stats() const {
  return writer_ == nullptr ? LogStats{} : writer_->Stats();
}

Seq EventLog::HeadSeq() const {
  return head_watch_->Get();
}

Seq EventLog::WaitForHeadAbove(Seq after, std::chrono::milliseconds timeout) const {
  return head_watch_->WaitAbove(after, timeout);
}

Result<RecordedEvent> EventLog::Read(Seq seq) const {
  if (seq == 0 || seq > HeadSeq()) {
    return Status::NotFound("no_such_event", "there is no event " + std::to_string(seq),
                            {{"seq", std::to_string(seq)}});
  }
  return ReadEventAt(store_->db(), store_->Family(kEventsFamily), seq);
}

Result<std::vector<RecordedEvent>> EventLog::ReadStream(std::string_view stream_id,
                                                        const StreamReadOptions& options) const {
  const Seq max_seq = std::min(options.max_seq, HeadSeq());
  CRM_ASSIGN_OR_RETURN(const std::vector<Seq> seqs,
                       ReadStreamSeqs(store_->db(), store_->Family(kStreamsFamily), stream_id,
                                      std::max<StreamVersion>(options.from_version, 1), max_seq));
  std::vector<RecordedEvent> events;
  events.reserve(seqs.size());
  for (const Seq seq : seqs) {
    CRM_ASSIGN_OR_RETURN(RecordedEvent event, ReadEventAt(store_->db(), store_->Family(kEventsFamily), seq));
    events.push_back(std::move(event));
  }
  return events;
}

Result<std::optional<AppendResult>> EventLog::FindCommand(
    const std::string& command_id, const std::optional<Sha256Digest>& request_fingerprint) const {
  std::string value;
  const rocksdb::Status found =
      store_->db().Get(rocksdb::ReadOptions(), store_->Family(kCommandsFamily), command_id, &value);
  if (found.IsNotFound()) return std::optional<AppendResult>();
  CRM_RETURN_IF_ERROR(FromRocks(found, "looking up command id"));
  CRM_ASSIGN_OR_RETURN(const CommandEntry seen, ParseCommandEntry(value));
  CRM_ASSIGN_OR_RETURN(AppendResult answer, AnswerForSeenCommand(seen, command_id, request_fingerprint));
  return std::optional<AppendResult>(answer);
}

Result<StreamVersion> EventLog::StreamHead(std::string_view stream_id, Seq max_seq) const {
  return ReadStreamHead(store_->db(), store_->Family(kStreamsFamily), stream_id, std::min(max_seq, HeadSeq()));
}

std::unique_ptr<EventCursor> EventLog::Scan(Seq from_seq, Seq max_seq) const {
  return NewRocksEventCursor(store_->db(), store_->Family(kEventsFamily), std::max<Seq>(from_seq, 1),
                             std::min(max_seq, HeadSeq()));
}

Result<Seq> EventLog::LastSeqAtOrBefore(TimeMs time) const {
  // Recorded times never decrease along seq, so the answer is a binary search.
  // Invariant: events 1..low are at or before `time`; events after high are not.
  Seq low = 0;
  Seq high = HeadSeq();
  while (low < high) {
    const Seq middle = low + (high - low + 1) / 2;
    CRM_ASSIGN_OR_RETURN(const events::EventEnvelope envelope,
                         ReadEnvelopeAt(store_->db(), store_->Family(kEventsFamily), middle));
    if (envelope.recorded_at_ms <= time) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return low;
}

Result<ChainReport> EventLog::VerifyChain(const VerifyOptions& options) const {
  return WalkChain(*store_, options);
}

}  // namespace crm::log
