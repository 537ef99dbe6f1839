// BenchData: the log a read-side benchmark runs on, and throw-away copies of it to build views in.
//
// The log is the data directory named by --data DIR or $CRM_BENCH_DATA (one that generate-log
// wrote); without either, a small log of the seeded workload is generated into a scratch
// directory. Benchmarks never write views into that directory: each build gets a checkpoint
// (RocksDB hard-links the log's table files, so a copy of a 10M-event log costs milliseconds)
// beside it, on the same disk, removed afterwards.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "events/log/event_log.h"
#include "events/status.h"

namespace crm::bench::workload {

// Events of the log generated when no data directory is given. Default of
// BenchData::Open's `generated_events`.
inline constexpr std::uint64_t kGeneratedEventsDefault = 300'000;

class BenchData {
 public:
  // Takes --data DIR out of argv (before benchmark::Initialize sees it), else $CRM_BENCH_DATA,
  // else generates $CRM_BENCH_EVENTS or `generated_events` events (seed 1, 100 salespeople,
  // 20'000 customers).
  static Result<std::unique_ptr<BenchData>> Open(int* argc, char** argv,
                                                 std::uint64_t generated_events = kGeneratedEventsDefault);
  ~BenchData();
  BenchData(const BenchData&) = delete;
  BenchData& operator=(const BenchData&) = delete;

  // The log, open for reading (scans of the peer); its directory is never written by benchmarks.
  log::EventLog& log() { return *log_; }
  const std::string& path() const { return path_; }
  bool generated() const { return scratch_ != nullptr; }

  // A writable copy of the log at `dir` (which must not exist), as of now.
  Status Checkpoint(const std::string& dir);
  // A fresh directory name beside the log for a copy: path() + ".bench-" + name.
  std::string CopyPath(const std::string& name) const { return path_ + ".bench-" + name; }

 private:
  struct Scratch;
  BenchData() = default;

  std::unique_ptr<Scratch> scratch_;  // when generated: the temp dir holding it
  std::string path_;
  std::unique_ptr<log::EventLog> log_;  // read-write: a checkpoint needs a writable instance
};

// Removes a directory tree; errors are ignored (it is scratch).
void RemoveTree(const std::string& path);

}  // namespace crm::bench::workload
