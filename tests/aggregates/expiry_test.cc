// Rules 6 and 13: POTENTIAL lasts 30 x 24 hours; a deadline is a fact of time. A command at or
// after the deadline sees the customer in the pool, and its decision starts with the due
// release (actor "system", effective at the deadline). A refused command returns no events.
#include "decider_fixture.h"
#include "testutil/status_matchers.h"

namespace crm::aggregates {
namespace {

using namespace decider_test;

class ExpiryTest : public DeciderTest {
 protected:
  void SetUp() override { Protected("C1", "s1"); }

  static RecordFollowUp Notes() {
    return RecordFollowUp{
        .channel = events::FollowUpChannel::kPhone, .notes = "电话沟通", .next_contact_at_ms = std::nullopt};
  }
};

TEST_F(ExpiryTest, ThirtyDaysAreThirtyTimesTwentyFourHours) {
  EXPECT_EQ(Customer("C1").hold.deadline_ms, Ms("2026-04-01T02:00:00Z"));
  EXPECT_EQ(Customer("C1").hold.deadline_ms - kT0, 30 * 86400000LL);
}

TEST_F(ExpiryTest, OneMillisecondBeforeTheDeadlineTheCustomerIsStillHeld) {
  At(kDeadline - kMs);
  EXPECT_TRUE(Sweep("C1").events.empty());
  EXPECT_REASON(DecideAs("s2", "C1", ProtectCustomer{}), "already_protected");
  ASSERT_OK_AND_ASSIGN(const Decision decision, DecideAs("s1", "C1", Notes()));
  EXPECT_EQ(TypeNames(decision), std::vector<std::string>{"FollowUpRecorded"}) << "no release before the deadline";
  EXPECT_EQ(directory().HeldCount("s1", now()), 1u);
  EXPECT_TRUE(directory().DueForRelease(now(), 10).empty());
}

TEST_F(ExpiryTest, AtTheDeadlineAClaimStartsWithTheDueRelease) {
  At(kDeadline);
  ASSERT_OK_AND_ASSIGN(const Decision decision, DecideAs("s2", "C1", ProtectCustomer{}));
  ASSERT_EQ(TypeNames(decision), (std::vector<std::string>{"ProtectionExpired", "CustomerProtected"}));

  const DecidedEvent& release = decision.events[0];
  EXPECT_EQ(release.stream_id, "customer-C1");
  EXPECT_EQ(release.actor_id, "system");
  EXPECT_EQ(release.effective_at_ms, std::optional<TimeMs>(kDeadline));
  EXPECT_EQ(
      As<events::ProtectionExpired>(release),
      (events::ProtectionExpired{
          .customer_id = "C1", .owner_id = "s1", .stage = events::HeldStage::kPotential, .deadline_ms = kDeadline}));

  const DecidedEvent& claim = decision.events[1];
  EXPECT_EQ(claim.actor_id, "s2");
  EXPECT_EQ(claim.effective_at_ms, std::nullopt);
  EXPECT_EQ(As<events::CustomerProtected>(claim),
            (events::CustomerProtected{.customer_id = "C1",
                                       .owner_id = "s2",
                                       .source = events::ProtectionSource::kPool,
                                       .deadline_ms = kDeadline + 30 * kDay,
                                       .review_deadline_ms = Ms("2026-04-06T02:00:00Z")}));  // Wed -> Mon

  Given(decision);
  EXPECT_EQ(Customer("C1").hold.owner_id, "s2");
  const std::vector<events::RecordedEvent> stream = Stream("customer-C1");
  EXPECT_EQ(stream[stream.size() - 2].envelope.effective_at_ms, kDeadline);
  EXPECT_EQ(stream[stream.size() - 2].envelope.actor_id, "system");
}

TEST_F(ExpiryTest, AfterTheDeadlineTheReleaseIsStillEffectiveAtTheDeadline) {
  At(kDeadline + kMs);
  ASSERT_OK_AND_ASSIGN(const Decision decision, DecideAs("s2", "C1", ProtectCustomer{}));
  ASSERT_EQ(decision.events.size(), 2u);
  EXPECT_EQ(decision.events[0].effective_at_ms, std::optional<TimeMs>(kDeadline));
  EXPECT_EQ(As<events::ProtectionExpired>(decision.events[0]).deadline_ms, kDeadline);
  EXPECT_EQ(As<events::CustomerProtected>(decision.events[1]).deadline_ms, kDeadline + kMs + 30 * kDay);
}

TEST_F(ExpiryTest, TheLapsedOwnerIsToldTheDeadlinePassed) {
  for (const TimeMs at : {kDeadline, kDeadline + kMs}) {
    At(at);
    const Result<Decision> result = DecideAs("s1", "C1", Notes());
    EXPECT_REASON(result, "deadline_passed");
    EXPECT_EQ(result.status().details().at("deadlineMs"), std::to_string(kDeadline));
  }
  EXPECT_REASON(DecideAs("s2", "C1", Notes()), "customer_in_pool");
}

TEST_F(ExpiryTest, ARefusedCommandReturnsNoEventsNotEvenTheDueRelease) {
  Accept(UserAs("root", DeactivateUser{.user_id = "s3", .reason = "left"}));
  At(kDeadline + kHour);
  const std::size_t events_before = Stream("customer-C1").size();
  for (const Result<Decision>& refused :
       {DecideAs("s1", "C1", Notes()), DecideAs("s2", "C1", Contact()), DecideAs("m1", "C1", ProtectCustomer{}),
        DecideAs("s3", "C1", ProtectCustomer{}),
        DecideAs("r1", "C1", ReviewProtection{.approve = true, .reason = ""})}) {
    EXPECT_FALSE(refused.ok());
  }
  EXPECT_EQ(Stream("customer-C1").size(), events_before);
  // The sweeper writes it.
  EXPECT_EQ(TypeNames(Sweep("C1")), std::vector<std::string>{"ProtectionExpired"});
}

TEST_F(ExpiryTest, TheSweeperReleasesOnceAndThenTheCustomerIsPlainlyInThePool) {
  At(kDeadline + kDay);
  const Decision sweep = Sweep("C1");
  ASSERT_EQ(sweep.events.size(), 1u);
  EXPECT_EQ(sweep.events[0].actor_id, "system");
  EXPECT_EQ(sweep.events[0].effective_at_ms, std::optional<TimeMs>(kDeadline));
  Given(sweep);
  EXPECT_TRUE(Sweep("C1").events.empty());
  EXPECT_EQ(Customer("C1").pool_reason, PoolReason::kExpired);
  EXPECT_EQ(Customer("C1").pool_entered_ms, kDeadline);
  // With the release written there is no lapsed owner to tell.
  EXPECT_REASON(DecideAs("s1", "C1", Notes()), "customer_in_pool");
  ASSERT_OK_AND_ASSIGN(const Decision claim, DecideAs("s2", "C1", ProtectCustomer{}));
  EXPECT_EQ(TypeNames(claim), std::vector<std::string>{"CustomerProtected"});
}

TEST_F(ExpiryTest, EveryReaderSeesThePoolAtTheDeadline) {
  EXPECT_EQ(directory().HeldCount("s1", kDeadline - kMs), 1u);
  EXPECT_EQ(directory().HeldCount("s1", kDeadline), 0u);
  EXPECT_TRUE(directory().FindHold("C1")->HeldAt(kDeadline - kMs));
  EXPECT_FALSE(directory().FindHold("C1")->HeldAt(kDeadline));
  EXPECT_EQ(directory().DueForRelease(kDeadline, 10), std::vector<std::string>{"C1"});
  EXPECT_EQ(DueRelease(Customer("C1"), kDeadline - kMs), std::nullopt);
  EXPECT_TRUE(DueRelease(Customer("C1"), kDeadline).has_value());
}

TEST_F(ExpiryTest, AFormalCustomerIsNeverReleased) {
  Formal("F1");
  At(kT0 + 3650 * kDay);
  EXPECT_TRUE(Sweep("F1").events.empty());
  EXPECT_EQ(DueRelease(Customer("F1"), now()), std::nullopt);
  EXPECT_REASON(DecideAs("s2", "F1", ProtectCustomer{}), "customer_formal");
  EXPECT_EQ(Customer("F1").hold.stage, CustomerStage::kFormal);
  // The after-sales owner still works it, with no release in front.
  ASSERT_OK_AND_ASSIGN(const Decision decision, DecideAs("a1", "F1", Notes()));
  EXPECT_EQ(TypeNames(decision), std::vector<std::string>{"FollowUpRecorded"});
}

TEST_F(ExpiryTest, AReassignedCustomerKeepsItsDeadlineAndExpiresForItsNewOwner) {
  At(kT0 + 10 * kDay);
  Accept(DecideAs("m1", "C1", ReassignCustomer{.to_user_id = "s2", .reason = "s1 离职"}));
  EXPECT_EQ(Customer("C1").hold.deadline_ms, kDeadline);
  At(kDeadline);
  const Decision sweep = Sweep("C1");
  ASSERT_EQ(sweep.events.size(), 1u);
  EXPECT_EQ(As<events::ProtectionExpired>(sweep.events[0]).owner_id, "s2");
}

TEST_F(ExpiryTest, AnyCommandOnALapsedCustomerCarriesTheReleaseFirst) {
  At(kDeadline + 2 * kHour);
  ASSERT_OK_AND_ASSIGN(const Decision decision, DecideAs("s3", "C1", ProtectCustomer{}));
  Given(decision);
  ASSERT_OK_AND_ASSIGN(const Decision contact, DecideAs("s3", "C1", Contact()));
  EXPECT_EQ(TypeNames(contact), std::vector<std::string>{"ContactAdded"}) << "released once, by the claim";
}

TEST_F(ExpiryTest, PotentialDaysIsAPolicyValue) {
  events::Policy policy;
  policy.potential_days = 45;
  SetPolicy(policy);
  Registered("C2", "s2");
  EXPECT_EQ(Customer("C2").hold.deadline_ms, kT0 + 45 * kDay);
  // Customers protected before the change keep their deadline.
  EXPECT_EQ(Customer("C1").hold.deadline_ms, kDeadline);
}

TEST_F(ExpiryTest, TheLapsedOwnerWaitsTheCooldownFromTheDeadlineOthersDoNot) {
  // Without it a salesperson could renew a protection forever by claiming it back the moment it
  // lapses (docs/rules.md); everyone else may claim it at once.
  At(kDeadline);
  EXPECT_REASON(DecideAs("s1", "C1", ProtectCustomer{}), "cooldown_active");
  ASSERT_OK_AND_ASSIGN(const Decision decision, DecideAs("s2", "C1", ProtectCustomer{}));
  EXPECT_EQ(TypeNames(decision), (std::vector<std::string>{"ProtectionExpired", "CustomerProtected"}));
  EXPECT_EQ(As<events::CustomerProtected>(decision.events[1]).owner_id, "s2");

  Given(DecideDueRelease(Customer("C1"), kDeadline));
  At(kDeadline + 3 * kDay - kMs);
  const auto early = DecideAs("s1", "C1", ProtectCustomer{});
  EXPECT_REASON(early, "cooldown_active");
  EXPECT_EQ(early.status().details().at("untilMs"), std::to_string(kDeadline + 3 * kDay));
  At(kDeadline + 3 * kDay);
  EXPECT_OK(DecideAs("s1", "C1", ProtectCustomer{}));
}

}  // namespace
}  // namespace crm::aggregates
