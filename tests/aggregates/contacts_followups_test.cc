// Rule 5: contacts (name, title, mobile and/or landline, optional e-mail and postcode) and
// follow-ups (channel, notes, optional next-contact time), by whoever owns the customer now.
#include "decider_fixture.h"
#include "testutil/status_matchers.h"

namespace crm::aggregates {
namespace {

using namespace decider_test;

class ContactsTest : public DeciderTest {
 protected:
  void SetUp() override { Protected("C1", "s1"); }

  Result<Decision> AddAs(const std::string& actor, const AddContact& contact) { return DecideAs(actor, "C1", contact); }
  static RecordFollowUp FollowUp(std::optional<TimeMs> next_contact_at_ms = std::nullopt) {
    return RecordFollowUp{.channel = events::FollowUpChannel::kVisit,
                          .notes = "上门拜访，演示了产品",
                          .next_contact_at_ms = next_contact_at_ms};
  }
};

TEST_F(ContactsTest, TheOwnerAddsAContactWithEveryField) {
  ASSERT_OK_AND_ASSIGN(const Decision decision, AddAs("s1", Contact()));
  ASSERT_EQ(TypeNames(decision), std::vector<std::string>{"ContactAdded"});
  EXPECT_EQ(decision.events[0].stream_id, "customer-C1");
  EXPECT_EQ(decision.events[0].actor_id, "s1");
  const events::ContactAdded expected{.customer_id = "C1",
                                      .contact_id = "k1",
                                      .name = "王经理",
                                      .title = "采购经理",
                                      .mobile = "13812345678",
                                      .phone = "0523-84561234",
                                      .email = "wang@chunyi.example.com",
                                      .postcode = "214500"};
  EXPECT_EQ(As<events::ContactAdded>(decision.events[0]), expected);
}

TEST_F(ContactsTest, ContactIdsCountUpPerCustomer) {
  Accept(AddAs("s1", Contact()));
  ASSERT_OK_AND_ASSIGN(const Decision second, AddAs("s1", Contact()));
  EXPECT_EQ(As<events::ContactAdded>(second.events[0]).contact_id, "k2");
  Given(second);
  EXPECT_EQ(Customer("C1").contact_count, 2u);
}

TEST_F(ContactsTest, AContactNeedsAMobileOrALandline) {
  AddContact contact = Contact();
  contact.mobile = "";
  contact.phone = "";
  const Result<Decision> result = AddAs("s1", contact);
  EXPECT_REASON(result, "contact_number_required");
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  contact.mobile = "13812345678";
  EXPECT_OK(AddAs("s1", contact));
  contact.mobile = "";
  contact.phone = "010-88886666";
  EXPECT_OK(AddAs("s1", contact));
}

TEST_F(ContactsTest, AMobileHasElevenDigitsStartingWithOne) {
  for (const std::string mobile : {"1381234567", "138123456789", "23812345678", "1381234567a", "+8613812345678"}) {
    AddContact contact = Contact();
    contact.mobile = mobile;
    SCOPED_TRACE(mobile);
    EXPECT_REASON(AddAs("s1", contact), "invalid_mobile");
  }
}

TEST_F(ContactsTest, ALandlineHasAnAreaCodeAndSevenOrEightDigits) {
  for (const std::string phone : {"84561234", "0523-845612", "0523-845612345", "523-84561234", "0523-84561234-"}) {
    AddContact contact = Contact();
    contact.phone = phone;
    SCOPED_TRACE(phone);
    EXPECT_REASON(AddAs("s1", contact), "invalid_phone");
  }
}

TEST_F(ContactsTest, EmailAndPostcodeAreOptionalButChecked) {
  AddContact contact = Contact();
  contact.email = "";
  contact.postcode = "";
  EXPECT_OK(AddAs("s1", contact));
  contact.email = "wang@chunyi";
  EXPECT_REASON(AddAs("s1", contact), "invalid_email");
  contact.email = "wang chunyi@example.com";
  EXPECT_REASON(AddAs("s1", contact), "invalid_email");
  contact.email = "";
  for (const std::string postcode : {"21450", "2145000", "21450a"}) {
    contact.postcode = postcode;
    SCOPED_TRACE(postcode);
    EXPECT_REASON(AddAs("s1", contact), "invalid_postcode");
  }
}

TEST_F(ContactsTest, NameAndTitleAreRequired) {
  AddContact contact = Contact();
  contact.name = " ";
  EXPECT_REASON(AddAs("s1", contact), "missing_field");
  contact = Contact();
  contact.title = "";
  const Result<Decision> result = AddAs("s1", contact);
  EXPECT_REASON(result, "missing_field");
  EXPECT_EQ(result.status().details().at("field"), "title");
}

TEST_F(ContactsTest, OnlyTheOwnerMayAddContacts) {
  const Result<Decision> result = AddAs("s2", Contact());
  EXPECT_REASON(result, "not_owner");
  EXPECT_EQ(result.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(result.status().details().at("ownerId"), "s1");
  EXPECT_REASON(AddAs("m1", Contact()), "not_owner");
  EXPECT_REASON(AddAs("au1", Contact()), "not_owner");
}

TEST_F(ContactsTest, TheOwnerMayAddContactsWhileTheReviewIsPending) {
  Registered("C2", "s1");
  EXPECT_OK(DecideAs("s1", "C2", Contact()));
}

TEST_F(ContactsTest, APoolCustomerMustBeProtectedFirst) {
  InPool("P1");
  EXPECT_REASON(DecideAs("s1", "P1", Contact()), "customer_in_pool");
  EXPECT_REASON(DecideAs("s1", "P1", FollowUp()), "customer_in_pool");
}

TEST_F(ContactsTest, AfterTheDeadlineTheLapsedOwnerIsToldSoAndOthersSeeThePool) {
  At(kT0 + 30 * kDay);
  EXPECT_REASON(AddAs("s1", Contact()), "deadline_passed");
  EXPECT_REASON(DecideAs("s1", "C1", FollowUp()), "deadline_passed");
  EXPECT_REASON(AddAs("s2", Contact()), "customer_in_pool");
}

TEST_F(ContactsTest, TheAftersalesOwnerWorksAFormalCustomerAndTheFormerSalespersonDoesNot) {
  Formal("F1", "HT-1", 100000, "s1");
  EXPECT_OK(DecideAs("a1", "F1", Contact()));
  EXPECT_OK(DecideAs("a1", "F1", FollowUp()));
  EXPECT_REASON(DecideAs("s1", "F1", Contact()), "not_owner");
  EXPECT_REASON(DecideAs("s2", "F1", FollowUp()), "not_owner");
}

TEST_F(ContactsTest, AFollowUpIsRecordedWithItsNextContactTime) {
  At(kT0 + kHour);
  ASSERT_OK_AND_ASSIGN(const Decision decision, DecideAs("s1", "C1", FollowUp(kT0 + 2 * kDay)));
  ASSERT_EQ(TypeNames(decision), std::vector<std::string>{"FollowUpRecorded"});
  EXPECT_EQ(decision.events[0].actor_id, "s1");
  EXPECT_EQ(As<events::FollowUpRecorded>(decision.events[0]),
            (events::FollowUpRecorded{.customer_id = "C1",
                                      .follow_up_id = "f1",
                                      .channel = events::FollowUpChannel::kVisit,
                                      .notes = "上门拜访，演示了产品",
                                      .next_contact_at_ms = kT0 + 2 * kDay}));
  Given(decision);
  ASSERT_OK_AND_ASSIGN(const Decision second, DecideAs("s1", "C1", FollowUp()));
  EXPECT_EQ(As<events::FollowUpRecorded>(second.events[0]).follow_up_id, "f2");
  EXPECT_EQ(As<events::FollowUpRecorded>(second.events[0]).next_contact_at_ms, std::nullopt);
}

TEST_F(ContactsTest, TheNextContactTimeMustBeInTheFuture) {
  EXPECT_REASON(DecideAs("s1", "C1", FollowUp(now())), "invalid_next_contact_at");
  EXPECT_REASON(DecideAs("s1", "C1", FollowUp(now() - kMs)), "invalid_next_contact_at");
  EXPECT_OK(DecideAs("s1", "C1", FollowUp(now() + kMs)));
}

TEST_F(ContactsTest, AFollowUpNeedsNotes) {
  RecordFollowUp follow_up = FollowUp();
  follow_up.notes = "\n";
  EXPECT_REASON(DecideAs("s1", "C1", follow_up), "missing_field");
  follow_up.notes = std::string(8001, 'x');
  EXPECT_REASON(DecideAs("s1", "C1", follow_up), "text_too_long");
  follow_up.notes = "\xED\xA0\x80";  // a UTF-16 surrogate, not a character
  EXPECT_REASON(DecideAs("s1", "C1", follow_up), "invalid_utf8");
}

TEST_F(ContactsTest, EveryChannelIsAccepted) {
  for (const auto channel :
       {events::FollowUpChannel::kPhone, events::FollowUpChannel::kVisit, events::FollowUpChannel::kEmail,
        events::FollowUpChannel::kWechat, events::FollowUpChannel::kOther}) {
    RecordFollowUp follow_up = FollowUp();
    follow_up.channel = channel;
    ASSERT_OK_AND_ASSIGN(const Decision decision, DecideAs("s1", "C1", follow_up));
    EXPECT_EQ(As<events::FollowUpRecorded>(decision.events[0]).channel, channel);
  }
}

TEST_F(ContactsTest, ADeactivatedOwnerCanDoNothing) {
  Accept(UserAs("root", DeactivateUser{.user_id = "s1", .reason = "left"}));
  EXPECT_REASON(AddAs("s1", Contact()), "user_deactivated");
  EXPECT_REASON(DecideAs("s1", "C1", FollowUp()), "user_deactivated");
}

TEST_F(ContactsTest, BlankNotesMadeOfIdeographicSpacesAreRefused) {
  RecordFollowUp follow_up = FollowUp();
  follow_up.notes = "　　";
  EXPECT_REASON(DecideAs("s1", "C1", follow_up), "missing_field");
}

}  // namespace
}  // namespace crm::aggregates
