// As-of latency (issue 4: p99 < 50 ms) at random log positions, for several snapshot intervals,
// with what the snapshots cost in storage: the measurements behind kSnapshotEveryEventsDefault
// (projections/store/projection_host.h).
//
//   build/release/bin/asof_benchmark --data /tmp/crm-10m     # or CRM_BENCH_DATA=/tmp/crm-10m
//   build/release/bin/asof_benchmark                         # generates a 300k-event log itself
//
// Environment: CRM_ASOF_SNAPSHOT_EVERY="10000,50000,200000" (the intervals measured),
// CRM_ASOF_FULL_EVERY and CRM_ASOF_DELTA_PERCENT (HostOptions::snapshot_policy; default the
// host's),
// CRM_ASOF_POINTS=200 (as-of reads per view and interval), CRM_FOLD_POINTS=3 (peer folds),
// CRM_ASOF_PAUSE_MS=0 (idle time before each read, untimed: a person reading the answer between
// two questions; back to back, a read overlaps the freeing of the view before it).
//
// For each interval, a copy of the log gets every view built with that HostOptions (the build
// writes the snapshots), then:
// - Ours (BM_AsOf): ProjectionHost::AsOf(view, seq) at uniformly random seqs in [1, head]:
//   the newest snapshot at or before seq, loaded, then the events after it replayed (the
//   host's cache of as-of views is off, so a point drawn twice is folded twice).
//   Counters: p50_ms, p99_ms, max_ms of single reads; faults (page faults per read on the
//   reading thread, fresh memory mapped); snapshots and family_mib (the view
//   family's SST bytes on disk: rows, checkpoint and every snapshot, after a flush);
//   rows_mib (the view's rows alone, uncompressed); build_s (the build, snapshots included).
// - BM_AsOfRead: the customers view as of the same points, then a first page of the pool or
//   one salesperson's holdings read from it: what a person waits for.
// - Peer (BM_FoldFromZero): ProjectionHost::FoldFromZero(view, seq) at the first few of the
//   same points: the answer without snapshots. Counters: mean_ms, and speedup = the peer's
//   time over ours at those same points (how many times faster as-of is).
// The table at the end gathers both per view and interval. (RatioReporter's events/s table
// would round reads/s of a few per second to 0, so this benchmark prints its own.)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <thread>
#include <vector>

#include "bench_util.h"
#include "projections/all_projections.h"
#include "projections/customers_view.h"
#include "projections/store/projection_host.h"
#include "projections/store/view_family.h"
#include "projections/store/view_format.h"
#include "workload/bench_data.h"

namespace crm::bench {
namespace {

using projections::store::ProjectionHost;

std::unique_ptr<workload::BenchData> data;

std::uint64_t EnvNumber(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::strtoull(value, nullptr, 10) : fallback;
}

projections::store::SnapshotPolicy Policy() {
  const projections::store::SnapshotPolicy fallback = projections::store::kSnapshotPolicyDefault;
  return projections::store::SnapshotPolicy{
      .full_every = static_cast<std::uint32_t>(EnvNumber("CRM_ASOF_FULL_EVERY", fallback.full_every)),
      .delta_rows_max_percent =
          static_cast<std::uint32_t>(EnvNumber("CRM_ASOF_DELTA_PERCENT", fallback.delta_rows_max_percent))};
}

std::vector<std::int64_t> SnapshotIntervals() {
  const char* value = std::getenv("CRM_ASOF_SNAPSHOT_EVERY");
  std::stringstream list(value != nullptr && *value != '\0' ? value : "10000,50000,200000");
  std::vector<std::int64_t> intervals;
  for (std::string item; std::getline(list, item, ',');) intervals.push_back(std::stoll(item));
  return intervals;
}

struct FamilySize {
  std::uint64_t sst_bytes = 0;
  std::uint64_t rows_bytes = 0;  // keys and values of the rows, uncompressed
  std::size_t snapshots = 0;
  std::size_t full_snapshots = 0;
};

// One copy of the log with every view built at one snapshot interval.
struct Built {
  std::uint64_t every = 0;
  std::string dir;
  std::unique_ptr<log::EventLog> log;
  std::unique_ptr<ProjectionHost> host;
  double build_seconds = 0;
  std::map<std::string, FamilySize> sizes;  // by view name

  ~Built() {
    host.reset();
    log.reset();
    workload::RemoveTree(dir);
  }
};
std::unique_ptr<Built> built;

Result<FamilySize> MeasureFamily(log::RocksStore& store, const std::string& family_name) {
  rocksdb::ColumnFamilyHandle* family = store.Family(family_name);
  if (family == nullptr) return Status::NotFound("no_family", family_name);
  CRM_RETURN_IF_ERROR(log::FromRocks(store.db().Flush(rocksdb::FlushOptions(), family), "flushing " + family_name));
  FamilySize size;
  store.db().GetIntProperty(family, "rocksdb.total-sst-files-size", &size.sst_bytes);
  CRM_ASSIGN_OR_RETURN(const std::vector<projections::store::StoredSnapshot> snapshots,
                       projections::store::ViewFamily(store.db(), family).Snapshots());
  size.snapshots = snapshots.size();
  size.full_snapshots = static_cast<std::size_t>(std::count_if(
      snapshots.begin(), snapshots.end(), [](const projections::store::StoredSnapshot& s) { return s.full; }));
  const std::unique_ptr<rocksdb::Iterator> it(store.db().NewIterator(rocksdb::ReadOptions(), family));
  const std::string prefix(1, projections::store::kRowPrefix);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    size.rows_bytes += it->key().size() + it->value().size();
  }
  CRM_RETURN_IF_ERROR(log::FromRocks(it->status(), "reading rows of " + family_name));
  return size;
}

Status Build(std::uint64_t every) {
  built.reset();  // one copy at a time: snapshots of a big log take disk
  auto next = std::make_unique<Built>();
  next->every = every;
  next->dir = data->CopyPath("asof-" + std::to_string(every));
  workload::RemoveTree(next->dir);
  CRM_RETURN_IF_ERROR(data->Checkpoint(next->dir));
  log::LogOptions log_options;
  log_options.store.path = next->dir;
  log_options.sync = false;
  CRM_ASSIGN_OR_RETURN(next->log, log::EventLog::Open(log_options));
  projections::store::HostOptions options;
  options.snapshot_every_events = every;
  options.snapshot_policy = Policy();
  // Every read loads and folds its view: a point read again would come from the host's cache.
  options.as_of_cache_views = 0;
  const auto start = std::chrono::steady_clock::now();
  CRM_ASSIGN_OR_RETURN(next->host, ProjectionHost::Open(*next->log, projections::AllProjections(), options));
  next->build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const projections::store::ProjectionStatus& status : next->host->Statuses()) {
    CRM_ASSIGN_OR_RETURN(next->sizes[status.name], MeasureFamily(next->log->store(), status.family));
  }
  std::fprintf(stderr, "built every view with snapshot_every_events=%llu in %.1f s\n",
               static_cast<unsigned long long>(every), next->build_seconds);
  built = std::move(next);
  return Status::Ok();
}

bool EnsureBuilt(benchmark::State& state, std::uint64_t every) {
  if (built != nullptr && built->every == every) return true;
  const Status status = Build(every);
  if (!status.ok()) state.SkipWithError(status.ToString().c_str());
  return status.ok();
}

std::string ViewName(std::int64_t view) {
  return projections::AllProjections()[static_cast<std::size_t>(view - 1)].name;
}

// The same random positions for ours and the peer: uniform over the whole log.
class Points {
 public:
  explicit Points(std::int64_t view) : random_(static_cast<std::uint64_t>(42 + view)) {}
  events::Seq Next(events::Seq head) { return std::uniform_int_distribution<events::Seq>(1, head)(random_); }

 private:
  std::mt19937_64 random_;
};

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(rank, values.size() - 1)];
}

// As-of latencies by shape ("view:1/snapshot_every:50000"), in point order: the peer compares
// itself with ours at the same points.
std::map<std::string, std::vector<double>> asof_latencies_ms;

std::string ShapeKey(std::int64_t view, std::int64_t every) {
  return "view:" + std::to_string(view) + "/snapshot_every:" + std::to_string(every);
}

// Page faults the calling thread took without reading a file: each one a fresh page mapped,
// most often memory the allocator had handed back to the system.
long MinorFaults() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return usage.ru_minflt;
}

// Times `read(seq)` at each iteration's point and reports the latency distribution and the
// page faults per read.
template <class Read>
std::vector<double> MeasureReads(benchmark::State& state, std::int64_t view, Read read) {
  const events::Seq head = data->log().HeadSeq();
  Points points(view);
  std::vector<double> latencies_ms;
  long faults = 0;
  const std::uint64_t pause_ms = EnvNumber("CRM_ASOF_PAUSE_MS", 0);
  for (auto _ : state) {
    if (pause_ms > 0) {
      state.PauseTiming();
      std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
      state.ResumeTiming();
    }
    const events::Seq seq = points.Next(head);
    const long faults_before = MinorFaults();
    const auto start = std::chrono::steady_clock::now();
    const Status status = read(seq);
    latencies_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    faults += MinorFaults() - faults_before;
    if (!status.ok()) {
      state.SkipWithError(status.ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["p50_ms"] = Percentile(latencies_ms, 0.50);
  state.counters["p99_ms"] = Percentile(latencies_ms, 0.99);
  state.counters["max_ms"] = Percentile(latencies_ms, 1.0);
  state.counters["faults"] =
      latencies_ms.empty() ? 0 : static_cast<double>(faults) / static_cast<double>(latencies_ms.size());
  state.SetLabel(ViewName(view));
  return latencies_ms;
}

void BM_AsOf(benchmark::State& state) {
  const std::int64_t view = state.range(0);
  const auto every = static_cast<std::uint64_t>(state.range(1));
  if (!EnsureBuilt(state, every)) return;
  const std::string name = ViewName(view);
  asof_latencies_ms[ShapeKey(view, state.range(1))] = MeasureReads(state, view, [&](events::Seq seq) -> Status {
    Result<projections::store::AsOfView> answer = built->host->AsOf(name, seq);
    if (!answer.ok()) return answer.status();
    if (answer->seq != seq || answer->seq - answer->snapshot_seq > std::max<std::uint64_t>(every, 1)) {
      return Status::Internal("asof_replay", "as-of replayed more than one interval");
    }
    return Status::Ok();
  });
  const FamilySize& size = built->sizes[name];
  state.counters["snapshots"] = static_cast<double>(size.snapshots);
  state.counters["full_snapshots"] = static_cast<double>(size.full_snapshots);
  state.counters["family_mib"] = static_cast<double>(size.sst_bytes) / (1 << 20);
  state.counters["rows_mib"] = static_cast<double>(size.rows_bytes) / (1 << 20);
  state.counters["build_s"] = built->build_seconds;
}

// What a reviewer waits for: the customers view as of the point, then one read of it at the
// point's time (as the server answers asOf=seq:N). read 1: the first page of the pool (50
// customers); read 2: what salesperson s1 held, which looks at every customer. A view that
// decodes its rows when touched (customers_view.h) moves work from AsOf into the read; this
// shows the sum.
void BM_AsOfRead(benchmark::State& state) {
  const std::int64_t read = state.range(0);
  if (!EnsureBuilt(state, static_cast<std::uint64_t>(state.range(1)))) return;
  constexpr std::int64_t kCustomersView = 1;
  MeasureReads(state, kCustomersView, [&](events::Seq seq) -> Status {
    CRM_ASSIGN_OR_RETURN(const events::RecordedEvent at, data->log().Read(seq));
    CRM_ASSIGN_OR_RETURN(const projections::store::AsOfView answer,
                         built->host->AsOf(projections::CustomersView::kName, seq));
    const auto& customers = dynamic_cast<const projections::CustomersView&>(*answer.projection);
    std::size_t seen = 0;
    if (read == 1) {
      customers.VisitPool(at.envelope.recorded_at_ms, {}, {},
                          [&seen](const projections::PoolEntry&) { return ++seen < 50; });
    } else {
      seen = customers.HeldBy("s1", at.envelope.recorded_at_ms).size();
    }
    benchmark::DoNotOptimize(seen);
    return Status::Ok();
  });
  state.SetLabel(read == 1 ? "customers, then a pool page" : "customers, then held by s1");
}

// Independent of the interval: it folds from zero on whichever copy is built.
void BM_FoldFromZero(benchmark::State& state) {
  const std::int64_t view = state.range(0);
  if (built == nullptr && !EnsureBuilt(state, static_cast<std::uint64_t>(state.range(1)))) return;
  const std::string name = ViewName(view);
  const std::vector<double> fold_ms = MeasureReads(
      state, view, [&](events::Seq seq) -> Status { return built->host->FoldFromZero(name, seq).status(); });
  // Ours at the same points: the first reads of BM_AsOf on this shape.
  const std::vector<double>& ours_ms = asof_latencies_ms[ShapeKey(view, state.range(1))];
  double fold_total_ms = 0;
  double ours_total_ms = 0;
  for (std::size_t i = 0; i < fold_ms.size() && i < ours_ms.size(); ++i) {
    fold_total_ms += fold_ms[i];
    ours_total_ms += ours_ms[i];
  }
  state.counters["mean_ms"] = fold_ms.empty() ? 0 : fold_total_ms / static_cast<double>(fold_ms.size());
  state.counters["speedup"] = ours_total_ms > 0 ? fold_total_ms / ours_total_ms : 0;
}

// The Markdown table of the figures: per view and interval, ours' latencies and storage, the
// peer's mean, and how many times faster ours is at the same points.
class AsOfReporter : public RatioReporter {
 public:
  AsOfReporter() : RatioReporter("BM_AsOf", "BM_FoldFromZero", "As-of vs fold from zero") {}
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      if (run.run_name.function_name != "BM_AsOf" && run.run_name.function_name != "BM_FoldFromZero") continue;
      // args: "view:1/snapshot_every:50000"
      const std::string& args = run.run_name.args;
      const std::size_t every_at = args.find("/snapshot_every:");
      if (every_at == std::string::npos) continue;
      const std::pair<std::int64_t, std::int64_t> shape{std::stoll(args.substr(5, every_at - 5)),
                                                        std::stoll(args.substr(every_at + 16))};
      std::map<std::string, double>& row = rows_[shape];
      const std::string prefix = run.run_name.function_name == "BM_AsOf" ? "" : "fold_";
      for (const auto& [name, counter] : run.counters) row[prefix + name] = counter.value;
      labels_[shape] = run.report_label;
    }
    RatioReporter::ReportRuns(runs);
  }
  void PrintTable() const {
    std::printf("\n### As-of reads: ProjectionHost::AsOf vs FoldFromZero to the same seq\n\n");
    std::printf(
        "Snapshots (HostOptions::snapshot_policy): a full one at least every %u, the deltas after it holding "
        "at most %u%% of its rows.\n\n",
        Policy().full_every, Policy().delta_rows_max_percent);
    std::printf(
        "| view | snapshot every | as-of p50 ms | p99 ms | max ms | fold from zero, mean ms | ratio (fold / as-of, "
        "same "
        "points) | snapshots (full) | family MiB on disk | rows MiB | build s |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (const auto& [shape, row] : rows_) {
      const auto get = [&](const char* name) {
        const auto it = row.find(name);
        return it == row.end() ? 0.0 : it->second;
      };
      std::printf("| %s | %lld | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f (%.0f) | %.1f | %.1f | %.0f |\n",
                  labels_.at(shape).c_str(), static_cast<long long>(shape.second), get("p50_ms"), get("p99_ms"),
                  get("max_ms"), get("fold_mean_ms"), get("fold_speedup"), get("snapshots"), get("full_snapshots"),
                  get("family_mib"), get("rows_mib"), get("build_s"));
    }
  }

 private:
  std::map<std::pair<std::int64_t, std::int64_t>, std::map<std::string, double>> rows_;  // by (view, interval)
  std::map<std::pair<std::int64_t, std::int64_t>, std::string> labels_;
};

// Every view at each of `intervals`.
void Shapes(benchmark::internal::Benchmark* b, std::uint64_t points, const std::vector<std::int64_t>& intervals) {
  b->ArgNames({"view", "snapshot_every"});
  const auto views = static_cast<std::int64_t>(projections::AllProjections().size());
  for (const std::int64_t every : intervals) {
    for (std::int64_t view = 1; view <= views; ++view) b->Args({view, every});
  }
  b->Iterations(static_cast<benchmark::IterationCount>(points))->UseRealTime()->Unit(benchmark::kMillisecond);
}

}  // namespace
}  // namespace crm::bench

int main(int argc, char** argv) {
  using namespace crm::bench;
  crm::Result<std::unique_ptr<workload::BenchData>> opened = workload::BenchData::Open(&argc, argv);
  if (!opened.ok()) {
    std::fprintf(stderr, "asof_benchmark: %s\n", opened.status().ToString().c_str());
    return 1;
  }
  data = std::move(opened).value();
  // Registered here, not statically: the shapes come from the environment. Benchmarks run in
  // the order registered: every read of one interval, then the next interval's, then the peer
  // folds on the last copy, so each copy is built once.
  const std::uint64_t points = EnvNumber("CRM_ASOF_POINTS", 200);
  for (const std::int64_t every : SnapshotIntervals()) {
    Shapes(benchmark::RegisterBenchmark("BM_AsOf", BM_AsOf), points, {every});
    benchmark::internal::Benchmark* reads = benchmark::RegisterBenchmark("BM_AsOfRead", BM_AsOfRead);
    reads->ArgNames({"read", "snapshot_every"});
    for (const std::int64_t read : {1, 2}) reads->Args({read, every});
    reads->Iterations(static_cast<benchmark::IterationCount>(points))->UseRealTime()->Unit(benchmark::kMillisecond);
  }
  Shapes(benchmark::RegisterBenchmark("BM_FoldFromZero", BM_FoldFromZero), EnvNumber("CRM_FOLD_POINTS", 3),
         SnapshotIntervals());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::printf("log: %s, %llu events\n", data->path().c_str(), static_cast<unsigned long long>(data->log().HeadSeq()));
  AsOfReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintTable();
  benchmark::Shutdown();
  const bool failed = reporter.any_errors();
  built.reset();
  data.reset();
  return failed ? 1 : 0;
}
