// ProjectionHost: keeps every projection folded up to the log's head, stored in its own column
// family with a checkpoint, and answers as-of questions from periodic snapshots.
//
//   Open        loads each view's stored rows and catches up from its checkpoint (never from
//               zero unless the view is new, its version changed, or a rebuild was asked for)
//   CatchUp     folds new events into every serving view; rows and checkpoint are written in
//               one batch, every `flush_every_events` events and at the end
//   snapshots   every `snapshot_every_events` events a view's state is stored under its seq,
//               so AsOf replays at most that many events: some whole, the others as the rows
//               changed since the one before (`snapshot_policy`, snapshot_delta.h)
//   rebuilds    blue/green: a view whose code version changed (or that an engineer rebuilds) is
//               folded into a new family while the old one keeps serving and the log keeps
//               growing; once caught up, one atomic write switches the catalog, then the old
//               family is dropped. A rebuild interrupted by a crash resumes from its checkpoint.
//               Every pending build is fed by one scan of the log, and flushes its rows every
//               `build_flush_every_events` events without the WAL (projection_rebuilds.cc).
//
// Storage layout: view_format.h and docs/storage-format.md ("Projection families").
//
// On a read-only store nothing is written: stored views are loaded and caught up in memory, and
// a view with no usable stored form is folded from zero in memory.
//
// Thread-safety: every method may be called from any thread. Reads hold a view's shared lock;
// folding holds it exclusively for one flush batch at a time, so readers wait at most one batch.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "events/log/event_log.h"
#include "events/status.h"
#include "projections/projection.h"
#include "projections/store/as_of_cache.h"
#include "projections/store/projection_catalog.h"
#include "projections/store/view_family.h"
#include "projections/store/view_reaper.h"

namespace crm::projections::store {

// Measured: docs/benchmarks.md ("As-of reads", "The default interval"). Fewer events between
// snapshots make as-of reads faster (up to that many events are replayed after the snapshot),
// at the cost of more snapshots written while the views are built. On 10M events, 10,000
// against 50,000: the customers view as a person reads it (a pool page, one salesperson's
// holdings) 30-50% faster at p50 and p99, for a build of every view 1.7x as long and
// snapshots 1.6x the size.
inline constexpr std::uint64_t kSnapshotEveryEventsDefault = 10'000;
// A chain of deltas ends when its rows reach a quarter of the full snapshot's, which on 10M
// events and 200,000 customers happens within about 5 snapshots for the customers view; the
// contracts view changes slowly, and full_every bounds how many deltas a read of it merges.
// Without deltas the 10M log wrote 6.2 GiB of snapshots at 50,000 events instead of 2.0.
inline constexpr SnapshotPolicy kSnapshotPolicyDefault{.full_every = 50, .delta_rows_max_percent = 25};
inline constexpr std::uint64_t kFlushEveryEventsDefault = 4096;
// Nobody reads a build before it switches in, so its flushes only bound the work a crash loses
// and the size of one write: at most every row of the view, whatever the interval. Measured:
// docs/benchmarks.md ("Projection rebuild").
inline constexpr std::uint64_t kBuildFlushEveryEventsDefault = 1u << 20;
// Two: paging through one position's list while another position is compared with it. Each
// is a whole view in memory: tens to hundreds of MiB at 200,000 customers.
inline constexpr std::size_t kAsOfCacheViewsDefault = 2;

struct BuildProgress {
  std::string projection;
  events::Seq done = 0;    // events folded into the new build
  events::Seq target = 0;  // the log's head when the build last looked
  bool finished = false;   // the build has switched in
};

struct HostOptions {
  // Events between two snapshots of a view. 0 disables snapshots. Default: kSnapshotEveryEventsDefault.
  std::uint64_t snapshot_every_events = kSnapshotEveryEventsDefault;
  // Events folded between two writes of rows and checkpoint of a serving view (readers wait
  // for at most one such batch). Default: kFlushEveryEventsDefault.
  std::uint64_t flush_every_events = kFlushEveryEventsDefault;
  // The same for a view being built (from zero or resumed): a crash folds at most this many
  // events again. Default: kBuildFlushEveryEventsDefault.
  std::uint64_t build_flush_every_events = kBuildFlushEveryEventsDefault;
  // Called every flush while a view is rebuilt, and once when it switches in. Default: none.
  std::function<void(const BuildProgress&)> progress;
  // As-of views kept for the next read at the same position (as_of_cache.h), each a whole
  // view in memory. 0 keeps none. Default: kAsOfCacheViewsDefault.
  std::size_t as_of_cache_views = kAsOfCacheViewsDefault;
  // Which snapshots are whole; the others hold only the rows changed since the snapshot
  // before (snapshot_delta.h). Default: kSnapshotPolicyDefault.
  SnapshotPolicy snapshot_policy = kSnapshotPolicyDefault;
};

struct ProjectionStatus {
  std::string name;
  bool serving = false;         // false while a view with no usable stored form is built
  std::uint32_t version = 0;    // of the serving fold
  std::string family;           // empty when the view lives in memory only (read-only store)
  events::Seq applied_seq = 0;  // the last event folded into the serving view
  std::optional<std::uint32_t> building_version;
  events::Seq building_applied_seq = 0;
};

// What `crm-replay verify` learns about one stored view.
struct StoredViewCheck {
  bool stored = false;             // false: the view has no stored rows to compare
  events::Seq checkpoint_seq = 0;  // the stored rows were compared with a fresh fold up to here
  std::optional<RowDifference> difference;
};

class ProjectionHost {
 public:
  // `kinds` may hold several versions of one projection: the highest is the code's version,
  // lower ones can keep serving an old stored view while the new one is built. The log is
  // borrowed and must outlive the host.
  static Result<std::unique_ptr<ProjectionHost>> Open(log::EventLog& log, std::vector<ProjectionKind> kinds,
                                                      HostOptions options = {});
  ~ProjectionHost();
  ProjectionHost(const ProjectionHost&) = delete;
  ProjectionHost& operator=(const ProjectionHost&) = delete;

  // Folds every event up to the log's head (at the call) into every serving view; returns the
  // seq every serving view has reached.
  Result<events::Seq> CatchUp();

  // Starts a from-zero rebuild of `name` at the code's version into a new family, beside the
  // serving view. kNotFound for an unknown view, kUnavailable on a read-only store.
  Status StartRebuild(std::string_view name);

  // Runs every pending rebuild to its switch, in this thread.
  Status RunBuilds();

  // Background threads: one follows the log (CatchUp as events arrive), one runs rebuilds.
  // Stop (or the destructor) joins them.
  void Start();
  void Stop();

  // Calls `reader(view, applied_seq)` under the view's shared lock. kNotFound for an unknown
  // view; kUnavailable/projection_rebuilding while it has nothing to serve; kInternal when the
  // serving fold is not a View (an older version still serving).
  template <class View, class Reader>
  Status Read(std::string_view name, Reader&& reader) const {
    Status cast_failed = Status::Ok();
    CRM_RETURN_IF_ERROR(ReadAny(name, [&](const Projection& projection, events::Seq applied) {
      const auto* view = dynamic_cast<const View*>(&projection);
      if (view == nullptr) {
        cast_failed = Status::Internal("projection_type", "view '" + std::string(name) + "' is another type");
        return;
      }
      reader(*view, applied);
    }));
    return cast_failed;
  }
  Status ReadAny(std::string_view name, const std::function<void(const Projection&, events::Seq)>& reader) const;

  // Blocks until every serving view has folded `seq`, or the timeout passes; true when it has.
  bool WaitForApplied(events::Seq seq, std::chrono::milliseconds timeout) const;

  // The view `name` as of log position `seq` (capped at the head): the newest snapshot at or
  // before it, then the events after it. Equals a fold from zero stopped at `seq`. The last
  // few are kept (HostOptions::as_of_cache_views) and shared with the next read of the same.
  Result<AsOfView> AsOf(std::string_view name, events::Seq seq) const;

  // Compares the stored rows of `name` with a fresh fold from zero up to their checkpoint.
  Result<StoredViewCheck> CheckStored(std::string_view name) const;

  // A fresh fold of `name` (the code's version) from zero up to `seq`, in memory.
  Result<std::unique_ptr<Projection>> FoldFromZero(std::string_view name, events::Seq seq) const;

  std::vector<std::string> Names() const;
  std::vector<ProjectionStatus> Statuses() const;

  log::EventLog& log() const { return *log_; }

 private:
  struct Slot;
  struct Build;
  // One projection a fold feeds: events after *applied go into *projection. With a family, its
  // rows and checkpoint are flushed every build_flush_every_events and it is snapshotted.
  struct FoldTarget {
    Projection* projection = nullptr;
    events::Seq* applied = nullptr;
    const ViewFamily* family = nullptr;  // null: in memory only
    SnapshotDelta* delta = nullptr;      // required with a family: what its next delta snapshot holds
    std::string_view progress_name;      // empty: no progress reports
  };
  ProjectionHost(log::EventLog& log, HostOptions options);

  Status OpenSlot(Slot& slot);
  Status CreateBuild(Slot& slot);
  // Runs the builds of `slots` to their switches: one scan of the log feeds all of them.
  Status RunBuildsOf(const std::vector<Slot*>& slots);
  Status SwitchBuild(Slot& slot);
  // Folds every event up to `to` into each target that has not applied it, in one scan.
  Status Fold(std::span<const FoldTarget> targets, events::Seq to) const;
  // Folds (applied, to] into `projection`, in memory.
  Status FoldInMemory(Projection& projection, events::Seq& applied, events::Seq to) const;
  Status DropOrphanFamilies();
  Slot* Find(std::string_view name) const;
  bool writable() const;

  log::EventLog* log_;
  const HostOptions options_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::optional<ProjectionCatalog> catalog_;
  mutable std::mutex catch_up_mutex_;  // one CatchUp at a time
  mutable std::mutex build_mutex_;     // one build step at a time; guards every Slot::build
  mutable std::mutex applied_mutex_;
  mutable std::condition_variable applied_changed_;
  // Frees the as-of views readers let go of, off their threads (view_reaper.h).
  std::shared_ptr<ViewReaper> reaper_;
  mutable AsOfCache as_of_cache_;
  struct Threads;
  std::unique_ptr<Threads> threads_;
};

}  // namespace crm::projections::store
