#include "projections/store/projection_host.h"

#include <rocksdb/write_batch.h>

#include <algorithm>
#include <set>

#include "projections/store/projection_host_internal.h"
#include "projections/store/view_format.h"

namespace crm::projections::store {

using events::Seq;

namespace {

constexpr std::chrono::milliseconds kFollowWait{200};

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > kProjectionNameBytesMax) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; });
}

}  // namespace

ProjectionHost::ProjectionHost(log::EventLog& log, HostOptions options)
    : log_(&log),
      options_(std::move(options)),
      reaper_(ViewReaper::Start()),
      as_of_cache_(options_.as_of_cache_views),
      threads_(std::make_unique<Threads>()) {}

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
  // Views with nothing to serve are built now, together; one whose old version still serves is
  // rebuilt beside it by RunBuilds or the builder thread.
  std::vector<Slot*> unserved;
  for (auto& slot : host->slots_) {
    if (slot->serving == nullptr && slot->build != nullptr) unserved.push_back(slot.get());
  }
  if (!unserved.empty()) {
    const std::lock_guard build_lock(host->build_mutex_);
    CRM_RETURN_IF_ERROR(host->RunBuildsOf(unserved));
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
    rocksdb::WriteBatch batch;
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
          ViewFamily(log_->store().db(), slot.family)
              .AddSnapshot(*slot.serving, slot.delta, options_.snapshot_policy, seq, batch);
        }
      }
    }
    if (store_views) {
      for (std::size_t i = 0; i < slots_.size(); ++i) {
        if (!changed[i] || slots_[i]->family == nullptr) continue;
        ViewFamily(log_->store().db(), slots_[i]->family)
            .AddFlush(*slots_[i]->serving, slots_[i]->applied, batch, &slots_[i]->delta);
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
