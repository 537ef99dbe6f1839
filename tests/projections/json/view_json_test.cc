// The views' JSON: api.md's field names and shapes, times as RFC 3339 UTC, money as integer fen,
// and rule 13 visible in what is printed.
#include "projections/json/view_json.h"

#include <gtest/gtest.h>

namespace crm::projections::json {
namespace {

using events::kMsPerDay;

constexpr TimeMs kT0 = 1772416800000;  // 2026-03-02T02:00:00Z, Monday 10:00 Shanghai

class ViewJsonTest : public ::testing::Test {
 protected:
  void Record(events::Event event, TimeMs at_ms, const std::string& actor = "s1") {
    events::RecordedEvent recorded;
    recorded.envelope.seq = ++seq_;
    recorded.envelope.recorded_at_ms = at_ms;
    recorded.envelope.effective_at_ms = at_ms;
    recorded.envelope.actor_id = actor;
    recorded.event = std::move(event);
    customers_.Apply(recorded);
    contracts_.Apply(recorded);
    analytics_.Apply(recorded);
    customer_.Apply(recorded);
  }
  void Registered(const std::string& id, const std::string& owner) {
    Record(events::CustomerRegistered{.customer_id = id,
                                      .name = "靖江市春意空调有限公司",
                                      .normalized_name = "靖江市春意空调有限公司",
                                      .region = "泰州",
                                      .industry = "空调",
                                      .address = "靖江市人民路1号",
                                      .phone = "0523-84812345",
                                      .intro = "空调",
                                      .website = ""},
           kT0, owner);
    Record(events::CustomerProtected{.customer_id = id,
                                     .owner_id = owner,
                                     .source = events::ProtectionSource::kRegistration,
                                     .deadline_ms = kT0 + 30 * kMsPerDay,
                                     .review_deadline_ms = kT0 + 3 * kMsPerDay},
           kT0, owner);
  }

  events::Seq seq_ = 0;
  CustomersView customers_;
  ContractsView contracts_;
  AnalyticsView analytics_;
  Customer360 customer_{"C1"};
};

TEST_F(ViewJsonTest, OwnershipShowsDeadlinesDaysLeftAndPendingRequests) {
  Registered("C1", "s1");
  Record(events::ProtectionApproved{.customer_id = "C1", .owner_id = "s1", .reason = "ok"}, kT0 + 1000, "r1");
  Record(events::ExtensionRequested{.customer_id = "C1", .request_id = "x1", .days = 10, .reason = "busy"}, kT0 + 2000);
  const auto held = customers_.HeldBy("s1", kT0 + 10 * kMsPerDay);
  ASSERT_EQ(held.size(), 1u);
  const Json json = OwnedEntryJson(held[0], kT0 + 10 * kMsPerDay);
  EXPECT_EQ(json["id"], "C1");
  EXPECT_EQ(json["stage"], "potential");
  EXPECT_EQ(json["deadline"], "2026-04-01T02:00:00Z");
  EXPECT_EQ(json["daysLeft"], 20);
  EXPECT_EQ(json["reviewPending"], false);
  EXPECT_TRUE(json["reviewDeadline"].is_null());
  ASSERT_EQ(json["pendingRequests"].size(), 1u);
  EXPECT_EQ(json["pendingRequests"][0], (Json{{"requestId", "x1"}, {"kind", "extension"}}));
}

TEST_F(ViewJsonTest, APoolEntryAfterTheDeadlineSaysExpiredSinceTheDeadline) {
  Registered("C1", "s1");
  Record(events::ProtectionApproved{.customer_id = "C1", .owner_id = "s1", .reason = "ok"}, kT0 + 1000, "r1");
  const auto pool = customers_.Pool(kT0 + 31 * kMsPerDay);
  ASSERT_EQ(pool.size(), 1u);
  EXPECT_EQ(PoolEntryJson(pool[0]), (Json{{"id", "C1"},
                                          {"name", "靖江市春意空调有限公司"},
                                          {"region", "泰州"},
                                          {"industry", "空调"},
                                          {"enteredAt", "2026-04-01T02:00:00Z"},
                                          {"reason", "expired"},
                                          {"previousOwners", 1}}));
  const auto hits = customers_.Search("春意", kT0 + 31 * kMsPerDay);
  ASSERT_EQ(hits.size(), 1u);
  const Json hit = SearchHitJson(hits[0], [](std::string_view) { return std::string("周"); });
  EXPECT_EQ(hit["stage"], "pool");
  EXPECT_TRUE(hit["ownerId"].is_null());
  EXPECT_TRUE(hit["ownerName"].is_null());
}

TEST_F(ViewJsonTest, AContractCarriesPaymentsPaidAndReceivableInFen) {
  Registered("C1", "s1");
  Record(events::ContractSigned{.contract_no = "HT-1",
                                .customer_id = "C1",
                                .contract_type = "销售合同",
                                .signed_at_ms = kT0 + kMsPerDay,
                                .payment_method = "银行转账",
                                .buyer = {},
                                .lines = {events::ContractLine{
                                    .product = "空调", .quantity = 2, .unit_price_fen = 500, .amount_fen = 1000}},
                                .extras = {"赠送一年保养"},
                                .total_fen = 1000,
                                .sales_owner_id = "s1"},
         kT0 + kMsPerDay);
  Record(events::PaymentRecorded{.contract_no = "HT-1",
                                 .customer_id = "C1",
                                 .payment_id = "HT-1#1",
                                 .amount_fen = 400,
                                 .paid_at_ms = kT0 + 2 * kMsPerDay,
                                 .method = "转账",
                                 .handler = "f1",
                                 .account = "工行"},
         kT0 + 2 * kMsPerDay, "f1");
  const Json json = ContractJson(*contracts_.Find("HT-1"));
  EXPECT_EQ(json["totalFen"], 1000);
  EXPECT_EQ(json["paidFen"], 400);
  EXPECT_EQ(json["receivableFen"], 600);
  EXPECT_EQ(json["lines"][0]["unitPriceFen"], 500);
  EXPECT_EQ(json["payments"][0]["paidAt"], "2026-03-04T02:00:00Z");
  EXPECT_EQ(json["payments"][0]["recordedBy"], "f1");

  const Json customer = Customer360Json(customer_.At(kT0 + 3 * kMsPerDay));
  EXPECT_EQ(customer["id"], "C1");
  EXPECT_EQ(customer["contracts"].size(), 1u);
  EXPECT_EQ(customer["paidFen"], 400);
  EXPECT_EQ(customer["receivableFen"], 600);
  EXPECT_TRUE(customer["website"].is_null());
  EXPECT_EQ(customer["ownershipHistory"][0]["ownerId"], "s1");
}

TEST_F(ViewJsonTest, TheFunnelHasCountsConversionsAndMedians) {
  Registered("C1", "s1");
  const Json json = FunnelJson(analytics_.Funnel(kT0 + kMsPerDay));
  EXPECT_EQ(json["registered"], 1);
  EXPECT_EQ(json["potential"], 1);
  EXPECT_EQ(json["conversion"]["protectedToIntention"]["numerator"], 0);
  EXPECT_EQ(json["conversion"]["protectedToIntention"]["denominator"], 1);
  EXPECT_TRUE(json["medianDays"]["protectToPromote"].is_null());
}

}  // namespace
}  // namespace crm::projections::json
