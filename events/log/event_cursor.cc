#include "events/log/event_cursor.h"

#include "events/codec.h"
#include "events/log/log_internal.h"

namespace crm::log {
namespace {

// Long scans read ahead and keep their blocks out of the cache the point reads live in.
constexpr std::size_t kScanReadaheadBytes = 2u << 20;

Status SeqMismatch(Seq key_seq, Seq record_seq) {
  return Status::Corruption(
      "seq_mismatch",
      "event stored under seq " + std::to_string(key_seq) + " says it is seq " + std::to_string(record_seq),
      {{"seq", std::to_string(key_seq)}});
}

// Decodes one stored value into *event; the caller has checked nothing but that it exists.
Status DecodeStoredInto(std::string_view value, Seq seq, events::DecodeScratch& scratch, RecordedEvent* event) {
  CRM_ASSIGN_OR_RETURN(const StoredEvent stored, ParseStoredEvent(value, seq));
  CRM_RETURN_IF_ERROR(events::DecodeRecordInto(stored.record, scratch, event));
  if (event->envelope.seq != seq) return SeqMismatch(seq, event->envelope.seq);
  event->hash = stored.hash;
  return Status::Ok();
}

class RocksEventCursor final : public EventCursor {
 public:
  RocksEventCursor(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events, Seq from_seq, Seq last_seq)
      : upper_key_(EventKey(last_seq + 1)), upper_slice_(upper_key_), expected_seq_(from_seq) {
    rocksdb::ReadOptions read_options;
    read_options.iterate_upper_bound = &upper_slice_;
    read_options.readahead_size = kScanReadaheadBytes;
    read_options.fill_cache = false;
    iterator_.reset(db.NewIterator(read_options, events));
    iterator_->Seek(EventKey(from_seq));
    Load();
  }

  bool Valid() const override { return valid_; }
  void Next() override {
    iterator_->Next();
    Load();
  }
  const RecordedEvent& event() const override { return event_; }
  Status status() const override { return status_; }

 private:
  void Load() {
    valid_ = false;
    if (!iterator_->Valid()) {
      status_ = FromRocks(iterator_->status(), "scanning the event log");
      return;
    }
    const std::optional<Seq> seq = ParseEventKey(iterator_->key().ToStringView());
    if (!seq.has_value() || *seq != expected_seq_) {
      status_ = Status::Corruption("missing_event", "event " + std::to_string(expected_seq_) + " is missing",
                                   {{"seq", std::to_string(expected_seq_)}});
      return;
    }
    // Into the same event every time: its strings keep their capacity, so most events decode
    // without allocating.
    Status decoded = DecodeStoredInto(iterator_->value().ToStringView(), *seq, scratch_, &event_);
    if (!decoded.ok()) {
      status_ = std::move(decoded);
      return;
    }
    ++expected_seq_;
    valid_ = true;
  }

  std::string upper_key_;
  rocksdb::Slice upper_slice_;
  std::unique_ptr<rocksdb::Iterator> iterator_;
  Seq expected_seq_;
  events::DecodeScratch scratch_;
  RecordedEvent event_;
  bool valid_ = false;
  Status status_;
};

}  // namespace

Result<RecordedEvent> ReadEventAt(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events, Seq seq,
                                  const rocksdb::Snapshot* snapshot) {
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot;
  rocksdb::PinnableSlice value;
  const rocksdb::Status found = db.Get(read_options, events, EventKey(seq), &value);
  if (found.IsNotFound()) {
    return Status::NotFound("no_such_event", "there is no event " + std::to_string(seq),
                            {{"seq", std::to_string(seq)}});
  }
  CRM_RETURN_IF_ERROR(FromRocks(found, "reading event " + std::to_string(seq)));
  events::DecodeScratch scratch;
  RecordedEvent event;
  CRM_RETURN_IF_ERROR(DecodeStoredInto(value.ToStringView(), seq, scratch, &event));
  return event;
}

Result<events::EventEnvelope> ReadEnvelopeAt(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events, Seq seq) {
  rocksdb::PinnableSlice value;
  CRM_RETURN_IF_ERROR(
      FromRocks(db.Get(rocksdb::ReadOptions(), events, EventKey(seq), &value), "reading event " + std::to_string(seq)));
  CRM_ASSIGN_OR_RETURN(const StoredEvent stored, ParseStoredEvent(value.ToStringView(), seq));
  CRM_ASSIGN_OR_RETURN(events::EventEnvelope envelope, events::DecodeEnvelope(stored.record));
  if (envelope.seq != seq) return SeqMismatch(seq, envelope.seq);
  return envelope;
}

std::unique_ptr<EventCursor> NewRocksEventCursor(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events, Seq from_seq,
                                                 Seq last_seq) {
  return std::make_unique<RocksEventCursor>(db, events, from_seq, last_seq);
}

}  // namespace crm::log
