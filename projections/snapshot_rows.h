// SnapshotRows: every row of a view as a stored snapshot held it, in memory, as bytes.
//
// An as-of read used to decode every row of a snapshot into a fresh view before replaying the
// events after it, and the view grows along the log: 200,000 customers on 10M events, most of
// whom the replay and the read never look at (docs/benchmarks.md, "As-of reads"). A view can
// instead keep these rows and decode one when it is first touched (CustomersView does); the
// others load them all through Projection::LoadRow, as before.
//
// The rows point into the chunks the snapshot was read from, which the object keeps. Made by
// the store (projections/store/view_family.cc); immutable once shared. Thread-safe to read.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crm::projections {

class SnapshotRows {
 public:
  struct Row {
    std::string_view key;
    std::string_view value;
  };

  SnapshotRows() = default;
  // Not copyable or movable: rows point into held_, whose short strings would move with it.
  SnapshotRows(const SnapshotRows&) = delete;
  SnapshotRows& operator=(const SnapshotRows&) = delete;

  // Keeps `bytes` for as long as the rows live and returns a view of the kept copy.
  std::string_view Hold(std::string bytes) { return held_.emplace_back(std::move(bytes)); }
  // Adds a row that points into held bytes. Rows keep the order they are added in.
  void Add(std::string_view key, std::string_view value) {
    if (!rows_.empty() && !(rows_.back().key < key)) ascending_ = false;
    rows_.push_back(Row{key, value});
  }
  // A row a delta snapshot put (a value) or deleted (none).
  struct Change {
    std::string_view key;
    std::optional<std::string_view> value;
  };
  // Ends the rows by applying `changes` (what the deltas after the snapshot did to its rows,
  // the newest change of each key only): a put replaces the row of its key or adds a row, a
  // delete drops the row. When the keys added ascend, every key still ascends after (one
  // merge); otherwise changed rows keep their places and added ones follow in key order. Call
  // once, after the last Add; until then sorted() is false. REQUIRES: `changes` ascend by key,
  // each key once.
  void Finish(std::span<const Change> changes);

  // In the order a view's WriteRows gave them (a snapshot's), then the rows its deltas added,
  // unless every key ascends.
  std::span<const Row> rows() const { return rows_; }
  std::size_t size() const { return rows_.size(); }
  // Every key strictly ascends (no key twice), so that UpperBound works.
  bool sorted() const { return sorted_; }

  // REQUIRES: sorted(). The number of the first row whose key is after `key`.
  std::size_t UpperBound(std::string_view key) const;

 private:
  std::deque<std::string> held_;  // a deque: adding bytes never moves the ones held
  std::vector<Row> rows_;
  bool ascending_ = true;  // so far, by Add
  bool sorted_ = false;
};

}  // namespace crm::projections
