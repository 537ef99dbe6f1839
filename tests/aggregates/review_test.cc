// Rule 4: a reviewer approves or rejects a new protection within 3 working days, else the
// system releases it (rule 13: counted in the company's zone, skipping weekends and holidays).
#include "decider_fixture.h"
#include "testutil/status_matchers.h"

namespace crm::aggregates {
namespace {

using namespace decider_test;

constexpr TimeMs kFriday1000 = Ms("2026-03-06T02:00:00Z");     // Friday 6 March, 10:00 Shanghai
constexpr TimeMs kWednesday1000 = Ms("2026-03-11T02:00:00Z");  // Wednesday 11 March, 10:00
constexpr TimeMs kThursday1000 = Ms("2026-03-12T02:00:00Z");   // Thursday 12 March, 10:00

class ReviewTest : public DeciderTest {};

TEST_F(ReviewTest, ApprovalPutsTheProtectionInForce) {
  Registered("C1", "s1");
  At(kT0 + kHour);
  ASSERT_OK_AND_ASSIGN(const Decision decision, DecideAs("r1", "C1", ReviewProtection{.approve = true, .reason = ""}));
  ASSERT_EQ(TypeNames(decision), std::vector<std::string>{"ProtectionApproved"});
  EXPECT_EQ(decision.events[0].stream_id, "customer-C1");
  EXPECT_EQ(decision.events[0].actor_id, "r1");
  EXPECT_EQ(As<events::ProtectionApproved>(decision.events[0]),
            (events::ProtectionApproved{.customer_id = "C1", .owner_id = "s1", .reason = ""}));
  Given(decision);
  const Hold& hold = Customer("C1").hold;
  EXPECT_FALSE(hold.review_pending);
  EXPECT_EQ(hold.stage, CustomerStage::kPotential);
  EXPECT_EQ(hold.deadline_ms, kT0 + 30 * kDay);  // still 30 days from the protection
  // After approval only the 30-day deadline can release it.
  At(kT0ReviewDeadline);
  EXPECT_TRUE(Sweep("C1").events.empty());
}

TEST_F(ReviewTest, RejectionNeedsAReasonAndReturnsTheCustomerToThePoolAtOnce) {
  Registered("C1", "s1");
  EXPECT_REASON(DecideAs("r1", "C1", ReviewProtection{.approve = false, .reason = ""}), "missing_field");
  EXPECT_REASON(DecideAs("r1", "C1", ReviewProtection{.approve = false, .reason = " "}), "missing_field");
  At(kT0 + kHour);
  ASSERT_OK_AND_ASSIGN(const Decision decision,
                       DecideAs("r1", "C1", ReviewProtection{.approve = false, .reason = "地址不完整"}));
  EXPECT_EQ(As<events::ProtectionRejected>(decision.events[0]),
            (events::ProtectionRejected{.customer_id = "C1", .owner_id = "s1", .reason = "地址不完整"}));
  Given(decision);
  EXPECT_EQ(Customer("C1").hold.stage, CustomerStage::kPool);
  EXPECT_EQ(Customer("C1").pool_reason, PoolReason::kRejected);
  EXPECT_EQ(Customer("C1").pool_entered_ms, kT0 + kHour);
  EXPECT_EQ(directory().HeldCount("s1", now()), 0u);
  // Rejection is not abandonment: no cooldown, the salesperson may fix the data and claim it.
  EXPECT_OK(DecideAs("s1", "C1", ProtectCustomer{}));
}

TEST_F(ReviewTest, OnlyAPendingProtectionCanBeReviewed) {
  Protected("C1", "s1");
  EXPECT_REASON(DecideAs("r1", "C1", ReviewProtection{.approve = true, .reason = ""}), "review_not_pending");
  EXPECT_REASON(DecideAs("r1", "C1", ReviewProtection{.approve = false, .reason = "x"}), "review_not_pending");
  InPool("P1");
  EXPECT_REASON(DecideAs("r1", "P1", ReviewProtection{.approve = true, .reason = ""}), "review_not_pending");
  Formal("F1", "HT-1");
  EXPECT_REASON(DecideAs("r1", "F1", ReviewProtection{.approve = true, .reason = ""}), "review_not_pending");
}

TEST_F(ReviewTest, OnlyReviewersReview) {
  Registered("C1", "s1");
  for (const std::string actor : {"s1", "m1", "a1", "f1", "au1", "root"}) {
    SCOPED_TRACE(actor);
    EXPECT_REASON(DecideAs(actor, "C1", ReviewProtection{.approve = true, .reason = ""}), "role_forbidden");
  }
}

TEST_F(ReviewTest, AReasonMustBeValidText) {
  Registered("C1", "s1");
  EXPECT_REASON(DecideAs("r1", "C1", ReviewProtection{.approve = true, .reason = "\xC3"}), "invalid_utf8");
  EXPECT_REASON(DecideAs("r1", "C1", ReviewProtection{.approve = false, .reason = std::string(8001, 'x')}),
                "text_too_long");
}

TEST_F(ReviewTest, APoolClaimIsReviewedToo) {
  InPool("C1");
  Accept(DecideAs("s1", "C1", ProtectCustomer{}));
  EXPECT_TRUE(Customer("C1").hold.review_pending);
  EXPECT_OK(DecideAs("r1", "C1", ReviewProtection{.approve = true, .reason = ""}));
}

TEST_F(ReviewTest, ReviewIsPossibleUntilOneMillisecondBeforeTheReviewDeadline) {
  Registered("C1", "s1");
  At(kT0ReviewDeadline - kMs);
  ASSERT_OK_AND_ASSIGN(const Decision decision, DecideAs("r1", "C1", ReviewProtection{.approve = true, .reason = ""}));
  EXPECT_EQ(TypeNames(decision), std::vector<std::string>{"ProtectionApproved"});
  EXPECT_TRUE(Sweep("C1").events.empty());
}

TEST_F(ReviewTest, AtTheReviewDeadlineTheProtectionHasTimedOut) {
  Registered("C1", "s1");
  At(kT0ReviewDeadline);
  // The refusal carries no events, not even the due release.
  EXPECT_REASON(DecideAs("r1", "C1", ReviewProtection{.approve = true, .reason = ""}), "review_not_pending");
  const Decision sweep = Sweep("C1");
  ASSERT_EQ(TypeNames(sweep), std::vector<std::string>{"ProtectionReviewTimedOut"});
  EXPECT_EQ(sweep.events[0].actor_id, "system");
  EXPECT_EQ(sweep.events[0].stream_id, "customer-C1");
  EXPECT_EQ(sweep.events[0].effective_at_ms, std::optional<TimeMs>(kT0ReviewDeadline));
  EXPECT_EQ(As<events::ProtectionReviewTimedOut>(sweep.events[0]),
            (events::ProtectionReviewTimedOut{
                .customer_id = "C1", .owner_id = "s1", .review_deadline_ms = kT0ReviewDeadline}));
}

TEST_F(ReviewTest, TheSweepersReleaseIsEffectiveAtTheReviewDeadlineWhenWrittenLater) {
  Registered("C1", "s1");
  At(kT0ReviewDeadline + 5 * kHour);
  const Decision sweep = Sweep("C1");
  ASSERT_EQ(sweep.events.size(), 1u);
  EXPECT_EQ(sweep.events[0].effective_at_ms, std::optional<TimeMs>(kT0ReviewDeadline));
  Given(sweep);
  EXPECT_EQ(Customer("C1").hold.stage, CustomerStage::kPool);
  EXPECT_EQ(Customer("C1").pool_reason, PoolReason::kReviewTimedOut);
  EXPECT_EQ(Customer("C1").pool_entered_ms, kT0ReviewDeadline);
  EXPECT_TRUE(Sweep("C1").events.empty()) << "released once only";
  EXPECT_EQ(Stream("customer-C1").back().envelope.effective_at_ms, kT0ReviewDeadline);
}

TEST_F(ReviewTest, FridayPlusThreeWorkingDaysIsWednesday) {
  At(kFriday1000);
  ASSERT_OK_AND_ASSIGN(const Decision decision, RegisterAs("s1", Registration("C1")));
  const auto& protection = As<events::CustomerProtected>(decision.events[1]);
  EXPECT_EQ(protection.review_deadline_ms, kWednesday1000);
  EXPECT_EQ(protection.deadline_ms, kFriday1000 + 30 * kDay);
}

TEST_F(ReviewTest, AHolidayOnMondayMovesTheReviewDeadlineToThursday) {
  events::Policy policy;
  policy.holidays = {"2026-03-09"};
  SetPolicy(policy);
  At(kFriday1000);
  Registered("C1", "s1");
  EXPECT_EQ(Customer("C1").hold.review_deadline_ms, kThursday1000);

  At(kWednesday1000);  // no longer the deadline
  EXPECT_TRUE(Sweep("C1").events.empty());
  At(kThursday1000 - kMs);
  EXPECT_TRUE(Sweep("C1").events.empty());
  EXPECT_REASON(DecideAs("s2", "C1", ProtectCustomer{}), "already_protected");

  At(kThursday1000);
  ASSERT_OK_AND_ASSIGN(const Decision decision, DecideAs("s2", "C1", ProtectCustomer{}));
  ASSERT_EQ(TypeNames(decision), (std::vector<std::string>{"ProtectionReviewTimedOut", "CustomerProtected"}));
  EXPECT_EQ(decision.events[0].actor_id, "system");
  EXPECT_EQ(decision.events[0].effective_at_ms, std::optional<TimeMs>(kThursday1000));
  EXPECT_EQ(As<events::ProtectionReviewTimedOut>(decision.events[0]).review_deadline_ms, kThursday1000);
  EXPECT_EQ(As<events::ProtectionReviewTimedOut>(decision.events[0]).owner_id, "s1");
  const auto& claim = As<events::CustomerProtected>(decision.events[1]);
  EXPECT_EQ(claim.owner_id, "s2");
  EXPECT_EQ(decision.events[1].actor_id, "s2");
  // Thursday 10:00 + 3 working days (Friday, Monday, Tuesday) = Tuesday 17 March 10:00.
  EXPECT_EQ(claim.review_deadline_ms, Ms("2026-03-17T02:00:00Z"));
}

TEST_F(ReviewTest, TheOwnerOfATimedOutProtectionIsToldTheDeadlinePassed) {
  Registered("C1", "s1");
  At(kT0ReviewDeadline);
  const Result<Decision> result =
      DecideAs("s1", "C1",
               RecordFollowUp{
                   .channel = events::FollowUpChannel::kPhone, .notes = "called", .next_contact_at_ms = std::nullopt});
  EXPECT_REASON(result, "deadline_passed");
  EXPECT_EQ(result.status().details().at("deadlineMs"), std::to_string(kT0ReviewDeadline));
}

TEST_F(ReviewTest, WhenThePotentialDeadlineComesFirstTheReleaseIsAnExpiry) {
  events::Policy policy;
  policy.potential_days = 1;
  SetPolicy(policy);
  Registered("C1", "s1");
  At(kT0 + kDay);
  const Decision sweep = Sweep("C1");
  ASSERT_EQ(TypeNames(sweep), std::vector<std::string>{"ProtectionExpired"});
  EXPECT_EQ(sweep.events[0].effective_at_ms, std::optional<TimeMs>(kT0 + kDay));
  EXPECT_EQ(
      As<events::ProtectionExpired>(sweep.events[0]),
      (events::ProtectionExpired{
          .customer_id = "C1", .owner_id = "s1", .stage = events::HeldStage::kPotential, .deadline_ms = kT0 + kDay}));
}

TEST_F(ReviewTest, TheReviewDeadlineFollowsThePolicysWorkingDays) {
  events::Policy policy;
  policy.review_working_days = 5;
  SetPolicy(policy);
  Registered("C1", "s1");
  EXPECT_EQ(Customer("C1").hold.review_deadline_ms, kT0 + 7 * kDay);  // Monday -> next Monday
}

}  // namespace
}  // namespace crm::aggregates
