#include "projections/store/projection_host.h"

#include <rocksdb/write_batch.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <shared_mutex>
#include <thread>

#include "projections/store/view_format.h"

namespace crm::projections::store {

using events::Seq;

struct ProjectionHost::Build {
  const ProjectionKind* kind = nullptr;
  CatalogEntry entry;
  rocksdb::ColumnFamilyHandle* family = nullptr;
  std::unique_ptr<Projection> projection;
  Seq applied = 0;
};

struct ProjectionHost::Slot {
  std::string name;
  std::vector<ProjectionKind> kinds;  // every registered version, lowest first
  const ProjectionKind& target() const { return kinds.back(); }
  const ProjectionKind* KindOf(std::uint32_t version) const {
    for (const ProjectionKind& kind : kinds) {
      if (kind.version == version) return &kind;
    }
    return nullptr;
  }

  mutable std::shared_mutex mutex;  // guards the fields below
  std::unique_ptr<Projection> serving;
  const ProjectionKind* serving_kind = nullptr;
  std::optional<CatalogEntry> entry;  // the stored family serving; nullopt: in memory only
  rocksdb::ColumnFamilyHandle* family = nullptr;
  Seq applied = 0;

  std::unique_ptr<Build> build;  // guarded by build_mutex_
};

struct ProjectionHost::Threads {
  std::atomic<bool> stopping{false};
  std::thread follower;
  std::thread builder;
};

namespace {

constexpr std::chrono::milliseconds kFollowWait{200};

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > kProjectionNameBytesMax) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; });
}

}  // namespace

ProjectionHost::ProjectionHost(log::EventLog& log, HostOptions options)
    : log_(&log), options_(std::move(options)), threads_(std::make_unique<Threads>()) {}

ProjectionHost::~ProjectionHost() {
  Stop();
}

bool ProjectionHost::writable() const {
  return log_->store().options().mode == log::OpenMode::kReadWrite;
}

Result<std::unique_ptr<ProjectionHost>> ProjectionHost::Open(log::EventLog& log, std::vector<ProjectionKind> kinds,
                                                             HostOptions options) {
  if (options.flush_every_events == 0) {
    return Status::InvalidArgument("invalid_option", "flush_every_events must be positive");
  }
  std::unique_ptr<ProjectionHost> host(new ProjectionHost(log, std::move(options)));
  std::sort(kinds.begin(), kinds.end(), [](const ProjectionKind& a, const ProjectionKind& b) {
    return std::tie(a.name, a.version) < std::tie(b.name, b.version);
  });
  for (ProjectionKind& kind : kinds) {
    if (!ValidName(kind.name) || !kind.make) {
      return Status::InvalidArgument("invalid_projection", "projection name '" + kind.name + "' is not [a-z0-9_-]+");
    }
    if (!host->slots_.empty() && host->slots_.back()->name == kind.name) {
      if (host->slots_.back()->kinds.back().version == kind.version) {
        return Status::InvalidArgument(
            "invalid_projection",
            "projection '" + kind.name + "' registered twice at version " + std::to_string(kind.version));
      }
      host->slots_.back()->kinds.push_back(std::move(kind));
      continue;
    }
    auto slot = std::make_unique<Slot>();
    slot->name = kind.name;
    slot->kinds.push_back(std::move(kind));
    host->slots_.push_back(std::move(slot));
  }
  CRM_ASSIGN_OR_RETURN(ProjectionCatalog catalog, ProjectionCatalog::Open(log.store()));
  host->catalog_.emplace(std::move(catalog));
  for (auto& slot : host->slots_) CRM_RETURN_IF_ERROR(host->OpenSlot(*slot));
  if (host->writable()) CRM_RETURN_IF_ERROR(host->DropOrphanFamilies());
  CRM_RETURN_IF_ERROR(host->CatchUp().status());
  // A view with nothing to serve is built now; one whose old version still serves is rebuilt
  // beside it by RunBuilds or the builder thread.
  for (auto& slot : host->slots_) {
    if (slot->serving == nullptr && slot->build != nullptr) {
      const std::lock_guard build_lock(host->build_mutex_);
      CRM_RETURN_IF_ERROR(host->RunBuild(*slot));
    }
  }
  return host;
}

Status ProjectionHost::OpenSlot(Slot& slot) {
  log::RocksStore& store = log_->store();
  CRM_ASSIGN_OR_RETURN(const std::optional<CatalogEntry> active, catalog_->Active(slot.name));
  rocksdb::ColumnFamilyHandle* active_family = active.has_value() ? store.Family(active->family) : nullptr;
  const ProjectionKind* active_kind = active.has_value() ? slot.KindOf(active->version) : nullptr;
  if (active_family != nullptr && active_kind != nullptr) {
    ViewFamily family(store.db(), active_family);
    auto serving = active_kind->make();
    CRM_ASSIGN_OR_RETURN(slot.applied, family.ReadCheckpoint());
    const Status loaded = family.LoadRows(*serving);
    if (!loaded.ok()) {
      return Status(loaded.code(), loaded.reason(),
                    "view '" + slot.name + "' cannot be loaded (" + loaded.message() +
                        "); run `crm-replay rebuild --projection " + slot.name + "`");
    }
    slot.serving = std::move(serving);
    slot.serving_kind = active_kind;
    slot.entry = active;
    slot.family = active_family;
  } else if (!writable()) {
    // Nothing stored that this code can read, and nothing may be written: fold in memory.
    slot.serving = slot.target().make();
    slot.serving_kind = &slot.target();
    slot.applied = 0;
  }
  if (!writable()) return Status::Ok();

  const bool needs_build = slot.serving == nullptr || slot.serving_kind != &slot.target();
  CRM_ASSIGN_OR_RETURN(const std::optional<CatalogEntry> building, catalog_->Building(slot.name));
  if (building.has_value()) {
    rocksdb::ColumnFamilyHandle* building_family = store.Family(building->family);
    if (needs_build && building->version == slot.target().version && building_family != nullptr) {
      auto build = std::make_unique<Build>();
      build->kind = &slot.target();
      build->entry = *building;
      build->family = building_family;
      build->projection = build->kind->make();
      ViewFamily family(store.db(), building_family);
      CRM_ASSIGN_OR_RETURN(build->applied, family.ReadCheckpoint());
      CRM_RETURN_IF_ERROR(family.LoadRows(*build->projection));
      slot.build = std::move(build);
      return Status::Ok();
    }
    // A build of another version, or one no longer needed: its family goes with the orphans.
    rocksdb::WriteBatch batch;
    catalog_->AddClearBuilding(slot.name, batch);
    CRM_RETURN_IF_ERROR(log::FromRocks(store.db().Write(rocksdb::WriteOptions(), &batch), "clearing a stale build"));
  }
  if (needs_build) return CreateBuild(slot);
  return Status::Ok();
}

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

Status ProjectionHost::DropOrphanFamilies() {
  std::set<std::string> in_use;
  for (const auto& slot : slots_) {
    if (slot->entry.has_value()) in_use.insert(slot->entry->family);
    if (slot->build != nullptr) in_use.insert(slot->build->entry.family);
    CRM_ASSIGN_OR_RETURN(const std::optional<CatalogEntry> active, catalog_->Active(slot->name));
    if (active.has_value()) in_use.insert(active->family);
  }
  for (const std::string& family : log_->store().FamilyNames()) {
    const std::string_view projection = ProjectionOfFamily(family);
    // Families of projections this program does not know belong to other programs' views.
    if (projection.empty() || Find(projection) == nullptr || in_use.contains(family)) continue;
    CRM_RETURN_IF_ERROR(log_->store().DropFamily(family));
  }
  return Status::Ok();
}

ProjectionHost::Slot* ProjectionHost::Find(std::string_view name) const {
  for (const auto& slot : slots_) {
    if (slot->name == name) return slot.get();
  }
  return nullptr;
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

Result<Seq> ProjectionHost::CatchUp() {
  const std::lock_guard catch_up_lock(catch_up_mutex_);
  const Seq head = log_->HeadSeq();
  Seq from = head + 1;
  for (const auto& slot : slots_) {
    const std::shared_lock lock(slot->mutex);
    if (slot->serving != nullptr) from = std::min(from, slot->applied + 1);
  }
  if (from > head) return head;
  auto cursor = log_->Scan(from, head);
  const bool store_views = writable();
  while (cursor->Valid()) {
    // One batch: every serving view locked, folded, then flushed with its checkpoint in one write.
    std::vector<std::unique_lock<std::shared_mutex>> locks;
    for (const auto& slot : slots_) locks.emplace_back(slot->mutex);
    std::vector<bool> changed(slots_.size(), false);
    for (std::uint64_t folded = 0; cursor->Valid() && folded < options_.flush_every_events; cursor->Next(), ++folded) {
      const events::RecordedEvent& recorded = cursor->event();
      const Seq seq = recorded.envelope.seq;
      for (std::size_t i = 0; i < slots_.size(); ++i) {
        Slot& slot = *slots_[i];
        if (slot.serving == nullptr || slot.applied >= seq) continue;
        slot.serving->Apply(recorded);
        slot.applied = seq;
        changed[i] = true;
        if (store_views && slot.family != nullptr && options_.snapshot_every_events != 0 &&
            seq % options_.snapshot_every_events == 0) {
          CRM_RETURN_IF_ERROR(ViewFamily(log_->store().db(), slot.family).WriteSnapshot(*slot.serving, seq));
        }
      }
    }
    if (store_views) {
      rocksdb::WriteBatch batch;
      for (std::size_t i = 0; i < slots_.size(); ++i) {
        if (!changed[i] || slots_[i]->family == nullptr) continue;
        ViewFamily(log_->store().db(), slots_[i]->family).AddFlush(*slots_[i]->serving, slots_[i]->applied, batch);
      }
      CRM_RETURN_IF_ERROR(
          log::FromRocks(log_->store().db().Write(rocksdb::WriteOptions(), &batch), "writing views and checkpoints"));
    }
    locks.clear();
    const std::lock_guard applied_lock(applied_mutex_);
    applied_changed_.notify_all();
  }
  CRM_RETURN_IF_ERROR(cursor->status());
  return head;
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

void ProjectionHost::Start() {
  if (threads_->follower.joinable()) return;
  threads_->stopping = false;
  threads_->follower = std::thread([this] {
    while (!threads_->stopping.load()) {
      Seq lowest = log_->HeadSeq();
      for (const auto& slot : slots_) {
        const std::shared_lock lock(slot->mutex);
        if (slot->serving != nullptr) lowest = std::min(lowest, slot->applied);
      }
      log_->WaitForHeadAbove(lowest, kFollowWait);
      // A failed fold is retried on the next turn; the status is in the metrics via Statuses().
      CatchUp().status().IgnoreError();
    }
  });
  if (writable()) {
    threads_->builder = std::thread([this] {
      while (!threads_->stopping.load()) {
        RunBuilds().IgnoreError();
        std::unique_lock lock(applied_mutex_);
        applied_changed_.wait_for(lock, kFollowWait);
      }
    });
  }
}

void ProjectionHost::Stop() {
  threads_->stopping = true;
  applied_changed_.notify_all();
  if (threads_->follower.joinable()) threads_->follower.join();
  if (threads_->builder.joinable()) threads_->builder.join();
}

Status ProjectionHost::ReadAny(std::string_view name, const std::function<void(const Projection&, Seq)>& reader) const {
  Slot* slot = Find(name);
  if (slot == nullptr) return Status::NotFound("unknown_projection", "no projection named '" + std::string(name) + "'");
  const std::shared_lock lock(slot->mutex);
  if (slot->serving == nullptr) {
    return Status::Unavailable("projection_rebuilding",
                               "view '" + std::string(name) + "' is being rebuilt; try again shortly");
  }
  reader(*slot->serving, slot->applied);
  return Status::Ok();
}

bool ProjectionHost::WaitForApplied(Seq seq, std::chrono::milliseconds timeout) const {
  auto reached = [&] {
    for (const auto& slot : slots_) {
      const std::shared_lock lock(slot->mutex);
      if (slot->serving != nullptr && slot->applied < seq) return false;
    }
    return true;
  };
  std::unique_lock lock(applied_mutex_);
  return applied_changed_.wait_for(lock, timeout, reached);
}

Result<AsOfView> ProjectionHost::AsOf(std::string_view name, Seq seq) const {
  Slot* slot = Find(name);
  if (slot == nullptr) return Status::NotFound("unknown_projection", "no projection named '" + std::string(name) + "'");
  AsOfView view;
  view.seq = std::min(seq, log_->HeadSeq());
  {
    const std::shared_lock lock(slot->mutex);
    if (slot->serving == nullptr) {
      return Status::Unavailable("projection_rebuilding",
                                 "view '" + std::string(name) + "' is being rebuilt; try again shortly");
    }
    view.projection = slot->serving_kind->make();
    if (slot->family != nullptr) {
      CRM_ASSIGN_OR_RETURN(
          const std::optional<Seq> snapshot,
          ViewFamily(log_->store().db(), slot->family).LoadSnapshotAtOrBefore(view.seq, *view.projection));
      view.snapshot_seq = snapshot.value_or(0);
      if (!snapshot.has_value()) view.projection = slot->serving_kind->make();
    }
  }
  Seq applied = view.snapshot_seq;
  CRM_RETURN_IF_ERROR(Fold(*view.projection, applied, view.seq, nullptr, {}));
  return view;
}

Result<std::unique_ptr<Projection>> ProjectionHost::FoldFromZero(std::string_view name, Seq seq) const {
  Slot* slot = Find(name);
  if (slot == nullptr) return Status::NotFound("unknown_projection", "no projection named '" + std::string(name) + "'");
  std::unique_ptr<Projection> projection = slot->target().make();
  Seq applied = 0;
  CRM_RETURN_IF_ERROR(Fold(*projection, applied, std::min(seq, log_->HeadSeq()), nullptr, {}));
  return projection;
}

Result<StoredViewCheck> ProjectionHost::CheckStored(std::string_view name) const {
  Slot* slot = Find(name);
  if (slot == nullptr) return Status::NotFound("unknown_projection", "no projection named '" + std::string(name) + "'");
  StoredViewCheck check;
  CRM_ASSIGN_OR_RETURN(const std::optional<CatalogEntry> active, catalog_->Active(name));
  rocksdb::ColumnFamilyHandle* handle = active.has_value() ? log_->store().Family(active->family) : nullptr;
  const ProjectionKind* kind = active.has_value() ? slot->KindOf(active->version) : nullptr;
  if (handle == nullptr || kind == nullptr) return check;
  check.stored = true;
  const ViewFamily family(log_->store().db(), handle);
  CRM_ASSIGN_OR_RETURN(check.checkpoint_seq, family.ReadCheckpoint());
  std::unique_ptr<Projection> fresh = kind->make();
  Seq applied = 0;
  CRM_RETURN_IF_ERROR(Fold(*fresh, applied, check.checkpoint_seq, nullptr, {}));
  CRM_ASSIGN_OR_RETURN(check.difference, family.CompareRows(*fresh));
  return check;
}

std::vector<std::string> ProjectionHost::Names() const {
  std::vector<std::string> names;
  for (const auto& slot : slots_) names.push_back(slot->name);
  return names;
}

std::vector<ProjectionStatus> ProjectionHost::Statuses() const {
  std::vector<ProjectionStatus> statuses;
  const std::lock_guard build_lock(build_mutex_);
  for (const auto& slot : slots_) {
    const std::shared_lock lock(slot->mutex);
    ProjectionStatus status{.name = slot->name,
                            .serving = slot->serving != nullptr,
                            .version = slot->serving_kind != nullptr ? slot->serving_kind->version : 0,
                            .family = slot->entry.has_value() ? slot->entry->family : std::string(),
                            .applied_seq = slot->applied,
                            .building_version = std::nullopt,
                            .building_applied_seq = 0};
    if (slot->build != nullptr) {
      status.building_version = slot->build->kind->version;
      status.building_applied_seq = slot->build->applied;
    }
    statuses.push_back(std::move(status));
  }
  return statuses;
}

}  // namespace crm::projections::store
