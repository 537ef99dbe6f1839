// Shared by the benchmark binaries: a reporter that prints, after the usual table, each "ours"
// benchmark as a ratio of its peer measured in the same run. (Scratch directories come from
// tests/testutil/temp_dir.h: $TMPDIR, which must be on the disk being measured.)
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace crm::bench {

// Pairs runs by their arguments and thread count: ours = function `ours_name`, peer = function
// `peer_name`; the ratio is ours' items/s over the peer's. With --benchmark_repetitions the
// medians are compared.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  RatioReporter(std::string ours_name, std::string peer_name, std::string title);
  void ReportRuns(const std::vector<Run>& runs) override;
  // Prints the Markdown ratio table to stdout, shapes in the order they ran.
  void PrintRatios() const;
  // Whether any run stopped with an error (SkipWithError): main() exits non-zero then, so the
  // smoke tests notice a benchmark that no longer measures anything.
  bool any_errors() const { return errors_ > 0; }

 private:
  std::string ours_name_;
  std::string peer_name_;
  std::string title_;
  // "batch:16/threads:8" -> {function name -> items per second}
  std::map<std::string, std::map<std::string, double>> rates_;
  std::vector<std::string> shapes_;  // the keys of rates_, in the order first reported
  int errors_ = 0;
};

}  // namespace crm::bench
