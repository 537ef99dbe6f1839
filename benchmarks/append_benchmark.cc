// Durable append throughput: our EventLog::Append against raw RocksDB WriteBatch puts of the
// same stored bytes, with the same sync, the same engine options, the same thread counts.
//
//   build/release/bin/append_benchmark --benchmark_repetitions=3
//
// BM_EventLogAppend does everything an acknowledged append costs: encode the payloads, check
// and assign versions, build envelopes, chain the SHA-256 hashes, index streams, sync the WAL.
// BM_RawRocksDbPuts writes the finished bytes under sequential keys and nothing else; with
// several threads it is RocksDB's own write grouping, so the 8-thread rows are also the
// measurement of our writer thread against RocksDB's write groups (docs/benchmarks.md).
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdio>
#include <memory>

#include "bench_util.h"
#include "events/codec.h"
#include "events/log/event_log.h"
#include "events/log/keys.h"
#include "events/log/log_format.h"
#include "testutil/temp_dir.h"

namespace crm::bench {
namespace {

using events::Event;
using log::AppendBatch;

constexpr events::TimeMs kT0 = 1772528400000;
// Events of one batch go to streams in groups of this size: a batch of 256 touches 64 streams.
constexpr int kEventsPerStream = 4;
// Each thread cycles through this many customers, so stream versions come from the cache
// as they would for a working sales team.
constexpr int kStreamsPerThread = 512;

Event FollowUp(int thread, int i) {
  return events::FollowUpRecorded{
      .customer_id = "c-" + std::to_string(thread) + "-" + std::to_string(i % kStreamsPerThread),
      .follow_up_id = "f-" + std::to_string(i),
      .channel = events::FollowUpChannel::kPhone,
      .notes = "电话沟通了新版报价，客户对实施周期有顾虑，约定下周三上门演示并带上技术顾问。",
      .next_contact_at_ms = kT0 + 7 * events::kMsPerDay,
  };
}

AppendBatch MakeBatch(int thread, int batch_events, int* counter) {
  AppendBatch batch;
  batch.recorded_at_ms = kT0;
  for (int e = 0; e < batch_events; ++e) {
    if (e % kEventsPerStream == 0) {
      const int stream = (*counter / kEventsPerStream) % kStreamsPerThread;
      batch.streams.push_back(
          {"customer-" + std::to_string(thread) + "-" + std::to_string(stream), log::kAnyVersion, {}});
    }
    batch.streams.back().events.push_back({FollowUp(thread, *counter), "u-zhou", std::nullopt});
    ++*counter;
  }
  return batch;
}

// State shared by the threads of one benchmark run; set up and torn down by thread 0 while the
// others wait at the loop barrier. Other threads touch it only inside the loop.
struct Shared {
  std::unique_ptr<testutil::TempDir> dir;
  std::unique_ptr<log::EventLog> log;
  std::unique_ptr<log::RocksStore> raw;
  rocksdb::ColumnFamilyHandle* raw_events_family = nullptr;
  std::string stored_value;
  std::atomic<std::uint64_t> next_key{1};
};
Shared shared;

log::StoreOptions StoreOptionsIn(const testutil::TempDir& dir) {
  log::StoreOptions options;
  options.path = dir.path() + "/data";
  return options;
}

void BM_EventLogAppend(benchmark::State& state) {
  const int batch_events = static_cast<int>(state.range(0));
  if (state.thread_index() == 0) {
    shared.dir = std::make_unique<testutil::TempDir>();
    log::LogOptions options;
    options.store = StoreOptionsIn(*shared.dir);
    auto opened = log::EventLog::Open(options);
    if (!opened.ok()) state.SkipWithError(opened.status().ToString().c_str());
    shared.log = std::move(opened).value();
  }
  int counter = 0;
  for (auto _ : state) {
    const Result<log::AppendResult> result =
        shared.log->Append(MakeBatch(state.thread_index(), batch_events, &counter));
    if (!result.ok()) {
      state.SkipWithError(result.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * batch_events);
  if (state.thread_index() == 0) {
    const log::LogStats stats = shared.log->Stats();
    state.counters["events_per_fsync"] =
        stats.commit_groups == 0 ? 0.0 : static_cast<double>(stats.appended_events) / stats.commit_groups;
    shared.log.reset();
    shared.dir.reset();
  }
}

void BM_RawRocksDbPuts(benchmark::State& state) {
  const int batch_events = static_cast<int>(state.range(0));
  if (state.thread_index() == 0) {
    shared.dir = std::make_unique<testutil::TempDir>();
    auto opened = log::RocksStore::Open(StoreOptionsIn(*shared.dir));
    if (!opened.ok()) state.SkipWithError(opened.status().ToString().c_str());
    shared.raw = std::move(opened).value();
    shared.raw_events_family = shared.raw->Family(log::kEventsFamily);
    // The bytes our log stores for one such event: the record and its hash.
    events::EventEnvelope envelope;
    envelope.seq = 1;
    envelope.stream_id = "customer-0-0";
    envelope.stream_version = 1;
    envelope.recorded_at_ms = kT0;
    envelope.effective_at_ms = kT0;
    envelope.actor_id = "u-zhou";
    shared.stored_value = events::EncodeRecord(envelope, events::EncodeEvent(FollowUp(0, 0)));
    log::AppendRecordHash(&shared.stored_value);
    shared.next_key = 1;
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  for (auto _ : state) {
    rocksdb::WriteBatch batch;
    const std::uint64_t first = shared.next_key.fetch_add(batch_events);
    for (int e = 0; e < batch_events; ++e) {
      batch.Put(shared.raw_events_family, log::EventKey(first + e), shared.stored_value);
    }
    const rocksdb::Status written = shared.raw->db().Write(write_options, &batch);
    if (!written.ok()) {
      state.SkipWithError(written.ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * batch_events);
  if (state.thread_index() == 0) {
    shared.raw.reset();
    shared.dir.reset();
  }
}

void Shapes(benchmark::internal::Benchmark* b) {
  b->ArgName("batch")->Arg(1)->Arg(16)->Arg(256);
  b->Threads(1)->Threads(8);
  b->UseRealTime();
}

BENCHMARK(BM_EventLogAppend)->Apply(Shapes);
BENCHMARK(BM_RawRocksDbPuts)->Apply(Shapes);

}  // namespace
}  // namespace crm::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  crm::bench::RatioReporter reporter("BM_EventLogAppend", "BM_RawRocksDbPuts",
                                     "Durable append: EventLog vs raw RocksDB (sync on)");
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  benchmark::Shutdown();
  if (reporter.any_errors()) return 1;
  return 0;
}
