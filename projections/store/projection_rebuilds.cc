// Folding into families and blue/green builds (projection_host.h, "rebuilds").
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <future>

#include "events/log/read_ahead_cursor.h"
#include "projections/store/projection_host.h"
#include "projections/store/projection_host_internal.h"
#include "projections/store/view_format.h"

namespace crm::projections::store {

using events::Seq;

namespace {

// Writes a build's flushes and snapshots. One the fold goes on from is written on a thread of
// its own while the fold goes on: RocksDB's memtable inserts were a sixth of a rebuild's
// folding thread (docs/benchmarks.md, "Projection rebuild"). The last flush is written in
// place. Each batch waits for the one before it, so batches land in order, and Fold returns
// once its rows are written.
class FlushWriter {
 public:
  explicit FlushWriter(rocksdb::DB& db) : db_(db) {}
  FlushWriter(const FlushWriter&) = delete;
  FlushWriter& operator=(const FlushWriter&) = delete;
  // An early return leaves nothing running; its status is the one that made it return.
  ~FlushWriter() { Wait().IgnoreError(); }

  Status Write(rocksdb::WriteBatch batch, bool last) {
    CRM_RETURN_IF_ERROR(Wait());
    if (last) return WriteNow(db_, batch);
    writing_ =
        std::async(std::launch::async, [this, batch = std::move(batch)]() mutable { return WriteNow(db_, batch); });
    return Status::Ok();
  }

  // The status of the batch being written in the background, once it is written.
  Status Wait() { return writing_.valid() ? writing_.get() : Status::Ok(); }

 private:
  static Status WriteNow(rocksdb::DB& db, rocksdb::WriteBatch& batch) {
    // Builds skip the WAL: a family's memtable takes each batch whole, in order, so whatever a
    // crash leaves of it is the batches up to one flush's rows and checkpoint, and a build
    // resumes from there; SwitchBuild flushes the family to disk before the catalog may name
    // it. Every row of the view is rewritten about once per flush, and writing that twice, WAL
    // and table, kept the disk busy for a third of a rebuild (docs/benchmarks.md "Projection
    // rebuild").
    rocksdb::WriteOptions unlogged;
    unlogged.disableWAL = true;
    return log::FromRocks(db.Write(unlogged, &batch), "writing views");
  }

  rocksdb::DB& db_;
  std::future<Status> writing_;
};

}  // namespace

Status ProjectionHost::CreateBuild(Slot& slot) {
  log::RocksStore& store = log_->store();
  CRM_ASSIGN_OR_RETURN(const std::uint64_t generation, catalog_->NewGeneration());
  auto build = std::make_unique<Build>();
  build->kind = &slot.target();
  build->entry = CatalogEntry{.version = build->kind->version, .family = ViewFamilyName(slot.name, generation)};
  CRM_ASSIGN_OR_RETURN(build->family, store.CreateFamily(build->entry.family));
  build->projection = build->kind->make();
  rocksdb::WriteBatch batch;
  catalog_->AddSetBuilding(slot.name, build->entry, batch);
  rocksdb::WriteOptions durable;
  durable.sync = true;
  CRM_RETURN_IF_ERROR(log::FromRocks(store.db().Write(durable, &batch), "registering a build of " + slot.name));
  slot.build = std::move(build);
  return Status::Ok();
}

Status ProjectionHost::Fold(std::span<const FoldTarget> targets, Seq to) const {
  Seq from = to + 1;
  bool stored = false;
  for (const FoldTarget& target : targets) {
    from = std::min(from, *target.applied + 1);
    stored = stored || target.family != nullptr;
  }
  if (from > to) return Status::Ok();
  const std::uint64_t snapshot_every = options_.snapshot_every_events;
  std::uint64_t unflushed = 0;
  FlushWriter writer(log_->store().db());
  auto flush = [&](bool last) -> Status {
    if (!stored || unflushed == 0) return Status::Ok();
    rocksdb::WriteBatch batch;
    for (const FoldTarget& target : targets) {
      if (target.family != nullptr) target.family->AddFlush(*target.projection, *target.applied, batch, target.delta);
    }
    unflushed = 0;
    CRM_RETURN_IF_ERROR(writer.Write(std::move(batch), last));
    for (const FoldTarget& target : targets) {
      if (target.progress_name.empty() || !options_.progress) continue;
      options_.progress(BuildProgress{
          .projection = std::string(target.progress_name), .done = *target.applied, .target = to, .finished = false});
    }
    return Status::Ok();
  };
  // A long fold reads the log on another thread: about 0.7 µs an event off this one.
  const std::unique_ptr<log::EventCursor> cursor = log::ScanAhead(*log_, from, to);
  for (; cursor->Valid(); cursor->Next()) {
    const events::RecordedEvent& recorded = cursor->event();
    const Seq seq = recorded.envelope.seq;
    for (const FoldTarget& target : targets) {
      if (*target.applied >= seq) continue;
      target.projection->Apply(recorded);
      *target.applied = seq;
      if (target.family != nullptr && snapshot_every != 0 && seq % snapshot_every == 0) {
        // Encoded here, at the state of `seq`; written beside the fold like a flush.
        rocksdb::WriteBatch snapshot;
        target.family->AddSnapshot(*target.projection, *target.delta, options_.snapshot_policy, seq, snapshot);
        CRM_RETURN_IF_ERROR(writer.Write(std::move(snapshot), /*last=*/false));
      }
    }
    if (stored && ++unflushed >= options_.build_flush_every_events) {
      CRM_RETURN_IF_ERROR(flush(/*last=*/false));
      // A stopping host leaves a build at its last checkpoint; the next Open resumes it there.
      if (threads_->stopping.load()) return writer.Wait();
    }
  }
  CRM_RETURN_IF_ERROR(cursor->status());
  CRM_RETURN_IF_ERROR(flush(/*last=*/true));
  return writer.Wait();  // when the last flush had nothing to write
}

Status ProjectionHost::FoldInMemory(Projection& projection, Seq& applied, Seq to) const {
  const FoldTarget target{.projection = &projection, .applied = &applied, .family = nullptr, .progress_name = {}};
  return Fold(std::span(&target, 1), to);
}

Status ProjectionHost::StartRebuild(std::string_view name) {
  Slot* slot = Find(name);
  if (slot == nullptr) return Status::NotFound("unknown_projection", "no projection named '" + std::string(name) + "'");
  if (!writable()) return Status::Unavailable("read_only", "cannot rebuild '" + std::string(name) + "' read-only");
  const std::lock_guard build_lock(build_mutex_);
  if (slot->build != nullptr) {
    // A fresh start: the half-done build's family is dropped once the catalog forgets it.
    const std::string stale = slot->build->entry.family;
    slot->build.reset();
    CRM_RETURN_IF_ERROR(CreateBuild(*slot));
    return log_->store().DropFamily(stale);
  }
  return CreateBuild(*slot);
}

Status ProjectionHost::RunBuilds() {
  const std::lock_guard build_lock(build_mutex_);
  std::vector<Slot*> building;
  for (auto& slot : slots_) {
    if (slot->build != nullptr) building.push_back(slot.get());
  }
  return RunBuildsOf(building);
}

// REQUIRES: build_mutex_ held.
Status ProjectionHost::RunBuildsOf(const std::vector<Slot*>& slots) {
  std::vector<ViewFamily> families;
  families.reserve(slots.size());  // the targets point into it
  std::vector<FoldTarget> targets;
  for (Slot* slot : slots) {
    Build& build = *slot->build;
    families.emplace_back(log_->store().db(), build.family);
    targets.push_back(FoldTarget{.projection = build.projection.get(),
                                 .applied = &build.applied,
                                 .family = &families.back(),
                                 .delta = &build.delta,
                                 .progress_name = slot->name});
  }
  auto behind = [&](Seq head) {
    return std::any_of(targets.begin(), targets.end(), [head](const FoldTarget& t) { return *t.applied < head; });
  };
  // Most of the log is folded without the slots' locks, so the old views keep serving, and in
  // one scan for every build: reading and decoding the log costs as much as folding a view.
  for (Seq head = log_->HeadSeq(); behind(head); head = log_->HeadSeq()) {
    CRM_RETURN_IF_ERROR(Fold(targets, head));
    if (threads_->stopping.load()) return Status::Ok();  // resumes from its checkpoint next time
  }
  for (Slot* slot : slots) CRM_RETURN_IF_ERROR(SwitchBuild(*slot));
  return Status::Ok();
}

// REQUIRES: build_mutex_ held, slot.build caught up with the log but for the last few events.
Status ProjectionHost::SwitchBuild(Slot& slot) {
  Build& build = *slot.build;
  const ViewFamily family(log_->store().db(), build.family);
  const FoldTarget target{.projection = build.projection.get(),
                          .applied = &build.applied,
                          .family = &family,
                          .delta = &build.delta,
                          .progress_name = slot.name};
  std::unique_lock lock(slot.mutex);
  // The last few events, then the switch: readers see the old view or the new one, never a gap.
  CRM_RETURN_IF_ERROR(Fold(std::span(&target, 1), log_->HeadSeq()));
  if (threads_->stopping.load()) return Status::Ok();
  // What Fold wrote without the WAL goes to disk before the catalog names the family.
  CRM_RETURN_IF_ERROR(log::FromRocks(log_->store().db().Flush(rocksdb::FlushOptions(), build.family),
                                     "flushing the build of " + slot.name));
  rocksdb::WriteBatch batch;
  family.AddFlush(*build.projection, build.applied, batch, &build.delta);
  catalog_->AddSetActive(slot.name, build.entry, batch);
  catalog_->AddClearBuilding(slot.name, batch);
  rocksdb::WriteOptions durable;
  durable.sync = true;
  CRM_RETURN_IF_ERROR(log::FromRocks(log_->store().db().Write(durable, &batch), "switching view " + slot.name));
  const std::optional<CatalogEntry> old_entry = slot.entry;
  slot.serving = std::move(build.projection);
  slot.serving_kind = build.kind;
  slot.entry = build.entry;
  slot.family = build.family;
  slot.applied = build.applied;
  slot.delta = std::move(build.delta);
  const Seq applied = build.applied;
  slot.build.reset();
  lock.unlock();
  if (options_.progress) {
    options_.progress(BuildProgress{.projection = slot.name, .done = applied, .target = applied, .finished = true});
  }
  {
    const std::lock_guard applied_lock(applied_mutex_);
    applied_changed_.notify_all();
  }
  if (old_entry.has_value()) CRM_RETURN_IF_ERROR(log_->store().DropFamily(old_entry->family));
  return Status::Ok();
}

}  // namespace crm::projections::store
