// The host's private parts, shared by its three files: projection_host.cc (open, catch-up,
// threads, reads), projection_rebuilds.cc (folds into families, blue/green builds) and
// projection_history.cc (as-of, from-zero folds, stored-view checks).
#pragma once

#include <atomic>
#include <shared_mutex>
#include <thread>

#include "projections/store/projection_host.h"

namespace crm::projections::store {

struct ProjectionHost::Build {
  const ProjectionKind* kind = nullptr;
  CatalogEntry entry;
  rocksdb::ColumnFamilyHandle* family = nullptr;
  std::unique_ptr<Projection> projection;
  events::Seq applied = 0;
  SnapshotDelta delta;
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
  events::Seq applied = 0;
  SnapshotDelta delta;  // of the serving family

  std::unique_ptr<Build> build;  // guarded by build_mutex_
};

struct ProjectionHost::Threads {
  std::atomic<bool> stopping{false};
  std::thread follower;
  std::thread builder;
};

}  // namespace crm::projections::store
