// SnapshotDelta: the rows a stored view has flushed since its last snapshot, so that the next
// snapshot can hold only those (a delta snapshot, view_format.h) instead of every row.
//
// A full snapshot copies the whole view: on 10M events, one every 50,000 events took half of a
// build and 6 GiB (docs/benchmarks.md, "As-of reads"), while what changes in 50,000 events is
// a part of it. A delta is only as good as its chain: it may be written only while this object
// has seen every flush since the snapshot before, which a restart breaks (the flushes of the
// last run are in the rows, but nobody knows which). So it starts out not covering, and the
// next snapshot is a full one. A full one is also written when the chain is long enough
// (SnapshotPolicy): an as-of read loads the full snapshot and merges every delta after it, and
// merging a row costs about what loading one does, so the deltas after a full snapshot may hold
// only a share of its rows.
//
// Not thread-safe: it belongs to the fold that flushes its view.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "events/envelope.h"
#include "projections/projection.h"

namespace crm::projections::store {

// When a snapshot is written whole (HostOptions).
struct SnapshotPolicy {
  // At most this many snapshots from one full one to the next (0 and 1: every one is full).
  std::uint32_t full_every = 1;
  // The deltas after a full snapshot hold at most this share of its rows, in percent.
  std::uint32_t delta_rows_max_percent = 100;
};

class SnapshotDelta final : public RowSink {
 public:
  // Records a flushed row (RowSink: the flush's sink passes every row on to it) while the next
  // snapshot is to be a delta; otherwise nothing, so views without deltas pay nothing.
  void Put(std::string_view key, std::string_view value) override;
  void Delete(std::string_view key) override;

  // Whether the next snapshot must be full: no snapshot since this object was made, or the
  // one before ended a chain.
  bool WantsFull() const { return !base_seq_.has_value(); }
  // Whether the rows flushed since the snapshot before took the chain past the policy's share
  // of the full snapshot's rows: the snapshot at hand is to be full, and they are no longer kept.
  bool Outgrown() const { return outgrown_; }
  // A snapshot of `rows` rows was written at `seq`: changes are now counted from there, if the
  // policy lets the next one be a delta.
  void SnapshotWritten(events::Seq seq, bool full, std::uint64_t rows, const SnapshotPolicy& policy);

  // The snapshot the rows are changes since. REQUIRES: !WantsFull().
  events::Seq base_seq() const { return *base_seq_; }
  // Row key -> the row as last flushed, or nullopt when it was deleted.
  const std::map<std::string, std::optional<std::string>, std::less<>>& rows() const { return rows_; }

 private:
  std::optional<events::Seq> base_seq_;  // nullopt: the next snapshot is full
  std::uint32_t deltas_since_full_ = 0;
  std::uint64_t rows_since_full_ = 0;  // in the deltas written since the last full snapshot
  std::uint64_t rows_max_ = 0;         // what those deltas may hold, by the policy
  bool outgrown_ = false;
  std::map<std::string, std::optional<std::string>, std::less<>> rows_;

  // Keeps `value` (nullopt: deleted) as the row's latest, unless that outgrows the chain.
  void Record(std::string_view key, std::optional<std::string_view> value);
};

// Passes every row to `first` and to `second` (a flush into a batch and into a delta).
class TeeSink final : public RowSink {
 public:
  TeeSink(RowSink& first, RowSink& second) : first_(first), second_(second) {}
  void Put(std::string_view key, std::string_view value) override {
    first_.Put(key, value);
    second_.Put(key, value);
  }
  void Delete(std::string_view key) override {
    first_.Delete(key);
    second_.Delete(key);
  }

 private:
  RowSink& first_;
  RowSink& second_;
};

}  // namespace crm::projections::store
