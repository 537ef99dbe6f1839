// Rule 12: a manager moves one customer, or every customer of a departing user, to another
// user; deadlines are kept, holds that time has ended are released instead (rule 13).
#include "decider_fixture.h"
#include "testutil/status_matchers.h"

namespace crm::aggregates {
namespace {

using namespace decider_test;

class ReassignTest : public DeciderTest {
 protected:
  Result<Decision> Reassign(const std::string& customer_id, const std::string& to, const std::string& actor = "m1",
                            const std::string& reason = "s1 调岗") {
    return DecideAs(actor, customer_id, ReassignCustomer{.to_user_id = to, .reason = reason});
  }
};

TEST_F(ReassignTest, AManagerMovesACustomerKeepingItsDeadlinesAndReview) {
  Registered("C1", "s1");
  At(kT0 + kDay);
  ASSERT_OK_AND_ASSIGN(const Decision decision, Reassign("C1", "s2"));
  ASSERT_EQ(TypeNames(decision), std::vector<std::string>{"CustomerReassigned"});
  EXPECT_EQ(decision.events[0].stream_id, "customer-C1");
  EXPECT_EQ(decision.events[0].actor_id, "m1");
  EXPECT_EQ(
      As<events::CustomerReassigned>(decision.events[0]),
      (events::CustomerReassigned{.customer_id = "C1", .from_user_id = "s1", .to_user_id = "s2", .reason = "s1 调岗"}));
  Given(decision);
  const Hold& hold = Customer("C1").hold;
  EXPECT_EQ(hold.owner_id, "s2");
  EXPECT_EQ(hold.deadline_ms, kT0 + 30 * kDay);
  EXPECT_TRUE(hold.review_pending);
  EXPECT_EQ(hold.review_deadline_ms, kT0ReviewDeadline);
  EXPECT_EQ(directory().HeldCount("s1", now()), 0u);
  EXPECT_EQ(directory().HeldCount("s2", now()), 1u);
  EXPECT_REASON(DecideAs("s1", "C1", Contact()), "not_owner");
  EXPECT_OK(DecideAs("s2", "C1", Contact()));
}

TEST_F(ReassignTest, AnIntentionCustomerKeepsItsIntentionDeadline) {
  Promoted("C1", "s1");
  const Hold before = Customer("C1").hold;
  Accept(Reassign("C1", "s2"));
  EXPECT_EQ(Customer("C1").hold.stage, CustomerStage::kIntention);
  EXPECT_EQ(Customer("C1").hold.deadline_ms, before.deadline_ms);
}

TEST_F(ReassignTest, OnlyAManagerOfTheHoldersTeamReassigns) {
  Protected("C1", "s1");
  EXPECT_REASON(Reassign("C1", "s2", "s1"), "role_forbidden");
  EXPECT_REASON(Reassign("C1", "s2", "root"), "role_forbidden");
  const Result<Decision> result = Reassign("C1", "s2", "m2");
  EXPECT_REASON(result, "not_your_team");
  EXPECT_EQ(result.status().code(), StatusCode::kPermissionDenied);
}

TEST_F(ReassignTest, AReasonIsRequired) {
  Protected("C1", "s1");
  EXPECT_REASON(Reassign("C1", "s2", "m1", ""), "missing_field");
}

TEST_F(ReassignTest, TheRecipientMustBeAnActiveSalesperson) {
  Protected("C1", "s1");
  const Result<Decision> unknown = Reassign("C1", "ghost");
  EXPECT_REASON(unknown, "user_not_found");
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_REASON(Reassign("C1", "r1"), "invalid_target_user");
  EXPECT_REASON(Reassign("C1", "m1"), "invalid_target_user");
  EXPECT_REASON(Reassign("C1", "a1"), "invalid_target_user");
  Accept(UserAs("root", DeactivateUser{.user_id = "s2", .reason = "left"}));
  EXPECT_REASON(Reassign("C1", "s2"), "invalid_target_user");
}

TEST_F(ReassignTest, MovingToTheCurrentOwnerIsRefused) {
  Protected("C1", "s1");
  EXPECT_REASON(Reassign("C1", "s1"), "already_owner");
}

TEST_F(ReassignTest, TheRecipientsQuotaApplies) {
  events::Policy policy;
  policy.max_protected = 1;
  SetPolicy(policy);
  Protected("C1", "s1");
  Protected("C2", "s2");
  EXPECT_REASON(Reassign("C1", "s2"), "quota_exceeded");
}

TEST_F(ReassignTest, APoolOrLapsedCustomerCannotBeReassigned) {
  InPool("P1");
  EXPECT_REASON(Reassign("P1", "s2"), "customer_in_pool");
  Protected("C1", "s1");
  At(kT0 + 30 * kDay);
  EXPECT_REASON(Reassign("C1", "s2"), "deadline_passed");
}

TEST_F(ReassignTest, AFormalCustomerMovesBetweenAftersalesOwners) {
  AddUser("a2", events::Role::kAftersales, "");
  Formal("F1", "HT-1", 100000, "s1");
  ASSERT_OK_AND_ASSIGN(const Decision decision, Reassign("F1", "a2"));  // m1 manages s1, who signed it
  EXPECT_EQ(As<events::CustomerReassigned>(decision.events[0]).from_user_id, "a1");
  Given(decision);
  EXPECT_EQ(Customer("F1").hold.stage, CustomerStage::kFormal);
  EXPECT_EQ(Customer("F1").hold.owner_id, "a2");
  EXPECT_REASON(Reassign("F1", "a1", "m2"), "not_your_team");
  EXPECT_REASON(Reassign("F1", "s2"), "invalid_target_user");
  EXPECT_REASON(Reassign("F1", "a2"), "already_owner");
}

TEST_F(ReassignTest, AManagerNamedAsTheHoldersManagerReassigns) {
  AddUser("s4", events::Role::kSales, "", "m2");
  Protected("C1", "s4");
  EXPECT_REASON(Reassign("C1", "s3", "m1"), "not_your_team");
  EXPECT_OK(Reassign("C1", "s3", "m2"));
}

class HandoverTest : public DeciderTest {
 protected:
  static HandOverCustomers From(const std::string& from, const std::string& to,
                                const std::string& reason = "离职交接") {
    return HandOverCustomers{.from_user_id = from, .to_user_id = to, .reason = reason};
  }
};

TEST_F(HandoverTest, EveryHeldCustomerMovesAndLapsedOnesAreReleasedInstead) {
  Protected("C2", "s1");  // deadline kT0 + 30 days
  At(kT0 + 10 * kDay);
  Protected("C1", "s1");  // deadline kT0 + 40 days
  Registered("C3", "s1");
  Accept(DecideAs("r1", "C3", ReviewProtection{.approve = true, .reason = ""}));
  At(kT0 + 30 * kDay + kHour);

  ASSERT_OK_AND_ASSIGN(const Decision decision, HandoverAs("m1", From("s1", "s2")));
  ASSERT_EQ(TypeNames(decision), (std::vector<std::string>{"CustomerReassigned", "ProtectionExpired",
                                                           "CustomerReassigned", "CustomersHandedOver"}));
  EXPECT_EQ(decision.events[0].stream_id, "customer-C1");
  EXPECT_EQ(decision.events[0].actor_id, "m1");
  EXPECT_EQ(As<events::CustomerReassigned>(decision.events[0]),
            (events::CustomerReassigned{
                .customer_id = "C1", .from_user_id = "s1", .to_user_id = "s2", .reason = "离职交接"}));
  EXPECT_EQ(decision.events[1].stream_id, "customer-C2");
  EXPECT_EQ(decision.events[1].actor_id, "system");
  EXPECT_EQ(decision.events[1].effective_at_ms, std::optional<TimeMs>(kT0 + 30 * kDay));
  EXPECT_EQ(As<events::ProtectionExpired>(decision.events[1]).owner_id, "s1");
  EXPECT_EQ(As<events::CustomerReassigned>(decision.events[2]).customer_id, "C3");
  EXPECT_EQ(decision.events[3].stream_id, "user-s1");
  EXPECT_EQ(decision.events[3].actor_id, "m1");
  EXPECT_EQ(As<events::CustomersHandedOver>(decision.events[3]),
            (events::CustomersHandedOver{
                .from_user_id = "s1", .to_user_id = "s2", .reason = "离职交接", .customer_ids = {"C1", "C3"}}));

  Given(decision);
  EXPECT_EQ(Customer("C1").hold.owner_id, "s2");
  EXPECT_EQ(Customer("C1").hold.deadline_ms, kT0 + 40 * kDay);
  EXPECT_EQ(Customer("C3").hold.owner_id, "s2");
  EXPECT_EQ(Customer("C2").hold.stage, CustomerStage::kPool);
  EXPECT_TRUE(directory().CustomersOwnedBy("s1").empty());
  EXPECT_EQ(directory().CustomersOwnedBy("s2"), (std::vector<std::string>{"C1", "C3"}));
}

TEST_F(HandoverTest, ADeactivatedSalespersonsCustomersAreNotLost) {
  Protected("C1", "s1");
  Promoted("C2", "s1");
  Accept(UserAs("root", DeactivateUser{.user_id = "s1", .reason = "离职"}));
  ASSERT_OK_AND_ASSIGN(const Decision decision, HandoverAs("m1", From("s1", "s2")));
  Given(decision);
  EXPECT_EQ(Customer("C1").hold.owner_id, "s2");
  EXPECT_EQ(Customer("C2").hold.owner_id, "s2");
  EXPECT_EQ(Customer("C2").hold.stage, CustomerStage::kIntention);
}

TEST_F(HandoverTest, AUserWithNothingRecordsAnEmptyHandover) {
  ASSERT_OK_AND_ASSIGN(const Decision decision, HandoverAs("m1", From("s1", "s2")));
  ASSERT_EQ(TypeNames(decision), std::vector<std::string>{"CustomersHandedOver"});
  EXPECT_TRUE(As<events::CustomersHandedOver>(decision.events[0]).customer_ids.empty());
}

TEST_F(HandoverTest, OnlyTheUsersManagerHandsOver) {
  Protected("C1", "s1");
  EXPECT_REASON(HandoverAs("s2", From("s1", "s2")), "role_forbidden");
  EXPECT_REASON(HandoverAs("root", From("s1", "s2")), "role_forbidden");
  EXPECT_REASON(HandoverAs("m2", From("s1", "s3")), "not_your_team");
  Accept(UserAs("root", DeactivateUser{.user_id = "m1", .reason = "left"}));
  EXPECT_REASON(HandoverAs("m1", From("s1", "s2")), "user_deactivated");
}

TEST_F(HandoverTest, BothUsersMustExistAndDiffer) {
  Protected("C1", "s1");
  EXPECT_REASON(HandoverAs("m1", From("ghost", "s2")), "user_not_found");
  EXPECT_REASON(HandoverAs("m1", From("s1", "ghost")), "user_not_found");
  const Result<Decision> same = HandoverAs("m1", From("s1", "s1"));
  EXPECT_REASON(same, "same_user");
  EXPECT_EQ(same.status().code(), StatusCode::kInvalidArgument);
  EXPECT_REASON(HandoverAs("m1", From("s1", "s2", " ")), "missing_field");
}

TEST_F(HandoverTest, TheRecipientMustBeAbleToHoldThem) {
  Protected("C1", "s1");
  EXPECT_REASON(HandoverAs("m1", From("s1", "r1")), "invalid_target_user");
  EXPECT_REASON(HandoverAs("m1", From("s1", "a1")), "invalid_target_user");
  Accept(UserAs("root", DeactivateUser{.user_id = "s2", .reason = "left"}));
  EXPECT_REASON(HandoverAs("m1", From("s1", "s2")), "invalid_target_user");
}

TEST_F(HandoverTest, TheRecipientsQuotaAppliesToTheWholeHandover) {
  events::Policy policy;
  policy.max_protected = 2;
  SetPolicy(policy);
  Protected("C1", "s1");
  Protected("C2", "s1");
  Protected("C3", "s2");
  const Result<Decision> result = HandoverAs("m1", From("s1", "s2"));
  EXPECT_REASON(result, "quota_exceeded");
  EXPECT_EQ(result.status().details().at("held"), "1");
  EXPECT_OK(HandoverAs("m1", From("s1", "s3")));  // to another team: allowed, s3 holds none
}

TEST_F(HandoverTest, AHandoverOfMoreThanTheMaximumIsRefused) {
  const std::vector<CustomerState> owned(kHandoverCustomersMax + 1);
  const Result<Decision> result = HandoverAs("m1", From("s1", "s2"), owned);
  EXPECT_REASON(result, "handover_too_large");
  EXPECT_EQ(result.status().code(), StatusCode::kTooLarge);
}

TEST_F(HandoverTest, AnAftersalesUsersFormalCustomersGoToAnotherAftersalesUser) {
  AddUser("a2", events::Role::kAftersales, "east");
  AddUser("a3", events::Role::kAftersales, "east");
  Promoted("F1", "s1");
  SignContract signing = Signing("HT-1", 5000);
  signing.aftersales_owner_id = "a2";
  Accept(DecideAs("s1", "F1", signing));
  EXPECT_REASON(HandoverAs("m1", From("a2", "s2")), "invalid_target_user");
  ASSERT_OK_AND_ASSIGN(const Decision decision, HandoverAs("m1", From("a2", "a3")));
  EXPECT_EQ(TypeNames(decision), (std::vector<std::string>{"CustomerReassigned", "CustomersHandedOver"}));
  Given(decision);
  EXPECT_EQ(Customer("F1").hold.owner_id, "a3");
  EXPECT_EQ(Customer("F1").hold.stage, CustomerStage::kFormal);
}

TEST_F(HandoverTest, AHandoverToAnInvalidRecipientIsRefusedEvenWithNothingToMove) {
  Accept(UserAs("root", DeactivateUser{.user_id = "s2", .reason = "left"}));
  EXPECT_REASON(HandoverAs("m1", From("s1", "s2")), "invalid_target_user");
}

}  // namespace
}  // namespace crm::aggregates
