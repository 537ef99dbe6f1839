#include "bench_util.h"

#include <unistd.h>

#include <cstdio>

namespace crm::bench {

RatioReporter::RatioReporter(std::string ours_name, std::string peer_name, std::string title)
    : ConsoleReporter(isatty(STDOUT_FILENO) ? OO_ColorTabular : OO_Tabular),
      ours_name_(std::move(ours_name)),
      peer_name_(std::move(peer_name)),
      title_(std::move(title)) {}

void RatioReporter::ReportRuns(const std::vector<Run>& runs) {
  for (const Run& run : runs) {
    if (run.error_occurred) {
      ++errors_;
      continue;
    }
    const bool repeated = run.repetitions > 1;
    if (repeated && !(run.run_type == Run::RT_Aggregate && run.aggregate_name == "median")) continue;
    const auto rate = run.counters.find("items_per_second");
    if (rate == run.counters.end()) continue;
    const std::string shape = run.run_name.args + "/" + run.run_name.threads;
    if (!rates_.contains(shape)) shapes_.push_back(shape);
    rates_[shape][run.run_name.function_name] = rate->second.value;
  }
  ConsoleReporter::ReportRuns(runs);
}

void RatioReporter::PrintRatios() const {
  std::printf("\n### %s\n\n", title_.c_str());
  std::printf("| shape | %s (events/s) | %s (events/s) | ratio |\n|---|---:|---:|---:|\n", ours_name_.c_str(),
              peer_name_.c_str());
  for (const std::string& shape : shapes_) {
    const auto& by_function = rates_.at(shape);
    const auto ours = by_function.find(ours_name_);
    const auto peer = by_function.find(peer_name_);
    if (ours == by_function.end() || peer == by_function.end() || peer->second <= 0) continue;
    std::printf("| %s | %.0f | %.0f | %.2f |\n", shape.c_str(), ours->second, peer->second,
                ours->second / peer->second);
  }
}

}  // namespace crm::bench
