// Shared by the benchmark binaries: a scratch directory and a reporter that prints, after the
// usual table, each "ours" benchmark as a ratio of its peer measured in the same run.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace crm::bench {

// A fresh directory on the data disk ($CRM_BENCH_DIR, else $TMPDIR, else /tmp), removed with
// its contents at scope exit.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Pairs runs by their arguments and thread count: ours = function `ours_name`, peer = function
// `peer_name`; the ratio is ours' items/s over the peer's. With --benchmark_repetitions the
// medians are compared.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  RatioReporter(std::string ours_name, std::string peer_name, std::string title);
  void ReportRuns(const std::vector<Run>& runs) override;
  // Prints the Markdown ratio table to stdout.
  void PrintRatios() const;

 private:
  std::string ours_name_;
  std::string peer_name_;
  std::string title_;
  // "batch:16/threads:8" -> {function name -> items per second}
  std::map<std::string, std::map<std::string, double>> rates_;
};

}  // namespace crm::bench
