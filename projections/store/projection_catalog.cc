#include "projections/store/projection_catalog.h"

#include <charconv>

#include "projections/store/view_format.h"

namespace crm::projections::store {
namespace {

std::string Encode(const CatalogEntry& entry) {
  return std::to_string(entry.version) + " " + entry.family;
}

std::optional<CatalogEntry> Decode(std::string_view value) {
  const std::size_t space = value.find(' ');
  if (space == std::string_view::npos || space + 1 >= value.size()) return std::nullopt;
  CatalogEntry entry;
  const auto [end, error] = std::from_chars(value.data(), value.data() + space, entry.version);
  if (error != std::errc() || end != value.data() + space) return std::nullopt;
  entry.family = std::string(value.substr(space + 1));
  return entry;
}

}  // namespace

Result<ProjectionCatalog> ProjectionCatalog::Open(log::RocksStore& store) {
  rocksdb::ColumnFamilyHandle* family = store.Family(kCatalogFamily);
  if (family == nullptr && store.options().mode == log::OpenMode::kReadWrite) {
    CRM_ASSIGN_OR_RETURN(family, store.CreateFamily(std::string(kCatalogFamily)));
  }
  return ProjectionCatalog(store, family);
}

Result<std::optional<CatalogEntry>> ProjectionCatalog::Get(std::string key) const {
  if (family_ == nullptr) return std::optional<CatalogEntry>();
  std::string value;
  const rocksdb::Status found = store_->db().Get(rocksdb::ReadOptions(), family_, key, &value);
  if (found.IsNotFound()) return std::optional<CatalogEntry>();
  CRM_RETURN_IF_ERROR(log::FromRocks(found, "reading the projection catalog"));
  std::optional<CatalogEntry> entry = Decode(value);
  if (!entry.has_value()) {
    return Status::Corruption("projection_catalog_corrupt", "catalog entry '" + key + "' is malformed: " + value);
  }
  return entry;
}

Result<std::optional<CatalogEntry>> ProjectionCatalog::Active(std::string_view projection) const {
  return Get(std::string(kActivePrefix) + std::string(projection));
}

Result<std::optional<CatalogEntry>> ProjectionCatalog::Building(std::string_view projection) const {
  return Get(std::string(kBuildingPrefix) + std::string(projection));
}

void ProjectionCatalog::AddSetActive(std::string_view projection, const CatalogEntry& entry,
                                     rocksdb::WriteBatch& batch) const {
  batch.Put(family_, std::string(kActivePrefix) + std::string(projection), Encode(entry)).PermitUncheckedError();
}

void ProjectionCatalog::AddSetBuilding(std::string_view projection, const CatalogEntry& entry,
                                       rocksdb::WriteBatch& batch) const {
  batch.Put(family_, std::string(kBuildingPrefix) + std::string(projection), Encode(entry)).PermitUncheckedError();
}

void ProjectionCatalog::AddClearBuilding(std::string_view projection, rocksdb::WriteBatch& batch) const {
  batch.Delete(family_, std::string(kBuildingPrefix) + std::string(projection)).PermitUncheckedError();
}

Result<std::uint64_t> ProjectionCatalog::NewGeneration() {
  if (family_ == nullptr) return Status::Unavailable("read_only", "the projection catalog is read-only");
  std::string value;
  const rocksdb::Status found = store_->db().Get(rocksdb::ReadOptions(), family_, kGenerationKey, &value);
  std::uint64_t generation = 0;
  if (!found.IsNotFound()) {
    CRM_RETURN_IF_ERROR(log::FromRocks(found, "reading the projection generation"));
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), generation);
    if (error != std::errc() || end != value.data() + value.size()) {
      return Status::Corruption("projection_catalog_corrupt", "the generation counter is malformed: " + value);
    }
  }
  ++generation;
  rocksdb::WriteOptions durable;
  durable.sync = true;
  CRM_RETURN_IF_ERROR(log::FromRocks(store_->db().Put(durable, family_, kGenerationKey, std::to_string(generation)),
                                     "writing the projection generation"));
  return generation;
}

}  // namespace crm::projections::store
