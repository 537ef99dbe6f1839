// ProjectionCatalog: which column family serves each projection, and which one is being built
// (key layout: view_format.h). Switching a projection to a new build is one catalog write in
// the same atomic batch as the build's last rows, so a crash leaves either the old view serving
// or the new one, never neither.
//
// Thread-safe as RocksDB is; NewGeneration must not race with itself (the host serialises it).
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "events/log/rocks_store.h"
#include "events/status.h"

namespace crm::projections::store {

struct CatalogEntry {
  std::uint32_t version = 0;
  std::string family;
};

class ProjectionCatalog {
 public:
  // Creates the catalog family when the store is writable and has none; a read-only store
  // without one has an empty catalog.
  static Result<ProjectionCatalog> Open(log::RocksStore& store);

  Result<std::optional<CatalogEntry>> Active(std::string_view projection) const;
  Result<std::optional<CatalogEntry>> Building(std::string_view projection) const;

  void AddSetActive(std::string_view projection, const CatalogEntry& entry, rocksdb::WriteBatch& batch) const;
  void AddSetBuilding(std::string_view projection, const CatalogEntry& entry, rocksdb::WriteBatch& batch) const;
  void AddClearBuilding(std::string_view projection, rocksdb::WriteBatch& batch) const;

  // A generation number never handed out before, durable before it is returned.
  Result<std::uint64_t> NewGeneration();

 private:
  ProjectionCatalog(log::RocksStore& store, rocksdb::ColumnFamilyHandle* family) : store_(&store), family_(family) {}
  Result<std::optional<CatalogEntry>> Get(std::string key) const;

  log::RocksStore* store_;
  rocksdb::ColumnFamilyHandle* family_;  // null: a read-only store that never had projections
};

}  // namespace crm::projections::store
