// Every view on seeded random histories (issue 4): the randomised command history of issue 3
// (tests/aggregates/service/random_history_*) runs against the real CommandService while a
// ProjectionHost follows the log, restarting now and then. Then:
//   - incremental views equal a from-zero fold, and their stored rows agree (CheckStored);
//   - as of any position or time, a view equals a fold from zero stopped there;
//   - the views agree with the test's independent model about every customer's stage, holder
//     and pool reason at the time of the last command;
//   - rule 13: reads at a later time are the same before and after the sweeper writes the
//     releases that time made due.
// A failure names its seed: CRM_RANDOM_SEED=<seed> reruns it, CRM_RANDOM_STEPS=<n> changes the
// history's length.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <random>
#include <tuple>

#include "aggregates/service/random_history_generator.h"
#include "aggregates/service/random_history_model.h"
#include "aggregates/service/service_fixture.h"
#include "projections/all_projections.h"
#include "projections/analytics_view.h"
#include "projections/contracts_view.h"
#include "projections/customers_view.h"
#include "projections/row_map_sink.h"
#include "projections/store/projection_host.h"
#include "testutil/status_matchers.h"

namespace crm::projections::store {
namespace {

using aggregates::random_history::Generator;
using aggregates::random_history::Model;
using aggregates::random_history::Stage;
using events::Seq;
using events::TimeMs;
using testutil::kDayMs;
using testutil::kMonday10am;

constexpr std::uint64_t kSeedCount = 6;
#if defined(__SANITIZE_ADDRESS__)
constexpr int kStepsPerSeed = 250;
#else
constexpr int kStepsPerSeed = 600;
#endif
constexpr int kAsOfPoints = 25;
// Small, so that snapshots (full and delta), flushes and the replays between them all happen
// many times.
const HostOptions kHostOptions{.snapshot_every_events = 23,
                               .flush_every_events = 7,
                               .build_flush_every_events = 7,
                               .progress = {},
                               .snapshot_policy = {.full_every = 3, .delta_rows_max_percent = 1000}};

std::vector<std::uint64_t> Seeds() {
  if (const char* seed = std::getenv("CRM_RANDOM_SEED"); seed != nullptr && *seed != '\0') return {std::stoull(seed)};
  std::vector<std::uint64_t> seeds;
  for (std::uint64_t seed = 1; seed <= kSeedCount; ++seed) seeds.push_back(seed);
  return seeds;
}

int Steps() {
  const char* steps = std::getenv("CRM_RANDOM_STEPS");
  return steps != nullptr && *steps != '\0' ? std::stoi(steps) : kStepsPerSeed;
}

std::string_view ModelStageName(Stage stage) {
  switch (stage) {
    case Stage::kPotential: return "potential";
    case Stage::kIntention: return "intention";
    case Stage::kFormal: return "formal";
    case Stage::kPool: return "pool";
  }
  return "?";
}

// What every read of every view says at `now_ms`, in comparable values.
struct Reads {
  std::vector<std::tuple<std::string, std::string, TimeMs, std::size_t>> pool;             // id, reason, since, owners
  std::map<std::string, std::vector<std::tuple<std::string, TimeMs, std::int64_t>>> held;  // user -> (id, end, days)
  std::map<std::string, std::vector<std::tuple<std::string, TimeMs, bool>>> reminders;
  std::vector<std::tuple<std::string, std::string, std::string>> search;  // id, stage, owner
  FunnelReport funnel;
  std::vector<PoolFlowDay> pool_flow;
  std::vector<SalespersonFigures> salespeople;
  RfmReport rfm;

  bool operator==(const Reads&) const = default;
};

const std::vector<std::string> kUsers = {"s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "a1", "a2"};

Reads ReadAll(const CustomersView& customers, const AnalyticsView& analytics, TimeMs now_ms) {
  Reads reads;
  for (const PoolEntry& entry : customers.Pool(now_ms)) {
    reads.pool.emplace_back(entry.customer->customer_id, std::string(PoolReasonName(entry.reason)), entry.entered_at_ms,
                            entry.previous_owners);
  }
  for (const std::string& user : kUsers) {
    for (const OwnedEntry& entry : customers.HeldBy(user, now_ms)) {
      reads.held[user].emplace_back(entry.customer->customer_id, entry.ends_at_ms, entry.days_left);
    }
    for (const ReminderEntry& entry : customers.Reminders(user, now_ms, now_ms + 30 * kDayMs)) {
      reads.reminders[user].emplace_back(entry.customer->customer_id, entry.next_contact_at_ms, entry.overdue);
    }
  }
  for (const SearchHit& hit : customers.Search("有限", now_ms)) {
    reads.search.emplace_back(hit.customer->customer_id, std::string(CustomerStageName(hit.stage)),
                              std::string(hit.owner_id));
  }
  reads.funnel = analytics.Funnel(now_ms);
  const LocalDayFn shanghai = FixedOffsetDays(8 * 3600 * 1000);
  auto flow = analytics.PoolFlow(kMonday10am - kDayMs, now_ms + kDayMs, now_ms, shanghai);
  EXPECT_OK(flow.status());
  if (flow.ok()) reads.pool_flow = *flow;
  auto salespeople = analytics.Salespeople(kMonday10am - kDayMs, now_ms + kDayMs, now_ms);
  EXPECT_OK(salespeople.status());
  if (salespeople.ok()) reads.salespeople = *salespeople;
  reads.rfm = analytics.Rfm(now_ms);
  return reads;
}

class ViewsHistoryTest : public testutil::ServiceTest, public ::testing::WithParamInterface<std::uint64_t> {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    CreateUser("a2", events::Role::kAftersales);
    generator_ = std::make_unique<Generator>(GetParam(), model_, service_);
    OpenHost();
  }
  void TearDown() override {
    host_.reset();
    ServiceTest::TearDown();
  }

  void OpenHost() {
    host_.reset();
    auto host = ProjectionHost::Open(*log_, AllProjections(), kHostOptions);
    ASSERT_OK(host.status());
    host_ = std::move(host).value();
  }

  void FoldModel() {
    for (auto cursor = log_->Scan(model_seq_ + 1); cursor->Valid(); cursor->Next()) {
      model_.Apply(cursor->event());
      model_seq_ = cursor->event().envelope.seq;
    }
  }

  // The views' own reading of every customer against the model's, at `now_ms`.
  void ExpectViewsAgreeWithModel(TimeMs now_ms) {
    ASSERT_OK(host_->CatchUp().status());
    FoldModel();
    ASSERT_OK(host_->Read<CustomersView>("customers", [&](const CustomersView& view, Seq) {
      EXPECT_EQ(view.size(), model_.customers().size());
      for (const auto& [id, c] : model_.customers()) {
        const CustomerSummary* summary = view.Find(id);
        ASSERT_NE(summary, nullptr) << id;
        EXPECT_EQ(CustomerStageName(StageAt(*summary, now_ms)), ModelStageName(c.StageAt(now_ms))) << id;
        const std::string holder = c.StageAt(now_ms) == Stage::kPool ? "" : c.holder;
        EXPECT_EQ(OwnerAt(*summary, now_ms), holder) << id;
      }
      std::map<std::string, std::string> pool_reasons;
      for (const PoolEntry& entry : view.Pool(now_ms)) {
        pool_reasons[entry.customer->customer_id] = std::string(PoolReasonName(entry.reason));
      }
      for (const auto& [id, c] : model_.customers()) {
        if (c.StageAt(now_ms) == Stage::kPool) {
          EXPECT_EQ(pool_reasons[id], c.PoolReasonAt(now_ms)) << id;
        }
      }
    }));
    ASSERT_OK(host_->Read<ContractsView>("contracts", [&](const ContractsView& view, Seq) {
      EXPECT_EQ(view.size(), model_.contracts().size());
      for (const auto& [no, contract] : model_.contracts()) {
        const ContractRecord* record = view.Find(no);
        ASSERT_NE(record, nullptr) << no;
        EXPECT_EQ(record->paid_fen, contract.paid_fen) << no;
        EXPECT_EQ(record->contract.total_fen, contract.total_fen) << no;
      }
    }));
    ASSERT_OK(host_->Read<AnalyticsView>("analytics", [&](const AnalyticsView& view, Seq) {
      std::map<Stage, std::int64_t> by_stage;
      for (const auto& [id, c] : model_.customers()) ++by_stage[c.StageAt(now_ms)];
      const FunnelReport funnel = view.Funnel(now_ms);
      EXPECT_EQ(funnel.registered, static_cast<std::int64_t>(model_.customers().size()));
      EXPECT_EQ(funnel.potential, by_stage[Stage::kPotential]);
      EXPECT_EQ(funnel.intention, by_stage[Stage::kIntention]);
      EXPECT_EQ(funnel.formal, by_stage[Stage::kFormal]);
      EXPECT_EQ(funnel.pool, by_stage[Stage::kPool]);
    }));
  }

  void ExpectIncrementalEqualsRebuild() {
    ASSERT_OK(host_->CatchUp().status());
    for (const std::string& name : host_->Names()) {
      SCOPED_TRACE(name);
      std::map<std::string, std::string> serving;
      ASSERT_OK(host_->ReadAny(name, [&](const Projection& view, Seq) { serving = RowsOf(view); }));
      ASSERT_OK_AND_ASSIGN(const std::unique_ptr<Projection> fresh, host_->FoldFromZero(name, log::kLatestSeq));
      EXPECT_EQ(serving, RowsOf(*fresh));
      ASSERT_OK_AND_ASSIGN(const StoredViewCheck check, host_->CheckStored(name));
      EXPECT_TRUE(check.stored);
      EXPECT_EQ(check.checkpoint_seq, log_->HeadSeq());
      EXPECT_FALSE(check.difference.has_value()) << check.difference->row_key << ": " << check.difference->problem;
    }
  }

  void ExpectAsOfEqualsRebuildStoppedThere(TimeMs end_ms) {
    std::mt19937_64 random(GetParam());
    const Seq head = log_->HeadSeq();
    for (int point = 0; point < kAsOfPoints; ++point) {
      // Half the points are log positions, half are times (the last event at or before them).
      Seq seq = std::uniform_int_distribution<Seq>(0, head)(random);
      if (point % 2 == 1) {
        const TimeMs time = std::uniform_int_distribution<TimeMs>(kMonday10am, end_ms)(random);
        ASSERT_OK_AND_ASSIGN(seq, log_->LastSeqAtOrBefore(time));
      }
      for (const std::string& name : host_->Names()) {
        ASSERT_OK_AND_ASSIGN(const AsOfView as_of, host_->AsOf(name, seq));
        EXPECT_LE(as_of.seq - as_of.snapshot_seq, kHostOptions.snapshot_every_events) << name << " replayed too much";
        ASSERT_OK_AND_ASSIGN(const std::unique_ptr<Projection> fresh, host_->FoldFromZero(name, seq));
        EXPECT_EQ(RowsOf(*as_of.projection), RowsOf(*fresh)) << name << " as of seq " << seq;
      }
    }
  }

  // Rule 13 in every view: what a later time makes due reads the same before the sweeper
  // writes the releases as after.
  void ExpectReleasesByTimeReadAsWritten(TimeMs later_ms) {
    auto read_now = [&](Reads& reads) {
      ASSERT_OK_AND_ASSIGN(auto customers, host_->FoldFromZero("customers", log::kLatestSeq));
      ASSERT_OK_AND_ASSIGN(auto analytics, host_->FoldFromZero("analytics", log::kLatestSeq));
      reads = ReadAll(dynamic_cast<const CustomersView&>(*customers), dynamic_cast<const AnalyticsView&>(*analytics),
                      later_ms);
    };
    Reads before;
    read_now(before);
    const Seq head_before = log_->HeadSeq();
    for (int batch = 0; batch < 1000; ++batch) {
      ASSERT_OK_AND_ASSIGN(const aggregates::SweepReport report, service_->Sweep(later_ms));
      if (!report.more) break;
    }
    Reads after;
    read_now(after);
    EXPECT_GT(log_->HeadSeq(), head_before) << "the sweep should have had releases to write";
    EXPECT_TRUE(before.pool == after.pool);
    EXPECT_TRUE(before.held == after.held);
    EXPECT_TRUE(before.reminders == after.reminders);
    EXPECT_TRUE(before.search == after.search);
    EXPECT_EQ(before.funnel, after.funnel);
    EXPECT_TRUE(before.pool_flow == after.pool_flow);
    EXPECT_TRUE(before.salespeople == after.salespeople);
    EXPECT_EQ(before.rfm, after.rfm);
  }

  Model model_;
  Seq model_seq_ = 0;
  std::unique_ptr<Generator> generator_;
  std::unique_ptr<ProjectionHost> host_;
};

TEST_P(ViewsHistoryTest, ViewsMatchRebuildsAsOfAnyPointAndTheModel) {
  const std::string rerun =
      "seed " + std::to_string(GetParam()) + "; rerun with CRM_RANDOM_SEED=" + std::to_string(GetParam());
  SCOPED_TRACE(rerun);
  TimeMs now = kMonday10am;
  ASSERT_OK(service_->ChangePolicy(As("root", now), aggregates::ChangePolicy{.policy = generator_->SmallPolicy()}));
  const int steps = Steps();
  for (int step = 1; step <= steps; ++step) {
    if (const std::optional<aggregates::CommandServiceOptions> options = generator_->Restart()) {
      host_.reset();  // it borrows the log that Reopen replaces
      Reopen(*options);
      OpenHost();
    }
    FoldModel();
    now = generator_->NextTime(now);
    generator_->Next(now);
    if (step % 5 == 0) {
      ASSERT_OK(host_->CatchUp().status());
    }
    if (step % 97 == 0) OpenHost();  // the views alone restart, from their checkpoints
    if (step % 150 == 0) {
      ExpectViewsAgreeWithModel(now);
      ASSERT_FALSE(HasFailure()) << "at step " << step;
    }
  }
  ExpectViewsAgreeWithModel(now);
  ExpectIncrementalEqualsRebuild();
  ExpectAsOfEqualsRebuildStoppedThere(now);
  ExpectReleasesByTimeReadAsWritten(now + 40 * kDayMs);
}

INSTANTIATE_TEST_SUITE_P(Seeds, ViewsHistoryTest, ::testing::ValuesIn(Seeds()),
                         [](const ::testing::TestParamInfo<std::uint64_t>& info) {
                           return "seed" + std::to_string(info.param);
                         });

}  // namespace
}  // namespace crm::projections::store
