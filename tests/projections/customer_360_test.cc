// Customer 360: given a customer's events, then the report at a time (rule 13 applied).
#include "projections/customer_360.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace crm::projections {
// Named, not anonymous: unity builds compile this file together with its neighbours.
namespace customer_360_test {

using events::kMsPerDay;
constexpr TimeMs kMsPerHour = kMsPerDay / 24;

constexpr TimeMs kT0 = 1772416800000;  // Monday 2026-03-02 10:00 Shanghai
constexpr TimeMs kDeadline = kT0 + 30 * kMsPerDay;
constexpr TimeMs kReviewDeadline = kT0 + 3 * kMsPerDay;
constexpr events::Seq kAllEvents = std::numeric_limits<events::Seq>::max();

events::CustomerRegistered Registered(const std::string& id) {
  return events::CustomerRegistered{.customer_id = id,
                                    .name = "靖江市春意空调有限公司",
                                    .normalized_name = "靖江市春意空调有限公司",
                                    .region = "泰州",
                                    .industry = "空调",
                                    .address = "靖江市人民路1号",
                                    .phone = "0523-84812345",
                                    .intro = "空调安装与维修",
                                    .website = "chunyi.example.cn"};
}

events::CustomerProtected Protected(const std::string& id, const std::string& owner, TimeMs from_ms,
                                    events::ProtectionSource source = events::ProtectionSource::kRegistration) {
  return events::CustomerProtected{.customer_id = id,
                                   .owner_id = owner,
                                   .source = source,
                                   .deadline_ms = from_ms + 30 * kMsPerDay,
                                   .review_deadline_ms = from_ms + 3 * kMsPerDay};
}

events::ContractSigned Signed(const std::string& contract_no, const std::string& customer_id, events::Fen total_fen) {
  return events::ContractSigned{
      .contract_no = contract_no,
      .customer_id = customer_id,
      .contract_type = "销售合同",
      .signed_at_ms = kT0 + 25 * kMsPerDay,
      .payment_method = "银行转账",
      .buyer = events::ContractBuyer{.name = "靖江市春意空调有限公司",
                                     .tax_id = "91321282MA1X",
                                     .address = "靖江市人民路1号",
                                     .phone = "0523-84812345",
                                     .bank = "工商银行靖江支行",
                                     .bank_account = "1108 0000 0000",
                                     .contact_person = "张三"},
      .lines = {events::ContractLine{
          .product = "空调", .quantity = 4, .unit_price_fen = total_fen / 4, .amount_fen = total_fen}},
      .extras = {"赠送一年保养"},
      .total_fen = total_fen,
      .sales_owner_id = "s1"};
}

events::PaymentRecorded Payment(const std::string& contract_no, const std::string& customer_id, int n,
                                events::Fen amount_fen) {
  return events::PaymentRecorded{.contract_no = contract_no,
                                 .customer_id = customer_id,
                                 .payment_id = contract_no + "#" + std::to_string(n),
                                 .amount_fen = amount_fen,
                                 .paid_at_ms = kT0 + (25 + n) * kMsPerDay,
                                 .method = "银行转账",
                                 .handler = "李会计",
                                 .account = "基本户"};
}

class Customer360Test : public ::testing::Test {
 protected:
  // Appends one event to the log the tests fold; effective at `at_ms` unless told otherwise.
  void Record(events::Event event, TimeMs at_ms, const std::string& actor,
              std::optional<TimeMs> effective_ms = std::nullopt) {
    events::RecordedEvent recorded;
    recorded.envelope.seq = log_.size() + 1;
    recorded.envelope.recorded_at_ms = at_ms;
    recorded.envelope.effective_at_ms = effective_ms.value_or(at_ms);
    recorded.envelope.actor_id = actor;
    recorded.event = std::move(event);
    log_.push_back(std::move(recorded));
  }
  // The customer folded from the log cut after `last_seq`.
  Customer360 Fold(const std::string& customer_id = "C1", events::Seq last_seq = kAllEvents) const {
    Customer360 customer(customer_id);
    for (const events::RecordedEvent& recorded : log_) {
      if (recorded.envelope.seq > last_seq) break;
      customer.Apply(recorded);
    }
    return customer;
  }
  Customer360Report ReportAt(TimeMs now_ms, events::Seq last_seq = kAllEvents) const {
    return Fold("C1", last_seq).At(now_ms);
  }
  void RegisteredBy(const std::string& owner) {
    Record(Registered("C1"), kT0, owner);
    Record(Protected("C1", owner, kT0), kT0, owner);
  }
  void Approved(const std::string& owner) {
    Record(events::ProtectionApproved{.customer_id = "C1", .owner_id = owner, .reason = "资料完整"}, kT0 + kMsPerHour,
           "r1");
  }
  void ExtensionRequested(const std::string& request_id, TimeMs at_ms) {
    Record(
        events::ExtensionRequested{.customer_id = "C1", .request_id = request_id, .days = 10, .reason = "客户在比价"},
        at_ms, "s1");
  }

  std::vector<events::RecordedEvent> log_;
};

TEST_F(Customer360Test, FullLifecycleFromRegistrationToTwoPayments) {
  RegisteredBy("s1");
  Approved("s1");
  Record(events::ContactAdded{.customer_id = "C1",
                              .contact_id = "k1",
                              .name = "张三",
                              .title = "采购经理",
                              .mobile = "13812345678",
                              .phone = "0523-84812345",
                              .email = "zhang@chunyi.example.cn",
                              .postcode = "214500"},
         kT0 + 2 * kMsPerHour, "s1");
  Record(events::FollowUpRecorded{.customer_id = "C1",
                                  .follow_up_id = "f1",
                                  .channel = events::FollowUpChannel::kVisit,
                                  .notes = "拜访，客户有意向",
                                  .next_contact_at_ms = kT0 + 2 * kMsPerDay},
         kT0 + 3 * kMsPerHour, "s1");
  ExtensionRequested("x1", kT0 + 20 * kMsPerDay);
  const events::Seq extension_requested_seq = log_.size();
  Record(events::ExtensionGranted{.customer_id = "C1",
                                  .request_id = "x1",
                                  .days = 10,
                                  .deadline_ms = kDeadline + 10 * kMsPerDay,
                                  .reason = "同意"},
         kT0 + 21 * kMsPerDay, "m1");
  const events::Seq extension_granted_seq = log_.size();
  Record(events::PromotionRequested{.customer_id = "C1", .request_id = "p1", .reason = "已报价"}, kT0 + 22 * kMsPerDay,
         "s1");
  const TimeMs promoted_ms = kT0 + 23 * kMsPerDay;
  Record(
      events::CustomerPromoted{
          .customer_id = "C1", .request_id = "p1", .deadline_ms = promoted_ms + 15 * kMsPerDay, .reason = "批准"},
      promoted_ms, "m1");
  const events::Seq promoted_seq = log_.size();
  const TimeMs signed_ms = kT0 + 25 * kMsPerDay;
  Record(Signed("HT-001", "C1", 1000000), signed_ms, "s1");
  Record(
      events::CustomerHandedToAftersales{
          .customer_id = "C1", .contract_no = "HT-001", .from_user_id = "s1", .aftersales_owner_id = "a1"},
      signed_ms, "s1");
  Record(Payment("HT-001", "C1", 1, 300000), kT0 + 26 * kMsPerDay, "f1");
  Record(Payment("HT-001", "C1", 2, 200000), kT0 + 27 * kMsPerDay, "f1");

  // Before the review, as of the protection.
  const Customer360Report protected_report = ReportAt(kT0 + 1, 2);
  EXPECT_EQ(protected_report.stage, CustomerStage::kPotential);
  EXPECT_TRUE(protected_report.review_pending);
  EXPECT_EQ(protected_report.review_deadline_ms, kReviewDeadline);
  EXPECT_EQ(protected_report.hold_ends_at_ms, kReviewDeadline);

  const Customer360Report asked = ReportAt(kT0 + 20 * kMsPerDay + 1, extension_requested_seq);
  ASSERT_EQ(asked.requests.size(), 1u);
  EXPECT_EQ(asked.requests[0].status, CustomerRequestStatus::kPending);
  EXPECT_FALSE(asked.review_pending);
  EXPECT_EQ(asked.hold_ends_at_ms, kDeadline);

  const Customer360Report extended = ReportAt(kT0 + 21 * kMsPerDay + 1, extension_granted_seq);
  EXPECT_EQ(extended.deadline_ms, kDeadline + 10 * kMsPerDay);
  EXPECT_EQ(extended.extensions_granted, 1u);

  const Customer360Report intention = ReportAt(promoted_ms + 1, promoted_seq);
  EXPECT_EQ(intention.stage, CustomerStage::kIntention);
  EXPECT_EQ(intention.owner_id, "s1");
  EXPECT_EQ(intention.deadline_ms, promoted_ms + 15 * kMsPerDay);
  EXPECT_EQ(intention.extensions_granted, 0u);  // a new stage is a new protection (rule 7, 8)

  // Long after: formal, owned by after-sales, never falling back to the pool.
  const Customer360 customer = Fold();
  EXPECT_TRUE(customer.exists());
  EXPECT_EQ(customer.applied_events(), log_.size());
  const Customer360Report report = customer.At(kT0 + 400 * kMsPerDay);
  EXPECT_TRUE(report.exists);
  EXPECT_EQ(report.profile.registration, Registered("C1"));
  EXPECT_EQ(report.profile.registered_at_ms, kT0);
  EXPECT_EQ(report.profile.registered_by, "s1");
  EXPECT_EQ(report.stage, CustomerStage::kFormal);
  EXPECT_EQ(report.owner_id, "a1");
  EXPECT_EQ(report.deadline_ms, 0);
  EXPECT_FALSE(report.hold_ends_at_ms.has_value());
  EXPECT_EQ(report.pool_reason, PoolReason::kNone);

  ASSERT_EQ(report.contacts.size(), 1u);
  EXPECT_EQ(report.contacts[0].contact.mobile, "13812345678");
  EXPECT_EQ(report.contacts[0].contact.postcode, "214500");
  EXPECT_EQ(report.contacts[0].added_at_ms, kT0 + 2 * kMsPerHour);
  EXPECT_EQ(report.contacts[0].added_by, "s1");
  ASSERT_EQ(report.follow_ups.size(), 1u);
  EXPECT_EQ(report.follow_ups[0].follow_up.channel, events::FollowUpChannel::kVisit);
  EXPECT_EQ(report.follow_ups[0].follow_up.next_contact_at_ms, kT0 + 2 * kMsPerDay);
  EXPECT_EQ(report.follow_ups[0].at_ms, kT0 + 3 * kMsPerHour);

  ASSERT_EQ(report.requests.size(), 2u);
  const CustomerRequestEntry& extension = report.requests[0];
  EXPECT_EQ(extension.request_id, "x1");
  EXPECT_EQ(extension.kind, CustomerRequestKind::kExtension);
  EXPECT_EQ(extension.days, 10u);
  EXPECT_EQ(extension.reason, "客户在比价");
  EXPECT_EQ(extension.status, CustomerRequestStatus::kGranted);
  EXPECT_EQ(extension.requested_by, "s1");
  EXPECT_EQ(extension.decided_at_ms, kT0 + 21 * kMsPerDay);
  EXPECT_EQ(extension.decided_by, "m1");
  EXPECT_EQ(extension.decision_reason, "同意");
  EXPECT_EQ(extension.granted_deadline_ms, kDeadline + 10 * kMsPerDay);
  const CustomerRequestEntry& promotion = report.requests[1];
  EXPECT_EQ(promotion.kind, CustomerRequestKind::kPromotion);
  EXPECT_EQ(promotion.status, CustomerRequestStatus::kGranted);
  EXPECT_EQ(promotion.decided_by, "m1");
  EXPECT_EQ(promotion.granted_deadline_ms, promoted_ms + 15 * kMsPerDay);

  ASSERT_EQ(report.contracts.size(), 1u);
  const ContractRecord& contract = report.contracts[0];
  EXPECT_EQ(contract.contract, Signed("HT-001", "C1", 1000000));
  EXPECT_EQ(contract.aftersales_owner_id, "a1");
  ASSERT_EQ(contract.payments.size(), 2u);
  EXPECT_EQ(contract.payments[1].payment_id, "HT-001#2");
  EXPECT_EQ(contract.payments[1].recorded_by, "f1");
  EXPECT_EQ(contract.paid_fen, 500000);
  EXPECT_EQ(contract.receivable_fen(), 500000);
  EXPECT_EQ(report.signed_fen, 1000000);
  EXPECT_EQ(report.paid_fen, 500000);
  EXPECT_EQ(report.receivable_fen, 500000);

  ASSERT_EQ(report.ownership.size(), 2u);
  const Holding& sales = report.ownership[0];
  EXPECT_EQ(sales.owner_id, "s1");
  EXPECT_EQ(sales.stages, (std::vector<CustomerStage>{CustomerStage::kPotential, CustomerStage::kIntention}));
  EXPECT_EQ(sales.from_ms, kT0);
  EXPECT_EQ(sales.to_ms, signed_ms);
  EXPECT_EQ(sales.began, HoldingStart::kRegistered);
  EXPECT_EQ(sales.began_by, "s1");
  EXPECT_EQ(sales.approved_by, "r1");
  EXPECT_EQ(sales.approval_reason, "资料完整");
  EXPECT_EQ(sales.ended, HoldingEnd::kHandedToAftersales);
  EXPECT_EQ(sales.contract_no, "HT-001");
  const Holding& aftersales = report.ownership[1];
  EXPECT_EQ(aftersales.owner_id, "a1");
  EXPECT_EQ(aftersales.stages, std::vector<CustomerStage>{CustomerStage::kFormal});
  EXPECT_EQ(aftersales.from_ms, signed_ms);
  EXPECT_FALSE(aftersales.to_ms.has_value());
  EXPECT_EQ(aftersales.began, HoldingStart::kAftersales);
  EXPECT_EQ(aftersales.ended, HoldingEnd::kOpen);
  EXPECT_EQ(aftersales.contract_no, "HT-001");
}

TEST_F(Customer360Test, AHoldPastItsDeadlineReadsAsPoolBeforeAndAfterTheReleaseEvent) {
  RegisteredBy("s1");
  Approved("s1");
  ExtensionRequested("x1", kT0 + 29 * kMsPerDay);
  const events::Seq before_release = log_.size();

  const Customer360Report held = ReportAt(kDeadline - 1, before_release);
  EXPECT_EQ(held.stage, CustomerStage::kPotential);
  EXPECT_EQ(held.owner_id, "s1");
  EXPECT_EQ(held.requests[0].status, CustomerRequestStatus::kPending);
  EXPECT_EQ(held.ownership[0].ended, HoldingEnd::kOpen);

  const TimeMs now_ms = kDeadline + 6 * kMsPerHour;
  const Customer360Report unwritten = ReportAt(now_ms, before_release);
  EXPECT_EQ(unwritten.stage, CustomerStage::kPool);
  EXPECT_EQ(unwritten.owner_id, "");
  EXPECT_EQ(unwritten.deadline_ms, 0);
  EXPECT_FALSE(unwritten.hold_ends_at_ms.has_value());
  EXPECT_EQ(unwritten.pool_reason, PoolReason::kExpired);
  EXPECT_EQ(unwritten.pool_since_ms, kDeadline);
  ASSERT_EQ(unwritten.ownership.size(), 1u);
  EXPECT_EQ(unwritten.ownership[0].to_ms, kDeadline);
  EXPECT_EQ(unwritten.ownership[0].ended, HoldingEnd::kExpired);
  EXPECT_EQ(unwritten.ownership[0].ended_by, "system");

  // The sweeper writes the release late, effective at the deadline: nothing reads differently.
  Record(
      events::ProtectionExpired{
          .customer_id = "C1", .owner_id = "s1", .stage = events::HeldStage::kPotential, .deadline_ms = kDeadline},
      kDeadline + 5 * kMsPerHour, "system", kDeadline);
  EXPECT_EQ(ReportAt(now_ms), unwritten);
}

TEST_F(Customer360Test, AReviewPastItsDeadlineReadsAsTimedOutBeforeAndAfterTheReleaseEvent) {
  RegisteredBy("s1");
  const events::Seq before_release = log_.size();
  EXPECT_TRUE(ReportAt(kReviewDeadline - 1).review_pending);

  const Customer360Report unwritten = ReportAt(kReviewDeadline, before_release);
  EXPECT_EQ(unwritten.stage, CustomerStage::kPool);
  EXPECT_FALSE(unwritten.review_pending);
  EXPECT_EQ(unwritten.pool_reason, PoolReason::kReviewTimedOut);
  EXPECT_EQ(unwritten.pool_since_ms, kReviewDeadline);
  EXPECT_EQ(unwritten.ownership[0].ended, HoldingEnd::kReviewTimedOut);
  EXPECT_EQ(unwritten.ownership[0].to_ms, kReviewDeadline);

  Record(events::ProtectionReviewTimedOut{.customer_id = "C1", .owner_id = "s1", .review_deadline_ms = kReviewDeadline},
         kReviewDeadline + kMsPerHour, "system", kReviewDeadline);
  EXPECT_EQ(ReportAt(kReviewDeadline + kMsPerHour), unwritten);
}

TEST_F(Customer360Test, APendingRequestClosesAtTheDeadlineWhenTimeEndsTheHold) {
  RegisteredBy("s1");
  Approved("s1");
  ExtensionRequested("x1", kT0 + 28 * kMsPerDay);
  Record(events::PromotionRequested{.customer_id = "C1", .request_id = "p1", .reason = "已报价"}, kT0 + 29 * kMsPerDay,
         "s1");

  for (const CustomerRequestEntry& request : ReportAt(kDeadline - 1).requests) {
    EXPECT_EQ(request.status, CustomerRequestStatus::kPending) << request.request_id;
  }
  const Customer360Report report = ReportAt(kDeadline + kMsPerDay);
  ASSERT_EQ(report.requests.size(), 2u);
  for (const CustomerRequestEntry& request : report.requests) {
    EXPECT_EQ(request.status, CustomerRequestStatus::kClosed) << request.request_id;
    EXPECT_EQ(request.decided_at_ms, kDeadline);
    EXPECT_EQ(request.decided_by, "system");
    EXPECT_EQ(request.decision_reason, "expired");
  }
}

TEST_F(Customer360Test, APromotionClosesAPendingExtension) {
  RegisteredBy("s1");
  Approved("s1");
  ExtensionRequested("x1", kT0 + 10 * kMsPerDay);
  Record(events::PromotionRequested{.customer_id = "C1", .request_id = "p1", .reason = "已报价"}, kT0 + 11 * kMsPerDay,
         "s1");
  Record(
      events::CustomerPromoted{
          .customer_id = "C1", .request_id = "p1", .deadline_ms = kT0 + 27 * kMsPerDay, .reason = "批准"},
      kT0 + 12 * kMsPerDay, "m1");
  const Customer360Report report = ReportAt(kT0 + 13 * kMsPerDay);
  ASSERT_EQ(report.requests.size(), 2u);
  EXPECT_EQ(report.requests[0].status, CustomerRequestStatus::kClosed);
  EXPECT_EQ(report.requests[0].decided_at_ms, kT0 + 12 * kMsPerDay);
  EXPECT_EQ(report.requests[0].decision_reason, "promoted");
  EXPECT_EQ(report.requests[1].status, CustomerRequestStatus::kGranted);
  EXPECT_EQ(report.requests[1].decision_reason, "批准");
}

TEST_F(Customer360Test, ReassignmentAndHandoverShowInTheOwnershipHistory) {
  RegisteredBy("s1");
  Approved("s1");
  Record(events::CustomerReassigned{.customer_id = "C1", .from_user_id = "s1", .to_user_id = "s2", .reason = "调岗"},
         kT0 + kMsPerDay, "m1");
  // A handover: the customer's reassignment and the user-stream record, in one append.
  Record(events::CustomerReassigned{.customer_id = "C1", .from_user_id = "s2", .to_user_id = "s3", .reason = "离职"},
         kT0 + 2 * kMsPerDay, "m1");
  Record(
      events::CustomersHandedOver{
          .from_user_id = "s2", .to_user_id = "s3", .reason = "离职", .customer_ids = {"C0", "C1", "C2"}},
      kT0 + 2 * kMsPerDay, "m1");
  Record(
      events::CustomerAbandoned{
          .customer_id = "C1", .owner_id = "s3", .reason = "无需求", .cooldown_until_ms = kT0 + 6 * kMsPerDay},
      kT0 + 3 * kMsPerDay, "s3");
  Record(Protected("C1", "s4", kT0 + 4 * kMsPerDay, events::ProtectionSource::kPool), kT0 + 4 * kMsPerDay, "s4");
  Record(events::ProtectionRejected{.customer_id = "C1", .owner_id = "s4", .reason = "地址不全"}, kT0 + 5 * kMsPerDay,
         "r1");

  const Customer360Report report = ReportAt(kT0 + 6 * kMsPerDay);
  EXPECT_EQ(report.stage, CustomerStage::kPool);
  EXPECT_EQ(report.pool_reason, PoolReason::kRejected);
  EXPECT_EQ(report.pool_since_ms, kT0 + 5 * kMsPerDay);
  ASSERT_EQ(report.ownership.size(), 4u);
  const Holding& first = report.ownership[0];
  EXPECT_EQ(first.owner_id, "s1");
  EXPECT_EQ(first.began, HoldingStart::kRegistered);
  EXPECT_EQ(first.to_ms, kT0 + kMsPerDay);
  EXPECT_EQ(first.ended, HoldingEnd::kReassigned);
  EXPECT_EQ(first.ended_by, "m1");
  EXPECT_EQ(first.ended_reason, "调岗");
  const Holding& second = report.ownership[1];
  EXPECT_EQ(second.owner_id, "s2");
  EXPECT_EQ(second.stages, std::vector<CustomerStage>{CustomerStage::kPotential});
  EXPECT_EQ(second.began, HoldingStart::kReassigned);
  EXPECT_EQ(second.began_by, "m1");
  EXPECT_EQ(second.began_reason, "调岗");
  EXPECT_EQ(second.ended, HoldingEnd::kHandedOver);
  EXPECT_EQ(second.ended_reason, "离职");
  const Holding& third = report.ownership[2];
  EXPECT_EQ(third.owner_id, "s3");
  EXPECT_EQ(third.began, HoldingStart::kHandedOver);
  EXPECT_EQ(third.began_reason, "离职");
  EXPECT_EQ(third.ended, HoldingEnd::kAbandoned);
  EXPECT_EQ(third.ended_by, "s3");
  EXPECT_EQ(third.ended_reason, "无需求");
  const Holding& fourth = report.ownership[3];
  EXPECT_EQ(fourth.owner_id, "s4");
  EXPECT_EQ(fourth.began, HoldingStart::kProtectedFromPool);
  EXPECT_EQ(fourth.ended, HoldingEnd::kRejected);
  EXPECT_EQ(fourth.ended_by, "r1");
  EXPECT_EQ(fourth.ended_reason, "地址不全");
}

TEST_F(Customer360Test, AReassignmentKeepsTheDeadlineAndExpiresForTheNewOwner) {
  RegisteredBy("s1");
  Approved("s1");
  Record(events::CustomerReassigned{.customer_id = "C1", .from_user_id = "s1", .to_user_id = "s2", .reason = "调岗"},
         kT0 + kMsPerDay, "m1");
  EXPECT_EQ(ReportAt(kT0 + 2 * kMsPerDay).owner_id, "s2");
  EXPECT_EQ(ReportAt(kT0 + 2 * kMsPerDay).deadline_ms, kDeadline);
  const Customer360Report report = ReportAt(kDeadline);
  ASSERT_EQ(report.ownership.size(), 2u);
  EXPECT_EQ(report.ownership[1].owner_id, "s2");
  EXPECT_EQ(report.ownership[1].ended, HoldingEnd::kExpired);
  EXPECT_EQ(report.ownership[1].to_ms, kDeadline);
}

TEST_F(Customer360Test, AHandoverRecordNotRightAfterTheReassignmentRelabelsNothing) {
  RegisteredBy("s1");
  Record(events::CustomerReassigned{.customer_id = "C1", .from_user_id = "s1", .to_user_id = "s2", .reason = "调岗"},
         kT0 + kMsPerHour, "m1");
  Approved("s2");
  Record(
      events::CustomersHandedOver{.from_user_id = "s1", .to_user_id = "s2", .reason = "离职", .customer_ids = {"C1"}},
      kT0 + 2 * kMsPerHour, "m1");
  const Customer360Report report = ReportAt(kT0 + kMsPerDay);
  ASSERT_EQ(report.ownership.size(), 2u);
  EXPECT_EQ(report.ownership[0].ended, HoldingEnd::kReassigned);
  EXPECT_EQ(report.ownership[1].began, HoldingStart::kReassigned);
}

TEST_F(Customer360Test, EventsOfOtherCustomersAreIgnored) {
  RegisteredBy("s1");
  Record(Registered("C2"), kT0, "s2");
  Record(Protected("C2", "s2", kT0), kT0, "s2");
  Record(events::ContactAdded{.customer_id = "C2",
                              .contact_id = "k1",
                              .name = "李四",
                              .title = "经理",
                              .mobile = "13900000000",
                              .phone = "",
                              .email = "",
                              .postcode = ""},
         kT0 + 1, "s2");
  Record(Signed("HT-C2", "C2", 400), kT0 + 2, "s2");
  Record(
      events::CustomersHandedOver{.from_user_id = "s2", .to_user_id = "s3", .reason = "离职", .customer_ids = {"C2"}},
      kT0 + 3, "m1");
  const Customer360 customer = Fold("C1");
  EXPECT_EQ(customer.applied_events(), 2u);
  const Customer360Report report = customer.At(kT0 + kMsPerDay);
  EXPECT_TRUE(report.contacts.empty());
  EXPECT_TRUE(report.contracts.empty());
  EXPECT_EQ(report.owner_id, "s1");
}

TEST_F(Customer360Test, PaymentsOnAnUnknownContractAreIgnoredSafely) {
  RegisteredBy("s1");
  Record(Payment("HT-404", "C1", 1, 100), kT0 + 1, "f1");
  Record(
      events::CustomerHandedToAftersales{
          .customer_id = "C1", .contract_no = "HT-404", .from_user_id = "s1", .aftersales_owner_id = "a1"},
      kT0 + 2, "s1");
  const Customer360Report report = ReportAt(kT0 + 3);
  EXPECT_TRUE(report.contracts.empty());
  EXPECT_EQ(report.paid_fen, 0);
  EXPECT_EQ(report.receivable_fen, 0);
}

TEST_F(Customer360Test, ACustomerNotYetRegisteredDoesNotExist) {
  RegisteredBy("s1");
  const Customer360 before = Fold("C1", 0);
  EXPECT_FALSE(before.exists());
  EXPECT_EQ(before.applied_events(), 0u);
  EXPECT_EQ(before.At(kT0), Customer360Report{});
  const Customer360 other = Fold("C9");
  EXPECT_FALSE(other.exists());
  EXPECT_FALSE(other.At(kT0).exists);
}

TEST_F(Customer360Test, NamesAreStable) {
  EXPECT_EQ(HoldingStartName(HoldingStart::kProtectedFromPool), "protected_from_pool");
  EXPECT_EQ(HoldingStartName(HoldingStart::kHandedOver), "handed_over");
  EXPECT_EQ(HoldingEndName(HoldingEnd::kReviewTimedOut), "review_timed_out");
  EXPECT_EQ(HoldingEndName(HoldingEnd::kHandedToAftersales), "handed_to_aftersales");
  EXPECT_EQ(CustomerRequestKindName(CustomerRequestKind::kPromotion), "promotion");
  EXPECT_EQ(CustomerRequestStatusName(CustomerRequestStatus::kClosed), "closed");
}

}  // namespace customer_360_test
}  // namespace crm::projections
