// The projection host on a real log: checkpoints, catch-up after restart, snapshots and as-of,
// blue/green rebuilds while the log grows, resuming an interrupted rebuild, and comparing
// stored rows with a fresh fold.
#include "projections/store/projection_host.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "projections/row_codec.h"
#include "projections/row_map_sink.h"
#include "projections/store/view_family.h"
#include "projections/store/view_format.h"
#include "testutil/log_testing.h"
#include "testutil/status_matchers.h"
#include "testutil/temp_dir.h"

namespace crm::projections::store {
namespace {

using events::Seq;

// Counts events per stream; version 2 weighs each event by its seq's parity, so that the two
// versions' rows differ and a test can tell which one serves. An event on "drop:<stream>"
// deletes the row of <stream>.
class StreamCounter final : public Projection {
 public:
  static constexpr std::string_view kDropPrefix = "drop:";

  StreamCounter(std::uint32_t version, std::shared_ptr<std::atomic<int>> applies)
      : version_(version), applies_(std::move(applies)) {}

  void Apply(const events::RecordedEvent& recorded) override {
    ++*applies_;
    const std::string& stream = recorded.envelope.stream_id;
    if (stream.starts_with(kDropPrefix)) {
      const std::string dropped = stream.substr(kDropPrefix.size());
      counts_.erase(dropped);
      dirty_.insert(dropped);
      return;
    }
    counts_[stream] += version_ == 1 ? 1 : 1 + recorded.envelope.seq % 2;
    dirty_.insert(stream);
  }
  void FlushChanges(RowSink& sink) override {
    for (const std::string& stream : dirty_) {
      if (const auto it = counts_.find(stream); it != counts_.end()) {
        sink.Put(stream, Encode(it->second));
      } else {
        sink.Delete(stream);
      }
    }
    dirty_.clear();
  }
  void WriteRows(RowSink& sink) const override {
    for (const auto& [stream, count] : counts_) sink.Put(stream, Encode(count));
  }
  Status LoadRow(std::string_view key, std::string_view value) override {
    RowReader reader(value);
    counts_[std::string(key)] = reader.U64();
    return reader.Finish({key});
  }

  std::uint64_t CountOf(const std::string& stream) const {
    const auto it = counts_.find(stream);
    return it == counts_.end() ? 0 : it->second;
  }
  std::uint32_t version() const { return version_; }

 private:
  static std::string Encode(std::uint64_t count) {
    RowWriter writer;
    writer.U64(count);
    return writer.Take();
  }

  std::uint32_t version_;
  std::shared_ptr<std::atomic<int>> applies_;
  std::map<std::string, std::uint64_t> counts_;
  std::set<std::string> dirty_;
};

class ProjectionHostTest : public ::testing::Test {
 protected:
  void SetUp() override { OpenLog(); }

  void OpenLog() {
    log_.reset();
    ASSERT_OK_AND_ASSIGN(log_, testutil::OpenTestLog(dir_.Sub("data")));
  }

  ProjectionKind Kind(std::uint32_t version) {
    return ProjectionKind{.name = "counter", .version = version, .make = [version, applies = applies_] {
                            return std::make_unique<StreamCounter>(version, applies);
                          }};
  }

  // `count` events spread over five streams.
  void Append(int count) {
    for (int i = 0; i < count; ++i) AppendTo("s" + std::to_string(appended_ % 5));
  }
  void AppendTo(const std::string& stream) {
    ASSERT_OK(log_->Append(testutil::OneEventBatch(stream, log::kAnyVersion, "e" + std::to_string(appended_),
                                                   1'000'000 + appended_))
                  .status());
    ++appended_;
  }
  // `count` events where streams come and go: each event names a stream of the last few, a
  // new one now and then, and now and then drops one.
  void AppendChanging(int count) {
    for (int i = 0; i < count; ++i) {
      const int n = appended_;
      if (n % 11 == 10) {
        AppendTo(std::string(StreamCounter::kDropPrefix) + "t" + std::to_string(n / 4 - 2));
      } else {
        AppendTo("t" + std::to_string(n / 4 - n % 3));
      }
    }
  }

  // Snapshots every 7 events, a full one every `full_every`, deltas never outgrowing it; the
  // serving view and a build flushed every `flush_every` and `build_flush_every` events.
  static HostOptions DeltaOptions(std::uint32_t full_every, std::uint64_t flush_every = kFlushEveryEventsDefault,
                                  std::uint64_t build_flush_every = kBuildFlushEveryEventsDefault) {
    HostOptions options;
    options.snapshot_every_events = 7;
    options.flush_every_events = flush_every;
    options.build_flush_every_events = build_flush_every;
    options.snapshot_policy = {.full_every = full_every, .delta_rows_max_percent = 100000};
    return options;
  }

  // AsOf at every position up to `last` equals a fold from zero stopped there, and starts from
  // the snapshot just before it (every `snapshot_every` events).
  void ExpectAsOfMatchesFoldsUpTo(const ProjectionHost& host, Seq last, Seq snapshot_every) {
    const Seq head = log_->HeadSeq();
    for (Seq seq = 0; seq <= last; ++seq) {
      ASSERT_OK_AND_ASSIGN(const AsOfView view, host.AsOf("counter", seq));
      EXPECT_EQ(view.seq, std::min(seq, head));
      EXPECT_EQ(view.snapshot_seq, std::min(seq, head) / snapshot_every * snapshot_every)
          << "replays less than one interval";
      EXPECT_EQ(RowsOf(*view.projection), FreshRows(host, seq)) << "as of seq " << seq;
    }
  }

  std::vector<StoredSnapshot> Snapshots(const ProjectionHost& host) {
    rocksdb::ColumnFamilyHandle* family = log_->store().Family(host.Statuses()[0].family);
    auto snapshots = ViewFamily(log_->store().db(), family).Snapshots();
    EXPECT_OK(snapshots.status());
    return snapshots.ok() ? *snapshots : std::vector<StoredSnapshot>{};
  }

  std::unique_ptr<ProjectionHost> OpenHost(std::vector<std::uint32_t> versions, HostOptions options = {}) {
    std::vector<ProjectionKind> kinds;
    for (std::uint32_t version : versions) kinds.push_back(Kind(version));
    auto host = ProjectionHost::Open(*log_, std::move(kinds), std::move(options));
    EXPECT_OK(host.status());
    return host.ok() ? std::move(host).value() : nullptr;
  }

  std::map<std::string, std::string> ServingRows(const ProjectionHost& host) {
    std::map<std::string, std::string> rows;
    EXPECT_OK(host.ReadAny("counter", [&](const Projection& view, Seq) { rows = RowsOf(view); }));
    return rows;
  }

  std::map<std::string, std::string> FreshRows(const ProjectionHost& host, Seq seq = log::kLatestSeq) {
    auto fresh = host.FoldFromZero("counter", seq);
    EXPECT_OK(fresh.status());
    return fresh.ok() ? RowsOf(**fresh) : std::map<std::string, std::string>{};
  }

  testutil::TempDir dir_;
  std::unique_ptr<log::EventLog> log_;
  std::shared_ptr<std::atomic<int>> applies_ = std::make_shared<std::atomic<int>>(0);
  int appended_ = 0;
};

TEST_F(ProjectionHostTest, ANewViewIsBuiltAtOpenAndFollowsTheLog) {
  Append(20);
  auto host = OpenHost({1});
  ASSERT_NE(host, nullptr);
  EXPECT_EQ(ServingRows(*host), FreshRows(*host));
  Append(7);
  ASSERT_OK(host->CatchUp().status());
  EXPECT_EQ(ServingRows(*host), FreshRows(*host));
  const auto statuses = host->Statuses();
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_EQ(statuses[0].applied_seq, 27u);
  EXPECT_TRUE(statuses[0].serving);
  EXPECT_EQ(statuses[0].version, 1u);
}

TEST_F(ProjectionHostTest, AfterARestartAViewCatchesUpFromItsCheckpointNotFromZero) {
  Append(30);
  {
    auto host = OpenHost({1});
    ASSERT_NE(host, nullptr);
  }
  Append(5);
  *applies_ = 0;
  auto host = OpenHost({1});
  ASSERT_NE(host, nullptr);
  EXPECT_EQ(*applies_, 5) << "only the events after the checkpoint are folded again";
  EXPECT_EQ(ServingRows(*host), FreshRows(*host));
}

TEST_F(ProjectionHostTest, TheCheckpointIsWrittenWithTheRowsSoTheyNeverDisagree) {
  Append(10);
  auto host = OpenHost(
      {1},
      HostOptions{.snapshot_every_events = 0, .flush_every_events = 3, .build_flush_every_events = 3, .progress = {}});
  ASSERT_NE(host, nullptr);
  const auto statuses = host->Statuses();
  rocksdb::ColumnFamilyHandle* family = log_->store().Family(statuses[0].family);
  ASSERT_NE(family, nullptr);
  ASSERT_OK_AND_ASSIGN(const Seq checkpoint, ViewFamily(log_->store().db(), family).ReadCheckpoint());
  EXPECT_EQ(checkpoint, 10u);
  ASSERT_OK_AND_ASSIGN(const StoredViewCheck check, host->CheckStored("counter"));
  EXPECT_TRUE(check.stored);
  EXPECT_EQ(check.checkpoint_seq, 10u);
  EXPECT_FALSE(check.difference.has_value());
}

TEST_F(ProjectionHostTest, AsOfEqualsAFoldFromZeroStoppedThereAtEveryPosition) {
  Append(60);
  auto host = OpenHost(
      {1},
      HostOptions{.snapshot_every_events = 7, .flush_every_events = 4, .build_flush_every_events = 4, .progress = {}});
  ASSERT_NE(host, nullptr);
  rocksdb::ColumnFamilyHandle* family = log_->store().Family(host->Statuses()[0].family);
  ASSERT_OK_AND_ASSIGN(const std::vector<Seq> snapshots, ViewFamily(log_->store().db(), family).SnapshotSeqs());
  EXPECT_EQ(snapshots, (std::vector<Seq>{7, 14, 21, 28, 35, 42, 49, 56}));
  ExpectAsOfMatchesFoldsUpTo(*host, 62, 7);
}

TEST_F(ProjectionHostTest, DeltaSnapshotsBetweenFullOnesGiveTheSameAsOfAnswers) {
  AppendChanging(100);
  auto host = OpenHost({1}, DeltaOptions(3, /*flush_every=*/4, /*build_flush_every=*/5));
  ASSERT_NE(host, nullptr);
  const auto F = [](Seq seq) { return StoredSnapshot{.seq = seq, .full = true}; };
  const auto D = [](Seq seq) { return StoredSnapshot{.seq = seq, .full = false}; };
  EXPECT_EQ(Snapshots(*host), (std::vector<StoredSnapshot>{F(7), D(14), D(21), F(28), D(35), D(42), F(49), D(56), D(63),
                                                           F(70), D(77), D(84), F(91), D(98)}));
  // The log grows: the serving view goes on with the same chain.
  AppendChanging(20);
  ASSERT_OK(host->CatchUp().status());
  EXPECT_EQ(Snapshots(*host).back(), D(119));
  ExpectAsOfMatchesFoldsUpTo(*host, 121, 7);
}

// Long chains: an as-of read merges up to seven deltas (an odd number too), each changing some
// of the rows the others do, and must take every row from the newest that names it.
TEST_F(ProjectionHostTest, LongDeltaChainsGiveTheSameAsOfAnswers) {
  AppendChanging(130);
  auto host = OpenHost({1}, DeltaOptions(8, /*flush_every=*/3, /*build_flush_every=*/3));
  ASSERT_NE(host, nullptr);
  const std::vector<StoredSnapshot> snapshots = Snapshots(*host);
  ASSERT_GE(snapshots.size(), 16u);
  EXPECT_TRUE(snapshots[0].full);
  EXPECT_FALSE(snapshots[7].full);
  EXPECT_TRUE(snapshots[8].full);
  ExpectAsOfMatchesFoldsUpTo(*host, 130, 7);
}

TEST_F(ProjectionHostTest, AfterARestartTheNextSnapshotIsFull) {
  AppendChanging(20);
  const HostOptions options = DeltaOptions(100);
  { ASSERT_NE(OpenHost({1}, options), nullptr); }
  AppendChanging(10);
  auto host = OpenHost({1}, options);
  ASSERT_NE(host, nullptr);
  // What the first run flushed after 14 is in the rows, not in any delta: 21 cannot be one.
  EXPECT_EQ(Snapshots(*host), (std::vector<StoredSnapshot>{{.seq = 7, .full = true},
                                                           {.seq = 14, .full = false},
                                                           {.seq = 21, .full = true},
                                                           {.seq = 28, .full = false}}));
  ExpectAsOfMatchesFoldsUpTo(*host, 30, 7);
}

TEST_F(ProjectionHostTest, ADeltaWhoseFullSnapshotIsGoneIsCorruption) {
  AppendChanging(20);
  HostOptions options = DeltaOptions(3);
  options.as_of_cache_views = 0;
  auto host = OpenHost({1}, options);
  ASSERT_NE(host, nullptr);
  rocksdb::ColumnFamilyHandle* family = log_->store().Family(host->Statuses()[0].family);
  ASSERT_TRUE(log_->store().db().Delete(rocksdb::WriteOptions(), family, SnapshotChunkKey(7, 0)).ok());
  EXPECT_EQ(host->AsOf("counter", 15).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(host->AsOf("counter", 15).status().reason(), "projection_snapshot_corrupt");
  EXPECT_OK(host->AsOf("counter", 6).status()) << "before any snapshot, the log alone answers";
}

TEST_F(ProjectionHostTest, TheLastAsOfViewsAreKeptForTheNextReadAtTheSamePosition) {
  Append(60);
  HostOptions options;
  options.snapshot_every_events = 7;
  options.as_of_cache_views = 2;
  auto host = OpenHost({1}, options);
  ASSERT_NE(host, nullptr);
  ASSERT_OK_AND_ASSIGN(const AsOfView at_30, host->AsOf("counter", 30));
  ASSERT_OK_AND_ASSIGN(const AsOfView again, host->AsOf("counter", 30));
  EXPECT_EQ(again.projection, at_30.projection) << "the second read shares the first's fold";
  EXPECT_EQ(again.snapshot_seq, at_30.snapshot_seq);

  const int applies_before = *applies_;
  ASSERT_OK_AND_ASSIGN(const AsOfView at_40, host->AsOf("counter", 40));
  EXPECT_NE(at_40.projection, at_30.projection);
  EXPECT_GT(*applies_, applies_before) << "another position is folded";
  ASSERT_OK_AND_ASSIGN(const AsOfView at_50, host->AsOf("counter", 50));  // 30 is the oldest: it leaves
  ASSERT_OK_AND_ASSIGN(const AsOfView at_30_later, host->AsOf("counter", 30));
  EXPECT_NE(at_30_later.projection, at_30.projection) << "folded again, having left the cache";
  EXPECT_EQ(RowsOf(*at_30_later.projection), RowsOf(*at_30.projection));
  for (const AsOfView* view : {&at_30, &at_40, &at_50}) {
    EXPECT_EQ(RowsOf(*view->projection), FreshRows(*host, view->seq)) << "as of seq " << view->seq;
  }
}

TEST_F(ProjectionHostTest, WithoutACacheEveryAsOfReadFolds) {
  Append(20);
  HostOptions options;
  options.as_of_cache_views = 0;
  auto host = OpenHost({1}, options);
  ASSERT_NE(host, nullptr);
  ASSERT_OK_AND_ASSIGN(const AsOfView first, host->AsOf("counter", 15));
  ASSERT_OK_AND_ASSIGN(const AsOfView second, host->AsOf("counter", 15));
  EXPECT_NE(first.projection, second.projection);
  EXPECT_EQ(RowsOf(*first.projection), RowsOf(*second.projection));
}

TEST_F(ProjectionHostTest, AKeptAsOfViewIsNotServedOnceAnotherVersionServes) {
  Append(40);
  { ASSERT_NE(OpenHost({1}), nullptr); }
  auto host = OpenHost({1, 2});
  ASSERT_NE(host, nullptr);
  ASSERT_OK_AND_ASSIGN(const AsOfView old_version, host->AsOf("counter", 30));
  EXPECT_EQ(dynamic_cast<const StreamCounter&>(*old_version.projection).version(), 1u);
  ASSERT_OK(host->RunBuilds());
  ASSERT_EQ(host->Statuses()[0].version, 2u);
  ASSERT_OK_AND_ASSIGN(const AsOfView new_version, host->AsOf("counter", 30));
  EXPECT_EQ(dynamic_cast<const StreamCounter&>(*new_version.projection).version(), 2u);
  EXPECT_EQ(RowsOf(*new_version.projection), FreshRows(*host, 30));
  EXPECT_NE(RowsOf(*new_version.projection), RowsOf(*old_version.projection));
}

TEST_F(ProjectionHostTest, ANewVersionIsBuiltBesideTheOldOneWhichServesUntilTheSwitch) {
  Append(40);
  std::string old_family;
  {
    auto host = OpenHost({1});
    ASSERT_NE(host, nullptr);
    old_family = host->Statuses()[0].family;
  }
  auto host = OpenHost(
      {1, 2},
      HostOptions{.snapshot_every_events = 10, .flush_every_events = 5, .build_flush_every_events = 5, .progress = {}});
  ASSERT_NE(host, nullptr);
  auto statuses = host->Statuses();
  EXPECT_EQ(statuses[0].version, 1u) << "the old version keeps serving";
  ASSERT_TRUE(statuses[0].building_version.has_value());
  EXPECT_EQ(*statuses[0].building_version, 2u);

  // The log keeps growing while the new version is built and switched in.
  host->Start();
  std::thread writer([&] { Append(200); });
  ASSERT_OK(host->RunBuilds());
  writer.join();
  host->Stop();
  ASSERT_OK(host->CatchUp().status());

  statuses = host->Statuses();
  EXPECT_EQ(statuses[0].version, 2u);
  EXPECT_FALSE(statuses[0].building_version.has_value());
  EXPECT_EQ(statuses[0].applied_seq, 240u) << "nothing appended during the switch is lost";
  EXPECT_EQ(ServingRows(*host), FreshRows(*host));
  EXPECT_EQ(log_->store().Family(old_family), nullptr) << "the old family is dropped";
  ASSERT_OK_AND_ASSIGN(const StoredViewCheck check, host->CheckStored("counter"));
  EXPECT_FALSE(check.difference.has_value());
}

TEST_F(ProjectionHostTest, ARebuildInterruptedByACrashResumesFromItsCheckpoint) {
  Append(100);
  { ASSERT_NE(OpenHost({1}), nullptr); }
  {
    ProjectionHost* raw = nullptr;
    HostOptions options{
        .snapshot_every_events = 0, .flush_every_events = 10, .build_flush_every_events = 10, .progress = {}};
    options.progress = [&raw](const BuildProgress& progress) {
      if (progress.done >= 40 && raw != nullptr) raw->Stop();  // the "crash" after a checkpoint
    };
    auto host = OpenHost({1, 2}, options);
    ASSERT_NE(host, nullptr);
    raw = host.get();
    ASSERT_OK(host->RunBuilds());
    const auto statuses = host->Statuses();
    EXPECT_EQ(statuses[0].version, 1u) << "not switched";
    EXPECT_EQ(statuses[0].building_applied_seq, 40u);
  }
  *applies_ = 0;
  auto host = OpenHost({1, 2});
  ASSERT_NE(host, nullptr);
  EXPECT_EQ(host->Statuses()[0].building_applied_seq, 40u) << "resumed, not restarted";
  ASSERT_OK(host->RunBuilds());
  EXPECT_EQ(*applies_, 60) << "only the 60 events after the build's checkpoint were folded";
  EXPECT_EQ(host->Statuses()[0].version, 2u);
  EXPECT_EQ(ServingRows(*host), FreshRows(*host));
}

TEST_F(ProjectionHostTest, ARebuildOfTheSameVersionGetsAFreshFamilyAndSwitches) {
  Append(25);
  auto host = OpenHost({1});
  ASSERT_NE(host, nullptr);
  const std::string before = host->Statuses()[0].family;
  ASSERT_OK(host->StartRebuild("counter"));
  ASSERT_OK(host->RunBuilds());
  const std::string after = host->Statuses()[0].family;
  EXPECT_NE(before, after);
  EXPECT_EQ(log_->store().Family(before), nullptr);
  EXPECT_EQ(ServingRows(*host), FreshRows(*host));
  EXPECT_REASON(host->StartRebuild("nope"), "unknown_projection");
}

TEST_F(ProjectionHostTest, ATamperedStoredRowIsNamedByTheCheck) {
  Append(15);
  auto host = OpenHost({1});
  ASSERT_NE(host, nullptr);
  rocksdb::ColumnFamilyHandle* family = log_->store().Family(host->Statuses()[0].family);
  ASSERT_TRUE(log_->store().db().Put(rocksdb::WriteOptions(), family, RowKey("s3"), std::string("\x09", 1)).ok());
  ASSERT_OK_AND_ASSIGN(StoredViewCheck check, host->CheckStored("counter"));
  ASSERT_TRUE(check.difference.has_value());
  EXPECT_EQ(check.difference->row_key, "s3");
  EXPECT_EQ(check.difference->problem, "stored row differs");

  ASSERT_TRUE(log_->store().db().Put(rocksdb::WriteOptions(), family, RowKey("s3x"), "junk").ok());
  ASSERT_TRUE(log_->store().db().Delete(rocksdb::WriteOptions(), family, RowKey("s3")).ok());
  ASSERT_OK_AND_ASSIGN(check, host->CheckStored("counter"));
  ASSERT_TRUE(check.difference.has_value());
  EXPECT_EQ(check.difference->row_key, "s3");
  EXPECT_EQ(check.difference->problem, "missing from the store");
}

TEST_F(ProjectionHostTest, ACorruptStoredRowRefusesToLoadAndSaysHowToRebuild) {
  Append(5);
  std::string family_name;
  {
    auto host = OpenHost({1});
    ASSERT_NE(host, nullptr);
    family_name = host->Statuses()[0].family;
  }
  ASSERT_TRUE(log_->store()
                  .db()
                  .Put(rocksdb::WriteOptions(), log_->store().Family(family_name), RowKey("s1"), std::string("\xff", 1))
                  .ok());
  auto host = ProjectionHost::Open(*log_, {Kind(1)});
  EXPECT_REASON(host.status(), "projection_row_corrupt");
  EXPECT_NE(host.status().message().find("crm-replay rebuild --projection counter"), std::string::npos);
}

TEST_F(ProjectionHostTest, OnAReadOnlyStoreViewsAreFoldedInMemoryAndNothingIsWritten) {
  Append(12);
  log_.reset();
  ASSERT_OK_AND_ASSIGN(log_, testutil::OpenTestLog(dir_.Sub("data"), log::OpenMode::kReadOnly));
  auto host = OpenHost({1});
  ASSERT_NE(host, nullptr);
  EXPECT_EQ(ServingRows(*host), FreshRows(*host));
  EXPECT_TRUE(host->Statuses()[0].family.empty());
  EXPECT_REASON(host->StartRebuild("counter"), "read_only");
}

TEST_F(ProjectionHostTest, ReadersWaitForAnAppliedSeq) {
  Append(3);
  auto host = OpenHost({1});
  ASSERT_NE(host, nullptr);
  host->Start();
  Append(2);
  EXPECT_TRUE(host->WaitForApplied(5, std::chrono::seconds(10)));
  host->Stop();
  EXPECT_FALSE(host->WaitForApplied(6, std::chrono::milliseconds(10)));
}

}  // namespace
}  // namespace crm::projections::store
