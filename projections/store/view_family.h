// ViewFamily: one projection build's column family — its rows, its checkpoint and its
// snapshots (key layout: view_format.h, docs/storage-format.md "Projection families").
//
// Borrowed handles: the family must not be dropped while a ViewFamily on it is in use.
// Thread-safe as RocksDB is; the projections passed in are the caller's to guard.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <optional>
#include <string>
#include <vector>

#include "events/envelope.h"
#include "events/status.h"
#include "projections/projection.h"
#include "projections/store/snapshot_delta.h"

namespace crm::projections::store {

// Where a stored view first differs from a fresh fold (crm-replay verify).
struct RowDifference {
  std::string row_key;
  std::string problem;  // "stored row differs", "missing from the store", "not in a fresh fold"
};

struct StoredSnapshot {
  events::Seq seq = 0;
  bool full = true;  // false: a delta snapshot
  bool operator==(const StoredSnapshot&) const = default;
};

class ViewFamily {
 public:
  ViewFamily(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family) : db_(&db), family_(family) {}

  // Adds the rows changed since the projection's last flush and the checkpoint `seq` to `batch`:
  // written in one batch, rows and checkpoint can never disagree. With `delta`, the rows are
  // also recorded there, for the next delta snapshot.
  void AddFlush(Projection& projection, events::Seq seq, rocksdb::WriteBatch& batch,
                SnapshotDelta* delta = nullptr) const;

  // The last event folded into the stored rows; 0 when nothing was ever flushed.
  Result<events::Seq> ReadCheckpoint() const;

  // Loads every stored row into a fresh projection, then FinishLoad.
  Status LoadRows(Projection& projection) const;

  // Adds every row of `projection`, whose state is the log up to `seq`, to `batch` as the
  // (full) snapshot at seq; returns how many rows it holds.
  std::uint64_t AddSnapshot(const Projection& projection, events::Seq seq, rocksdb::WriteBatch& batch) const;
  // The snapshot of `projection`, whose state is the log up to `seq`, added to `batch`: a delta
  // of the rows changed since the snapshot before when `delta` can give one and `policy` lets
  // it (the projection's rows are flushed up to `seq` into `batch` first, so that the delta
  // holds all they changed); else every row. `delta` then counts from here.
  void AddSnapshot(Projection& projection, SnapshotDelta& delta, const SnapshotPolicy& policy, events::Seq seq,
                   rocksdb::WriteBatch& batch) const;

  // Loads the state of the newest snapshot at or before `seq` into a fresh projection and
  // returns that snapshot's seq; nullopt (and nothing loaded) when there is none. A delta is
  // merged, newest row first, into the full snapshot its chain starts from; a broken chain is
  // kCorruption.
  Result<std::optional<events::Seq>> LoadSnapshotAtOrBefore(events::Seq seq, Projection& projection) const;

  // The stored snapshots, oldest first (for tools and tests).
  Result<std::vector<StoredSnapshot>> Snapshots() const;
  Result<std::vector<events::Seq>> SnapshotSeqs() const;

  // Compares the stored rows with every row of `fresh`, in key order, and names the first
  // difference; nullopt when they are identical.
  Result<std::optional<RowDifference>> CompareRows(const Projection& fresh) const;

  rocksdb::ColumnFamilyHandle* handle() const { return family_; }

 private:
  // The snapshot of either kind at exactly `seq`, or the newest at or before it.
  Result<std::optional<StoredSnapshot>> SnapshotAt(events::Seq seq) const;
  Result<std::optional<StoredSnapshot>> NewestSnapshotAtOrBefore(events::Seq seq) const;

  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* family_;
};

}  // namespace crm::projections::store
