// Rule 8: the owner applies to promote a POTENTIAL customer to INTENTION (15 days from the
// promotion); a manager approves unless the policy says no approval is needed.
#include "decider_fixture.h"
#include "testutil/status_matchers.h"

namespace crm::aggregates {
namespace {

using namespace decider_test;

class PromotionTest : public DeciderTest {
 protected:
  void SetUp() override { Protected("C1", "s1"); }

  Result<Decision> Apply(const std::string& actor = "s1", const std::string& reason = "已报价，客户有意向") {
    return DecideAs(actor, "C1", RequestPromotion{.reason = reason});
  }
  Result<Decision> Decide(const std::string& request_id, bool approve, const std::string& actor = "m1") {
    return DecideAs(actor, "C1", DecidePromotion{.request_id = request_id, .approve = approve, .reason = "ok"});
  }
};

TEST_F(PromotionTest, TheOwnerApplies) {
  ASSERT_OK_AND_ASSIGN(const Decision decision, Apply());
  ASSERT_EQ(TypeNames(decision), std::vector<std::string>{"PromotionRequested"});
  EXPECT_EQ(decision.events[0].actor_id, "s1");
  EXPECT_EQ(As<events::PromotionRequested>(decision.events[0]),
            (events::PromotionRequested{.customer_id = "C1", .request_id = "p1", .reason = "已报价，客户有意向"}));
  Given(decision);
  EXPECT_EQ(Customer("C1").hold.stage, CustomerStage::kPotential) << "nothing changes until a manager approves";
}

TEST_F(PromotionTest, ApprovalMakesItIntentionForFifteenDaysFromTheApproval) {
  Accept(Apply());
  At(kT0 + 3 * kDay + kHour);
  ASSERT_OK_AND_ASSIGN(const Decision decision, Decide("p1", true));
  ASSERT_EQ(TypeNames(decision), std::vector<std::string>{"CustomerPromoted"});
  EXPECT_EQ(decision.events[0].actor_id, "m1");
  EXPECT_EQ(As<events::CustomerPromoted>(decision.events[0]),
            (events::CustomerPromoted{
                .customer_id = "C1", .request_id = "p1", .deadline_ms = now() + 15 * kDay, .reason = "ok"}));
  Given(decision);
  EXPECT_EQ(Customer("C1").hold.stage, CustomerStage::kIntention);
  EXPECT_EQ(Customer("C1").hold.owner_id, "s1");
  EXPECT_EQ(Customer("C1").hold.deadline_ms, kT0 + 18 * kDay + kHour);
  EXPECT_EQ(Customer("C1").requests.at("p1").status, RequestStatus::kGranted);
}

TEST_F(PromotionTest, ADenialKeepsItPotentialAndTheOwnerMayApplyAgain) {
  Accept(Apply());
  ASSERT_OK_AND_ASSIGN(const Decision decision, Decide("p1", false));
  EXPECT_EQ(As<events::PromotionDenied>(decision.events[0]),
            (events::PromotionDenied{.customer_id = "C1", .request_id = "p1", .reason = "ok"}));
  Given(decision);
  EXPECT_EQ(Customer("C1").hold.stage, CustomerStage::kPotential);
  EXPECT_EQ(Customer("C1").hold.deadline_ms, kT0 + 30 * kDay);
  ASSERT_OK_AND_ASSIGN(const Decision again, Apply());
  EXPECT_EQ(As<events::PromotionRequested>(again.events[0]).request_id, "p2");
}

TEST_F(PromotionTest, WithoutApprovalThePromotionIsImmediate) {
  events::Policy policy;
  policy.promotion_needs_approval = false;
  SetPolicy(policy);
  At(kT0 + kDay);
  ASSERT_OK_AND_ASSIGN(const Decision decision, Apply());
  ASSERT_EQ(TypeNames(decision), std::vector<std::string>{"CustomerPromoted"});
  EXPECT_EQ(decision.events[0].actor_id, "s1");
  EXPECT_EQ(As<events::CustomerPromoted>(decision.events[0]),
            (events::CustomerPromoted{.customer_id = "C1",
                                      .request_id = "",
                                      .deadline_ms = kT0 + kDay + 15 * kDay,
                                      .reason = "已报价，客户有意向"}));
  Given(decision);
  EXPECT_EQ(Customer("C1").hold.stage, CustomerStage::kIntention);
  EXPECT_TRUE(Customer("C1").requests.empty());
}

TEST_F(PromotionTest, IntentionDaysIsAPolicyValue) {
  events::Policy policy;
  policy.intention_days = 20;
  SetPolicy(policy);
  Accept(Apply());
  ASSERT_OK_AND_ASSIGN(const Decision decision, Decide("p1", true));
  EXPECT_EQ(As<events::CustomerPromoted>(decision.events[0]).deadline_ms, now() + 20 * kDay);
}

TEST_F(PromotionTest, OnlyAPotentialCustomerCanBePromoted) {
  Accept(Apply());
  Accept(Decide("p1", true));
  const Result<Decision> result = Apply();
  EXPECT_REASON(result, "wrong_stage");
  EXPECT_EQ(result.status().details().at("stage"), "intention");
  Formal("F1");
  EXPECT_REASON(DecideAs("s1", "F1", RequestPromotion{.reason = "x"}), "customer_formal");
}

TEST_F(PromotionTest, AProtectionStillUnderReviewCannotBePromoted) {
  Registered("C2", "s1");
  EXPECT_REASON(DecideAs("s1", "C2", RequestPromotion{.reason = "x"}), "review_pending");
  events::Policy policy;
  policy.promotion_needs_approval = false;
  SetPolicy(policy);
  EXPECT_REASON(DecideAs("s1", "C2", RequestPromotion{.reason = "x"}), "review_pending");
}

TEST_F(PromotionTest, OneApplicationAtATimeWithAReason) {
  EXPECT_REASON(Apply("s1", ""), "missing_field");
  Accept(Apply());
  const Result<Decision> again = Apply();
  EXPECT_REASON(again, "request_pending");
  EXPECT_EQ(again.status().details().at("requestId"), "p1");
}

TEST_F(PromotionTest, OnlyTheOwningSalespersonApplies) {
  EXPECT_REASON(Apply("s2"), "not_owner");
  EXPECT_REASON(Apply("m1"), "role_forbidden");
  InPool("P1");
  EXPECT_REASON(DecideAs("s1", "P1", RequestPromotion{.reason = "x"}), "customer_in_pool");
}

TEST_F(PromotionTest, OnlyAManagerOfTheOwnersTeamDecides) {
  Accept(Apply());
  EXPECT_REASON(Decide("p1", true, "m2"), "not_your_team");
  EXPECT_REASON(Decide("p1", true, "s2"), "role_forbidden");
  EXPECT_REASON(Decide("p1", true, "r1"), "role_forbidden");
}

TEST_F(PromotionTest, UnknownAndDecidedRequestsAreRefused) {
  EXPECT_REASON(Decide("p7", true), "request_not_found");
  Accept(DecideAs("s1", "C1", RequestExtension{.days = 5, .reason = "x"}));
  EXPECT_REASON(Decide("x1", true), "request_not_found");  // an extension is not a promotion
  Accept(Apply());
  Accept(Decide("p2", false));
  const Result<Decision> result = Decide("p2", true);
  EXPECT_REASON(result, "request_not_pending");
  EXPECT_EQ(result.status().details().at("status"), "denied");
}

TEST_F(PromotionTest, ApplyingOrApprovingAfterThePotentialDeadlineIsTooLate) {
  Accept(Apply());
  At(kT0 + 30 * kDay - kMs);
  EXPECT_OK(Decide("p1", true));
  At(kT0 + 30 * kDay);
  EXPECT_REASON(Decide("p1", true), "deadline_passed");
  EXPECT_REASON(DecideAs("s1", "C1", RequestPromotion{.reason = "x"}), "deadline_passed");
}

TEST_F(PromotionTest, AnIntentionCustomerFallsIntoThePoolAtItsDeadline) {
  Accept(Apply());
  At(kT0 + 2 * kDay);
  Accept(Decide("p1", true));
  const TimeMs deadline = kT0 + 17 * kDay;
  ASSERT_EQ(Customer("C1").hold.deadline_ms, deadline);

  At(deadline - kMs);
  EXPECT_TRUE(Sweep("C1").events.empty());
  EXPECT_REASON(DecideAs("s2", "C1", ProtectCustomer{}), "already_protected");

  At(deadline + kHour);
  ASSERT_OK_AND_ASSIGN(const Decision decision, DecideAs("s2", "C1", ProtectCustomer{}));
  ASSERT_EQ(TypeNames(decision), (std::vector<std::string>{"ProtectionExpired", "CustomerProtected"}));
  EXPECT_EQ(decision.events[0].actor_id, "system");
  EXPECT_EQ(decision.events[0].effective_at_ms, std::optional<TimeMs>(deadline));
  EXPECT_EQ(
      As<events::ProtectionExpired>(decision.events[0]),
      (events::ProtectionExpired{
          .customer_id = "C1", .owner_id = "s1", .stage = events::HeldStage::kIntention, .deadline_ms = deadline}));
  Given(decision);
  EXPECT_EQ(Customer("C1").hold.stage, CustomerStage::kPotential);
  EXPECT_EQ(Customer("C1").hold.owner_id, "s2");
}

TEST_F(PromotionTest, ThePromotionPolicyInForceAtTheApplicationDecides) {
  events::Policy policy;
  policy.promotion_needs_approval = false;
  // Takes effect in an hour: until then applications still need approval.
  Record("policy", events::PolicyChanged{.policy = policy}, "root", kT0 + kHour);
  At(kT0 + kHour - kMs);
  ASSERT_OK_AND_ASSIGN(const Decision before, Apply());
  EXPECT_EQ(TypeNames(before), std::vector<std::string>{"PromotionRequested"});
  At(kT0 + kHour);
  ASSERT_OK_AND_ASSIGN(const Decision after, Apply());
  EXPECT_EQ(TypeNames(after), std::vector<std::string>{"CustomerPromoted"});
}

}  // namespace
}  // namespace crm::aggregates
