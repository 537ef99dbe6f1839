// The demo company, loaded into a real log: every stage and pool reason at now, tokens that
// sign in, a refusal to load twice, and the same history from the same seed.
#include "server/demo/demo_company.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <memory>

#include "events/log/sha256.h"
#include "testutil/log_testing.h"
#include "testutil/status_matchers.h"
#include "testutil/temp_dir.h"

namespace crm::demo {
namespace {

// 2026-11-20T02:00:00Z: a Friday, 10:00 in Shanghai; the history starts in late August and
// crosses 中秋 and 国庆.
constexpr events::TimeMs kNowMs = 1795140000000;
constexpr events::TimeMs kDayMs = events::kMsPerDay;

// A service over a fresh log in its own directory.
struct DemoLog {
  DemoLog() {
    auto log = testutil::OpenTestLog(dir.Sub("log"));
    EXPECT_OK(log);
    if (!log.ok()) return;
    this->log = std::move(log).value();
    auto service = aggregates::CommandService::Open(*this->log);
    EXPECT_OK(service);
    if (service.ok()) this->service = std::move(service).value();
  }
  testutil::TempDir dir;
  std::unique_ptr<log::EventLog> log;
  std::unique_ptr<aggregates::CommandService> service;
};

DemoOptions Options(std::size_t customers) {
  DemoOptions options;
  options.customers = customers;
  options.now_ms = kNowMs;
  return options;
}

std::vector<events::RecordedEvent> AllEvents(const log::EventLog& log) {
  std::vector<events::RecordedEvent> all;
  for (const auto cursor = log.Scan(1); cursor->Valid(); cursor->Next()) all.push_back(cursor->event());
  return all;
}

std::string FirstCustomerName(const std::vector<events::RecordedEvent>& all) {
  for (const events::RecordedEvent& recorded : all) {
    if (const auto* registered = std::get_if<events::CustomerRegistered>(&recorded.event)) return registered->name;
  }
  return "";
}

class DemoCompanyTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(demo_.service, nullptr); }
  DemoLog demo_;
};

TEST_F(DemoCompanyTest, LoadsEveryStageAndPoolReasonAtNow) {
  const events::Sha256Digest admin_token = log::Sha256("the server's --admin-token");
  DemoOptions options = Options(300);
  options.admin_token_sha256 = admin_token;
  const auto started = std::chrono::steady_clock::now();
  ASSERT_OK_AND_ASSIGN(const DemoReport report, LoadDemoCompany(*demo_.service, options));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  std::cout << "demo of 300 customers: " << report.last_seq << " events in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms\n";

  EXPECT_EQ(report.customers, 300u);
  EXPECT_GT(report.formal, 40u);
  EXPECT_GE(report.contracts, report.formal);
  EXPECT_GT(report.payments, 20u);
  EXPECT_GT(report.receivable_fen, 0);
  EXPECT_GT(report.pending_reviews, 0u);
  EXPECT_GT(report.pending_requests, 10u);
  EXPECT_GT(report.in_pool, 40u);
  EXPECT_EQ(report.last_seq, demo_.log->HeadSeq());

  std::map<events::PoolReason, int> pool_reasons;
  std::map<events::CustomerStage, int> stages;
  int expiring_within_a_week = 0;
  int claimed_from_pool = 0;
  for (std::size_t n = 1; n <= report.customers; ++n) {
    ASSERT_OK_AND_ASSIGN(const aggregates::CustomerState state, demo_.service->LoadCustomer("C" + std::to_string(n)));
    ASSERT_TRUE(state.registered()) << "C" << n;
    ++stages[state.hold.stage];
    if (state.hold.stage == events::CustomerStage::kPool) ++pool_reasons[state.pool_reason];
    if (state.hold.HeldAt(kNowMs) && state.hold.deadline_ms - kNowMs < 7 * kDayMs) ++expiring_within_a_week;
    ASSERT_OK_AND_ASSIGN(const std::vector<events::RecordedEvent> stream,
                         demo_.log->ReadStream("customer-C" + std::to_string(n)));
    for (const events::RecordedEvent& recorded : stream) {
      const auto* protection = std::get_if<events::CustomerProtected>(&recorded.event);
      claimed_from_pool += protection != nullptr && protection->source == events::ProtectionSource::kPool;
    }
  }
  for (const events::PoolReason reason : {events::PoolReason::kExpired, events::PoolReason::kAbandoned,
                                          events::PoolReason::kRejected, events::PoolReason::kReviewTimedOut}) {
    EXPECT_GT(pool_reasons[reason], 0) << events::PoolReasonName(reason);
  }
  for (const events::CustomerStage stage : {events::CustomerStage::kPotential, events::CustomerStage::kIntention,
                                            events::CustomerStage::kFormal, events::CustomerStage::kPool}) {
    EXPECT_GT(stages[stage], 0) << events::CustomerStageName(stage);
  }
  EXPECT_GT(expiring_within_a_week, 0);
  EXPECT_GT(claimed_from_pool, 0);

  // Nothing happened after now, and the chain the server will verify at open holds.
  ASSERT_OK_AND_ASSIGN(const events::RecordedEvent last, demo_.log->Read(demo_.log->HeadSeq()));
  EXPECT_LE(last.envelope.recorded_at_ms, kNowMs);
  ASSERT_OK_AND_ASSIGN(const log::ChainReport chain, demo_.log->VerifyChain());
  EXPECT_TRUE(chain.ok) << chain.problem;
}

TEST_F(DemoCompanyTest, EveryTokenSignsInAsItsUser) {
  DemoOptions options = Options(kDemoCustomersMin);
  options.admin_token_sha256 = log::Sha256("admin token");
  ASSERT_OK_AND_ASSIGN(const DemoReport report, LoadDemoCompany(*demo_.service, options));

  const std::optional<aggregates::UserState> admin = demo_.service->FindUserByToken(log::Sha256("admin token"));
  ASSERT_TRUE(admin.has_value());
  EXPECT_EQ(admin->user_id, "admin");
  std::map<std::string, int> roles;
  for (const DemoUser& user : report.users) {
    EXPECT_NE(user.id, "admin") << "the admin's token is the server's, not the demo's";
    EXPECT_TRUE(user.token.starts_with("demo-" + user.role + "-")) << user.token;
    const std::optional<aggregates::UserState> found = demo_.service->FindUserByToken(log::Sha256(user.token));
    ASSERT_TRUE(found.has_value()) << user.id;
    EXPECT_EQ(found->user_id, user.id);
    EXPECT_EQ(found->name, user.name);
    EXPECT_EQ(found->active, user.active) << user.id;
    ++roles[user.role];
  }
  EXPECT_EQ(roles["sales"], 12);
  EXPECT_EQ(roles["manager"], 3);
  EXPECT_EQ(roles["reviewer"], 1);
  EXPECT_EQ(roles["aftersales"], 2);
  EXPECT_EQ(roles["finance"], 1);
  EXPECT_EQ(roles["auditor"], 1);
  EXPECT_EQ(std::count_if(report.users.begin(), report.users.end(), [](const DemoUser& u) { return !u.active; }), 1);
}

TEST_F(DemoCompanyTest, MakesTheAdminTokenWhenTheServerGivesNone) {
  ASSERT_OK_AND_ASSIGN(const DemoReport report, LoadDemoCompany(*demo_.service, Options(kDemoCustomersMin)));
  ASSERT_FALSE(report.users.empty());
  EXPECT_EQ(report.users.front().id, "admin");
  const std::optional<aggregates::UserState> admin =
      demo_.service->FindUserByToken(log::Sha256(report.users.front().token));
  ASSERT_TRUE(admin.has_value());
  EXPECT_EQ(admin->role, events::Role::kAdmin);
}

TEST_F(DemoCompanyTest, RefusesALogThatIsNotEmpty) {
  ASSERT_OK(LoadDemoCompany(*demo_.service, Options(kDemoCustomersMin)));
  const events::Seq head = demo_.log->HeadSeq();
  EXPECT_REASON(LoadDemoCompany(*demo_.service, Options(kDemoCustomersMin)), "demo_needs_empty_log");
  EXPECT_EQ(demo_.log->HeadSeq(), head);

  // Nor after the server created its admin: the history would be pinned to the admin's time.
  DemoLog other;
  ASSERT_NE(other.service, nullptr);
  ASSERT_OK(other.service->CreateFirstAdmin(aggregates::CreateUser{.user_id = "admin",
                                                                   .name = "Admin",
                                                                   .role = events::Role::kAdmin,
                                                                   .team = "",
                                                                   .manager_id = "",
                                                                   .token_sha256 = log::Sha256("t")},
                                            kNowMs));
  EXPECT_REASON(LoadDemoCompany(*other.service, Options(kDemoCustomersMin)), "demo_needs_empty_log");
}

TEST_F(DemoCompanyTest, RefusesOptionsOutOfRange) {
  EXPECT_REASON(LoadDemoCompany(*demo_.service, Options(kDemoCustomersMin - 1)), "invalid_demo_options");
  EXPECT_REASON(LoadDemoCompany(*demo_.service, Options(kDemoCustomersMax + 1)), "invalid_demo_options");
  DemoOptions no_time = Options(kDemoCustomersMin);
  no_time.now_ms = 0;
  EXPECT_REASON(LoadDemoCompany(*demo_.service, no_time), "invalid_demo_options");
  EXPECT_EQ(demo_.log->HeadSeq(), 0u);
}

TEST_F(DemoCompanyTest, TheSameSeedGivesTheSameHistory) {
  DemoOptions options = Options(kDemoCustomersMin);
  options.deterministic_tokens = true;
  ASSERT_OK(LoadDemoCompany(*demo_.service, options));
  DemoLog again;
  ASSERT_NE(again.service, nullptr);
  ASSERT_OK(LoadDemoCompany(*again.service, options));
  // With random tokens only the users' token hashes differ.
  DemoLog random_tokens;
  ASSERT_NE(random_tokens.service, nullptr);
  options.deterministic_tokens = false;
  ASSERT_OK(LoadDemoCompany(*random_tokens.service, options));

  const std::vector<events::RecordedEvent> first = AllEvents(*demo_.log);
  const std::vector<events::RecordedEvent> second = AllEvents(*again.log);
  const std::vector<events::RecordedEvent> third = AllEvents(*random_tokens.log);
  ASSERT_EQ(first.size(), second.size());
  ASSERT_EQ(first.size(), third.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_TRUE(first[i] == second[i]) << "seq " << i + 1;  // envelope, event and hash
    EXPECT_EQ(events::EventTypeName(first[i].event), events::EventTypeName(third[i].event)) << "seq " << i + 1;
    EXPECT_EQ(first[i].envelope.recorded_at_ms, third[i].envelope.recorded_at_ms) << "seq " << i + 1;
    if (!std::holds_alternative<events::UserCreated>(first[i].event)) {
      EXPECT_TRUE(first[i].event == third[i].event) << "seq " << i + 1;
    }
  }

  // Another seed, another company.
  DemoLog other_seed;
  ASSERT_NE(other_seed.service, nullptr);
  options.seed += 1;
  ASSERT_OK(LoadDemoCompany(*other_seed.service, options));
  EXPECT_NE(FirstCustomerName(first), FirstCustomerName(AllEvents(*other_seed.log)));
}

}  // namespace
}  // namespace crm::demo
