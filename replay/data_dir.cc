#include "replay/data_dir.h"

#include <rocksdb/env.h>

#include <filesystem>

namespace crm::replay {
namespace {

log::LogOptions Options(const std::string& dir, log::OpenMode mode) {
  log::LogOptions options;
  options.store.path = dir;
  options.store.mode = mode;
  options.store.block_cache_bytes = kReplayBlockCacheBytes;
  return options;
}

Status NoDatabase(const std::string& dir) {
  return Status::NotFound("no_database", "no data directory with a log at " + dir);
}

}  // namespace

bool HasDatabase(const std::string& dir) {
  std::error_code error;
  return std::filesystem::exists(std::filesystem::path(dir) / "CURRENT", error);
}

Result<std::unique_ptr<log::EventLog>> OpenForReading(const std::string& dir) {
  if (!HasDatabase(dir)) return NoDatabase(dir);
  return log::EventLog::Open(Options(dir, log::OpenMode::kReadOnly));
}

Result<std::unique_ptr<log::EventLog>> OpenForWriting(const std::string& dir) {
  // A read-write open would create an empty log in a mistyped directory.
  if (!HasDatabase(dir)) return NoDatabase(dir);
  Result<std::unique_ptr<log::EventLog>> opened = log::EventLog::Open(Options(dir, log::OpenMode::kReadWrite));
  if (!opened.ok() && IsLockHeld(opened.status())) return InUse(dir);
  return opened;
}

bool IsLockHeld(const Status& status) {
  // RocksDB names the LOCK file in both refusals: "While lock file: DIR/LOCK: Resource
  // temporarily unavailable" (another process) and "lock hold by current process ... DIR/LOCK".
  return status.code() == StatusCode::kIOError && status.message().find("/LOCK") != std::string::npos;
}

Status InUse(const std::string& dir) {
  return Status::Unavailable("data_dir_in_use", "the data directory " + dir +
                                                    " is in use by another process (a running crm-server?); stop "
                                                    "it first — read-only commands work while it runs");
}

Status CheckNotInUse(const std::string& dir) {
  rocksdb::Env* env = rocksdb::Env::Default();
  rocksdb::FileLock* lock = nullptr;
  const rocksdb::Status locked = env->LockFile(dir + "/LOCK", &lock);
  if (!locked.ok()) return InUse(dir);
  return log::FromRocks(env->UnlockFile(lock), "releasing the lock of " + dir);
}

}  // namespace crm::replay
