#include "projections/store/view_family.h"

#include <rocksdb/iterator.h>

#include <algorithm>
#include <map>
#include <memory>
#include <utility>

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

// Packs entries into the chunks of one snapshot, each at most about kSnapshotChunkBytesMax.
class ChunkWriter {
 public:
  ChunkWriter(rocksdb::WriteBatch& batch, rocksdb::ColumnFamilyHandle* family, events::Seq seq, char kind)
      : batch_(batch), family_(family), seq_(seq), kind_(kind) {}
  RowWriter& chunk() { return chunk_; }
  // Called after each entry: a full chunk is put into the batch.
  void EntryDone() {
    if (chunk_.data().size() >= kSnapshotChunkBytesMax) Seal();
  }
  // Puts the last chunk; a snapshot has at least one, even of no rows.
  void Seal() {
    if (chunk_.data().empty() && chunks_ > 0) return;
    const std::string bytes = chunk_.Take();
    batch_.Put(family_, SnapshotChunkKey(seq_, chunks_++, kind_), bytes).PermitUncheckedError();
    chunk_ = RowWriter();
  }

 private:
  rocksdb::WriteBatch& batch_;
  rocksdb::ColumnFamilyHandle* family_;
  events::Seq seq_;
  char kind_;
  std::uint32_t chunks_ = 0;
  RowWriter chunk_;
};

// Every row of a full snapshot.
class ChunkSink final : public RowSink {
 public:
  explicit ChunkSink(ChunkWriter& writer) : writer_(writer) {}
  void Put(std::string_view key, std::string_view value) override {
    writer_.chunk().Bytes(key);
    writer_.chunk().Bytes(value);
    writer_.EntryDone();
    ++rows_;
  }
  // A full state has no deletions.
  void Delete(std::string_view) override {}
  std::uint64_t rows() const { return rows_; }

 private:
  ChunkWriter& writer_;
  std::uint64_t rows_ = 0;
};

constexpr std::uint64_t kDeltaPut = 0;
constexpr std::uint64_t kDeltaDelete = 1;

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

void ViewFamily::AddFlush(Projection& projection, events::Seq seq, rocksdb::WriteBatch& batch,
                          SnapshotDelta* delta) const {
  BatchSink sink(batch, family_);
  if (delta != nullptr) {
    TeeSink both(sink, *delta);
    projection.FlushChanges(both);
  } else {
    projection.FlushChanges(sink);
  }
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

std::uint64_t ViewFamily::AddSnapshot(const Projection& projection, events::Seq seq, rocksdb::WriteBatch& batch) const {
  ChunkWriter writer(batch, family_, seq, kSnapshotPrefix);
  ChunkSink sink(writer);
  projection.WriteRows(sink);
  writer.Seal();
  return sink.rows();
}

void ViewFamily::AddSnapshot(Projection& projection, SnapshotDelta& delta, const SnapshotPolicy& policy,
                             events::Seq seq, rocksdb::WriteBatch& batch) const {
  bool full = delta.WantsFull();
  if (!full) {
    AddFlush(projection, seq, batch, &delta);
    full = delta.Outgrown();
  }
  std::uint64_t rows = delta.rows().size();
  if (full) {
    rows = AddSnapshot(projection, seq, batch);
  } else {
    ChunkWriter writer(batch, family_, seq, kDeltaSnapshotPrefix);
    writer.chunk().U64(delta.base_seq());
    for (const auto& [key, value] : delta.rows()) {
      writer.chunk().Bytes(key);
      writer.chunk().U64(value.has_value() ? kDeltaPut : kDeltaDelete);
      if (value.has_value()) writer.chunk().Bytes(*value);
      writer.EntryDone();
    }
    writer.Seal();
  }
  delta.SnapshotWritten(seq, full, rows, policy);
}

Result<std::optional<StoredSnapshot>> ViewFamily::SnapshotAt(events::Seq seq) const {
  for (const char kind : {kSnapshotPrefix, kDeltaSnapshotPrefix}) {
    std::string value;
    const rocksdb::Status found = db_->Get(rocksdb::ReadOptions(), family_, SnapshotChunkKey(seq, 0, kind), &value);
    if (found.IsNotFound()) continue;
    CRM_RETURN_IF_ERROR(FromRocks(found, "finding a snapshot in " + family_->GetName()));
    return std::optional<StoredSnapshot>(StoredSnapshot{.seq = seq, .full = kind == kSnapshotPrefix});
  }
  return std::optional<StoredSnapshot>();
}

Result<std::optional<StoredSnapshot>> ViewFamily::NewestSnapshotAtOrBefore(events::Seq seq) const {
  std::optional<StoredSnapshot> newest;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family_));
  for (const char kind : {kSnapshotPrefix, kDeltaSnapshotPrefix}) {
    // The last chunk key at or before (seq, last chunk) belongs to the newest snapshot <= seq.
    it->SeekForPrev(SnapshotChunkKey(seq, ~std::uint32_t{0}, kind));
    CRM_RETURN_IF_ERROR(FromRocks(it->status(), "finding a snapshot in " + family_->GetName()));
    if (!it->Valid() || it->key().size() != 13 || it->key()[0] != kind) continue;
    const events::Seq found = DecodeBigEndian64(View(it->key()).substr(1, 8));
    if (!newest.has_value() || found > newest->seq) {
      newest = StoredSnapshot{.seq = found, .full = kind == kSnapshotPrefix};
    }
  }
  return newest;
}

namespace {

// Reads the delta snapshot at `seq`, appending its entries to `changes` (its chunks kept in
// `rows`, which the entries point into), and returns the seq of the snapshot it builds on.
Result<events::Seq> ReadDelta(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family, events::Seq seq, SnapshotRows& rows,
                              std::vector<SnapshotRows::Change>& changes) {
  const std::string where = family->GetName() + " delta snapshot " + std::to_string(seq);
  const std::string prefix = SnapshotPrefix(seq, kDeltaSnapshotPrefix);
  rocksdb::ReadOptions options;
  options.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(options, family));
  std::optional<events::Seq> base;
  std::uint32_t chunks = 0;
  for (it->Seek(prefix); it->Valid() && View(it->key()).starts_with(prefix); it->Next(), ++chunks) {
    RowReader chunk(rows.Hold(std::string(View(it->value()))));
    if (!base.has_value()) base = chunk.U64();
    while (!chunk.at_end() && chunk.ok()) {
      const std::string_view key = chunk.BytesView();
      const std::uint64_t kind = chunk.U64();
      if (kind != kDeltaPut && kind != kDeltaDelete) {
        return Status::Corruption("projection_snapshot_corrupt", where + ": unknown entry kind");
      }
      std::optional<std::string_view> value;
      if (kind == kDeltaPut) value = chunk.BytesView();
      if (chunk.ok()) changes.push_back(SnapshotRows::Change{key, value});
    }
    CRM_RETURN_IF_ERROR(chunk.Finish({where, " chunk ", std::to_string(chunks)}));
  }
  CRM_RETURN_IF_ERROR(FromRocks(it->status(), "reading " + where));
  if (!base.has_value() || *base >= seq) {
    return Status::Corruption("projection_snapshot_corrupt", where + ": no snapshot before it is named");
  }
  return *base;
}

// The newest change of each key, in key order. `changes` holds the deltas' entries newest
// delta first, so a stable sort leaves each key's newest change first among its own.
void KeepNewestByKey(std::vector<SnapshotRows::Change>& changes) {
  const auto key_before = [](const SnapshotRows::Change& a, const SnapshotRows::Change& b) { return a.key < b.key; };
  std::stable_sort(changes.begin(), changes.end(), key_before);
  const auto same_key = [](const SnapshotRows::Change& a, const SnapshotRows::Change& b) { return a.key == b.key; };
  changes.erase(std::unique(changes.begin(), changes.end(), same_key), changes.end());
}

}  // namespace

Result<std::optional<events::Seq>> ViewFamily::LoadSnapshotAtOrBefore(events::Seq seq, Projection& projection) const {
  CRM_ASSIGN_OR_RETURN(std::optional<StoredSnapshot> at, NewestSnapshotAtOrBefore(seq));
  if (!at.has_value()) return std::optional<events::Seq>();
  const events::Seq snapshot_seq = at->seq;
  const auto rows = std::make_shared<SnapshotRows>();
  // Deltas back to the full snapshot they start from, newest first.
  std::vector<SnapshotRows::Change> changes;
  while (!at->full) {
    CRM_ASSIGN_OR_RETURN(const events::Seq base, ReadDelta(*db_, family_, at->seq, *rows, changes));
    CRM_ASSIGN_OR_RETURN(at, SnapshotAt(base));
    if (!at.has_value()) {
      return Status::Corruption(
          "projection_snapshot_corrupt",
          family_->GetName() + ": the snapshot at " + std::to_string(base) + " that a delta builds on is missing");
    }
  }
  KeepNewestByKey(changes);
  // A snapshot is read once for one as-of read: its megabyte blocks would only push the rows
  // that serve every read out of the block cache.
  rocksdb::ReadOptions options;
  options.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, family_));
  const std::string prefix = SnapshotPrefix(at->seq);
  std::uint32_t chunks = 0;
  for (it->Seek(prefix); it->Valid() && View(it->key()).starts_with(prefix); it->Next(), ++chunks) {
    RowReader chunk(rows->Hold(std::string(View(it->value()))));
    while (!chunk.at_end()) {
      const std::string_view key = chunk.BytesView();
      const std::string_view value = chunk.BytesView();
      if (!chunk.ok()) break;
      rows->Add(key, value);
    }
    CRM_RETURN_IF_ERROR(
        chunk.Finish({family_->GetName(), " snapshot ", std::to_string(at->seq), " chunk ", std::to_string(chunks)}));
  }
  CRM_RETURN_IF_ERROR(FromRocks(it->status(), "reading a snapshot of " + family_->GetName()));
  rows->Finish(changes);
  CRM_RETURN_IF_ERROR(projection.LoadSnapshot(rows));
  return std::optional<events::Seq>(snapshot_seq);
}

Result<std::vector<StoredSnapshot>> ViewFamily::Snapshots() const {
  std::vector<StoredSnapshot> snapshots;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family_));
  for (const char kind : {kSnapshotPrefix, kDeltaSnapshotPrefix}) {
    for (it->Seek(std::string(1, kind)); it->Valid() && it->key()[0] == kind; it->Next()) {
      const events::Seq seq = DecodeBigEndian64(View(it->key()).substr(1, 8));
      if (snapshots.empty() || snapshots.back().seq != seq || snapshots.back().full != (kind == kSnapshotPrefix)) {
        snapshots.push_back(StoredSnapshot{.seq = seq, .full = kind == kSnapshotPrefix});
      }
    }
    CRM_RETURN_IF_ERROR(FromRocks(it->status(), "listing snapshots of " + family_->GetName()));
  }
  std::sort(snapshots.begin(), snapshots.end(),
            [](const StoredSnapshot& a, const StoredSnapshot& b) { return a.seq < b.seq; });
  return snapshots;
}

Result<std::vector<events::Seq>> ViewFamily::SnapshotSeqs() const {
  CRM_ASSIGN_OR_RETURN(const std::vector<StoredSnapshot> snapshots, Snapshots());
  std::vector<events::Seq> seqs;
  for (const StoredSnapshot& snapshot : snapshots) seqs.push_back(snapshot.seq);
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
