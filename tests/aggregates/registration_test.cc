// Rule 2: registering a new customer protects it for the registering salesperson; duplicates,
// incomplete data and the holding quota are refused.
#include "decider_fixture.h"
#include "testutil/status_matchers.h"

namespace crm::aggregates {
namespace {

using namespace decider_test;

class RegistrationTest : public DeciderTest {};

TEST_F(RegistrationTest, RegisteringRecordsTheCustomerAndProtectsItForTheCaller) {
  RegisterCustomer command = Registration("C1", "靖江市春意空调有限公司");
  command.website = "https://chunyi.example.com";
  ASSERT_OK_AND_ASSIGN(const Decision decision, RegisterAs("s1", command));

  ASSERT_EQ(TypeNames(decision), (std::vector<std::string>{"CustomerRegistered", "CustomerProtected"}));
  for (const DecidedEvent& decided : decision.events) {
    EXPECT_EQ(decided.stream_id, "customer-C1");
    EXPECT_EQ(decided.actor_id, "s1");
    EXPECT_EQ(decided.effective_at_ms, std::nullopt);
  }
  const auto& registered = As<events::CustomerRegistered>(decision.events[0]);
  EXPECT_EQ(registered.customer_id, "C1");
  EXPECT_EQ(registered.name, "靖江市春意空调有限公司");
  EXPECT_EQ(registered.normalized_name, "靖江市春意空调有限公司");
  EXPECT_EQ(registered.region, command.region);
  EXPECT_EQ(registered.industry, command.industry);
  EXPECT_EQ(registered.address, command.address);
  EXPECT_EQ(registered.phone, command.phone);
  EXPECT_EQ(registered.intro, command.intro);
  EXPECT_EQ(registered.website, "https://chunyi.example.com");

  const events::CustomerProtected expected{.customer_id = "C1",
                                           .owner_id = "s1",
                                           .source = events::ProtectionSource::kRegistration,
                                           .deadline_ms = kT0 + 30 * kDay,
                                           .review_deadline_ms = kT0ReviewDeadline};
  EXPECT_EQ(As<events::CustomerProtected>(decision.events[1]), expected);
}

TEST_F(RegistrationTest, TheRegisteredCustomerIsPotentialPendingReview) {
  Registered("C1", "s1");
  const CustomerState& state = Customer("C1");
  EXPECT_EQ(state.hold.stage, CustomerStage::kPotential);
  EXPECT_EQ(state.hold.owner_id, "s1");
  EXPECT_TRUE(state.hold.review_pending);
  EXPECT_EQ(state.hold.deadline_ms, kT0 + 30 * kDay);
  EXPECT_EQ(state.hold.review_deadline_ms, kT0ReviewDeadline);
  EXPECT_EQ(directory().HeldCount("s1", now()), 1u);
}

TEST_F(RegistrationTest, TheNameIsNormalisedForWidthCaseAndSpaces) {
  ASSERT_OK_AND_ASSIGN(const Decision decision, RegisterAs("s1", Registration("C1", "靖江市ＡＢＣ 空调　有限公司")));
  EXPECT_EQ(As<events::CustomerRegistered>(decision.events[0]).normalized_name, "靖江市abc空调有限公司");
  EXPECT_EQ(As<events::CustomerRegistered>(decision.events[0]).name, "靖江市ＡＢＣ 空调　有限公司");
}

TEST_F(RegistrationTest, ANameWhoseNormalFormExistsIsADuplicateWithTheExistingCustomer) {
  Accept(RegisterAs("s1", Registration("C1", "靖江市ABC空调有限公司")));
  const Result<Decision> duplicate = RegisterAs("s2", Registration("C2", " 靖江市ａｂｃ 空调有限公司 "));
  EXPECT_REASON(duplicate, "duplicate_name");
  EXPECT_EQ(duplicate.status().code(), StatusCode::kConflict);
  const StatusDetails& details = duplicate.status().details();
  EXPECT_EQ(details.at("existingCustomerId"), "C1");
  EXPECT_EQ(details.at("stage"), "potential");
  EXPECT_EQ(details.at("ownerId"), "s1");
}

TEST_F(RegistrationTest, ADuplicateOfACustomerWhoseHoldHasLapsedReadsAsPool) {
  Protected("C1", "s1");
  At(kT0 + 30 * kDay);  // the deadline: no release written yet, but the customer is in the pool
  const Result<Decision> duplicate = RegisterAs("s2", Registration("C2", "靖江市C1空调有限公司"));
  EXPECT_REASON(duplicate, "duplicate_name");
  EXPECT_EQ(duplicate.status().details().at("stage"), "pool");
  EXPECT_EQ(duplicate.status().details().count("ownerId"), 0u);
}

TEST_F(RegistrationTest, ADuplicateOfAFormalCustomerNamesItsAftersalesOwner) {
  Formal("C1");
  const Result<Decision> duplicate = RegisterAs("s2", Registration("C2", "靖江市C1空调有限公司"));
  EXPECT_REASON(duplicate, "duplicate_name");
  EXPECT_EQ(duplicate.status().details().at("stage"), "formal");
  EXPECT_EQ(duplicate.status().details().at("ownerId"), "a1");
}

TEST_F(RegistrationTest, EveryRequiredFieldIsRequired) {
  const std::vector<std::pair<std::string, std::string RegisterCustomer::*>> fields = {
      {"name", &RegisterCustomer::name},         {"region", &RegisterCustomer::region},
      {"industry", &RegisterCustomer::industry}, {"address", &RegisterCustomer::address},
      {"phone", &RegisterCustomer::phone},       {"intro", &RegisterCustomer::intro}};
  for (const auto& [field, member] : fields) {
    for (const std::string blank : {"", "  \t\n"}) {
      RegisterCustomer command = Registration("C1");
      command.*member = blank;
      const Result<Decision> result = RegisterAs("s1", command);
      SCOPED_TRACE(field);
      EXPECT_REASON(result, "missing_field");
      EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(result.status().details().at("field"), field);
    }
  }
}

TEST_F(RegistrationTest, TheWebsiteIsOptional) {
  RegisterCustomer command = Registration("C1");
  command.website = "";
  EXPECT_OK(RegisterAs("s1", command));
}

TEST_F(RegistrationTest, ThePhoneMustBeALandlineWithAreaCodeOrAMobile) {
  for (const std::string phone : {"84561234", "12345", "0523-845", "phone", "138-1234-5678"}) {
    RegisterCustomer command = Registration("C1");
    command.phone = phone;
    SCOPED_TRACE(phone);
    EXPECT_REASON(RegisterAs("s1", command), "invalid_phone");
  }
  for (const std::string phone : {"0523-84561234", "01088886666", "13812345678", "0523-84561234-801"}) {
    RegisterCustomer command = Registration("C1");
    command.phone = phone;
    EXPECT_OK(RegisterAs("s1", command)) << phone;
  }
}

TEST_F(RegistrationTest, ANameOfFewerThanFourCharactersIsRefused) {
  EXPECT_REASON(RegisterAs("s1", Registration("C1", "春意")), "name_too_short");
  EXPECT_REASON(RegisterAs("s1", Registration("C1", "春 意 空")), "name_too_short");
  // Only ideographic spaces (what a Chinese input method types) is no name at all.
  EXPECT_REASON(RegisterAs("s1", Registration("C1", "　　　　　")), "missing_field");
  EXPECT_OK(RegisterAs("s1", Registration("C1", "春意空调")));
}

TEST_F(RegistrationTest, MalformedUtf8IsRefused) {
  EXPECT_REASON(RegisterAs("s1", Registration("C1", "靖江市\xC0\xAF空调有限公司")), "invalid_utf8");
  RegisterCustomer command = Registration("C1");
  command.intro = "truncated \xE6\x98";
  EXPECT_REASON(RegisterAs("s1", command), "invalid_utf8");
  command = Registration("C1");
  command.website = "\xFF";
  EXPECT_REASON(RegisterAs("s1", command), "invalid_utf8");
}

TEST_F(RegistrationTest, OverlongFieldsAreRefused) {
  RegisterCustomer command = Registration("C1", std::string(290, 'a') + "有限公司");
  ASSERT_GT(command.name.size(), 300u);
  EXPECT_REASON(RegisterAs("s1", command), "text_too_long");
  command = Registration("C1");
  command.intro = std::string(8001, 'x');
  EXPECT_REASON(RegisterAs("s1", command), "text_too_long");
  command.intro = std::string(8000, 'x');
  EXPECT_OK(RegisterAs("s1", command));
}

TEST_F(RegistrationTest, OnlySalesRegister) {
  for (const std::string actor : {"m1", "r1", "a1", "f1", "au1", "root"}) {
    const Result<Decision> result = RegisterAs(actor, Registration("C1"));
    SCOPED_TRACE(actor);
    EXPECT_REASON(result, "role_forbidden");
    EXPECT_EQ(result.status().code(), StatusCode::kPermissionDenied);
  }
}

TEST_F(RegistrationTest, DeactivatedAndUnknownUsersCannotRegister) {
  Accept(UserAs("root", DeactivateUser{.user_id = "s2", .reason = "left the company"}));
  EXPECT_REASON(RegisterAs("s2", Registration("C1")), "user_deactivated");
  const Result<Decision> unknown = RegisterAs("ghost", Registration("C1"));
  EXPECT_REASON(unknown, "unknown_user");
  EXPECT_EQ(unknown.status().code(), StatusCode::kUnauthenticated);
}

TEST_F(RegistrationTest, RegisteringCountsAgainstMaxProtected) {
  events::Policy policy;
  policy.max_protected = 2;
  SetPolicy(policy);
  Registered("C1", "s1");
  Registered("C2", "s1");
  const Result<Decision> third = RegisterAs("s1", Registration("C3"));
  EXPECT_REASON(third, "quota_exceeded");
  EXPECT_EQ(third.status().details().at("held"), "2");
  EXPECT_EQ(third.status().details().at("maxProtected"), "2");
  // Someone else is not limited by s1's holdings.
  EXPECT_OK(RegisterAs("s2", Registration("C3")));
}

TEST_F(RegistrationTest, HoldsThatTimeHasEndedNoLongerCountAgainstMaxProtected) {
  events::Policy policy;
  policy.max_protected = 1;
  SetPolicy(policy);
  Registered("C1", "s1");  // never reviewed: released at its review deadline
  At(kT0ReviewDeadline - kMs);
  EXPECT_REASON(RegisterAs("s1", Registration("C2")), "quota_exceeded");
  At(kT0ReviewDeadline);
  EXPECT_OK(RegisterAs("s1", Registration("C2")));
}

TEST_F(RegistrationTest, RegisteringIsNotAPoolClaim) {
  events::Policy policy;
  policy.max_claims_per_day = 1;
  SetPolicy(policy);
  Registered("C1", "s1");
  Registered("C2", "s1");
  InPool("P1");
  EXPECT_OK(DecideAs("s1", "P1", ProtectCustomer{}));
}

TEST_F(RegistrationTest, TheDirectoryLearnsTheNameAndTheCustomerNumber) {
  Registered("C12", "s1");
  EXPECT_EQ(directory().CustomerWithName("靖江市c12空调有限公司"), std::optional<std::string>("C12"));
  EXPECT_EQ(directory().max_customer_number(), 12u);
  ASSERT_NE(directory().FindHold("C12"), nullptr);
  EXPECT_EQ(directory().FindHold("C12")->owner_id, "s1");
}

}  // namespace
}  // namespace crm::aggregates
