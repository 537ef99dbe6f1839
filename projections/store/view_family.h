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

#include "events/envelope.h"
#include "events/status.h"
#include "projections/projection.h"

namespace crm::projections::store {

// Where a stored view first differs from a fresh fold (crm-replay verify).
struct RowDifference {
  std::string row_key;
  std::string problem;  // "stored row differs", "missing from the store", "not in a fresh fold"
};

class ViewFamily {
 public:
  ViewFamily(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family) : db_(&db), family_(family) {}

  // Adds the rows changed since the projection's last flush and the checkpoint `seq` to `batch`:
  // written in one batch, rows and checkpoint can never disagree.
  void AddFlush(Projection& projection, events::Seq seq, rocksdb::WriteBatch& batch) const;

  // The last event folded into the stored rows; 0 when nothing was ever flushed.
  Result<events::Seq> ReadCheckpoint() const;

  // Loads every stored row into a fresh projection, then FinishLoad.
  Status LoadRows(Projection& projection) const;

  // Stores every row of `projection`, whose state is the log up to `seq`, as the snapshot at seq.
  Status WriteSnapshot(const Projection& projection, events::Seq seq) const;
  // The same snapshot added to `batch`, for a caller that writes it itself.
  void AddSnapshot(const Projection& projection, events::Seq seq, rocksdb::WriteBatch& batch) const;

  // Loads the newest snapshot at or before `seq` into a fresh projection and returns its seq;
  // nullopt (and nothing loaded) when there is none.
  Result<std::optional<events::Seq>> LoadSnapshotAtOrBefore(events::Seq seq, Projection& projection) const;

  // Seqs of the stored snapshots, oldest first (for tools and tests).
  Result<std::vector<events::Seq>> SnapshotSeqs() const;

  // Compares the stored rows with every row of `fresh`, in key order, and names the first
  // difference; nullopt when they are identical.
  Result<std::optional<RowDifference>> CompareRows(const Projection& fresh) const;

  rocksdb::ColumnFamilyHandle* handle() const { return family_; }

 private:
  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* family_;
};

}  // namespace crm::projections::store
