// The directory: the cross-stream facts the deciders need (users, names, holds, claims, the
// sweeper's work list), folded from the log in seq order.
#include "aggregates/stream_ids.h"
#include "decider_fixture.h"
#include "testutil/status_matchers.h"

namespace crm::aggregates {
namespace {

using namespace decider_test;

class DirectoryTest : public DeciderTest {};

TEST_F(DirectoryTest, UsersAreFoundByIdAndByTokenAndListedInIdOrder) {
  EXPECT_EQ(directory().user_count(), 10u);
  const UserState* s1 = directory().FindUser("s1");
  ASSERT_NE(s1, nullptr);
  EXPECT_EQ(s1->role, events::Role::kSales);
  EXPECT_EQ(s1->team, "east");
  EXPECT_TRUE(s1->active);
  EXPECT_EQ(directory().FindUserByToken(s1->token_sha256), s1);
  EXPECT_EQ(directory().FindUser("ghost"), nullptr);
  EXPECT_EQ(directory().FindUserByToken(events::Sha256Digest{}), nullptr);
  std::vector<std::string> ids;
  for (const UserState* user : directory().Users()) ids.push_back(user->user_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"a1", "au1", "f1", "m1", "m2", "r1", "root", "s1", "s2", "s3"}));
}

TEST_F(DirectoryTest, ManagedByIsTheTeamOrTheNamedManager) {
  const auto& user = [&](const char* id) -> const UserState& { return *directory().FindUser(id); };
  EXPECT_TRUE(user("s1").ManagedBy(user("m1")));
  EXPECT_FALSE(user("s1").ManagedBy(user("m2")));
  EXPECT_TRUE(user("s3").ManagedBy(user("m2")));
  EXPECT_FALSE(user("s1").ManagedBy(user("s2"))) << "a salesperson of the same team is no manager";
  EXPECT_FALSE(user("r1").ManagedBy(user("m1"))) << "no team, no manager: nobody manages r1";
  AddUser("s4", events::Role::kSales, "", "m2");
  EXPECT_TRUE(user("s4").ManagedBy(user("m2")));
  EXPECT_FALSE(user("s4").ManagedBy(user("m1")));
  Accept(UserAs("root", DeactivateUser{.user_id = "m1", .reason = ""}));
  EXPECT_FALSE(user("s1").ManagedBy(user("m1"))) << "a deactivated manager manages nobody";
}

TEST_F(DirectoryTest, AppliedSeqFollowsTheLog) {
  const events::Seq before = directory().applied_seq();
  EXPECT_EQ(before, 10u);  // the ten users
  Registered("C1", "s1");
  EXPECT_EQ(directory().applied_seq(), before + 2);
}

TEST_F(DirectoryTest, NamesAreKnownByTheirNormalForm) {
  Accept(RegisterAs("s1", Registration("C1", "靖江市ＡＢＣ空调有限公司")));
  EXPECT_EQ(directory().CustomerWithName("靖江市abc空调有限公司"), std::optional<std::string>("C1"));
  EXPECT_EQ(directory().CustomerWithName("靖江市ＡＢＣ空调有限公司"), std::nullopt) << "only normal forms";
  EXPECT_EQ(directory().CustomerWithName("春意"), std::nullopt) << "exact, not a search";
}

TEST_F(DirectoryTest, TheLargestCustomerNumberIsRemembered) {
  EXPECT_EQ(directory().max_customer_number(), 0u);
  Registered("C12", "s1");
  Registered("C7", "s1");
  Registered("X99", "s1");
  Registered("C3a", "s1");
  EXPECT_EQ(directory().max_customer_number(), 12u);
}

TEST_F(DirectoryTest, HeldCountCountsHoldsStillInForce) {
  Protected("C1", "s1");
  Registered("C2", "s1");  // released at its review deadline unless reviewed
  Formal("F1", "HT-1", 100, "s1");
  InPool("P1");
  EXPECT_EQ(directory().HeldCount("s1", now()), 2u) << "the formal customer is a1's and not held";
  EXPECT_EQ(directory().HeldCount("a1", now()), 0u);
  EXPECT_EQ(directory().HeldCount("s3", now()), 0u);
  EXPECT_EQ(directory().HeldCount("s1", kT0ReviewDeadline), 1u);
  EXPECT_EQ(directory().HeldCount("s1", kT0 + 30 * kDay), 0u);
  EXPECT_EQ(directory().HeldCount("nobody", now()), 0u);
}

TEST_F(DirectoryTest, CustomersOwnedByIncludesLapsedHoldsUntilTheirReleaseIsWritten) {
  Protected("C1", "s1");
  Protected("C2", "s1");
  Protected("C3", "s1");
  Accept(DecideAs("s1", "C3", AbandonCustomer{.reason = "x"}));
  Formal("F1", "HT-1", 100, "s1");
  EXPECT_EQ(directory().CustomersOwnedBy("s1"), (std::vector<std::string>{"C1", "C2"}));
  EXPECT_EQ(directory().CustomersOwnedBy("a1"), std::vector<std::string>{"F1"});
  At(kT0 + 30 * kDay);
  EXPECT_EQ(directory().CustomersOwnedBy("s1"), (std::vector<std::string>{"C1", "C2"}));
  Given(Sweep("C1"));
  EXPECT_EQ(directory().CustomersOwnedBy("s1"), std::vector<std::string>{"C2"});
  EXPECT_TRUE(directory().CustomersOwnedBy("nobody").empty());
}

TEST_F(DirectoryTest, PoolClaimsAreCountedPerCompanyDay) {
  InPool("P1");
  InPool("P2");
  InPool("P3");
  Registered("C1", "s1");          // not a claim
  At(Ms("2026-03-02T15:59:00Z"));  // Monday 23:59 Shanghai
  Accept(DecideAs("s1", "P1", ProtectCustomer{}));
  At(Ms("2026-03-02T16:00:00Z"));  // Tuesday 00:00 Shanghai
  Accept(DecideAs("s1", "P2", ProtectCustomer{}));
  Accept(DecideAs("s1", "P3", ProtectCustomer{}));
  const CivilDay monday = *ParseIsoDate("2026-03-02");
  EXPECT_EQ(directory().PoolClaimsOnDay("s1", monday, calendar()), 1u);
  EXPECT_EQ(directory().PoolClaimsOnDay("s1", monday + 1, calendar()), 2u);
  EXPECT_EQ(directory().PoolClaimsOnDay("s1", monday + 2, calendar()), 0u);
  EXPECT_EQ(directory().PoolClaimsOnDay("s2", monday, calendar()), 0u);
  EXPECT_EQ(calendar().LocalDay(Ms("2026-03-02T16:00:00Z")), monday + 1);
}

TEST_F(DirectoryTest, DueForReleaseListsTheLongestOverdueFirst) {
  Registered("C1", "s1");  // due at the review deadline, Thursday 10:00
  Protected("C2", "s1");   // due in 30 days
  At(kT0 + kHour);
  Registered("C3", "s2");  // due Thursday 11:00
  Formal("F1", "HT-1", 100, "s3");
  EXPECT_TRUE(directory().DueForRelease(kT0ReviewDeadline - kMs, 10).empty());
  EXPECT_EQ(directory().DueForRelease(kT0ReviewDeadline, 10), std::vector<std::string>{"C1"});
  EXPECT_EQ(directory().DueForRelease(kT0 + 31 * kDay, 10), (std::vector<std::string>{"C1", "C3", "C2"}));
  EXPECT_EQ(directory().DueForRelease(kT0 + 31 * kDay, 2), (std::vector<std::string>{"C1", "C3"}));
  At(kT0ReviewDeadline);
  Given(Sweep("C1"));
  EXPECT_TRUE(directory().DueForRelease(kT0ReviewDeadline, 10).empty()) << "released: no longer due";
}

TEST_F(DirectoryTest, TheDirectoryAndTheCustomersOwnStateAgreeOnTheHold) {
  Protected("C1", "s1");
  Accept(DecideAs("s1", "C1", RequestExtension{.days = 5, .reason = "x"}));
  Accept(DecideAs("m1", "C1", DecideExtension{.request_id = "x1", .approve = true, .reason = ""}));
  Accept(DecideAs("m1", "C1", ReassignCustomer{.to_user_id = "s2", .reason = "x"}));
  Accept(DecideAs("s2", "C1", RequestPromotion{.reason = "x"}));
  Accept(DecideAs("m1", "C1", DecidePromotion{.request_id = "p2", .approve = true, .reason = ""}));
  const Hold* hold = directory().FindHold("C1");
  ASSERT_NE(hold, nullptr);
  const Hold& own = Customer("C1").hold;
  EXPECT_EQ(hold->stage, own.stage);
  EXPECT_EQ(hold->owner_id, own.owner_id);
  EXPECT_EQ(hold->deadline_ms, own.deadline_ms);
  EXPECT_EQ(hold->review_pending, own.review_pending);
  EXPECT_EQ(own.stage, CustomerStage::kIntention);
  EXPECT_EQ(own.owner_id, "s2");
  EXPECT_EQ(directory().FindHold("C404"), nullptr);
}

TEST_F(DirectoryTest, ThePolicyHistoryIsKeptForAsOfQuestions) {
  events::Policy p1;
  p1.max_protected = 5;
  At(kT0 + kDay);
  SetPolicy(p1);
  events::Policy p2;
  p2.max_protected = 6;
  At(kT0 + 2 * kDay);
  SetPolicy(p2);
  EXPECT_EQ(directory().policy().changes.size(), 2u);
  EXPECT_EQ(directory().policy().InForceAt(kT0).max_protected, 200u);
  EXPECT_EQ(directory().policy().InForceAt(kT0 + kDay).max_protected, 5u);
  EXPECT_EQ(directory().policy().InForceAt(kT0 + 2 * kDay - kMs).max_protected, 5u);
  EXPECT_EQ(directory().policy().InForceAt(kT0 + 2 * kDay).max_protected, 6u);
}

TEST(NamesTest, StagesPoolReasonsAndStreamsHaveStableNames) {
  EXPECT_EQ(CustomerStageName(CustomerStage::kUnregistered), "unregistered");
  EXPECT_EQ(CustomerStageName(CustomerStage::kPotential), "potential");
  EXPECT_EQ(CustomerStageName(CustomerStage::kIntention), "intention");
  EXPECT_EQ(CustomerStageName(CustomerStage::kFormal), "formal");
  EXPECT_EQ(CustomerStageName(CustomerStage::kPool), "pool");
  EXPECT_EQ(PoolReasonName(PoolReason::kNone), "none");
  EXPECT_EQ(PoolReasonName(PoolReason::kRejected), "rejected");
  EXPECT_EQ(PoolReasonName(PoolReason::kReviewTimedOut), "review_timed_out");
  EXPECT_EQ(PoolReasonName(PoolReason::kAbandoned), "abandoned");
  EXPECT_EQ(PoolReasonName(PoolReason::kExpired), "expired");
  EXPECT_EQ(CustomerStream("C1"), "customer-C1");
  EXPECT_EQ(ContractStream("HT-1"), "contract-HT-1");
  EXPECT_EQ(UserStream("s1"), "user-s1");
  EXPECT_EQ(kPolicyStream, "policy");
}

}  // namespace
}  // namespace crm::aggregates
