#include "events/log/rocks_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>

#include <algorithm>
#include <filesystem>

#include "events/log/log_format.h"

namespace crm::log {
namespace {

constexpr std::string_view kRequiredFamilies[] = {kEventsFamily, kStreamsFamily, kCommandsFamily, kMetaFamily};
// Two cores: one for flushes, one for compactions.
constexpr int kBackgroundJobs = 2;

// The stream id with its separator: all versions of one stream share it. A stream's versions
// are appended in order, so remembering where the last one went makes the next memtable insert
// nearly free instead of a full skip-list search (measured: docs/benchmarks.md).
class StreamPrefix final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "crm.StreamPrefix"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    const std::string_view view = key.ToStringView();
    return rocksdb::Slice(key.data(), view.find(kStreamKeySeparator) + 1);
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return key.ToStringView().find(kStreamKeySeparator) != std::string_view::npos;
  }
};

rocksdb::ColumnFamilyOptions MakeBaseFamilyOptions(const StoreOptions& options) {
  rocksdb::ColumnFamilyOptions family;
  family.compression = rocksdb::kLZ4Compression;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  family.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return family;
}

rocksdb::ColumnFamilyOptions FamilyOptions(const rocksdb::ColumnFamilyOptions& base, std::string_view name) {
  rocksdb::ColumnFamilyOptions family = base;
  if (name == kStreamsFamily) family.memtable_insert_with_hint_prefix_extractor = std::make_shared<StreamPrefix>();
  return family;
}

bool DatabaseExists(const std::string& path) {
  std::error_code error;
  return std::filesystem::exists(std::filesystem::path(path) / "CURRENT", error);
}

}  // namespace

Status FromRocks(const rocksdb::Status& status, std::string_view context) {
  if (status.ok()) return Status::Ok();
  std::string message = std::string(context) + ": " + status.ToString();
  if (status.IsCorruption()) return Status::Corruption("storage_corruption", std::move(message));
  if (status.IsNotFound()) return Status::NotFound("storage_not_found", std::move(message));
  if (status.IsBusy() || status.IsTryAgain()) return Status::Unavailable("storage_busy", std::move(message));
  if (status.IsInvalidArgument() || status.IsNotSupported()) {
    return Status::InvalidArgument("storage_invalid_argument", std::move(message));
  }
  return Status::IOError("storage_io_error", std::move(message));
}

Result<std::unique_ptr<RocksStore>> RocksStore::Open(const StoreOptions& options) {
  const bool writable = options.mode == OpenMode::kReadWrite;
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = writable;
  db_options.create_missing_column_families = writable;
  db_options.max_background_jobs = kBackgroundJobs;
  if (options.env != nullptr) db_options.env = options.env;
  const rocksdb::ColumnFamilyOptions family_options = MakeBaseFamilyOptions(options);

  std::vector<std::string> names;
  if (DatabaseExists(options.path)) {
    CRM_RETURN_IF_ERROR(FromRocks(rocksdb::DB::ListColumnFamilies(db_options, options.path, &names),
                                  "listing column families of " + options.path));
  } else if (!writable) {
    return Status::NotFound("no_database", "no data directory with a log at " + options.path);
  } else {
    names.push_back(rocksdb::kDefaultColumnFamilyName);
  }
  for (const std::string_view required : kRequiredFamilies) {
    if (std::find(names.begin(), names.end(), required) != names.end()) continue;
    if (!writable) {
      return Status::Corruption("missing_column_family",
                                "the database at " + options.path + " has no '" + std::string(required) + "' family");
    }
    names.emplace_back(required);
  }

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.reserve(names.size());
  for (const std::string& name : names) descriptors.emplace_back(name, FamilyOptions(family_options, name));
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  const rocksdb::Status opened =
      writable ? rocksdb::DB::Open(db_options, options.path, descriptors, &handles, &raw_db)
               : rocksdb::DB::OpenForReadOnly(db_options, options.path, descriptors, &handles, &raw_db);
  CRM_RETURN_IF_ERROR(FromRocks(opened, "opening " + options.path));
  return std::unique_ptr<RocksStore>(
      new RocksStore(options, std::unique_ptr<rocksdb::DB>(raw_db), std::move(handles), family_options));
}

RocksStore::RocksStore(StoreOptions options, std::unique_ptr<rocksdb::DB> db,
                       std::vector<rocksdb::ColumnFamilyHandle*> handles, rocksdb::ColumnFamilyOptions family_options)
    : options_(std::move(options)), db_(std::move(db)), family_options_(std::move(family_options)) {
  for (rocksdb::ColumnFamilyHandle* handle : handles) families_.emplace(handle->GetName(), handle);
}

RocksStore::~RocksStore() {
  for (auto& [name, handle] : families_) {
    db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
  // Close() flushes nothing we rely on (the WAL is synced on every append); its status only
  // reports work left in background jobs, which RocksDB redoes at the next open.
  db_->Close().PermitUncheckedError();
}

rocksdb::ColumnFamilyHandle* RocksStore::Family(std::string_view name) const {
  const std::shared_lock lock(families_mutex_);
  const auto it = families_.find(name);
  return it == families_.end() ? nullptr : it->second;
}

std::vector<std::string> RocksStore::FamilyNames() const {
  const std::shared_lock lock(families_mutex_);
  std::vector<std::string> names;
  for (const auto& [name, handle] : families_) names.push_back(name);
  return names;
}

Result<rocksdb::ColumnFamilyHandle*> RocksStore::CreateFamily(const std::string& name) {
  if (options_.mode != OpenMode::kReadWrite) {
    return Status::Unavailable("read_only", "cannot create family '" + name + "' in a read-only store");
  }
  const std::unique_lock lock(families_mutex_);
  if (const auto it = families_.find(name); it != families_.end()) return it->second;
  rocksdb::ColumnFamilyHandle* handle = nullptr;
  CRM_RETURN_IF_ERROR(FromRocks(db_->CreateColumnFamily(FamilyOptions(family_options_, name), name, &handle),
                                "creating family " + name));
  families_.emplace(name, handle);
  return handle;
}

Status RocksStore::DropFamily(const std::string& name) {
  for (const std::string_view required : kRequiredFamilies) {
    if (name == required)
      return Status::InvalidArgument("log_family", "the log's family '" + name + "' is not droppable");
  }
  if (options_.mode != OpenMode::kReadWrite) {
    return Status::Unavailable("read_only", "cannot drop family '" + name + "' in a read-only store");
  }
  const std::unique_lock lock(families_mutex_);
  const auto it = families_.find(name);
  if (it == families_.end()) return Status::Ok();
  CRM_RETURN_IF_ERROR(FromRocks(db_->DropColumnFamily(it->second), "dropping family " + name));
  CRM_RETURN_IF_ERROR(FromRocks(db_->DestroyColumnFamilyHandle(it->second), "closing family " + name));
  families_.erase(it);
  return Status::Ok();
}

}  // namespace crm::log
