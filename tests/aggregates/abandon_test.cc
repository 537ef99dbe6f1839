// Rule 9: the owner abandons a customer with a reason; it returns to the pool and that user may
// not protect it again for 3 days (rule 3).
#include "decider_fixture.h"
#include "testutil/status_matchers.h"

namespace crm::aggregates {
namespace {

using namespace decider_test;

constexpr TimeMs kAbandonAt = kT0 + 2 * kDay + 5 * kHour;
constexpr TimeMs kCooldownEnd = kAbandonAt + 3 * kDay;

class AbandonTest : public DeciderTest {
 protected:
  void SetUp() override { Protected("C1", "s1"); }

  Result<Decision> Abandon(const std::string& actor = "s1", const std::string& reason = "客户已选其他供应商") {
    return DecideAs(actor, "C1", AbandonCustomer{.reason = reason});
  }
};

TEST_F(AbandonTest, AbandoningReleasesToThePoolWithACooldownForTheAbandoner) {
  At(kAbandonAt);
  ASSERT_OK_AND_ASSIGN(const Decision decision, Abandon());
  ASSERT_EQ(TypeNames(decision), std::vector<std::string>{"CustomerAbandoned"});
  EXPECT_EQ(decision.events[0].stream_id, "customer-C1");
  EXPECT_EQ(decision.events[0].actor_id, "s1");
  EXPECT_EQ(decision.events[0].effective_at_ms, std::nullopt);
  EXPECT_EQ(
      As<events::CustomerAbandoned>(decision.events[0]),
      (events::CustomerAbandoned{
          .customer_id = "C1", .owner_id = "s1", .reason = "客户已选其他供应商", .cooldown_until_ms = kCooldownEnd}));
  Given(decision);
  const CustomerState& state = Customer("C1");
  EXPECT_EQ(state.hold.stage, CustomerStage::kPool);
  EXPECT_EQ(state.hold.owner_id, "");
  EXPECT_EQ(state.pool_reason, PoolReason::kAbandoned);
  EXPECT_EQ(state.pool_entered_ms, kAbandonAt);
  EXPECT_EQ(state.cooldown_until_ms.at("s1"), kCooldownEnd);
  EXPECT_EQ(directory().HeldCount("s1", now()), 0u);
  EXPECT_EQ(directory().FindHold("C1")->stage, CustomerStage::kPool);
}

TEST_F(AbandonTest, TheAbandonerMayProtectItAgainExactlyWhenTheCooldownEnds) {
  At(kAbandonAt);
  Accept(Abandon());
  At(kCooldownEnd - kMs);
  const Result<Decision> early = DecideAs("s1", "C1", ProtectCustomer{});
  EXPECT_REASON(early, "cooldown_active");
  EXPECT_EQ(early.status().code(), StatusCode::kConflict);
  EXPECT_EQ(early.status().details().at("untilMs"), std::to_string(kCooldownEnd));
  At(kCooldownEnd);
  ASSERT_OK_AND_ASSIGN(const Decision decision, DecideAs("s1", "C1", ProtectCustomer{}));
  EXPECT_EQ(As<events::CustomerProtected>(decision.events[0]).owner_id, "s1");
}

TEST_F(AbandonTest, OthersMayProtectItAtOnce) {
  At(kAbandonAt);
  Accept(Abandon());
  ASSERT_OK_AND_ASSIGN(const Decision decision, DecideAs("s2", "C1", ProtectCustomer{}));
  EXPECT_EQ(As<events::CustomerProtected>(decision.events[0]).source, events::ProtectionSource::kPool);
}

TEST_F(AbandonTest, TheCooldownSurvivesSomeoneElsesProtection) {
  At(kAbandonAt);
  Accept(Abandon());
  Accept(DecideAs("s2", "C1", ProtectCustomer{}));
  Accept(DecideAs("s2", "C1", AbandonCustomer{.reason = "不合适"}));
  EXPECT_REASON(DecideAs("s1", "C1", ProtectCustomer{}), "cooldown_active");
  EXPECT_REASON(DecideAs("s2", "C1", ProtectCustomer{}), "cooldown_active");
  EXPECT_OK(DecideAs("s3", "C1", ProtectCustomer{}));
}

TEST_F(AbandonTest, TheCooldownLengthIsAPolicyValue) {
  events::Policy policy;
  policy.abandon_cooldown_days = 5;
  SetPolicy(policy);
  ASSERT_OK_AND_ASSIGN(const Decision decision, Abandon());
  EXPECT_EQ(As<events::CustomerAbandoned>(decision.events[0]).cooldown_until_ms, kT0 + 5 * kDay);
}

TEST_F(AbandonTest, AReasonIsRequired) {
  EXPECT_REASON(Abandon("s1", ""), "missing_field");
  EXPECT_REASON(Abandon("s1", "\t"), "missing_field");
}

TEST_F(AbandonTest, OnlyTheOwningSalespersonAbandons) {
  EXPECT_REASON(Abandon("s2"), "not_owner");
  EXPECT_REASON(Abandon("m1"), "role_forbidden");
  EXPECT_REASON(Abandon("a1"), "role_forbidden");
}

TEST_F(AbandonTest, APoolOrFormalCustomerCannotBeAbandoned) {
  InPool("P1");
  EXPECT_REASON(DecideAs("s1", "P1", AbandonCustomer{.reason = "x"}), "customer_in_pool");
  Formal("F1");
  EXPECT_REASON(DecideAs("s1", "F1", AbandonCustomer{.reason = "x"}), "customer_formal");
}

TEST_F(AbandonTest, AbandoningAfterTheDeadlineIsRefusedAndWritesNothing) {
  At(kT0 + 30 * kDay);
  const Result<Decision> result = Abandon();
  EXPECT_REASON(result, "deadline_passed");
  // The expiry starts the same cooldown for the lapsed owner (docs/rules.md); others may claim.
  EXPECT_REASON(DecideAs("s1", "C1", ProtectCustomer{}), "cooldown_active");
  EXPECT_OK(DecideAs("s2", "C1", ProtectCustomer{}));
}

TEST_F(AbandonTest, AnIntentionCustomerCanBeAbandoned) {
  Promoted("C2", "s1");
  ASSERT_OK_AND_ASSIGN(const Decision decision, DecideAs("s1", "C2", AbandonCustomer{.reason = "预算取消"}));
  Given(decision);
  EXPECT_EQ(Customer("C2").hold.stage, CustomerStage::kPool);
  EXPECT_EQ(Customer("C2").pool_reason, PoolReason::kAbandoned);
}

TEST_F(AbandonTest, AbandoningWhileUnderReviewIsAllowed) {
  Registered("C2", "s1");
  Accept(DecideAs("s1", "C2", AbandonCustomer{.reason = "录错了"}));
  EXPECT_REASON(DecideAs("r1", "C2", ReviewProtection{.approve = true, .reason = ""}), "review_not_pending");
}

TEST_F(AbandonTest, AbandoningClosesPendingRequests) {
  Accept(DecideAs("s1", "C1", RequestExtension{.days = 5, .reason = "x"}));
  Accept(DecideAs("s1", "C1", RequestPromotion{.reason = "y"}));
  Accept(Abandon());
  EXPECT_EQ(Customer("C1").requests.at("x1").status, RequestStatus::kClosed);
  EXPECT_EQ(Customer("C1").requests.at("p2").status, RequestStatus::kClosed);
  EXPECT_EQ(Customer("C1").PendingRequest(RequestKind::kExtension), nullptr);
}

}  // namespace
}  // namespace crm::aggregates
