// Rule 3: protecting a customer from the pool, and the limits on who may and how many.
#include "decider_fixture.h"
#include "testutil/status_matchers.h"

namespace crm::aggregates {
namespace {

using namespace decider_test;

class ProtectionTest : public DeciderTest {
 protected:
  void SetMaxClaimsPerDay(std::uint32_t max) {
    events::Policy policy;
    policy.max_claims_per_day = max;
    SetPolicy(policy);
  }
};

TEST_F(ProtectionTest, ProtectingAPoolCustomerStartsANewPotentialHoldPendingReview) {
  InPool("C1");
  At(kT0 + kHour);  // Monday 11:00 Shanghai
  ASSERT_OK_AND_ASSIGN(const Decision decision, DecideAs("s1", "C1", ProtectCustomer{}));
  ASSERT_EQ(TypeNames(decision), std::vector<std::string>{"CustomerProtected"});
  EXPECT_EQ(decision.events[0].stream_id, "customer-C1");
  EXPECT_EQ(decision.events[0].actor_id, "s1");
  EXPECT_EQ(decision.events[0].effective_at_ms, std::nullopt);
  const events::CustomerProtected expected{.customer_id = "C1",
                                           .owner_id = "s1",
                                           .source = events::ProtectionSource::kPool,
                                           .deadline_ms = kT0 + kHour + 30 * kDay,
                                           .review_deadline_ms = kT0ReviewDeadline + kHour};
  EXPECT_EQ(As<events::CustomerProtected>(decision.events[0]), expected);

  Given(decision);
  EXPECT_EQ(Customer("C1").hold.stage, CustomerStage::kPotential);
  EXPECT_EQ(Customer("C1").hold.owner_id, "s1");
  EXPECT_TRUE(Customer("C1").hold.review_pending);
  EXPECT_EQ(Customer("C1").pool_reason, PoolReason::kNone);
}

TEST_F(ProtectionTest, ARejectedCustomerIsInThePoolBecauseItWasRejected) {
  InPool("C1");
  EXPECT_EQ(Customer("C1").hold.stage, CustomerStage::kPool);
  EXPECT_EQ(Customer("C1").hold.owner_id, "");
  EXPECT_EQ(Customer("C1").pool_reason, PoolReason::kRejected);
  EXPECT_EQ(Customer("C1").pool_entered_ms, kT0);
}

TEST_F(ProtectionTest, SomeoneElseHoldingItRefusesWithAlreadyProtected) {
  Protected("C1", "s1");
  const Result<Decision> result = DecideAs("s2", "C1", ProtectCustomer{});
  EXPECT_REASON(result, "already_protected");
  EXPECT_EQ(result.status().code(), StatusCode::kConflict);
  EXPECT_EQ(result.status().details().at("ownerId"), "s1");
  EXPECT_EQ(result.status().details().at("customerId"), "C1");
}

TEST_F(ProtectionTest, WhileReviewIsPendingNobodyElseCanProtectIt) {
  Registered("C1", "s1");
  ASSERT_TRUE(Customer("C1").hold.review_pending);
  EXPECT_REASON(DecideAs("s2", "C1", ProtectCustomer{}), "already_protected");
  EXPECT_REASON(DecideAs("s3", "C1", ProtectCustomer{}), "already_protected");
}

TEST_F(ProtectionTest, TheHolderCannotProtectItAgain) {
  Protected("C1", "s1");
  EXPECT_REASON(DecideAs("s1", "C1", ProtectCustomer{}), "already_protected");
}

TEST_F(ProtectionTest, AFormalCustomerCannotBeProtected) {
  Formal("C1");
  EXPECT_REASON(DecideAs("s2", "C1", ProtectCustomer{}), "customer_formal");
  EXPECT_REASON(DecideAs("s1", "C1", ProtectCustomer{}), "customer_formal");
}

TEST_F(ProtectionTest, OnlySalesProtect) {
  InPool("C1");
  for (const std::string actor : {"m1", "r1", "a1", "f1", "au1", "root"}) {
    SCOPED_TRACE(actor);
    EXPECT_REASON(DecideAs(actor, "C1", ProtectCustomer{}), "role_forbidden");
  }
}

TEST_F(ProtectionTest, AnUnknownCustomerIsNotFound) {
  const Result<Decision> result = DecideAs("s1", "C404", ProtectCustomer{});
  EXPECT_REASON(result, "customer_not_found");
  EXPECT_EQ(result.status().code(), StatusCode::kNotFound);
}

TEST_F(ProtectionTest, ADeactivatedSalespersonCannotProtect) {
  InPool("C1");
  Accept(UserAs("root", DeactivateUser{.user_id = "s1", .reason = ""}));
  EXPECT_REASON(DecideAs("s1", "C1", ProtectCustomer{}), "user_deactivated");
}

TEST_F(ProtectionTest, MaxProtectedDefaultsTo200) {
  EXPECT_EQ(policy().max_protected, 200u);
  for (int i = 1; i <= 200; ++i) Registered("C" + std::to_string(i), "s1");
  InPool("P1");
  const Result<Decision> result = DecideAs("s1", "P1", ProtectCustomer{});
  EXPECT_REASON(result, "quota_exceeded");
  EXPECT_EQ(result.status().details().at("held"), "200");
  EXPECT_REASON(RegisterAs("s1", Registration("C201")), "quota_exceeded");
  EXPECT_OK(DecideAs("s2", "P1", ProtectCustomer{}));
}

TEST_F(ProtectionTest, AHoldThatEndedFreesTheQuotaEvenBeforeItsReleaseIsWritten) {
  events::Policy policy;
  policy.max_protected = 1;
  SetPolicy(policy);
  Protected("C1", "s1");
  InPool("P1");
  At(kT0 + 30 * kDay - kMs);
  EXPECT_REASON(DecideAs("s1", "P1", ProtectCustomer{}), "quota_exceeded");
  At(kT0 + 30 * kDay);
  EXPECT_OK(DecideAs("s1", "P1", ProtectCustomer{}));
}

TEST_F(ProtectionTest, MaxClaimsPerDayDefaultsTo20) {
  EXPECT_EQ(policy().max_claims_per_day, 20u);
  for (int i = 1; i <= 21; ++i) InPool("P" + std::to_string(i));
  for (int i = 1; i <= 20; ++i) Accept(DecideAs("s1", "P" + std::to_string(i), ProtectCustomer{}));
  const Result<Decision> result = DecideAs("s1", "P21", ProtectCustomer{});
  EXPECT_REASON(result, "daily_quota_exceeded");
  EXPECT_EQ(result.status().code(), StatusCode::kConflict);
  EXPECT_EQ(result.status().details().at("claimedToday"), "20");
  EXPECT_EQ(result.status().details().at("maxClaimsPerDay"), "20");
  EXPECT_OK(DecideAs("s2", "P21", ProtectCustomer{}));
  At(kT0 + kDay);  // Tuesday: a new day
  EXPECT_OK(DecideAs("s1", "P21", ProtectCustomer{}));
}

TEST_F(ProtectionTest, TodayIsTheCompanysDayNotUtcs) {
  SetMaxClaimsPerDay(1);
  for (const std::string id : {"P1", "P2", "P3"}) InPool(id);
  At(Ms("2026-03-03T15:30:00Z"));  // Tuesday 23:30 in Shanghai
  Accept(DecideAs("s1", "P1", ProtectCustomer{}));
  At(Ms("2026-03-03T15:59:59Z"));  // Tuesday 23:59:59
  EXPECT_REASON(DecideAs("s1", "P2", ProtectCustomer{}), "daily_quota_exceeded");
  At(Ms("2026-03-03T16:30:00Z"));  // Wednesday 00:30 in Shanghai, still Tuesday in UTC
  Accept(DecideAs("s1", "P2", ProtectCustomer{}));
  At(Ms("2026-03-03T16:45:00Z"));
  EXPECT_REASON(DecideAs("s1", "P3", ProtectCustomer{}), "daily_quota_exceeded");
}

TEST_F(ProtectionTest, ClaimsEitherSideOfUtcMidnightAreOneCompanyDay) {
  SetMaxClaimsPerDay(1);
  for (const std::string id : {"P1", "P2"}) InPool(id);
  At(Ms("2026-03-04T23:30:00Z"));  // Thursday 07:30 in Shanghai
  Accept(DecideAs("s1", "P1", ProtectCustomer{}));
  At(Ms("2026-03-05T00:30:00Z"));  // Thursday 08:30 in Shanghai, the next day in UTC
  EXPECT_REASON(DecideAs("s1", "P2", ProtectCustomer{}), "daily_quota_exceeded");
  At(Ms("2026-03-05T16:00:00Z"));  // Friday 00:00 in Shanghai
  EXPECT_OK(DecideAs("s1", "P2", ProtectCustomer{}));
}

TEST_F(ProtectionTest, AClaimCountsForTheDayEvenIfTheCustomerWasLetGoAgain) {
  SetMaxClaimsPerDay(1);
  InPool("P1");
  InPool("P2");
  Accept(DecideAs("s1", "P1", ProtectCustomer{}));
  Accept(DecideAs("s1", "P1", AbandonCustomer{.reason = "wrong industry"}));
  EXPECT_REASON(DecideAs("s1", "P2", ProtectCustomer{}), "daily_quota_exceeded");
}

TEST_F(ProtectionTest, RegistrationsAndReassignmentsAreNotClaims) {
  SetMaxClaimsPerDay(1);
  Protected("C1", "s2");
  Accept(DecideAs("m1", "C1", ReassignCustomer{.to_user_id = "s1", .reason = "s2 on leave"}));
  Registered("C2", "s1");
  InPool("P1");
  EXPECT_OK(DecideAs("s1", "P1", ProtectCustomer{}));
}

TEST_F(ProtectionTest, OfTwoSimultaneousClaimsTheSecondToBeWrittenIsRefused) {
  InPool("C1");
  // Both decide on the same state; the log's expected version lets only one append.
  ASSERT_OK_AND_ASSIGN(const Decision first, DecideAs("s1", "C1", ProtectCustomer{}));
  ASSERT_OK(DecideAs("s2", "C1", ProtectCustomer{}).status());
  Given(first);
  // The loser's retry, on the state that now includes the winner's claim.
  const Result<Decision> retry = DecideAs("s2", "C1", ProtectCustomer{});
  EXPECT_REASON(retry, "already_protected");
  EXPECT_EQ(retry.status().details().at("ownerId"), "s1");
}

TEST_F(ProtectionTest, ThePolicyInForceAtNowDecidesTheDeadline) {
  events::Policy shorter;
  shorter.potential_days = 10;
  InPool("C1");
  InPool("C2");
  // A change written now that takes effect tomorrow.
  Record("policy", events::PolicyChanged{.policy = shorter}, "root", kT0 + kDay);
  At(kT0 + kDay - kMs);
  ASSERT_OK_AND_ASSIGN(const Decision before, DecideAs("s1", "C1", ProtectCustomer{}));
  EXPECT_EQ(As<events::CustomerProtected>(before.events[0]).deadline_ms, kT0 + kDay - kMs + 30 * kDay);
  At(kT0 + kDay);
  ASSERT_OK_AND_ASSIGN(const Decision after, DecideAs("s1", "C2", ProtectCustomer{}));
  EXPECT_EQ(As<events::CustomerProtected>(after.events[0]).deadline_ms, kT0 + kDay + 10 * kDay);
}

}  // namespace
}  // namespace crm::aggregates
