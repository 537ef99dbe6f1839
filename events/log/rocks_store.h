// RocksStore: the one open RocksDB database of a data directory, with its column families.
//
// The log's families (log_format.h) are created on first open. Families that other components
// created (projections keep their views beside the log, so that one backup holds everything)
// are opened too, because RocksDB refuses to open a database without all of its families.
//
// Thread-safe: RocksDB's DB is, and the family map does not change after open.
#pragma once

#include <rocksdb/db.h>

#include <map>
#include <memory>
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
  // exist. The handle lives as long as the store.
  rocksdb::ColumnFamilyHandle* Family(std::string_view name) const;

 private:
  RocksStore(StoreOptions options, std::unique_ptr<rocksdb::DB> db, std::vector<rocksdb::ColumnFamilyHandle*> handles);

  StoreOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  // Fixed after open, so lookups need no lock.
  std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>> families_;
};

}  // namespace crm::log
