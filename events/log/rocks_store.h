// RocksStore: the one open RocksDB database of a data directory, with its column families.
//
// The log's families (log_format.h) are created on first open. Families that other components
// created (projections keep their views beside the log, so that one backup holds everything)
// are opened too, because RocksDB refuses to open a database without all of its families.
//
// Families can be created and dropped while the store is open (projection rebuilds do, blue/green).
//
// Thread-safe: RocksDB's DB is, and the family map is guarded.
#pragma once

#include <rocksdb/db.h>

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "events/status.h"

namespace crm::log {

enum class OpenMode {
  kReadWrite,  // the owner: one process at a time (RocksDB's LOCK file enforces it)
  kReadOnly,   // a point-in-time view as of open; writes nothing, so it is safe beside a writer
};

struct StoreOptions {
  // The data directory. Created when missing in kReadWrite mode.
  std::string path;
  // Default: kReadWrite.
  OpenMode mode = OpenMode::kReadWrite;
  // Block cache shared by every family, in bytes. Default: 64 MiB.
  std::size_t block_cache_bytes = 64u << 20;
  // RocksDB's environment, borrowed; must outlive the store. Default: null (the OS). Tests pass
  // one that injects I/O faults.
  rocksdb::Env* env = nullptr;
};

// Converts at the boundary; `context` says what we were doing ("reading event 42").
Status FromRocks(const rocksdb::Status& status, std::string_view context);

class RocksStore {
 public:
  static Result<std::unique_ptr<RocksStore>> Open(const StoreOptions& options);
  ~RocksStore();
  RocksStore(const RocksStore&) = delete;
  RocksStore& operator=(const RocksStore&) = delete;

  rocksdb::DB& db() { return *db_; }
  const StoreOptions& options() const { return options_; }

  // The family with this name; null if the database has none. The log's own families always
  // exist. The handle lives until the family is dropped, or as long as the store.
  rocksdb::ColumnFamilyHandle* Family(std::string_view name) const;

  // Every family's name, in name order.
  std::vector<std::string> FamilyNames() const;

  // Creates a family (with the store's table options), or returns the existing one.
  // kUnavailable in read-only mode.
  Result<rocksdb::ColumnFamilyHandle*> CreateFamily(const std::string& name);

  // Drops a family and its data. REQUIRES: nobody uses its handle any more; the log's own
  // families cannot be dropped. Dropping a family that does not exist is not an error.
  Status DropFamily(const std::string& name);

 private:
  RocksStore(StoreOptions options, std::unique_ptr<rocksdb::DB> db, std::vector<rocksdb::ColumnFamilyHandle*> handles,
             rocksdb::ColumnFamilyOptions family_options);

  StoreOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  const rocksdb::ColumnFamilyOptions family_options_;
  mutable std::shared_mutex families_mutex_;
  std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>> families_;  // guarded by families_mutex_
};

}  // namespace crm::log
