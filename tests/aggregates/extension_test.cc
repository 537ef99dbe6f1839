// Rule 7: before the deadline the owner asks for more days with a reason; a manager of the
// owner's team grants or denies; at most maxExtensions per protection of maxExtensionDays each.
#include "decider_fixture.h"
#include "testutil/status_matchers.h"

namespace crm::aggregates {
namespace {

using namespace decider_test;

class ExtensionTest : public DeciderTest {
 protected:
  void SetUp() override { Protected("C1", "s1"); }

  Result<Decision> Ask(std::uint32_t days, const std::string& actor = "s1",
                       const std::string& reason = "客户在走采购流程") {
    return DecideAs(actor, "C1", RequestExtension{.days = days, .reason = reason});
  }
  Result<Decision> Decide(const std::string& request_id, bool approve, const std::string& actor = "m1") {
    return DecideAs(actor, "C1", DecideExtension{.request_id = request_id, .approve = approve, .reason = ""});
  }
};

TEST_F(ExtensionTest, TheOwnerAsksForDays) {
  ASSERT_OK_AND_ASSIGN(const Decision decision, Ask(10));
  ASSERT_EQ(TypeNames(decision), std::vector<std::string>{"ExtensionRequested"});
  EXPECT_EQ(decision.events[0].actor_id, "s1");
  EXPECT_EQ(
      As<events::ExtensionRequested>(decision.events[0]),
      (events::ExtensionRequested{.customer_id = "C1", .request_id = "x1", .days = 10, .reason = "客户在走采购流程"}));
  Given(decision);
  std::string id;
  ASSERT_NE(Customer("C1").PendingRequest(RequestKind::kExtension, &id), nullptr);
  EXPECT_EQ(id, "x1");
}

TEST_F(ExtensionTest, AGrantMovesTheDeadlineByTheDaysAsked) {
  Accept(Ask(10));
  At(kT0 + 5 * kDay);
  ASSERT_OK_AND_ASSIGN(const Decision decision,
                       DecideAs("m1", "C1", DecideExtension{.request_id = "x1", .approve = true, .reason = "同意"}));
  EXPECT_EQ(decision.events[0].actor_id, "m1");
  EXPECT_EQ(As<events::ExtensionGranted>(decision.events[0]),
            (events::ExtensionGranted{.customer_id = "C1",
                                      .request_id = "x1",
                                      .days = 10,
                                      .deadline_ms = kDeadline + 10 * kDay,
                                      .reason = "同意"}));
  Given(decision);
  EXPECT_EQ(Customer("C1").hold.deadline_ms, kDeadline + 10 * kDay);
  EXPECT_EQ(Customer("C1").extensions_granted, 1u);

  At(kDeadline);
  EXPECT_TRUE(Sweep("C1").events.empty()) << "the old deadline no longer releases it";
  EXPECT_OK(DecideAs("s1", "C1", Contact()));
  At(kDeadline + 10 * kDay);
  ASSERT_EQ(Sweep("C1").events.size(), 1u);
  EXPECT_EQ(As<events::ProtectionExpired>(Sweep("C1").events[0]).deadline_ms, kDeadline + 10 * kDay);
}

TEST_F(ExtensionTest, ADenialKeepsTheDeadline) {
  Accept(Ask(10));
  ASSERT_OK_AND_ASSIGN(
      const Decision decision,
      DecideAs("m1", "C1", DecideExtension{.request_id = "x1", .approve = false, .reason = "理由不足"}));
  EXPECT_EQ(As<events::ExtensionDenied>(decision.events[0]),
            (events::ExtensionDenied{.customer_id = "C1", .request_id = "x1", .reason = "理由不足"}));
  Given(decision);
  EXPECT_EQ(Customer("C1").hold.deadline_ms, kDeadline);
  EXPECT_EQ(Customer("C1").extensions_granted, 0u);
  // A denial does not use up the allowance: the owner may ask again.
  ASSERT_OK_AND_ASSIGN(const Decision again, Ask(5));
  EXPECT_EQ(As<events::ExtensionRequested>(again.events[0]).request_id, "x2");
}

TEST_F(ExtensionTest, DaysMustBeBetweenOneAndMaxExtensionDays) {
  const Result<Decision> zero = Ask(0);
  EXPECT_REASON(zero, "invalid_days");
  EXPECT_EQ(zero.status().code(), StatusCode::kInvalidArgument);
  const Result<Decision> too_long = Ask(31);
  EXPECT_REASON(too_long, "extension_too_long");
  EXPECT_EQ(too_long.status().details().at("maxExtensionDays"), "30");
  EXPECT_OK(Ask(30));
  EXPECT_OK(Ask(1));
}

TEST_F(ExtensionTest, OneExtensionPerProtectionByDefault) {
  Accept(Ask(10));
  Accept(Decide("x1", true));
  const Result<Decision> result = Ask(5);
  EXPECT_REASON(result, "extension_limit_reached");
  EXPECT_EQ(result.status().details().at("maxExtensions"), "1");
}

TEST_F(ExtensionTest, MaxExtensionsIsAPolicyValue) {
  events::Policy policy;
  policy.max_extensions = 2;
  SetPolicy(policy);
  Accept(Ask(10));
  Accept(Decide("x1", true));
  Accept(Ask(10));
  Accept(Decide("x2", true));
  EXPECT_EQ(Customer("C1").hold.deadline_ms, kDeadline + 20 * kDay);
  EXPECT_REASON(Ask(1), "extension_limit_reached");
}

TEST_F(ExtensionTest, OneRequestAtATime) {
  Accept(Ask(10));
  const Result<Decision> result = Ask(5);
  EXPECT_REASON(result, "request_pending");
  EXPECT_EQ(result.status().details().at("requestId"), "x1");
}

TEST_F(ExtensionTest, AReasonIsRequired) {
  EXPECT_REASON(Ask(10, "s1", ""), "missing_field");
  EXPECT_REASON(Ask(10, "s1", "   "), "missing_field");
}

TEST_F(ExtensionTest, OnlyTheOwningSalespersonAsks) {
  EXPECT_REASON(Ask(10, "s2"), "not_owner");
  EXPECT_REASON(Ask(10, "m1"), "role_forbidden");
  EXPECT_REASON(Ask(10, "a1"), "role_forbidden");
  InPool("P1");
  EXPECT_REASON(DecideAs("s1", "P1", RequestExtension{.days = 5, .reason = "x"}), "customer_in_pool");
  Formal("F1");
  EXPECT_REASON(DecideAs("s1", "F1", RequestExtension{.days = 5, .reason = "x"}), "customer_formal");
}

TEST_F(ExtensionTest, AskingOneMillisecondBeforeTheDeadlineIsInTime) {
  At(kDeadline - kMs);
  ASSERT_OK_AND_ASSIGN(const Decision decision, Ask(10));
  EXPECT_EQ(TypeNames(decision), std::vector<std::string>{"ExtensionRequested"});
}

TEST_F(ExtensionTest, AskingAtOrAfterTheDeadlineIsTooLate) {
  for (const TimeMs at : {kDeadline, kDeadline + kMs, kDeadline + 3 * kDay}) {
    At(at);
    const Result<Decision> result = Ask(10);
    EXPECT_REASON(result, "deadline_passed");
    EXPECT_EQ(result.status().code(), StatusCode::kConflict);
    EXPECT_EQ(result.status().details().at("deadlineMs"), std::to_string(kDeadline));
  }
}

TEST_F(ExtensionTest, AManagerCannotGrantAfterTheDeadline) {
  Accept(Ask(10));
  At(kDeadline);
  EXPECT_REASON(Decide("x1", true), "deadline_passed");
  // Once the release is written the request is closed.
  Given(Sweep("C1"));
  EXPECT_REASON(Decide("x1", true), "customer_in_pool");
  EXPECT_EQ(Customer("C1").requests.at("x1").status, RequestStatus::kClosed);
}

TEST_F(ExtensionTest, OnlyAManagerOfTheOwnersTeamDecides) {
  Accept(Ask(10));
  EXPECT_REASON(Decide("x1", true, "m2"), "not_your_team");
  EXPECT_REASON(Decide("x1", true, "s1"), "role_forbidden");
  EXPECT_REASON(Decide("x1", true, "root"), "role_forbidden");
}

TEST_F(ExtensionTest, AManagerNamedAsTheUsersManagerDecidesOutsideTheTeam) {
  AddUser("s4", events::Role::kSales, "", "m2");
  Protected("C4", "s4");
  Accept(DecideAs("s4", "C4", RequestExtension{.days = 3, .reason = "x"}));
  EXPECT_REASON(DecideAs("m1", "C4", DecideExtension{.request_id = "x1", .approve = true, .reason = ""}),
                "not_your_team");
  EXPECT_OK(DecideAs("m2", "C4", DecideExtension{.request_id = "x1", .approve = true, .reason = ""}));
}

TEST_F(ExtensionTest, DecidingAnUnknownOrAlreadyDecidedRequestIsRefused) {
  EXPECT_REASON(Decide("x9", true), "request_not_found");
  Accept(Ask(10));
  Accept(Decide("x1", false));
  const Result<Decision> again = Decide("x1", true);
  EXPECT_REASON(again, "request_not_pending");
  EXPECT_EQ(again.status().details().at("status"), "denied");
}

TEST_F(ExtensionTest, APromotionRequestIsNotAnExtensionRequest) {
  Accept(DecideAs("s1", "C1", RequestPromotion{.reason = "有意向"}));
  EXPECT_REASON(Decide("p1", true), "request_not_found");
  // Request ids are one sequence per customer across kinds.
  ASSERT_OK_AND_ASSIGN(const Decision decision, Ask(10));
  EXPECT_EQ(As<events::ExtensionRequested>(decision.events[0]).request_id, "x2");
}

TEST_F(ExtensionTest, AGrantFollowsThePolicyInForceWhenDecided) {
  Accept(Ask(20));
  events::Policy policy;
  policy.max_extension_days = 10;
  SetPolicy(policy);
  EXPECT_REASON(Decide("x1", true), "extension_too_long");
  EXPECT_OK(Decide("x1", false));
}

TEST_F(ExtensionTest, APendingExtensionIsClosedByPromotion) {
  Accept(Ask(10));
  Accept(DecideAs("s1", "C1", RequestPromotion{.reason = "有意向"}));
  Accept(DecideAs("m1", "C1", DecidePromotion{.request_id = "p2", .approve = true, .reason = ""}));
  const Result<Decision> result = Decide("x1", true);
  EXPECT_REASON(result, "request_not_pending");
  EXPECT_EQ(result.status().details().at("status"), "closed");
}

TEST_F(ExtensionTest, AnIntentionCustomerCanBeExtendedAgain) {
  Accept(Ask(10));
  Accept(Decide("x1", true));
  Accept(DecideAs("s1", "C1", RequestPromotion{.reason = "有意向"}));
  Accept(DecideAs("m1", "C1", DecidePromotion{.request_id = "p2", .approve = true, .reason = ""}));
  const TimeMs intention_deadline = Customer("C1").hold.deadline_ms;
  EXPECT_EQ(Customer("C1").extensions_granted, 0u);
  Accept(Ask(7));
  ASSERT_OK_AND_ASSIGN(const Decision decision, Decide("x3", true));
  EXPECT_EQ(As<events::ExtensionGranted>(decision.events[0]).deadline_ms, intention_deadline + 7 * kDay);
}

TEST_F(ExtensionTest, ARequestOfAnEarlierProtectionCannotBeGrantedToTheNextOwner) {
  Accept(Ask(10));
  Accept(DecideAs("s1", "C1", AbandonCustomer{.reason = "不做了"}));
  Accept(DecideAs("s2", "C1", ProtectCustomer{}));
  const Result<Decision> result = Decide("x1", true);
  EXPECT_REASON(result, "request_not_pending");
  EXPECT_EQ(result.status().details().at("status"), "closed");
}

TEST_F(ExtensionTest, AReassignedCustomersRequestIsDecidedForTheNewOwner) {
  Accept(Ask(10));
  Accept(DecideAs("m1", "C1", ReassignCustomer{.to_user_id = "s2", .reason = "s1 休假"}));
  EXPECT_REASON(Ask(5, "s2"), "request_pending");
  ASSERT_OK_AND_ASSIGN(const Decision decision, Decide("x1", true));
  EXPECT_EQ(As<events::ExtensionGranted>(decision.events[0]).deadline_ms, kDeadline + 10 * kDay);
}

}  // namespace
}  // namespace crm::aggregates
