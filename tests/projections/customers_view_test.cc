// The pool, ownership, search and reminder reads, folded from events, with time applied when
// read (rule 13).
#include "projections/customers_view.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "events/company_name.h"
#include "testutil/status_matchers.h"

namespace crm::projections {
// Named, not anonymous: unity builds compile this file together with its neighbours.
namespace customers_view_test {

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
  void Registered(const std::string& id, const std::string& owner, const std::string& region = "泰州",
                  const std::string& name = "") {
    const std::string full_name = name.empty() ? id + "空调有限公司" : name;
    const Result<std::string> normalized = events::NormalizeCompanyName(full_name);
    ASSERT_OK(normalized);
    Record(events::CustomerRegistered{.customer_id = id,
                                      .name = full_name,
                                      .normalized_name = *normalized,
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
  void Abandoned(const std::string& id, const std::string& owner, TimeMs at_ms) {
    Record(events::CustomerAbandoned{.customer_id = id, .owner_id = owner, .reason = "x", .cooldown_until_ms = 0},
           at_ms);
  }
  void FollowUp(const std::string& id, const std::string& follow_up_id, std::optional<TimeMs> next_contact_at_ms,
                TimeMs at_ms) {
    Record(events::FollowUpRecorded{.customer_id = id,
                                    .follow_up_id = follow_up_id,
                                    .channel = events::FollowUpChannel::kPhone,
                                    .notes = "聊了报价",
                                    .next_contact_at_ms = next_contact_at_ms},
           at_ms);
  }
  void HandedToAftersales(const std::string& id, const std::string& from, const std::string& to, TimeMs at_ms) {
    Record(
        events::CustomerHandedToAftersales{
            .customer_id = id, .contract_no = "HT-" + id, .from_user_id = from, .aftersales_owner_id = to},
        at_ms);
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

TEST_F(CustomersViewTest, VisitPoolStartsAfterAnIdAndStopsWhenAsked) {
  for (const char* id : {"A", "B", "C", "D", "E"}) {
    Registered(id, "s1");
    if (std::string(id) != "C") {
      Record(events::CustomerAbandoned{.customer_id = id, .owner_id = "s1", .reason = "x", .cooldown_until_ms = 0},
             kT0 + 1);
    }
  }
  const auto visit = [this](std::string_view after_id, std::size_t take) {
    std::vector<std::string> ids;
    view_.VisitPool(kT0 + 2, {}, after_id, [&](const PoolEntry& entry) {
      ids.push_back(entry.customer->customer_id);
      return ids.size() < take;
    });
    return ids;
  };
  EXPECT_EQ(visit("", 10), (std::vector<std::string>{"A", "B", "D", "E"}));
  EXPECT_EQ(visit("A", 2), (std::vector<std::string>{"B", "D"})) << "C is held, so it is passed over";
  EXPECT_EQ(visit("B", 10), (std::vector<std::string>{"D", "E"}));
  EXPECT_EQ(visit("BB", 1), std::vector<std::string>{"D"}) << "the id after need not be a customer";
  EXPECT_EQ(visit("E", 10), std::vector<std::string>{});
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

TEST_F(CustomersViewTest, StageAndOwnerAtReadAHoldPastItsDeadlineAsPoolWithNobody) {
  Registered("A", "s1");
  Approved("A", "s1");
  const CustomerSummary& a = *view_.Find("A");
  EXPECT_EQ(StageAt(a, kDeadline - 1), CustomerStage::kPotential);
  EXPECT_EQ(OwnerAt(a, kDeadline - 1), "s1");
  EXPECT_EQ(StageAt(a, kDeadline), CustomerStage::kPool);
  EXPECT_EQ(OwnerAt(a, kDeadline), "");
  HandedToAftersales("A", "s1", "a1", kT0 + 2);
  EXPECT_EQ(StageAt(*view_.Find("A"), kDeadline), CustomerStage::kFormal) << "formal customers never expire";
  EXPECT_EQ(OwnerAt(*view_.Find("A"), kDeadline), "a1");
}

// ---- Search (rule 1) -------------------------------------------------------------------------

class CustomersViewSearchTest : public CustomersViewTest {
 protected:
  void SetUp() override {
    Registered("C1", "s1", "泰州", "靖江市春意空调有限公司");
    Approved("C1", "s1");
    Registered("C2", "s2", "泰州", "泰州市春意机械有限公司");
    Abandoned("C2", "s2", kT0 + 5);
    Registered("C3", "s1", "无锡", "无锡市光明科技有限公司");
  }
  struct Hit {
    std::string id;
    CustomerStage stage;
    std::string owner;
    bool operator==(const Hit&) const = default;
  };
  std::vector<Hit> Search(std::string_view query, TimeMs now_ms, std::size_t limit = NameIndex::kResultsMax) {
    std::vector<Hit> hits;
    for (const SearchHit& hit : view_.Search(query, now_ms, limit)) {
      hits.push_back({hit.customer->customer_id, hit.stage, std::string(hit.owner_id)});
    }
    return hits;
  }
};

TEST_F(CustomersViewSearchTest, APartOfTheNameFindsEveryCustomerWithStageAndHolder) {
  EXPECT_EQ(Search("春意", kT0 + 10),
            (std::vector<Hit>{{"C1", CustomerStage::kPotential, "s1"}, {"C2", CustomerStage::kPool, ""}}));
  EXPECT_EQ(Search("光明", kT0 + 10), (std::vector<Hit>{{"C3", CustomerStage::kPotential, "s1"}}));
  EXPECT_EQ(Search("春意空调", kT0 + 10).size(), 1u);
  EXPECT_TRUE(Search("纺织", kT0 + 10).empty());
}

TEST_F(CustomersViewSearchTest, AHoldPastItsDeadlineShowsAsPoolWithNoOwner) {
  EXPECT_EQ(Search("春意空调", kDeadline - 1), (std::vector<Hit>{{"C1", CustomerStage::kPotential, "s1"}}));
  EXPECT_EQ(Search("春意空调", kDeadline), (std::vector<Hit>{{"C1", CustomerStage::kPool, ""}}));
  // C3 was never reviewed: its hold ended at the review deadline.
  EXPECT_EQ(Search("光明", kReviewDeadline), (std::vector<Hit>{{"C3", CustomerStage::kPool, ""}}));
}

TEST_F(CustomersViewSearchTest, ReassignedAndFormalCustomersShowTheirCurrentHolder) {
  Record(events::CustomerReassigned{.customer_id = "C1", .from_user_id = "s1", .to_user_id = "s9", .reason = "离职"},
         kT0 + 20);
  EXPECT_EQ(Search("靖江", kT0 + 21), (std::vector<Hit>{{"C1", CustomerStage::kPotential, "s9"}}));
  HandedToAftersales("C1", "s9", "a1", kT0 + 30);
  EXPECT_EQ(Search("靖江", kDeadline + 1), (std::vector<Hit>{{"C1", CustomerStage::kFormal, "a1"}}));
}

TEST_F(CustomersViewSearchTest, ResultsAreInIdOrderUpToTheLimit) {
  EXPECT_EQ(Search("有限公司", kT0 + 10, 2).size(), 2u);
  EXPECT_EQ(Search("有限公司", kT0 + 10, 2)[1].id, "C2");
  EXPECT_EQ(Search("有限公司", kT0 + 10).size(), 3u);
}

TEST_F(CustomersViewSearchTest, AnEmptyOrInvalidQueryFindsNothing) {
  EXPECT_TRUE(Search("", kT0 + 10).empty());
  EXPECT_TRUE(Search("   ", kT0 + 10).empty());
  EXPECT_TRUE(Search("\xff\xfe", kT0 + 10).empty());
}

// ---- Reminders (rule 5) ------------------------------------------------------------------------

class CustomersViewRemindersTest : public CustomersViewTest {
 protected:
  struct Due {
    std::string id;
    TimeMs at_ms;
    bool overdue;
    std::string follow_up_id;
    bool operator==(const Due&) const = default;
  };
  std::vector<Due> Reminders(std::string_view user, TimeMs now_ms, TimeMs until_ms) {
    std::vector<Due> due;
    for (const ReminderEntry& entry : view_.Reminders(user, now_ms, until_ms)) {
      due.push_back(
          {entry.customer->customer_id, entry.next_contact_at_ms, entry.overdue, std::string(entry.follow_up_id)});
    }
    return due;
  }
  static constexpr TimeMs kDay = kMsPerDay;
  static constexpr TimeMs kForever = kT0 + 3650 * kMsPerDay;
};

TEST_F(CustomersViewRemindersTest, DueAndOverdueRemindersOfTheUserSoonestFirst) {
  for (const char* id : {"A", "B", "C", "D"}) {
    Registered(id, "s1");
    Approved(id, "s1");
  }
  Registered("E", "s2");
  Approved("E", "s2");
  FollowUp("A", "f-a", kT0 + 3 * kDay, kT0 + 10);
  FollowUp("B", "f-b", kT0 + 1 * kDay, kT0 + 11);
  FollowUp("C", "f-c", kT0 + 10 * kDay, kT0 + 12);  // after the window
  FollowUp("D", "f-d", kT0 + 2 * kDay, kT0 + 13);   // exactly now: due, not yet overdue
  FollowUp("E", "f-e", kT0 + 1 * kDay, kT0 + 14);   // someone else's
  const TimeMs now = kT0 + 2 * kDay;
  EXPECT_EQ(Reminders("s1", now, kT0 + 3 * kDay), (std::vector<Due>{{"B", kT0 + 1 * kDay, true, "f-b"},
                                                                    {"D", kT0 + 2 * kDay, false, "f-d"},
                                                                    {"A", kT0 + 3 * kDay, false, "f-a"}}));
  EXPECT_EQ(Reminders("s1", now, now).size(), 2u) << "the window's end is inclusive";
  EXPECT_EQ(Reminders("s2", now, now), (std::vector<Due>{{"E", kT0 + 1 * kDay, true, "f-e"}}));
  EXPECT_TRUE(Reminders("s3", now, kForever).empty());
  EXPECT_TRUE(Reminders("", now, kForever).empty());
}

TEST_F(CustomersViewRemindersTest, TheLatestFollowUpDecidesTheReminder) {
  Registered("A", "s1");
  Approved("A", "s1");
  FollowUp("A", "f1", kT0 + 2 * kDay, kT0 + 10);
  FollowUp("A", "f2", kT0 + 4 * kDay, kT0 + 20);
  EXPECT_EQ(Reminders("s1", kT0 + 30, kForever), (std::vector<Due>{{"A", kT0 + 4 * kDay, false, "f2"}}));
  FollowUp("A", "f3", std::nullopt, kT0 + 40);
  EXPECT_TRUE(Reminders("s1", kT0 + 50, kForever).empty()) << "a later follow-up without a next contact clears it";
  EXPECT_FALSE(view_.Find("A")->reminder.has_value());
}

TEST_F(CustomersViewRemindersTest, AReminderMovesToTheNewOwnerOnReassignment) {
  Registered("A", "s1");
  Approved("A", "s1");
  FollowUp("A", "f1", kT0 + 2 * kDay, kT0 + 10);
  Record(events::CustomerReassigned{.customer_id = "A", .from_user_id = "s1", .to_user_id = "s2", .reason = "离职"},
         kT0 + 20);
  EXPECT_TRUE(Reminders("s1", kT0 + 30, kForever).empty());
  EXPECT_EQ(Reminders("s2", kT0 + 30, kForever), (std::vector<Due>{{"A", kT0 + 2 * kDay, false, "f1"}}));
}

TEST_F(CustomersViewRemindersTest, AReleasedCustomerHasNoReminderEvenAfterANewProtection) {
  Registered("A", "s1");
  Approved("A", "s1");
  FollowUp("A", "f1", kT0 + 2 * kDay, kT0 + 10);
  Abandoned("A", "s1", kT0 + 20);
  EXPECT_TRUE(Reminders("s1", kT0 + 30, kForever).empty());
  EXPECT_FALSE(view_.Find("A")->reminder.has_value());
  Record(events::CustomerProtected{.customer_id = "A",
                                   .owner_id = "s2",
                                   .source = events::ProtectionSource::kPool,
                                   .deadline_ms = kDeadline,
                                   .review_deadline_ms = kReviewDeadline},
         kT0 + 40);
  EXPECT_TRUE(Reminders("s2", kT0 + 50, kForever).empty()) << "the old owner's plan is not the new owner's";
}

TEST_F(CustomersViewRemindersTest, ANewProtectionClearsAReminderLeftByAnUnwrittenRelease) {
  Registered("A", "s1");
  FollowUp("A", "f1", kT0 + 2 * kDay, kT0 + 10);
  // The deciders write the time-out before a new protection; the fold does not rely on it: a
  // new protection starts a new hold, with no plan in it.
  Record(events::CustomerProtected{.customer_id = "A",
                                   .owner_id = "s1",
                                   .source = events::ProtectionSource::kPool,
                                   .deadline_ms = kDeadline + 5 * kDay,
                                   .review_deadline_ms = kReviewDeadline + 5 * kDay},
         kReviewDeadline + 1);
  EXPECT_TRUE(Reminders("s1", kReviewDeadline + 2, kForever).empty());
}

TEST_F(CustomersViewRemindersTest, AReminderIsGoneOnceTheDeadlinePassesWithNoReleaseWritten) {
  Registered("A", "s1");
  Approved("A", "s1");
  FollowUp("A", "f1", kDeadline - kDay, kT0 + 10);
  EXPECT_EQ(Reminders("s1", kDeadline - 1, kForever), (std::vector<Due>{{"A", kDeadline - kDay, true, "f1"}}));
  EXPECT_TRUE(Reminders("s1", kDeadline, kForever).empty());
  EXPECT_TRUE(Reminders("", kDeadline, kForever).empty());
}

TEST_F(CustomersViewRemindersTest, AFormalCustomerRemindsItsAftersalesOwnerForever) {
  Registered("A", "s1");
  Approved("A", "s1");
  FollowUp("A", "f1", kT0 + 2 * kDay, kT0 + 10);
  HandedToAftersales("A", "s1", "a1", kT0 + 20);
  EXPECT_TRUE(Reminders("s1", kT0 + 30, kForever).empty());
  EXPECT_EQ(Reminders("a1", kDeadline + 365 * kDay, kForever), (std::vector<Due>{{"A", kT0 + 2 * kDay, true, "f1"}}));
  FollowUp("A", "f2", kDeadline + 400 * kDay, kDeadline + 365 * kDay);
  EXPECT_EQ(Reminders("a1", kDeadline + 366 * kDay, kForever),
            (std::vector<Due>{{"A", kDeadline + 400 * kDay, false, "f2"}}));
}

}  // namespace customers_view_test
}  // namespace crm::projections
