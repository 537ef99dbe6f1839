// Projection: a view people read, folded from the log, with a persisted form of rows.
//
// A projection only reads events. Where its rows are kept, when they are flushed, checkpoints,
// snapshots, as-of reads and blue/green rebuilds are the host's business (projections/store/);
// a projection only has to fold events and to write and read back its own rows exactly:
//
//   fold(events 1..n) then WriteRows  ==  LoadRow(every row of that) then WriteRows
//
// which is what `crm-replay verify` and the as-of tests check.
//
// Time is applied when a view is read (rule 13), never during the fold: reads take the time
// they answer for, so the same folded state answers "now" and any time after its last event.
//
// Not thread-safe: the host serialises Apply/Flush/Load against readers.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "events/envelope.h"
#include "events/status.h"
#include "projections/snapshot_rows.h"

namespace crm::projections {

// Where a projection writes rows. A row key is non-empty and at most kRowKeyBytesMax bytes.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void Put(std::string_view key, std::string_view value) = 0;
  virtual void Delete(std::string_view key) = 0;
};

inline constexpr std::size_t kRowKeyBytesMax = 256;

class Projection {
 public:
  virtual ~Projection() = default;

  // REQUIRES: events in seq order, each once, starting after the state's last event.
  virtual void Apply(const events::RecordedEvent& recorded) = 0;

  // Writes the rows that changed since the last FlushChanges (or since construction/loading),
  // then forgets them. Rows are whole: a changed row is written in full.
  virtual void FlushChanges(RowSink& sink) = 0;

  // Writes every row of the state (for snapshots and comparisons), in any order.
  virtual void WriteRows(RowSink& sink) const = 0;

  // Loads one row written by WriteRows/FlushChanges into a fresh projection, each key once.
  // Stored rows come in key order, a snapshot's as SnapshotRows::rows() gives them: a view may
  // rely on the order for speed, never for what it loads. Corrupt bytes are a kCorruption
  // status naming the row, never a crash.
  virtual Status LoadRow(std::string_view key, std::string_view value) = 0;
  // Called once after the last LoadRow, to rebuild what is derived from rows (indexes).
  virtual Status FinishLoad() { return Status::Ok(); }

  // Loads a stored snapshot into a fresh projection. By default: LoadRow for each of its rows,
  // in their order, then FinishLoad. A view may keep `rows` instead and decode a row when the
  // fold or a read first touches it; it must still report a bad row here, as LoadRow would,
  // and answer and write rows exactly as a full load would have.
  virtual Status LoadSnapshot(std::shared_ptr<const SnapshotRows> rows);
};

// How the host makes a projection: its stable name ("customers"), the version of its fold and
// row format, and a factory. Bump the version whenever the fold or the rows change meaning: the
// host then rebuilds the view from the log beside the old one and switches when it has caught up.
struct ProjectionKind {
  std::string name;  // [a-z0-9_-]+, at most kProjectionNameBytesMax bytes
  std::uint32_t version = 1;
  std::function<std::unique_ptr<Projection>()> make;
};

inline constexpr std::size_t kProjectionNameBytesMax = 64;

}  // namespace crm::projections
