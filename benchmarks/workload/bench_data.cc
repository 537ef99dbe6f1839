#include "workload/bench_data.h"

#include <rocksdb/utilities/checkpoint.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "testutil/temp_dir.h"
#include "workload/feed_log.h"
#include "workload/workload.h"

namespace crm::bench::workload {

struct BenchData::Scratch {
  testutil::TempDir dir;
};

BenchData::~BenchData() = default;

void RemoveTree(const std::string& path) {
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

namespace {

// Removes "--data DIR" / "--data=DIR" from argv; returns DIR or empty.
std::string TakeDataFlag(int* argc, char** argv) {
  std::string data;
  int out = 1;
  for (int i = 1; i < *argc; ++i) {
    if (std::strcmp(argv[i], "--data") == 0 && i + 1 < *argc) {
      data = argv[++i];
    } else if (std::strncmp(argv[i], "--data=", 7) == 0) {
      data = argv[i] + 7;
    } else {
      argv[out++] = argv[i];
    }
  }
  *argc = out;
  return data;
}

}  // namespace

Result<std::unique_ptr<BenchData>> BenchData::Open(int* argc, char** argv, std::uint64_t generated_events) {
  std::unique_ptr<BenchData> data(new BenchData());
  data->path_ = TakeDataFlag(argc, argv);
  if (data->path_.empty()) {
    const char* env = std::getenv("CRM_BENCH_DATA");
    if (env != nullptr) data->path_ = env;
  }
  log::LogOptions options;
  options.sync = false;
  if (data->path_.empty()) {
    if (const char* events = std::getenv("CRM_BENCH_EVENTS"); events != nullptr && *events != '\0') {
      generated_events = std::strtoull(events, nullptr, 10);
    }
    data->scratch_ = std::make_unique<Scratch>();
    data->path_ = data->scratch_->dir.Sub("data");
    options.store.path = data->path_;
    CRM_ASSIGN_OR_RETURN(data->log_, log::EventLog::Open(options));
    std::fprintf(stderr, "no --data or CRM_BENCH_DATA: generating %llu events into %s\n",
                 static_cast<unsigned long long>(generated_events), data->path_.c_str());
    Workload workload({.seed = 1,
                       .salespeople = 100,
                       .customers = 20'000,
                       .sales_per_team = 10,
                       .held_target = 40,
                       .sweep_releases_max = 64,
                       .start_ms = kWorkloadStartMsDefault});
    CRM_RETURN_IF_ERROR(FeedLog(workload, *data->log_,
                                {.events = generated_events,
                                 .batch_events = 1024,
                                 .appenders = 2,
                                 .progress = {},
                                 .progress_every_events = generated_events})
                            .status());
    return data;
  }
  options.store.path = data->path_;
  CRM_ASSIGN_OR_RETURN(data->log_, log::EventLog::Open(options));
  return data;
}

Status BenchData::Checkpoint(const std::string& dir) {
  rocksdb::Checkpoint* raw = nullptr;
  CRM_RETURN_IF_ERROR(log::FromRocks(rocksdb::Checkpoint::Create(&log_->store().db(), &raw), "making a checkpoint"));
  const std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  return log::FromRocks(checkpoint->CreateCheckpoint(dir), "checkpointing the log into " + dir);
}

}  // namespace crm::bench::workload
