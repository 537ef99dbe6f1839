// How crm-replay opens a data directory (docs/replay.md, "Opening the data directory").
//
//   read commands  (verify, history, as-of, audit-report, what-if, export)
//       OpenForReading: RocksDB's read-only mode, a point-in-time view as of the open that
//       writes nothing and takes no lock, so it is safe beside a running crm-server. Events
//       the server appends afterwards are not seen.
//   write commands (rebuild, backup, restore)
//       OpenForWriting: read-write, which takes RocksDB's LOCK file. When another process (or
//       another open in this process) holds it, the answer is reason "data_dir_in_use" with
//       words that say what to do; nothing is touched.
#pragma once

#include <memory>
#include <string>

#include "events/log/event_log.h"
#include "events/status.h"

namespace crm::replay {

// Block cache for a tool run, in bytes: scans read each block once, so a small cache does.
inline constexpr std::size_t kReplayBlockCacheBytes = 16u << 20;

// True when `dir` holds a RocksDB database (its CURRENT file exists).
bool HasDatabase(const std::string& dir);

// kNotFound/no_database when there is no log at `dir`; the log's own errors otherwise.
Result<std::unique_ptr<log::EventLog>> OpenForReading(const std::string& dir);

// Never creates a log: kNotFound/no_database when there is none at `dir`.
// kUnavailable/data_dir_in_use when another process holds the directory.
Result<std::unique_ptr<log::EventLog>> OpenForWriting(const std::string& dir);

// Whether a RocksDB open failure is the LOCK file being held by someone else.
bool IsLockHeld(const Status& status);

// The status OpenForWriting answers when the directory is in use.
Status InUse(const std::string& dir);

// kUnavailable/data_dir_in_use when a process holds `dir`'s LOCK file, else ok. Takes and drops
// the lock, so it only proves the directory was free at the call. REQUIRES: HasDatabase(dir).
Status CheckNotInUse(const std::string& dir);

}  // namespace crm::replay
