// generate-log: writes the seeded workload of a sales company into a fresh data directory
// through EventLog, for the rebuild and as-of benchmarks (docs/benchmarks.md).
//
//   build/release/bin/generate-log --data /tmp/crm-10m --events 10000000 [--seed 1]
//       [--salespeople 500] [--customers 200000] [--batch-events 1024] [--appenders 1]
//
// The log is written with sync off (a generated history need not survive a crash of its
// generator; every event still goes through encoding, version checks, the hash chain and the
// stream index) and in large units: consecutive commands on different streams are grouped into
// one Append (workload/feed_log.h says what that does to recorded times).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "events/log/event_log.h"
#include "workload/feed_log.h"
#include "workload/workload.h"

namespace crm::bench {
namespace {

struct Flags {
  std::string data;
  std::uint64_t events = 0;
  std::uint64_t seed = 1;
  std::uint32_t salespeople = 500;
  std::uint32_t customers = 200'000;
  std::size_t batch_events = 1024;
  int appenders = 1;
};

void Usage() {
  std::fprintf(stderr,
               "usage: generate-log --data DIR --events N [--seed S] [--salespeople P] [--customers M]\n"
               "                    [--batch-events B] [--appenders K]\n"
               "  Appends the seeded sales-company workload (benchmarks/workload/workload.h) to a\n"
               "  fresh data directory DIR until it holds at least N events.\n"
               "  --seed S          random seed (default 1); the same seed gives the same history\n"
               "  --salespeople P   salespeople (default 500), plus managers, reviewers, after-sales, finance\n"
               "  --customers M     customers registered at most (default 200000)\n"
               "  --batch-events B  events per Append at most; 1 = one Append per command (default 1024)\n"
               "  --appenders K     threads appending (default 1)\n");
}

bool ParseFlags(int argc, char** argv, Flags* flags) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") return false;
    if (i + 1 >= argc) {
      std::fprintf(stderr, "generate-log: %s needs a value\n", flag.c_str());
      return false;
    }
    const char* value = argv[++i];
    const auto number = [&] { return std::strtoull(value, nullptr, 10); };
    if (flag == "--data") {
      flags->data = value;
    } else if (flag == "--events") {
      flags->events = number();
    } else if (flag == "--seed") {
      flags->seed = number();
    } else if (flag == "--salespeople") {
      flags->salespeople = static_cast<std::uint32_t>(number());
    } else if (flag == "--customers") {
      flags->customers = static_cast<std::uint32_t>(number());
    } else if (flag == "--batch-events") {
      flags->batch_events = static_cast<std::size_t>(number());
    } else if (flag == "--appenders") {
      flags->appenders = static_cast<int>(number());
    } else {
      std::fprintf(stderr, "generate-log: unknown flag %s\n", flag.c_str());
      return false;
    }
  }
  if (flags->data.empty() || flags->events == 0) {
    std::fprintf(stderr, "generate-log: --data and --events are required\n");
    return false;
  }
  if (flags->salespeople == 0 || flags->customers == 0 || flags->batch_events == 0 || flags->appenders < 1 ||
      flags->batch_events > 10'000) {
    std::fprintf(stderr, "generate-log: salespeople, customers, appenders must be positive; batch-events 1..10000\n");
    return false;
  }
  return true;
}

std::uintmax_t DirectoryBytes(const std::string& path) {
  std::uintmax_t bytes = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(path, error)) {
    if (entry.is_regular_file(error)) bytes += entry.file_size(error);
  }
  return bytes;
}

int Run(const Flags& flags) {
  std::error_code error;
  if (std::filesystem::exists(flags.data, error) && !std::filesystem::is_empty(flags.data, error)) {
    std::fprintf(stderr, "generate-log: %s exists and is not empty; give a fresh directory\n", flags.data.c_str());
    return 1;
  }
  log::LogOptions log_options;
  log_options.store.path = flags.data;
  log_options.sync = false;
  Result<std::unique_ptr<log::EventLog>> opened = log::EventLog::Open(log_options);
  if (!opened.ok()) {
    std::fprintf(stderr, "generate-log: cannot open %s: %s\n", flags.data.c_str(), opened.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<log::EventLog> log = std::move(opened).value();
  workload::Workload workload({.seed = flags.seed,
                               .salespeople = flags.salespeople,
                               .customers = flags.customers,
                               .sales_per_team = 10,
                               .held_target = 40,
                               .sweep_releases_max = 64,
                               .start_ms = workload::kWorkloadStartMsDefault});
  workload::FeedOptions feed{.events = flags.events,
                             .batch_events = flags.batch_events,
                             .appenders = flags.appenders,
                             .progress = {},
                             .progress_every_events = 1'000'000};
  feed.progress = [](const workload::FeedProgress& progress) {
    std::printf("generate-log: %llu events appended, %llu commands generated, %.1f s, %.0f events/s\n",
                static_cast<unsigned long long>(progress.events), static_cast<unsigned long long>(progress.commands),
                progress.seconds, static_cast<double>(progress.events) / progress.seconds);
    std::fflush(stdout);
  };
  Result<workload::FeedReport> report = workload::FeedLog(workload, *log, feed);
  if (!report.ok()) {
    std::fprintf(stderr, "generate-log: append failed: %s\n", report.status().ToString().c_str());
    return 1;
  }
  const log::LogStats stats = log->Stats();
  const events::Seq head = log->HeadSeq();
  log.reset();  // flushes the memtables: the size below is the directory's on disk
  const workload::WorkloadStats& mix = workload.stats();
  std::printf(
      "generate-log: done: %llu events (head seq %llu) from %llu commands in %llu appends (%llu RocksDB writes), "
      "%.1f s, %.0f events/s; %.1f simulated days; %.1f MiB in %s\n",
      static_cast<unsigned long long>(report->events), static_cast<unsigned long long>(head),
      static_cast<unsigned long long>(report->commands), static_cast<unsigned long long>(report->appends),
      static_cast<unsigned long long>(stats.commit_groups), report->seconds,
      static_cast<double>(report->events) / report->seconds,
      static_cast<double>(mix.now_ms - workload::kWorkloadStartMsDefault) / events::kMsPerDay,
      static_cast<double>(DirectoryBytes(flags.data)) / (1 << 20), flags.data.c_str());
  return head == report->events ? 0 : 1;
}

}  // namespace
}  // namespace crm::bench

int main(int argc, char** argv) {
  crm::bench::Flags flags;
  if (!crm::bench::ParseFlags(argc, argv, &flags)) {
    crm::bench::Usage();
    return argc > 1 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) ? 0 : 2;
  }
  return crm::bench::Run(flags);
}
