// Folding into families and blue/green builds (projection_host.h, "rebuilds").
#include <rocksdb/write_batch.h>

#include <algorithm>

#include "projections/store/projection_host.h"
#include "projections/store/projection_host_internal.h"
#include "projections/store/view_format.h"

namespace crm::projections::store {

using events::Seq;

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

Status ProjectionHost::Fold(Projection& projection, Seq& applied, Seq to, const ViewFamily* family,
                            const std::string& progress_name) const {
  if (applied >= to) return Status::Ok();
  const std::uint64_t snapshot_every = family != nullptr ? options_.snapshot_every_events : 0;
  std::uint64_t unflushed = 0;
  auto flush = [&]() -> Status {
    if (family == nullptr || unflushed == 0) return Status::Ok();
    rocksdb::WriteBatch batch;
    family->AddFlush(projection, applied, batch);
    unflushed = 0;
    CRM_RETURN_IF_ERROR(log::FromRocks(log_->store().db().Write(rocksdb::WriteOptions(), &batch), "writing a view"));
    if (!progress_name.empty() && options_.progress) {
      options_.progress(BuildProgress{.projection = progress_name, .done = applied, .target = to, .finished = false});
    }
    return Status::Ok();
  };
  auto cursor = log_->Scan(applied + 1, to);
  for (; cursor->Valid(); cursor->Next()) {
    const events::RecordedEvent& recorded = cursor->event();
    projection.Apply(recorded);
    applied = recorded.envelope.seq;
    if (snapshot_every != 0 && applied % snapshot_every == 0) {
      CRM_RETURN_IF_ERROR(family->WriteSnapshot(projection, applied));
    }
    if (++unflushed >= options_.flush_every_events) {
      CRM_RETURN_IF_ERROR(flush());
      // A stopping host leaves a build at its last checkpoint; the next Open resumes it there.
      if (family != nullptr && threads_->stopping.load()) return Status::Ok();
    }
  }
  CRM_RETURN_IF_ERROR(cursor->status());
  return flush();
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
  for (auto& slot : slots_) {
    if (slot->build != nullptr) CRM_RETURN_IF_ERROR(RunBuild(*slot));
  }
  return Status::Ok();
}

// REQUIRES: build_mutex_ held.
Status ProjectionHost::RunBuild(Slot& slot) {
  Build& build = *slot.build;
  const ViewFamily family(log_->store().db(), build.family);
  // Most of the log is folded without the slot's lock, so the old view keeps serving.
  for (Seq head = log_->HeadSeq(); build.applied < head; head = log_->HeadSeq()) {
    CRM_RETURN_IF_ERROR(Fold(*build.projection, build.applied, head, &family, slot.name));
    if (threads_->stopping.load()) return Status::Ok();  // resumes from its checkpoint next time
  }
  std::unique_lock lock(slot.mutex);
  // The last few events, then the switch: readers see the old view or the new one, never a gap.
  CRM_RETURN_IF_ERROR(Fold(*build.projection, build.applied, log_->HeadSeq(), &family, slot.name));
  if (threads_->stopping.load()) return Status::Ok();
  rocksdb::WriteBatch batch;
  family.AddFlush(*build.projection, build.applied, batch);
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
