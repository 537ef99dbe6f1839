// Races the issue names: N threads claiming one pool customer, one user claiming past their
// quota from many threads, the same name registered at once, one idempotency key sent at once,
// payments racing to the contract total; and follow-ups racing on one customer, whose losers
// must catch the cached state up with the log. Each checks the outcome and the log.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>
#include <vector>

#include "aggregates/service/command_service.h"
#include "aggregates/service/service_fixture.h"
#include "testutil/status_matchers.h"

namespace crm::aggregates {
namespace {

using testutil::kDayMs;
using testutil::kHourMs;
using testutil::kMonday10am;

class CommandRaceTest : public testutil::ServiceTest {
 protected:
  // Runs `body(i)` on `threads` threads released at the same moment; returns each result.
  template <typename Body>
  std::vector<Status> Race(int threads, Body body) {
    std::vector<Status> results(static_cast<std::size_t>(threads));
    std::atomic<int> ready{0};
    std::vector<std::thread> workers;
    for (int i = 0; i < threads; ++i) {
      workers.emplace_back([&, i] {
        ready.fetch_add(1);
        while (ready.load() < threads) std::this_thread::yield();
        results[static_cast<std::size_t>(i)] = body(i);
      });
    }
    for (std::thread& worker : workers) worker.join();
    return results;
  }

  static std::map<std::string, int> CountReasons(const std::vector<Status>& results) {
    std::map<std::string, int> counts;
    for (const Status& status : results) ++counts[status.ok() ? "ok" : status.reason()];
    return counts;
  }

  int CountEvents(const std::string& stream, std::string_view type) {
    int count = 0;
    const auto events = log_->ReadStream(stream);
    EXPECT_OK(events);
    for (const auto& event : *events) count += events::EventTypeName(event.event) == type;
    return count;
  }
};

TEST_F(CommandRaceTest, ManySalespeopleClaimingOnePoolCustomerExactlyOneWins) {
  for (int round = 0; round < 5; ++round) {
    const std::string id = InPool("靖江市第" + std::to_string(round) + "空调有限公司", kMonday10am + round);
    const auto results = Race(7, [&](int i) {
      return service_->ExecuteCustomer(As("s" + std::to_string(i + 1), kMonday10am + kHourMs), id, ProtectCustomer{})
          .status();
    });
    const auto counts = CountReasons(results);
    EXPECT_EQ(counts.at("ok"), 1) << "round " << round;
    EXPECT_EQ(counts.at("already_protected"), 6) << "round " << round;
    EXPECT_EQ(CountEvents("customer-" + id, "CustomerProtected"), 2) << "registration + one claim";
  }
}

TEST_F(CommandRaceTest, ClaimsFromManyThreadsNeverPassTheQuota) {
  events::Policy policy;
  policy.max_protected = 5;
  SetPolicy(policy, kMonday10am - kHourMs);
  std::vector<std::string> pool;
  for (int i = 0; i < 16; ++i) pool.push_back(InPool("扬州市第" + std::to_string(i) + "电子有限公司", kMonday10am + i));
  const auto results = Race(16, [&](int i) {
    return service_
        ->ExecuteCustomer(As("s1", kMonday10am + kHourMs), pool[static_cast<std::size_t>(i)], ProtectCustomer{})
        .status();
  });
  const auto counts = CountReasons(results);
  EXPECT_EQ(counts.at("ok"), 5);
  EXPECT_EQ(counts.at("quota_exceeded"), 11);
}

TEST_F(CommandRaceTest, DailyClaimLimitHoldsUnderConcurrency) {
  events::Policy policy;
  policy.max_claims_per_day = 3;
  SetPolicy(policy, kMonday10am - kHourMs);
  std::vector<std::string> pool;
  for (int i = 0; i < 10; ++i) pool.push_back(InPool("常州市第" + std::to_string(i) + "纺织有限公司", kMonday10am + i));
  const auto results = Race(10, [&](int i) {
    return service_
        ->ExecuteCustomer(As("s2", kMonday10am + kHourMs), pool[static_cast<std::size_t>(i)], ProtectCustomer{})
        .status();
  });
  const auto counts = CountReasons(results);
  EXPECT_EQ(counts.at("ok"), 3);
  EXPECT_EQ(counts.at("daily_quota_exceeded"), 7);
  // The next company day the limit starts again.
  const auto refused = std::find_if(results.begin(), results.end(), [](const Status& s) { return !s.ok(); });
  const std::size_t refused_index = static_cast<std::size_t>(refused - results.begin());
  EXPECT_OK(service_->ExecuteCustomer(As("s2", kMonday10am + kDayMs), pool[refused_index], ProtectCustomer{}));
}

TEST_F(CommandRaceTest, SameNameRegisteredAtOnceExactlyOneWins) {
  for (int round = 0; round < 5; ++round) {
    const std::string name = "南通市第" + std::to_string(round) + "建筑工程有限公司";
    const auto results = Race(8, [&](int i) {
      // Each thread writes the name differently; all normalise to the same form.
      std::string variant = i % 2 == 0 ? name : " " + name + " ";
      return service_->RegisterCustomer(As("s" + std::to_string(i + 1), kMonday10am + round), Registration(variant))
          .status();
    });
    const auto counts = CountReasons(results);
    EXPECT_EQ(counts.at("ok"), 1) << "round " << round;
    EXPECT_EQ(counts.at("duplicate_name"), 7) << "round " << round;
  }
}

TEST_F(CommandRaceTest, OneIdempotencyKeySentAtOnceIsDecidedOnce) {
  const events::Seq head = log_->HeadSeq();
  std::vector<events::Seq> first_seqs(8);
  const auto results = Race(8, [&](int i) {
    auto outcome =
        service_->RegisterCustomer(As("s1", kMonday10am, "s1:same-key"), Registration("无锡市滨湖电器有限公司"));
    if (outcome.ok()) first_seqs[static_cast<std::size_t>(i)] = outcome->first_seq;
    return outcome.status();
  });
  EXPECT_EQ(CountReasons(results).at("ok"), 8);
  for (const events::Seq seq : first_seqs) EXPECT_EQ(seq, head + 1);
  EXPECT_EQ(log_->HeadSeq(), head + 2);
}

TEST_F(CommandRaceTest, PaymentsRacingToTheTotalNeverExceedIt) {
  Formal("s1", "靖江市春意空调有限公司", "HT-RACE-1", 100000, kMonday10am);
  const auto results = Race(8, [&](int) {
    return service_
        ->RecordPayment(As("f1", kMonday10am + kDayMs), RecordPayment{.contract_no = "HT-RACE-1",
                                                                      .amount_fen = 25000,
                                                                      .paid_at_ms = kMonday10am + kHourMs,
                                                                      .method = "转账",
                                                                      .handler = "王会计",
                                                                      .account = ""})
        .status();
  });
  const auto counts = CountReasons(results);
  EXPECT_EQ(counts.at("ok"), 4);
  EXPECT_EQ(counts.at("payment_exceeds_total"), 4);
  EXPECT_EQ(CountEvents("contract-HT-RACE-1", "PaymentRecorded"), 4);
}

TEST_F(CommandRaceTest, FollowUpsRacingOnOneCustomerAllLandAndLeaveTheCacheCurrent) {
  const std::string id = Registered("s1", "泰州市海陵区春风五金有限公司", kMonday10am);
  const auto follow_up = [&](events::TimeMs at_ms) {
    return service_->ExecuteCustomer(
        As("s1", at_ms), id,
        RecordFollowUp{.channel = events::FollowUpChannel::kPhone, .notes = "电话沟通", .next_contact_at_ms = {}});
  };
  constexpr int kThreads = 8;
  constexpr int kEach = 10;
  const auto results = Race(kThreads, [&](int i) {
    for (int n = 0; n < kEach; ++n) {
      // Losers decide again on the refreshed state; heavy contention may still run out of attempts.
      const Status status = follow_up(kMonday10am + kHourMs + i * kEach + n).status();
      if (!status.ok() && status.reason() != "too_much_contention") return status;
    }
    return Status::Ok();
  });
  for (const Status& status : results) EXPECT_OK(status);
  const int landed = CountEvents("customer-" + id, "FollowUpRecorded");
  EXPECT_GT(landed, 0);
  EXPECT_LE(landed, kThreads * kEach);

  // The cache holds the customer as the log has it: the next follow-up is decided on the
  // current version and lands at the first attempt, with no refused append.
  const std::uint64_t refused_before = log_->Stats().refused_batches;
  const auto next = follow_up(kMonday10am + 2 * kHourMs);
  ASSERT_OK(next);
  EXPECT_EQ(log_->Stats().refused_batches, refused_before);
  EXPECT_EQ(next->events.back().envelope.stream_version, log_->ReadStream("customer-" + id)->size());
}

}  // namespace
}  // namespace crm::aggregates
