// Projection rebuild throughput (issue 4: >= 2M events/s on one core): every view of
// projections::AllProjections() folded from zero and stored, beside the raw scan of the same
// log in the same run.
//
//   build/release/bin/rebuild_benchmark --data /tmp/crm-10m      # or CRM_BENCH_DATA=/tmp/crm-10m
//   build/release/bin/rebuild_benchmark                          # generates a 300k-event log itself
//
// - Ours (BM_Rebuild): ProjectionHost::Open on a copy of the log that has no views, which builds
//   them (blue/green builds into new families: fold, flush rows and checkpoints every
//   flush_every_events, snapshots every snapshot_every_events, switch). view:0 is every view
//   together, view:N the N-th of AllProjections() alone (the legend is printed at the end);
//   snapshot_every:0 builds without snapshots, the other value is the product's default.
// - Peer (BM_RawScan): EventLog::Scan of the same log from seq 1, decoding every event, applying
//   nothing: the floor a rebuild cannot go under while it reads the log.
// - Diagnostic (BM_FoldInMemory): one scan (read ahead on another thread, as the host's long
//   folds are) applying every event to the selected views in memory, storing nothing: what
//   folding costs without RocksDB writes.
// Events per second count the log's events once per run, whatever the number of views.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench_util.h"
#include "events/log/read_ahead_cursor.h"
#include "projections/all_projections.h"
#include "projections/store/projection_host.h"
#include "workload/bench_data.h"

namespace crm::bench {
namespace {

using projections::ProjectionKind;

std::unique_ptr<workload::BenchData> data;

// view 0: every view; view n: the n-th of AllProjections().
std::vector<ProjectionKind> KindsFor(std::int64_t view) {
  std::vector<ProjectionKind> kinds = projections::AllProjections();
  if (view == 0) return kinds;
  return {kinds[static_cast<std::size_t>(view - 1)]};
}

std::string ViewLabel(std::int64_t view) {
  if (view == 0) return "all";
  return projections::AllProjections()[static_cast<std::size_t>(view - 1)].name;
}

Result<std::unique_ptr<log::EventLog>> OpenCopy(const std::string& dir) {
  workload::RemoveTree(dir);
  CRM_RETURN_IF_ERROR(data->Checkpoint(dir));
  log::LogOptions options;
  options.store.path = dir;
  options.sync = false;
  return log::EventLog::Open(options);
}

void BM_Rebuild(benchmark::State& state) {
  const std::int64_t view = state.range(0);
  const events::Seq head = data->log().HeadSeq();
  const std::string dir = data->CopyPath("rebuild");
  for (auto _ : state) {
    state.PauseTiming();
    Result<std::unique_ptr<log::EventLog>> copy = OpenCopy(dir);
    if (!copy.ok()) {
      state.SkipWithError(copy.status().ToString().c_str());
      break;
    }
    projections::store::HostOptions options;
    options.snapshot_every_events = static_cast<std::uint64_t>(state.range(1));
    state.ResumeTiming();
    Result<std::unique_ptr<projections::store::ProjectionHost>> host =
        projections::store::ProjectionHost::Open(**copy, KindsFor(view), options);
    state.PauseTiming();
    if (!host.ok()) {
      state.SkipWithError(host.status().ToString().c_str());
      break;
    }
    for (const projections::store::ProjectionStatus& status : (*host)->Statuses()) {
      if (!status.serving || status.applied_seq != head)
        state.SkipWithError(("view not built: " + status.name).c_str());
    }
    host->reset();
    copy->reset();
    workload::RemoveTree(dir);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(head));
  state.SetLabel(ViewLabel(view));
}

void BM_RawScan(benchmark::State& state) {
  const events::Seq head = data->log().HeadSeq();
  for (auto _ : state) {
    events::Seq scanned = 0;
    auto cursor = data->log().Scan(1);
    for (; cursor->Valid(); cursor->Next()) {
      benchmark::DoNotOptimize(&cursor->event());
      ++scanned;
    }
    if (!cursor->status().ok() || scanned != head) {
      state.SkipWithError("scan stopped early");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(head));
  state.SetLabel(ViewLabel(state.range(0)));
}

void BM_FoldInMemory(benchmark::State& state) {
  const events::Seq head = data->log().HeadSeq();
  const std::vector<ProjectionKind> kinds = KindsFor(state.range(0));
  for (auto _ : state) {
    std::vector<std::unique_ptr<projections::Projection>> views;
    for (const ProjectionKind& kind : kinds) views.push_back(kind.make());
    // Read ahead like the host's long folds, so that this differs from BM_Rebuild only in storing.
    auto cursor = log::ReadAhead(data->log().Scan(1));
    for (; cursor->Valid(); cursor->Next()) {
      for (auto& view : views) view->Apply(cursor->event());
    }
    if (!cursor->status().ok()) {
      state.SkipWithError(cursor->status().ToString().c_str());
      break;
    }
    state.PauseTiming();
    views.clear();  // freeing a big view is not folding it
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(head));
  state.SetLabel(ViewLabel(state.range(0)));
}

void Views(benchmark::internal::Benchmark* b, std::vector<std::int64_t> snapshot_every) {
  b->ArgNames({"view", "snapshot_every"});
  const auto views = static_cast<std::int64_t>(projections::AllProjections().size());
  for (const std::int64_t every : snapshot_every) {
    for (std::int64_t view = 0; view <= views; ++view) b->Args({view, every});
  }
  b->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
}

const std::vector<std::int64_t> kSnapshotSettings = {
    0, static_cast<std::int64_t>(projections::store::kSnapshotEveryEventsDefault)};

BENCHMARK(BM_Rebuild)->Apply([](benchmark::internal::Benchmark* b) { Views(b, kSnapshotSettings); });
BENCHMARK(BM_RawScan)->Apply([](benchmark::internal::Benchmark* b) { Views(b, kSnapshotSettings); });
BENCHMARK(BM_FoldInMemory)->Apply([](benchmark::internal::Benchmark* b) { Views(b, {0}); });

// The ratio table of ours against the raw scan, plus the in-memory fold against the same scan.
class RebuildReporter : public RatioReporter {
 public:
  RebuildReporter()
      : RatioReporter("BM_Rebuild", "BM_RawScan", "Projection rebuild (stored) vs raw scan of the same log") {}
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      const auto rate = run.counters.find("items_per_second");
      if (run.error_occurred || rate == run.counters.end()) continue;
      if (run.repetitions > 1 && !(run.run_type == Run::RT_Aggregate && run.aggregate_name == "median")) continue;
      if (run.run_name.function_name == "BM_FoldInMemory") fold_[run.run_name.args] = rate->second.value;
      if (run.run_name.function_name == "BM_RawScan") scan_[run.run_name.args] = rate->second.value;
    }
    RatioReporter::ReportRuns(runs);
  }
  void PrintFoldRatios() const {
    std::printf("\n### In-memory fold (one scan, nothing stored) vs raw scan\n\n");
    std::printf("| shape | BM_FoldInMemory (events/s) | BM_RawScan (events/s) | ratio |\n|---|---:|---:|---:|\n");
    for (const auto& [shape, fold] : fold_) {
      const auto scan = scan_.find(shape);
      if (scan == scan_.end() || scan->second <= 0) continue;
      std::printf("| %s | %.0f | %.0f | %.2f |\n", shape.c_str(), fold, scan->second, fold / scan->second);
    }
  }

 private:
  std::map<std::string, double> fold_;
  std::map<std::string, double> scan_;
};

}  // namespace
}  // namespace crm::bench

int main(int argc, char** argv) {
  crm::Result<std::unique_ptr<crm::bench::workload::BenchData>> opened =
      crm::bench::workload::BenchData::Open(&argc, argv);
  if (!opened.ok()) {
    std::fprintf(stderr, "rebuild_benchmark: %s\n", opened.status().ToString().c_str());
    return 1;
  }
  crm::bench::data = std::move(opened).value();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::printf("log: %s, %llu events\n", crm::bench::data->path().c_str(),
              static_cast<unsigned long long>(crm::bench::data->log().HeadSeq()));
  crm::bench::RebuildReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  reporter.PrintFoldRatios();
  std::printf("\nviews: 0 = all");
  for (std::size_t i = 0; i < crm::projections::AllProjections().size(); ++i) {
    std::printf(", %zu = %s", i + 1, crm::projections::AllProjections()[i].name.c_str());
  }
  std::printf("\n");
  benchmark::Shutdown();
  const bool failed = reporter.any_errors();
  crm::bench::data.reset();
  return failed ? 1 : 0;
}
