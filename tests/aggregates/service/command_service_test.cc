// The command service end to end on a real log: what it appends, idempotency, rule 13's
// atomic release-then-decision, the sweeper, and a restart that rebuilds everything.
#include "aggregates/service/command_service.h"

#include <gtest/gtest.h>

#include "aggregates/service/service_fixture.h"
#include "testutil/status_matchers.h"

namespace crm::aggregates {
namespace {

using testutil::kDayMs;
using testutil::kHourMs;
using testutil::kMonday10am;

class CommandServiceTest : public testutil::ServiceTest {};

TEST_F(CommandServiceTest, RegistrationAppendsRegisteredThenProtectedAndAssignsIds) {
  ASSERT_OK_AND_ASSIGN(const CommandOutcome first,
                       service_->RegisterCustomer(As("s1", kMonday10am), Registration("靖江市春意空调有限公司")));
  ASSERT_EQ(first.events.size(), 2u);
  EXPECT_EQ(first.last_seq, first.first_seq + 1);
  const auto& registered = std::get<events::CustomerRegistered>(first.events[0].event);
  const auto& protection = std::get<events::CustomerProtected>(first.events[1].event);
  EXPECT_EQ(first.events[0].envelope.stream_id, "customer-" + registered.customer_id);
  EXPECT_EQ(protection.owner_id, "s1");
  EXPECT_EQ(protection.deadline_ms, kMonday10am + 30 * kDayMs);
  EXPECT_EQ(protection.review_deadline_ms, kMonday10am + 3 * kDayMs);  // Monday -> Thursday

  ASSERT_OK_AND_ASSIGN(const CommandOutcome second,
                       service_->RegisterCustomer(As("s2", kMonday10am), Registration("泰州市海陵机械制造有限公司")));
  EXPECT_NE(std::get<events::CustomerRegistered>(second.events[0].event).customer_id, registered.customer_id);
}

TEST_F(CommandServiceTest, DuplicateNameIsRefusedWithTheExistingCustomer) {
  const std::string id = Registered("s1", "靖江市春意空调有限公司", kMonday10am);
  const events::Seq head = log_->HeadSeq();
  // Full-width letters and spaces normalise to the same name.
  aggregates::RegisterCustomer again = Registration("靖江市 春意空调 有限公司");
  const auto refused = service_->RegisterCustomer(As("s2", kMonday10am + kHourMs), again);
  EXPECT_REASON(refused, "duplicate_name");
  EXPECT_EQ(refused.status().details().at("existingCustomerId"), id);
  EXPECT_EQ(refused.status().details().at("ownerId"), "s1");
  EXPECT_EQ(log_->HeadSeq(), head) << "a refused command appends nothing";
}

TEST_F(CommandServiceTest, UnknownCustomerAndUnknownCallerAreRefused) {
  EXPECT_REASON(service_->ExecuteCustomer(As("s1", kMonday10am), "C999", ProtectCustomer{}), "customer_not_found");
  EXPECT_REASON(service_->RegisterCustomer(As("nobody", kMonday10am), Registration("靖江市春意空调有限公司")),
                "unknown_user");
}

TEST_F(CommandServiceTest, RepeatedIdempotencyKeyAnswersTheFirstOutcomeAndAppendsNothing) {
  const auto meta = As("s1", kMonday10am, "s1:key-1");
  ASSERT_OK_AND_ASSIGN(const CommandOutcome first,
                       service_->RegisterCustomer(meta, Registration("靖江市春意空调有限公司")));
  const events::Seq head = log_->HeadSeq();
  ASSERT_OK_AND_ASSIGN(const CommandOutcome again,
                       service_->RegisterCustomer(meta, Registration("靖江市春意空调有限公司")));
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.first_seq, first.first_seq);
  EXPECT_EQ(again.last_seq, first.last_seq);
  EXPECT_EQ(again.events.size(), first.events.size());
  EXPECT_EQ(log_->HeadSeq(), head);
}

TEST_F(CommandServiceTest, IdempotencyKeyReusedForAnotherRequestIsRefused) {
  auto meta = As("s1", kMonday10am, "s1:key-2");
  meta.request_fingerprint = events::Sha256Digest{1};
  ASSERT_OK(service_->RegisterCustomer(meta, Registration("靖江市春意空调有限公司")));
  meta.request_fingerprint = events::Sha256Digest{2};
  EXPECT_REASON(service_->RegisterCustomer(meta, Registration("泰州市海陵机械制造有限公司")), "idempotency_key_reused");
}

TEST_F(CommandServiceTest, CommandAfterTheDeadlineWritesTheDueReleaseAndTheDecisionAtomically) {
  const std::string id = Registered("s1", "靖江市春意空调有限公司", kMonday10am);
  const events::TimeMs deadline = kMonday10am + 30 * kDayMs;
  ASSERT_OK_AND_ASSIGN(const CommandOutcome outcome,
                       service_->ExecuteCustomer(As("s2", deadline + kHourMs), id, ProtectCustomer{}));
  ASSERT_EQ(outcome.events.size(), 2u);
  const auto& release = outcome.events[0];
  ASSERT_TRUE(std::holds_alternative<events::ProtectionExpired>(release.event));
  EXPECT_EQ(release.envelope.actor_id, events::kSystemActorId);
  EXPECT_EQ(release.envelope.effective_at_ms, deadline);
  EXPECT_EQ(release.envelope.recorded_at_ms, deadline + kHourMs);
  EXPECT_EQ(std::get<events::CustomerProtected>(outcome.events[1].event).owner_id, "s2");
  EXPECT_EQ(outcome.events[1].envelope.seq, release.envelope.seq + 1);
}

TEST_F(CommandServiceTest, OwnerAfterTheDeadlineIsToldTheDeadlinePassedAndNothingIsWritten) {
  const std::string id = Registered("s1", "靖江市春意空调有限公司", kMonday10am);
  const events::Seq head = log_->HeadSeq();
  EXPECT_REASON(service_->ExecuteCustomer(As("s1", kMonday10am + 30 * kDayMs), id,
                                          RequestExtension{.days = 10, .reason = "客户在考虑"}),
                "deadline_passed");
  EXPECT_EQ(log_->HeadSeq(), head);
}

TEST_F(CommandServiceTest, SweeperReleasesWhatIsDueOnceEffectiveAtTheDeadline) {
  const std::string a = Registered("s1", "靖江市春意空调有限公司", kMonday10am);
  const std::string b = Registered("s2", "泰州市海陵机械制造有限公司", kMonday10am + kHourMs);
  ASSERT_OK_AND_ASSIGN(SweepReport none, service_->Sweep(kMonday10am + 30 * kDayMs - 1));
  EXPECT_EQ(none.released, 0u);
  ASSERT_OK_AND_ASSIGN(SweepReport first, service_->Sweep(kMonday10am + 31 * kDayMs));
  EXPECT_EQ(first.released, 2u);
  EXPECT_FALSE(first.more);
  ASSERT_OK_AND_ASSIGN(const std::vector<events::RecordedEvent> stream, log_->ReadStream("customer-" + a));
  const auto& expired = stream.back();
  ASSERT_TRUE(std::holds_alternative<events::ProtectionExpired>(expired.event));
  EXPECT_EQ(expired.envelope.effective_at_ms, kMonday10am + 30 * kDayMs);
  EXPECT_EQ(expired.envelope.actor_id, "system");
  ASSERT_OK_AND_ASSIGN(SweepReport again, service_->Sweep(kMonday10am + 31 * kDayMs));
  EXPECT_EQ(again.released, 0u);
  ASSERT_OK_AND_ASSIGN(const CustomerState state, service_->LoadCustomer(b));
  EXPECT_EQ(state.hold.stage, CustomerStage::kPool);
  EXPECT_EQ(state.pool_reason, PoolReason::kExpired);
}

TEST_F(CommandServiceTest, SweeperTimesOutUnreviewedProtectionsAndRespectsItsBatchLimit) {
  Reopen(CommandServiceOptions{.customer_cache_entries = 16, .decision_attempts_max = 16, .sweep_batch_max = 2});
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK(service_->RegisterCustomer(As("s1", kMonday10am + i),
                                         Registration("靖江市第" + std::to_string(i) + "空调有限公司")));
  }
  const events::TimeMs thursday = kMonday10am + 3 * kDayMs;
  ASSERT_OK_AND_ASSIGN(SweepReport first, service_->Sweep(thursday + 10));
  EXPECT_EQ(first.released, 2u);
  EXPECT_TRUE(first.more);
  ASSERT_OK_AND_ASSIGN(SweepReport second, service_->Sweep(thursday + 10));
  EXPECT_EQ(second.released, 1u);
  ASSERT_OK_AND_ASSIGN(const events::RecordedEvent last, log_->Read(second.last_seq));
  ASSERT_TRUE(std::holds_alternative<events::ProtectionReviewTimedOut>(last.event));
  EXPECT_EQ(last.envelope.effective_at_ms, thursday + 2);
}

TEST_F(CommandServiceTest, RestartRebuildsNamesQuotasUsersAndPolicyFromTheLog) {
  events::Policy policy;
  policy.max_protected = 2;
  SetPolicy(policy, kMonday10am - kHourMs);
  Registered("s1", "靖江市春意空调有限公司", kMonday10am);
  Registered("s1", "泰州市海陵机械制造有限公司", kMonday10am + 10);
  Reopen();
  // New ids continue after the ones in the log.
  ASSERT_OK_AND_ASSIGN(
      const CommandOutcome next,
      service_->RegisterCustomer(As("s2", kMonday10am + kHourMs), Registration("扬州市广陵电子科技有限公司")));
  EXPECT_EQ(std::get<events::CustomerRegistered>(next.events[0].event).customer_id, "C3");
  EXPECT_REASON(service_->RegisterCustomer(As("s2", kMonday10am + kHourMs), Registration("靖江市春意空调有限公司")),
                "duplicate_name");
  EXPECT_REASON(service_->RegisterCustomer(As("s1", kMonday10am + kHourMs), Registration("苏州市吴中电器有限公司")),
                "quota_exceeded");
  EXPECT_EQ(service_->PolicyAt(kMonday10am).max_protected, 2u);
  ASSERT_TRUE(service_->FindUser("m1").has_value());
  EXPECT_EQ(service_->FindUser("m1")->role, events::Role::kManager);
}

TEST_F(CommandServiceTest, ContractNumbersAreUniqueAcrossCustomers) {
  Formal("s1", "靖江市春意空调有限公司", "HT-2026-001", 100000, kMonday10am);
  const std::string other = Intention("s2", "泰州市海陵机械制造有限公司", kMonday10am + kHourMs);
  EXPECT_REASON(service_->ExecuteCustomer(As("s2", kMonday10am + 2 * kHourMs), other,
                                          Contract("HT-2026-001", 5000, kMonday10am + 2 * kHourMs)),
                "contract_exists");
}

TEST_F(CommandServiceTest, PaymentsStopAtTheContractTotal) {
  Formal("s1", "靖江市春意空调有限公司", "HT-2026-002", 100000, kMonday10am);
  const auto pay = [&](events::Fen amount) {
    return service_->RecordPayment(As("f1", kMonday10am + kDayMs), RecordPayment{.contract_no = "HT-2026-002",
                                                                                 .amount_fen = amount,
                                                                                 .paid_at_ms = kMonday10am + kHourMs,
                                                                                 .method = "转账",
                                                                                 .handler = "王会计",
                                                                                 .account = "6222"});
  };
  ASSERT_OK(pay(60000));
  EXPECT_REASON(pay(40001), "payment_exceeds_total");
  ASSERT_OK(pay(40000));
  EXPECT_REASON(pay(1), "payment_exceeds_total");
  EXPECT_REASON(service_->RecordPayment(As("f1", kMonday10am + kDayMs), RecordPayment{.contract_no = "HT-404",
                                                                                      .amount_fen = 1,
                                                                                      .paid_at_ms = kMonday10am,
                                                                                      .method = "转账",
                                                                                      .handler = "王会计",
                                                                                      .account = ""}),
                "contract_not_found");
}

TEST_F(CommandServiceTest, HandoverMovesEveryHeldCustomerInOneAppend) {
  const std::string a = Registered("s1", "靖江市春意空调有限公司", kMonday10am);
  const std::string b = Intention("s1", "泰州市海陵机械制造有限公司", kMonday10am + 10);
  ASSERT_OK(
      service_->ExecuteUser(As("root", kMonday10am + kHourMs), DeactivateUser{.user_id = "s1", .reason = "离职"}));
  ASSERT_OK_AND_ASSIGN(
      const CommandOutcome outcome,
      service_->HandOver(As("m1", kMonday10am + 2 * kHourMs),
                         HandOverCustomers{.from_user_id = "s1", .to_user_id = "s2", .reason = "离职交接"}));
  EXPECT_EQ(outcome.events.size(), 3u);
  ASSERT_OK_AND_ASSIGN(const CustomerState moved, service_->LoadCustomer(b));
  EXPECT_EQ(moved.hold.owner_id, "s2");
  EXPECT_EQ(moved.hold.stage, CustomerStage::kIntention);
  ASSERT_OK_AND_ASSIGN(const CustomerState kept_deadline, service_->LoadCustomer(a));
  EXPECT_EQ(kept_deadline.hold.deadline_ms, kMonday10am + 30 * kDayMs);
}

TEST_F(CommandServiceTest, DeactivatedUsersCanDoNothing) {
  const std::string id = Registered("s1", "靖江市春意空调有限公司", kMonday10am);
  ASSERT_OK(service_->ExecuteUser(As("root", kMonday10am + 1), DeactivateUser{.user_id = "s1", .reason = "离职"}));
  EXPECT_REASON(service_->ExecuteCustomer(As("s1", kMonday10am + 2), id,
                                          RecordFollowUp{.channel = events::FollowUpChannel::kPhone,
                                                         .notes = "电话沟通",
                                                         .next_contact_at_ms = std::nullopt}),
                "user_deactivated");
}

TEST_F(CommandServiceTest, PolicyWithAnUnknownTimeZoneIsRefused) {
  events::Policy policy;
  policy.time_zone = "Mars/Olympus_Mons";
  EXPECT_REASON(service_->ChangePolicy(As("root", kMonday10am), aggregates::ChangePolicy{.policy = policy}),
                "unknown_time_zone");
}

}  // namespace
}  // namespace crm::aggregates
