#include "projections/store/view_family.h"

#include <rocksdb/iterator.h>

#include <map>
#include <memory>

#include "events/log/rocks_store.h"
#include "projections/row_codec.h"
#include "projections/row_map_sink.h"
#include "projections/store/view_format.h"

namespace crm::projections::store {
namespace {

using log::FromRocks;

class BatchSink final : public RowSink {
 public:
  BatchSink(rocksdb::WriteBatch& batch, rocksdb::ColumnFamilyHandle* family) : batch_(batch), family_(family) {}
  void Put(std::string_view key, std::string_view value) override {
    batch_.Put(family_, RowKey(key), rocksdb::Slice(value.data(), value.size())).PermitUncheckedError();
  }
  void Delete(std::string_view key) override { batch_.Delete(family_, RowKey(key)).PermitUncheckedError(); }

 private:
  rocksdb::WriteBatch& batch_;
  rocksdb::ColumnFamilyHandle* family_;
};

// Packs rows into snapshot chunks of at most about kSnapshotChunkBytesMax.
class ChunkSink final : public RowSink {
 public:
  ChunkSink(rocksdb::WriteBatch& batch, rocksdb::ColumnFamilyHandle* family, events::Seq seq)
      : batch_(batch), family_(family), seq_(seq) {}
  void Put(std::string_view key, std::string_view value) override {
    chunk_.Bytes(key);
    chunk_.Bytes(value);
    if (chunk_.data().size() >= kSnapshotChunkBytesMax) Seal();
  }
  // A full state has no deletions.
  void Delete(std::string_view) override {}
  void Seal() {
    if (chunk_.data().empty() && chunks_ > 0) return;
    const std::string bytes = chunk_.Take();
    batch_.Put(family_, SnapshotChunkKey(seq_, chunks_++), bytes).PermitUncheckedError();
    chunk_ = RowWriter();
  }

 private:
  rocksdb::WriteBatch& batch_;
  rocksdb::ColumnFamilyHandle* family_;
  events::Seq seq_;
  std::uint32_t chunks_ = 0;
  RowWriter chunk_;
};

std::string_view View(const rocksdb::Slice& slice) {
  return {slice.data(), slice.size()};
}

// The first key after every key that starts with `prefix`.
std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty() && static_cast<std::uint8_t>(prefix.back()) == 0xff) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(static_cast<std::uint8_t>(prefix.back()) + 1);
  return prefix;
}

}  // namespace

void ViewFamily::AddFlush(Projection& projection, events::Seq seq, rocksdb::WriteBatch& batch) const {
  BatchSink sink(batch, family_);
  projection.FlushChanges(sink);
  batch.Put(family_, kCheckpointKey, EncodeBigEndian64(seq)).PermitUncheckedError();
}

Result<events::Seq> ViewFamily::ReadCheckpoint() const {
  std::string value;
  const rocksdb::Status found = db_->Get(rocksdb::ReadOptions(), family_, kCheckpointKey, &value);
  if (found.IsNotFound()) return events::Seq{0};
  CRM_RETURN_IF_ERROR(FromRocks(found, "reading the checkpoint of " + family_->GetName()));
  if (value.size() != 8) {
    return Status::Corruption("projection_checkpoint_corrupt",
                              "the checkpoint of " + family_->GetName() + " is not 8 bytes");
  }
  return DecodeBigEndian64(value);
}

Status ViewFamily::LoadRows(Projection& projection) const {
  const std::string end = PrefixEnd(std::string(1, kRowPrefix));
  rocksdb::ReadOptions options;
  const rocksdb::Slice upper(end);
  options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, family_));
  for (it->Seek(std::string(1, kRowPrefix)); it->Valid(); it->Next()) {
    CRM_RETURN_IF_ERROR(projection.LoadRow(View(it->key()).substr(1), View(it->value())));
  }
  CRM_RETURN_IF_ERROR(FromRocks(it->status(), "reading the rows of " + family_->GetName()));
  return projection.FinishLoad();
}

void ViewFamily::AddSnapshot(const Projection& projection, events::Seq seq, rocksdb::WriteBatch& batch) const {
  ChunkSink sink(batch, family_, seq);
  projection.WriteRows(sink);
  sink.Seal();
}

Status ViewFamily::WriteSnapshot(const Projection& projection, events::Seq seq) const {
  rocksdb::WriteBatch batch;
  AddSnapshot(projection, seq, batch);
  return FromRocks(db_->Write(rocksdb::WriteOptions(), &batch), "writing a snapshot of " + family_->GetName());
}

Result<std::optional<events::Seq>> ViewFamily::LoadSnapshotAtOrBefore(events::Seq seq, Projection& projection) const {
  // The last chunk key at or before (seq, last chunk) belongs to the newest snapshot <= seq.
  // A snapshot is read once for one as-of read: its megabyte blocks would only push the rows
  // that serve every read out of the block cache.
  rocksdb::ReadOptions options;
  options.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, family_));
  it->SeekForPrev(SnapshotChunkKey(seq, ~std::uint32_t{0}));
  CRM_RETURN_IF_ERROR(FromRocks(it->status(), "finding a snapshot in " + family_->GetName()));
  if (!it->Valid() || it->key().size() != 13 || it->key()[0] != kSnapshotPrefix) return std::optional<events::Seq>();
  const events::Seq snapshot_seq = DecodeBigEndian64(View(it->key()).substr(1, 8));
  const std::string prefix = SnapshotPrefix(snapshot_seq);
  std::uint32_t chunks = 0;
  for (it->Seek(prefix); it->Valid() && View(it->key()).starts_with(prefix); it->Next(), ++chunks) {
    RowReader chunk(View(it->value()));
    while (!chunk.at_end()) {
      const std::string_view key = chunk.BytesView();
      const std::string_view value = chunk.BytesView();
      if (!chunk.ok()) break;
      CRM_RETURN_IF_ERROR(projection.LoadRow(key, value));
    }
    CRM_RETURN_IF_ERROR(chunk.Finish(family_->GetName() + " snapshot " + std::to_string(snapshot_seq) + " chunk " +
                                     std::to_string(chunks)));
  }
  CRM_RETURN_IF_ERROR(FromRocks(it->status(), "reading a snapshot of " + family_->GetName()));
  CRM_RETURN_IF_ERROR(projection.FinishLoad());
  return std::optional<events::Seq>(snapshot_seq);
}

Result<std::vector<events::Seq>> ViewFamily::SnapshotSeqs() const {
  std::vector<events::Seq> seqs;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family_));
  for (it->Seek(std::string(1, kSnapshotPrefix)); it->Valid() && it->key()[0] == kSnapshotPrefix; it->Next()) {
    const events::Seq seq = DecodeBigEndian64(View(it->key()).substr(1, 8));
    if (seqs.empty() || seqs.back() != seq) seqs.push_back(seq);
  }
  CRM_RETURN_IF_ERROR(FromRocks(it->status(), "listing snapshots of " + family_->GetName()));
  return seqs;
}

Result<std::optional<RowDifference>> ViewFamily::CompareRows(const Projection& fresh) const {
  const std::map<std::string, std::string> expected = RowsOf(fresh);
  auto want = expected.begin();
  const std::string end = PrefixEnd(std::string(1, kRowPrefix));
  rocksdb::ReadOptions options;
  const rocksdb::Slice upper(end);
  options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, family_));
  for (it->Seek(std::string(1, kRowPrefix)); it->Valid(); it->Next()) {
    const std::string_view key = View(it->key()).substr(1);
    if (want != expected.end() && want->first < key) {
      return std::optional<RowDifference>(RowDifference{want->first, "missing from the store"});
    }
    if (want == expected.end() || want->first != key) {
      return std::optional<RowDifference>(RowDifference{std::string(key), "not in a fresh fold"});
    }
    if (want->second != View(it->value())) {
      return std::optional<RowDifference>(RowDifference{want->first, "stored row differs"});
    }
    ++want;
  }
  CRM_RETURN_IF_ERROR(FromRocks(it->status(), "reading the rows of " + family_->GetName()));
  if (want != expected.end()) return std::optional<RowDifference>(RowDifference{want->first, "missing from the store"});
  return std::optional<RowDifference>();
}

}  // namespace crm::projections::store
