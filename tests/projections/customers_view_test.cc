// The pool and ownership views, folded from events, with time applied when read (rule 13).
#include "projections/customers_view.h"

#include <gtest/gtest.h>

#include <vector>

namespace crm::projections {
namespace {

using events::kMsPerDay;

constexpr TimeMs kT0 = 1772416800000;  // Monday 2026-03-02 10:00 Shanghai
constexpr TimeMs kDeadline = kT0 + 30 * kMsPerDay;
constexpr TimeMs kReviewDeadline = kT0 + 3 * kMsPerDay;

class CustomersViewTest : public ::testing::Test {
 protected:
  void Record(events::Event event, TimeMs at_ms, std::optional<TimeMs> effective_ms = std::nullopt) {
    events::RecordedEvent recorded;
    recorded.envelope.seq = ++seq_;
    recorded.envelope.recorded_at_ms = at_ms;
    recorded.envelope.effective_at_ms = effective_ms.value_or(at_ms);
    recorded.event = std::move(event);
    view_.Apply(recorded);
  }
  void Registered(const std::string& id, const std::string& owner, const std::string& region = "泰州") {
    Record(events::CustomerRegistered{.customer_id = id,
                                      .name = id + "空调有限公司",
                                      .normalized_name = id,
                                      .region = region,
                                      .industry = "空调",
                                      .address = "",
                                      .phone = "",
                                      .intro = "",
                                      .website = ""},
           kT0);
    Record(events::CustomerProtected{.customer_id = id,
                                     .owner_id = owner,
                                     .source = events::ProtectionSource::kRegistration,
                                     .deadline_ms = kDeadline,
                                     .review_deadline_ms = kReviewDeadline},
           kT0);
  }
  void Approved(const std::string& id, const std::string& owner) {
    Record(events::ProtectionApproved{.customer_id = id, .owner_id = owner, .reason = ""}, kT0 + 1);
  }
  std::vector<std::string> PoolIds(TimeMs now_ms, const PoolFilter& filter = {}) {
    std::vector<std::string> ids;
    for (const PoolEntry& entry : view_.Pool(now_ms, filter)) ids.push_back(entry.customer->customer_id);
    return ids;
  }

  events::Seq seq_ = 0;
  CustomersView view_;
};

TEST_F(CustomersViewTest, AbandonedAndRejectedCustomersAreInThePoolWithTheirReason) {
  Registered("A", "s1");
  Registered("B", "s2");
  Record(events::CustomerAbandoned{.customer_id = "A", .owner_id = "s1", .reason = "x", .cooldown_until_ms = 0},
         kT0 + 5);
  Record(events::ProtectionRejected{.customer_id = "B", .owner_id = "s2", .reason = "地址不全"}, kT0 + 6);
  const std::vector<PoolEntry> pool = view_.Pool(kT0 + 10);
  ASSERT_EQ(pool.size(), 2u);
  EXPECT_EQ(pool[0].reason, PoolReason::kAbandoned);
  EXPECT_EQ(pool[0].entered_at_ms, kT0 + 5);
  EXPECT_EQ(pool[0].previous_owners, 1u);
  EXPECT_EQ(pool[1].reason, PoolReason::kRejected);
}

TEST_F(CustomersViewTest, AHoldThatTimeEndedReadsAsPoolBeforeAnyReleaseIsWritten) {
  Registered("A", "s1");
  Approved("A", "s1");
  EXPECT_TRUE(PoolIds(kDeadline - 1).empty());
  ASSERT_EQ(view_.HeldBy("s1", kDeadline - 1).size(), 1u);
  const std::vector<PoolEntry> pool = view_.Pool(kDeadline);
  ASSERT_EQ(pool.size(), 1u);
  EXPECT_EQ(pool[0].reason, PoolReason::kExpired);
  EXPECT_EQ(pool[0].entered_at_ms, kDeadline);
  EXPECT_TRUE(view_.HeldBy("s1", kDeadline).empty());
  // The release event, when written, changes nothing a reader sees.
  Record(
      events::ProtectionExpired{
          .customer_id = "A", .owner_id = "s1", .stage = events::HeldStage::kPotential, .deadline_ms = kDeadline},
      kDeadline + 5000, kDeadline);
  EXPECT_EQ(view_.Pool(kDeadline)[0].entered_at_ms, kDeadline);
  EXPECT_EQ(view_.Pool(kDeadline)[0].reason, PoolReason::kExpired);
}

TEST_F(CustomersViewTest, AnUnreviewedProtectionTimesOutIntoThePool) {
  Registered("A", "s1");
  const std::vector<PoolEntry> pool = view_.Pool(kReviewDeadline);
  ASSERT_EQ(pool.size(), 1u);
  EXPECT_EQ(pool[0].reason, PoolReason::kReviewTimedOut);
  EXPECT_EQ(pool[0].entered_at_ms, kReviewDeadline);
}

TEST_F(CustomersViewTest, PoolFiltersByRegionAndIndustryAndCountsOwners) {
  Registered("A", "s1", "泰州");
  Registered("B", "s1", "无锡");
  Record(events::CustomerAbandoned{.customer_id = "A", .owner_id = "s1", .reason = "x", .cooldown_until_ms = 0}, kT0);
  Record(events::CustomerProtected{.customer_id = "A",
                                   .owner_id = "s2",
                                   .source = events::ProtectionSource::kPool,
                                   .deadline_ms = kDeadline,
                                   .review_deadline_ms = kReviewDeadline},
         kT0 + 1);
  Record(events::ProtectionRejected{.customer_id = "A", .owner_id = "s2", .reason = "重复"}, kT0 + 2);
  Record(events::CustomerAbandoned{.customer_id = "B", .owner_id = "s1", .reason = "x", .cooldown_until_ms = 0}, kT0);
  EXPECT_EQ(PoolIds(kT0 + 3, {.region = "泰州", .industry = ""}), std::vector<std::string>{"A"});
  EXPECT_EQ(PoolIds(kT0 + 3, {.region = "", .industry = "空调"}), (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(PoolIds(kT0 + 3, {.region = "", .industry = "纺织"}), std::vector<std::string>{});
  EXPECT_EQ(view_.Pool(kT0 + 3)[0].previous_owners, 2u);
}

TEST_F(CustomersViewTest, FormalCustomersAreNeverInThePool) {
  Registered("A", "s1");
  Approved("A", "s1");
  Record(
      events::CustomerHandedToAftersales{
          .customer_id = "A", .contract_no = "HT-1", .from_user_id = "s1", .aftersales_owner_id = "a1"},
      kT0 + 2);
  EXPECT_TRUE(PoolIds(kT0 + 365 * kMsPerDay).empty());
  EXPECT_TRUE(view_.HeldBy("s1", kT0 + 3).empty());
}

TEST_F(CustomersViewTest, OwnershipListsDaysLeftPendingRequestsAndTheExpiringSoon) {
  Registered("A", "s1");
  Approved("A", "s1");
  Record(events::ExtensionRequested{.customer_id = "A", .request_id = "x1", .days = 10, .reason = "r"}, kT0 + 2);
  Registered("B", "s1");  // review pending: its hold ends at the review deadline
  const TimeMs now = kT0 + kMsPerDay / 2;
  const std::vector<OwnedEntry> held = view_.HeldBy("s1", now);
  ASSERT_EQ(held.size(), 2u);
  EXPECT_EQ(held[0].customer->customer_id, "B");  // soonest end first
  EXPECT_EQ(held[0].ends_at_ms, kReviewDeadline);
  EXPECT_EQ(held[0].days_left, 3);  // 2.5 days rounds up
  EXPECT_EQ(held[1].deadline_ms, kDeadline);
  EXPECT_EQ(held[1].days_left, 30);
  EXPECT_EQ(held[1].customer->pending_requests.count("x1"), 1u);
  EXPECT_EQ(view_.HeldBy("s1", now, 7).size(), 1u);
  Record(
      events::ExtensionGranted{
          .customer_id = "A", .request_id = "x1", .days = 10, .deadline_ms = kDeadline + 10 * kMsPerDay, .reason = ""},
      kT0 + 3);
  EXPECT_TRUE(view_.Find("A")->pending_requests.empty());
  EXPECT_EQ(view_.HeldBy("s1", kDeadline).size(), 1u) << "the extension moved the deadline";
}

}  // namespace
}  // namespace crm::projections
