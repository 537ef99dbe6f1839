#include <memory>

#include "events/log/log_format.h"
#include "events/log/log_internal.h"

namespace crm::log {
namespace {

// Iterates the streams family over exactly one stream's keys.
class StreamKeyRange {
 public:
  StreamKeyRange(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* streams, std::string_view stream_id)
      : lower_(StreamKeyPrefix(stream_id)), upper_(StreamKey(stream_id, ~StreamVersion{0})) {
    upper_.push_back('\0');  // the bound is exclusive; the largest version must stay inside
    lower_slice_ = rocksdb::Slice(lower_);
    upper_slice_ = rocksdb::Slice(upper_);
    rocksdb::ReadOptions read_options;
    read_options.iterate_lower_bound = &lower_slice_;
    read_options.iterate_upper_bound = &upper_slice_;
    iterator_.reset(db.NewIterator(read_options, streams));
  }
  rocksdb::Iterator& iterator() { return *iterator_; }

 private:
  std::string lower_;
  std::string upper_;
  rocksdb::Slice lower_slice_;
  rocksdb::Slice upper_slice_;
  std::unique_ptr<rocksdb::Iterator> iterator_;
};

Status Unreadable(std::string_view stream_id) {
  return Status::Corruption("malformed_stream_index", "unreadable index entry for stream " + std::string(stream_id));
}

}  // namespace

Result<StreamVersion> ReadStreamHead(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* streams, std::string_view stream_id,
                                     Seq max_seq) {
  StreamKeyRange range(db, streams, stream_id);
  rocksdb::Iterator& it = range.iterator();
  // Newest first; as-of reads step back past versions written after max_seq.
  for (it.SeekToLast(); it.Valid(); it.Prev()) {
    if (it.value().size() != kSeqBytes) return Unreadable(stream_id);
    if (ReadBigEndian64(it.value().ToStringView()) > max_seq) continue;
    const std::optional<StreamVersion> version = ParseStreamKeyVersion(it.key().ToStringView(), stream_id);
    if (!version.has_value()) return Unreadable(stream_id);
    return *version;
  }
  CRM_RETURN_IF_ERROR(FromRocks(it.status(), "reading stream " + std::string(stream_id)));
  return StreamVersion{0};
}

Result<std::vector<Seq>> ReadStreamSeqs(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* streams,
                                        std::string_view stream_id, StreamVersion from_version, Seq max_seq) {
  StreamKeyRange range(db, streams, stream_id);
  rocksdb::Iterator& it = range.iterator();
  std::vector<Seq> seqs;
  for (it.Seek(StreamKey(stream_id, from_version)); it.Valid(); it.Next()) {
    if (it.value().size() != kSeqBytes) return Unreadable(stream_id);
    const Seq seq = ReadBigEndian64(it.value().ToStringView());
    if (seq > max_seq) break;  // versions grow with seq: the rest is later still
    seqs.push_back(seq);
  }
  CRM_RETURN_IF_ERROR(FromRocks(it.status(), "reading stream " + std::string(stream_id)));
  return seqs;
}

}  // namespace crm::log
