// Rule 10: INTENTION and FORMAL customers sign contracts; the total equals the sum of the lines,
// in integer fen; the first contract makes the customer FORMAL and hands it to after-sales.
#include <cstdint>
#include <limits>

#include "decider_fixture.h"
#include "testutil/status_matchers.h"

namespace crm::aggregates {
namespace {

using namespace decider_test;

class ContractTest : public DeciderTest {
 protected:
  void SetUp() override {
    Promoted("C1", "s1");
    At(kT0 + 2 * kDay);
  }

  Result<Decision> Sign(const SignContract& signing, const std::string& actor = "s1",
                        const std::string& customer = "C1") {
    return DecideAs(actor, customer, signing);
  }
  SignContract WithLines(std::vector<SignContractLine> lines, Fen total_fen) const {
    SignContract signing = Signing("HT-1", total_fen);
    signing.lines = std::move(lines);
    return signing;
  }
  static SignContractLine Line(std::int64_t quantity, Fen unit_price_fen) {
    return SignContractLine{.product = "CRM 标准版", .quantity = quantity, .unit_price_fen = unit_price_fen};
  }
};

TEST_F(ContractTest, TheFirstContractMakesTheCustomerFormalAndHandsItToAftersales) {
  SignContract signing = Signing("HT-2026-001", 609700);
  signing.signed_at_ms = kT0 + kDay;
  signing.buyer = events::ContractBuyer{.name = "靖江市春意空调有限公司",
                                        .tax_id = "91321282MA1XXXXXX",
                                        .address = "靖江市人民南路88号",
                                        .phone = "0523-84561234",
                                        .bank = "工商银行靖江支行",
                                        .bank_account = "1105 0000 0000",
                                        .contact_person = "王经理"};
  signing.lines = {SignContractLine{.product = "CRM 标准版", .quantity = 3, .unit_price_fen = 199900},
                   SignContractLine{.product = "实施服务（天）", .quantity = 2, .unit_price_fen = 5000}};
  signing.extras = {"赠送培训两天", "首年免费维护"};
  ASSERT_OK_AND_ASSIGN(const Decision decision, Sign(signing));
  ASSERT_EQ(TypeNames(decision), (std::vector<std::string>{"ContractSigned", "CustomerHandedToAftersales"}));

  EXPECT_EQ(decision.events[0].stream_id, "contract-HT-2026-001");
  EXPECT_EQ(decision.events[0].actor_id, "s1");
  EXPECT_EQ(decision.events[0].effective_at_ms, std::nullopt);
  const events::ContractSigned expected{
      .contract_no = "HT-2026-001",
      .customer_id = "C1",
      .contract_type = "销售合同",
      .signed_at_ms = kT0 + kDay,
      .payment_method = "银行转账",
      .buyer = signing.buyer,
      .lines = {events::ContractLine{
                    .product = "CRM 标准版", .quantity = 3, .unit_price_fen = 199900, .amount_fen = 599700},
                events::ContractLine{
                    .product = "实施服务（天）", .quantity = 2, .unit_price_fen = 5000, .amount_fen = 10000}},
      .extras = {"赠送培训两天", "首年免费维护"},
      .total_fen = 609700,
      .sales_owner_id = "s1"};
  EXPECT_EQ(As<events::ContractSigned>(decision.events[0]), expected);

  EXPECT_EQ(decision.events[1].stream_id, "customer-C1");
  EXPECT_EQ(decision.events[1].actor_id, "s1");
  EXPECT_EQ(As<events::CustomerHandedToAftersales>(decision.events[1]),
            (events::CustomerHandedToAftersales{
                .customer_id = "C1", .contract_no = "HT-2026-001", .from_user_id = "s1", .aftersales_owner_id = "a1"}));

  Given(decision);
  EXPECT_EQ(Customer("C1").hold.stage, CustomerStage::kFormal);
  EXPECT_EQ(Customer("C1").hold.owner_id, "a1");
  EXPECT_EQ(Customer("C1").sales_owner_id, "s1");
  EXPECT_EQ(Contract("HT-2026-001").total_fen, 609700);
  EXPECT_EQ(Contract("HT-2026-001").customer_id, "C1");
  EXPECT_EQ(directory().HeldCount("s1", now()), 0u);
  EXPECT_EQ(directory().CustomersOwnedBy("a1"), std::vector<std::string>{"C1"});
}

TEST_F(ContractTest, TheTotalMustEqualTheSumOfTheLines) {
  const Result<Decision> result = Sign(WithLines({Line(3, 199900), Line(2, 5000)}, 609699));
  EXPECT_REASON(result, "total_mismatch");
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().details().at("totalFen"), "609699");
  EXPECT_EQ(result.status().details().at("sumOfLinesFen"), "609700");
  EXPECT_OK(Sign(WithLines({Line(3, 199900), Line(2, 5000)}, 609700)));
}

TEST_F(ContractTest, LinesAreChecked) {
  EXPECT_REASON(Sign(WithLines({}, 0)), "missing_lines");
  EXPECT_REASON(Sign(WithLines({Line(0, 100)}, 0)), "invalid_quantity");
  EXPECT_REASON(Sign(WithLines({Line(-1, 100)}, -100)), "invalid_quantity");
  EXPECT_REASON(Sign(WithLines({Line(1, -1)}, -1)), "invalid_unit_price");
  SignContract blank_product = WithLines({Line(1, 100)}, 100);
  blank_product.lines[0].product = " ";
  EXPECT_REASON(Sign(blank_product), "missing_field");
  EXPECT_REASON(Sign(WithLines(std::vector<SignContractLine>(501, Line(1, 1)), 501)), "too_many_lines");
  EXPECT_OK(Sign(WithLines(std::vector<SignContractLine>(500, Line(1, 1)), 500)));
  // A gift line at no charge is a line like any other.
  EXPECT_OK(Sign(WithLines({Line(1, 100), Line(1, 0)}, 100)));
}

TEST_F(ContractTest, AmountsThatOverflowAreRefusedNotWrapped) {
  constexpr Fen kMax = std::numeric_limits<Fen>::max();
  EXPECT_REASON(Sign(WithLines({Line(2, kMax / 2 + 1)}, 0)), "amount_overflow");
  EXPECT_REASON(Sign(WithLines({Line(1, kMax), Line(1, 1)}, 0)), "amount_overflow");
  EXPECT_OK(Sign(WithLines({Line(1, kMax)}, kMax)));
}

TEST_F(ContractTest, ExtrasAreWrittenDownOneByOne) {
  SignContract signing = Signing("HT-1", 100);
  signing.extras = {"赠送培训", ""};
  EXPECT_REASON(Sign(signing), "missing_field");
  signing.extras = std::vector<std::string>(101, "赠品");
  EXPECT_REASON(Sign(signing), "too_many_extras");
  signing.extras.clear();
  EXPECT_OK(Sign(signing));
}

TEST_F(ContractTest, TheSigningTimeMustBeKnownAndNotInTheFuture) {
  SignContract signing = Signing("HT-1", 100);
  for (const TimeMs at : {now() + kMs, TimeMs{0}, TimeMs{-5}}) {
    signing.signed_at_ms = at;
    EXPECT_REASON(Sign(signing), "invalid_signed_at");
  }
  signing.signed_at_ms = now();
  EXPECT_OK(Sign(signing));
  signing.signed_at_ms = now() - 10 * kDay;
  EXPECT_OK(Sign(signing));
}

TEST_F(ContractTest, TheContractNumberIsAnIdentifier) {
  for (const std::string& no : std::vector<std::string>{"", "HT 001", "合同001", std::string(65, 'H')}) {
    SCOPED_TRACE(no);
    EXPECT_REASON(Sign(Signing(no, 100)), "invalid_contract_no");
  }
  EXPECT_OK(Sign(Signing("HT/2026/001_a.b", 100)));
  EXPECT_OK(Sign(Signing(std::string(64, 'H'), 100)));
}

TEST_F(ContractTest, TypePaymentMethodAndBuyerNameAreRequired) {
  SignContract signing = Signing("HT-1", 100);
  signing.contract_type = "";
  EXPECT_REASON(Sign(signing), "missing_field");
  signing = Signing("HT-1", 100);
  signing.payment_method = " ";
  EXPECT_REASON(Sign(signing), "missing_field");
  signing = Signing("HT-1", 100);
  signing.buyer.name = "";
  const Result<Decision> result = Sign(signing);
  EXPECT_REASON(result, "missing_field");
  EXPECT_EQ(result.status().details().at("field"), "buyer.name");
  signing = Signing("HT-1", 100);
  signing.buyer.bank_account = "\xF4\x90\x80\x80";  // above U+10FFFF
  EXPECT_REASON(Sign(signing), "invalid_utf8");
}

TEST_F(ContractTest, APotentialOrPoolCustomerCannotSign) {
  Protected("C2", "s1");
  const Result<Decision> potential = Sign(Signing("HT-2", 100), "s1", "C2");
  EXPECT_REASON(potential, "wrong_stage");
  EXPECT_EQ(potential.status().details().at("needed"), "intention or formal");
  InPool("P1");
  EXPECT_REASON(Sign(Signing("HT-3", 100), "s1", "P1"), "customer_in_pool");
}

TEST_F(ContractTest, OnlyTheHolderSigns) {
  EXPECT_REASON(Sign(Signing("HT-1", 100), "s2"), "not_owner");
  EXPECT_REASON(Sign(Signing("HT-1", 100), "m1"), "not_owner");
  EXPECT_REASON(Sign(Signing("HT-1", 100), "a1"), "not_owner");
}

TEST_F(ContractTest, AFirstContractNeedsAnAftersalesOwner) {
  SignContract signing = Signing("HT-1", 100);
  signing.aftersales_owner_id = "";
  EXPECT_REASON(Sign(signing), "aftersales_owner_required");
  events::Policy policy;
  policy.default_aftersales_owner_id = "a1";
  SetPolicy(policy);
  ASSERT_OK_AND_ASSIGN(const Decision by_policy, Sign(signing));
  EXPECT_EQ(As<events::CustomerHandedToAftersales>(by_policy.events[1]).aftersales_owner_id, "a1");
  // A named owner wins over the policy's default.
  AddUser("a2", events::Role::kAftersales, "");
  signing.aftersales_owner_id = "a2";
  ASSERT_OK_AND_ASSIGN(const Decision named, Sign(signing));
  EXPECT_EQ(As<events::CustomerHandedToAftersales>(named.events[1]).aftersales_owner_id, "a2");
}

TEST_F(ContractTest, TheAftersalesOwnerMustBeAnActiveAftersalesUser) {
  SignContract signing = Signing("HT-1", 100);
  signing.aftersales_owner_id = "s2";
  EXPECT_REASON(Sign(signing), "invalid_target_user");
  signing.aftersales_owner_id = "ghost";
  EXPECT_REASON(Sign(signing), "user_not_found");
  signing.aftersales_owner_id = "a1";
  Accept(UserAs("root", DeactivateUser{.user_id = "a1", .reason = "left"}));
  EXPECT_REASON(Sign(signing), "invalid_target_user");
}

TEST_F(ContractTest, AFormalCustomerSignsAgainWithItsAftersalesOwner) {
  Accept(Sign(Signing("HT-1", 100)));
  SignContract second = Signing("HT-2", 500);
  second.aftersales_owner_id = "";
  ASSERT_OK_AND_ASSIGN(const Decision decision, Sign(second, "a1"));
  ASSERT_EQ(TypeNames(decision), std::vector<std::string>{"ContractSigned"});
  EXPECT_EQ(decision.events[0].stream_id, "contract-HT-2");
  EXPECT_EQ(As<events::ContractSigned>(decision.events[0]).customer_id, "C1");
  Given(decision);
  EXPECT_EQ(Customer("C1").hold.owner_id, "a1");
  EXPECT_EQ(Customer("C1").sales_owner_id, "s1");
  EXPECT_REASON(Sign(Signing("HT-3", 100), "s1"), "not_owner");
}

TEST_F(ContractTest, AFollowOnContractCreditsTheSalespersonNotTheAftersalesUser) {
  Accept(Sign(Signing("HT-1", 100)));
  ASSERT_OK_AND_ASSIGN(const Decision decision, Sign(Signing("HT-2", 500), "a1"));
  EXPECT_EQ(As<events::ContractSigned>(decision.events[0]).sales_owner_id, "s1");
}

TEST_F(ContractTest, SigningMustHappenBeforeTheIntentionDeadline) {
  const TimeMs deadline = Customer("C1").hold.deadline_ms;
  At(deadline - kMs);
  EXPECT_OK(Sign(Signing("HT-1", 100)));
  At(deadline);
  EXPECT_REASON(Sign(Signing("HT-1", 100)), "deadline_passed");
}

}  // namespace
}  // namespace crm::aggregates
