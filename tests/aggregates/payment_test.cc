// Rule 11: finance records payments (回款) against a contract: amount > 0, and the payments of a
// contract never add up to more than its total. Receivable = total - paid.
#include "decider_fixture.h"
#include "testutil/status_matchers.h"

namespace crm::aggregates {
namespace {

using namespace decider_test;

constexpr Fen kTotal = 100000;  // 1000.00 yuan

class PaymentTest : public DeciderTest {
 protected:
  void SetUp() override {
    Formal("C1", "HT-1", kTotal);
    At(kT0 + 3 * kDay);
  }
};

TEST_F(PaymentTest, FinanceRecordsAPayment) {
  RecordPayment payment = Paying("HT-1", 30000);
  payment.paid_at_ms = kT0 + 2 * kDay;
  ASSERT_OK_AND_ASSIGN(const Decision decision, PayAs("f1", payment));
  ASSERT_EQ(TypeNames(decision), std::vector<std::string>{"PaymentRecorded"});
  EXPECT_EQ(decision.events[0].stream_id, "contract-HT-1");
  EXPECT_EQ(decision.events[0].actor_id, "f1");
  EXPECT_EQ(decision.events[0].effective_at_ms, std::nullopt);
  EXPECT_EQ(As<events::PaymentRecorded>(decision.events[0]), (events::PaymentRecorded{.contract_no = "HT-1",
                                                                                      .customer_id = "C1",
                                                                                      .payment_id = "HT-1#1",
                                                                                      .amount_fen = 30000,
                                                                                      .paid_at_ms = kT0 + 2 * kDay,
                                                                                      .method = "银行转账",
                                                                                      .handler = "李会计",
                                                                                      .account = "6222 0000 1111"}));
  Given(decision);
  EXPECT_EQ(Contract("HT-1").paid_fen, 30000);
  EXPECT_EQ(Contract("HT-1").receivable_fen(), 70000);
  EXPECT_EQ(Contract("HT-1").payment_count, 1u);
}

TEST_F(PaymentTest, PaymentIdsCountUpPerContract) {
  Accept(PayAs("f1", Paying("HT-1", 100)));
  ASSERT_OK_AND_ASSIGN(const Decision second, PayAs("f1", Paying("HT-1", 100)));
  EXPECT_EQ(As<events::PaymentRecorded>(second.events[0]).payment_id, "HT-1#2");
}

TEST_F(PaymentTest, ExactlyTheTotalIsAccepted) {
  ASSERT_OK_AND_ASSIGN(const Decision decision, PayAs("f1", Paying("HT-1", kTotal)));
  Given(decision);
  EXPECT_EQ(Contract("HT-1").receivable_fen(), 0);
}

TEST_F(PaymentTest, OneFenMoreThanTheTotalIsRefused) {
  const Result<Decision> result = PayAs("f1", Paying("HT-1", kTotal + 1));
  EXPECT_REASON(result, "payment_exceeds_total");
  EXPECT_EQ(result.status().code(), StatusCode::kConflict);
  EXPECT_EQ(result.status().details().at("amountFen"), "100001");
  EXPECT_EQ(result.status().details().at("receivableFen"), "100000");
  EXPECT_EQ(result.status().details().at("contractNo"), "HT-1");
}

TEST_F(PaymentTest, ThePaymentsOfAContractNeverExceedItsTotal) {
  Accept(PayAs("f1", Paying("HT-1", 30000)));
  EXPECT_REASON(PayAs("f1", Paying("HT-1", 70001)), "payment_exceeds_total");
  Accept(PayAs("f1", Paying("HT-1", 70000)));
  const Result<Decision> result = PayAs("f1", Paying("HT-1", 1));
  EXPECT_REASON(result, "payment_exceeds_total");
  EXPECT_EQ(result.status().details().at("receivableFen"), "0");
}

TEST_F(PaymentTest, EachContractHasItsOwnTotal) {
  Accept(DecideAs("a1", "C1", Signing("HT-2", 500)));
  Accept(PayAs("f1", Paying("HT-1", kTotal)));
  EXPECT_REASON(PayAs("f1", Paying("HT-2", 501)), "payment_exceeds_total");
  ASSERT_OK_AND_ASSIGN(const Decision decision, PayAs("f1", Paying("HT-2", 500)));
  EXPECT_EQ(As<events::PaymentRecorded>(decision.events[0]).payment_id, "HT-2#1");
  EXPECT_EQ(As<events::PaymentRecorded>(decision.events[0]).customer_id, "C1");
}

TEST_F(PaymentTest, TheAmountMustBePositive) {
  for (const Fen amount : {Fen{0}, Fen{-1}, Fen{-kTotal}}) {
    const Result<Decision> result = PayAs("f1", Paying("HT-1", amount));
    EXPECT_REASON(result, "invalid_amount");
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  }
  EXPECT_OK(PayAs("f1", Paying("HT-1", 1)));
}

TEST_F(PaymentTest, ThePaymentTimeMustBeKnownAndNotInTheFuture) {
  RecordPayment payment = Paying("HT-1", 100);
  for (const TimeMs at : {now() + kMs, TimeMs{0}, TimeMs{-1}}) {
    payment.paid_at_ms = at;
    EXPECT_REASON(PayAs("f1", payment), "invalid_paid_at");
  }
  payment.paid_at_ms = now();
  EXPECT_OK(PayAs("f1", payment));
}

TEST_F(PaymentTest, MethodAndHandlerAreRequiredAndTheAccountIsOptional) {
  RecordPayment payment = Paying("HT-1", 100);
  payment.method = "";
  EXPECT_REASON(PayAs("f1", payment), "missing_field");
  payment = Paying("HT-1", 100);
  payment.handler = "  ";
  const Result<Decision> result = PayAs("f1", payment);
  EXPECT_REASON(result, "missing_field");
  EXPECT_EQ(result.status().details().at("field"), "handler");
  payment = Paying("HT-1", 100);
  payment.account = "";
  EXPECT_OK(PayAs("f1", payment));
  payment.account = std::string(301, '6');
  EXPECT_REASON(PayAs("f1", payment), "text_too_long");
}

TEST_F(PaymentTest, AnUnknownContractIsNotFound) {
  const Result<Decision> result = PayAs("f1", Paying("HT-404", 100));
  EXPECT_REASON(result, "contract_not_found");
  EXPECT_EQ(result.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(result.status().details().at("contractNo"), "HT-404");
}

TEST_F(PaymentTest, OnlyFinanceRecordsPayments) {
  for (const std::string actor : {"s1", "a1", "m1", "r1", "au1", "root"}) {
    SCOPED_TRACE(actor);
    EXPECT_REASON(PayAs(actor, Paying("HT-1", 100)), "role_forbidden");
  }
}

TEST_F(PaymentTest, DeactivatedOrUnknownUsersRecordNothing) {
  Accept(UserAs("root", DeactivateUser{.user_id = "f1", .reason = "left"}));
  EXPECT_REASON(PayAs("f1", Paying("HT-1", 100)), "user_deactivated");
  EXPECT_REASON(PayAs("nobody", Paying("HT-1", 100)), "unknown_user");
}

}  // namespace
}  // namespace crm::aggregates
