// The contracts view: contracts with their payments, folded from events, and its rows.
#include "projections/contracts_view.h"

#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <string>
#include <vector>

#include "projections/row_map_sink.h"
#include "testutil/status_matchers.h"

namespace crm::projections {
// Named, not anonymous: unity builds compile this file together with its neighbours.
namespace contracts_view_test {

using events::kMsPerDay;

constexpr TimeMs kT0 = 1772416800000;  // Monday 2026-03-02 10:00 Shanghai

using MapSink = RowMapSink;

events::ContractSigned Signed(const std::string& contract_no, const std::string& customer_id) {
  return events::ContractSigned{
      .contract_no = contract_no,
      .customer_id = customer_id,
      .contract_type = "销售合同",
      .signed_at_ms = kT0,
      .payment_method = "银行转账",
      .buyer = events::ContractBuyer{.name = "靖江市春意空调有限公司",
                                     .tax_id = "91321282MA1X",
                                     .address = "靖江市人民路1号",
                                     .phone = "0523-84812345",
                                     .bank = "工商银行靖江支行",
                                     .bank_account = "1108 0000 0000",
                                     .contact_person = "张三"},
      .lines = {events::ContractLine{.product = "空调", .quantity = 3, .unit_price_fen = 250000, .amount_fen = 750000},
                events::ContractLine{.product = "安装", .quantity = 1, .unit_price_fen = 50000, .amount_fen = 50000}},
      .extras = {"赠送一年保养", "七日内安装"},
      .total_fen = 800000,
      .sales_owner_id = "s1"};
}

events::PaymentRecorded Payment(const std::string& contract_no, const std::string& customer_id, int n,
                                events::Fen amount_fen) {
  return events::PaymentRecorded{.contract_no = contract_no,
                                 .customer_id = customer_id,
                                 .payment_id = contract_no + "#" + std::to_string(n),
                                 .amount_fen = amount_fen,
                                 .paid_at_ms = kT0 + n * kMsPerDay,
                                 .method = "银行转账",
                                 .handler = "李会计",
                                 .account = "基本户"};
}

events::CustomerHandedToAftersales HandedToAftersales(const std::string& customer_id, const std::string& contract_no) {
  return events::CustomerHandedToAftersales{
      .customer_id = customer_id, .contract_no = contract_no, .from_user_id = "s1", .aftersales_owner_id = "a1"};
}

class ContractsViewTest : public ::testing::Test {
 protected:
  void Record(events::Event event, TimeMs at_ms, const std::string& actor) {
    events::RecordedEvent recorded;
    recorded.envelope.seq = ++seq_;
    recorded.envelope.recorded_at_ms = at_ms;
    recorded.envelope.effective_at_ms = at_ms;
    recorded.envelope.actor_id = actor;
    recorded.event = std::move(event);
    view_.Apply(recorded);
  }
  // A customer's first contract, as the decider writes it: the signing, then the hand-over.
  void FirstContract(const std::string& contract_no, const std::string& customer_id) {
    Record(Signed(contract_no, customer_id), kT0 + 10, "s1");
    Record(HandedToAftersales(customer_id, contract_no), kT0 + 10, "s1");
  }
  static std::vector<std::string> Numbers(const std::vector<const ContractRecord*>& records) {
    std::vector<std::string> numbers;
    for (const ContractRecord* record : records) numbers.push_back(record->contract.contract_no);
    return numbers;
  }
  static std::map<std::string, std::string> Rows(const ContractsView& view) {
    MapSink sink;
    view.WriteRows(sink);
    return sink.rows;
  }

  events::Seq seq_ = 0;
  ContractsView view_;
};

TEST_F(ContractsViewTest, KindNamesTheViewAndMakesOne) {
  const ProjectionKind kind = ContractsView::Kind();
  EXPECT_EQ(kind.name, "contracts");
  EXPECT_EQ(kind.version, 1u);
  ASSERT_NE(kind.make, nullptr);
  EXPECT_NE(dynamic_cast<ContractsView*>(kind.make().get()), nullptr);
}

TEST_F(ContractsViewTest, SigningKeepsEveryFieldAndTheAftersalesOwnerOfTheFirstContract) {
  FirstContract("HT-001", "C1");
  Record(Signed("HT-002", "C1"), kT0 + 20, "a1");  // a follow-on contract: no hand-over
  const ContractRecord* first = view_.Find("HT-001");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->contract, Signed("HT-001", "C1"));
  EXPECT_EQ(first->signed_seq, 1u);
  EXPECT_EQ(first->recorded_at_ms, kT0 + 10);
  EXPECT_EQ(first->recorded_by, "s1");
  EXPECT_EQ(first->aftersales_owner_id, "a1");
  EXPECT_TRUE(first->payments.empty());
  EXPECT_EQ(first->paid_fen, 0);
  EXPECT_EQ(first->receivable_fen(), 800000);
  const ContractRecord* second = view_.Find("HT-002");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->aftersales_owner_id, "");
  EXPECT_EQ(second->recorded_by, "a1");
  EXPECT_EQ(view_.Find("HT-003"), nullptr);
}

TEST_F(ContractsViewTest, PaymentsAddUpToPaidAndLeaveTheReceivable) {
  FirstContract("HT-001", "C1");
  Record(Payment("HT-001", "C1", 1, 300000), kT0 + 100, "f1");
  Record(Payment("HT-001", "C1", 2, 200000), kT0 + 200, "f2");
  const ContractRecord* record = view_.Find("HT-001");
  ASSERT_NE(record, nullptr);
  ASSERT_EQ(record->payments.size(), 2u);
  const ContractPayment& first = record->payments[0];
  EXPECT_EQ(first.payment_id, "HT-001#1");
  EXPECT_EQ(first.amount_fen, 300000);
  EXPECT_EQ(first.paid_at_ms, kT0 + kMsPerDay);
  EXPECT_EQ(first.method, "银行转账");
  EXPECT_EQ(first.handler, "李会计");
  EXPECT_EQ(first.account, "基本户");
  EXPECT_EQ(first.seq, 3u);
  EXPECT_EQ(first.recorded_at_ms, kT0 + 100);
  EXPECT_EQ(first.recorded_by, "f1");
  EXPECT_EQ(record->payments[1].payment_id, "HT-001#2");
  EXPECT_EQ(record->paid_fen, 500000);
  EXPECT_EQ(record->receivable_fen(), 300000);
}

TEST_F(ContractsViewTest, OfCustomerListsContractsInSigningOrderAlsoAfterLoading) {
  // Signing order differs from key order on purpose.
  FirstContract("Z-9", "C1");
  Record(Signed("B-2", "C2"), kT0 + 20, "s2");
  Record(Signed("A-1", "C1"), kT0 + 30, "a1");
  Record(Signed("M-5", "C1"), kT0 + 40, "a1");
  const std::vector<std::string> expected = {"Z-9", "A-1", "M-5"};
  EXPECT_EQ(Numbers(view_.OfCustomer("C1")), expected);
  EXPECT_EQ(Numbers(view_.OfCustomer("C2")), std::vector<std::string>{"B-2"});
  EXPECT_TRUE(view_.OfCustomer("C3").empty());

  ContractsView loaded;
  for (const auto& [key, value] : Rows(view_)) ASSERT_OK(loaded.LoadRow(key, value));
  ASSERT_OK(loaded.FinishLoad());
  EXPECT_EQ(Numbers(loaded.OfCustomer("C1")), expected);
  EXPECT_EQ(Numbers(loaded.OfCustomer("C2")), std::vector<std::string>{"B-2"});
}

TEST_F(ContractsViewTest, RowsRoundTripByteForByte) {
  FirstContract("HT-001", "C1");
  Record(Payment("HT-001", "C1", 1, 300000), kT0 + 100, "f1");
  Record(Payment("HT-001", "C1", 2, 500000), kT0 + 200, "f1");
  Record(Signed("HT-002", "C1"), kT0 + 300, "a1");
  FirstContract("HT-003", "C2");
  const std::map<std::string, std::string> rows = Rows(view_);
  ASSERT_EQ(rows.size(), 3u);

  ContractsView loaded;
  for (const auto& [key, value] : rows) ASSERT_OK(loaded.LoadRow(key, value));
  ASSERT_OK(loaded.FinishLoad());
  EXPECT_EQ(Rows(loaded), rows);
  for (const auto& [key, value] : rows) {
    ASSERT_NE(loaded.Find(key), nullptr) << key;
    EXPECT_EQ(*loaded.Find(key), *view_.Find(key)) << key;
  }
  EXPECT_EQ(loaded.Find("HT-001")->paid_fen, 800000);
  EXPECT_EQ(loaded.Find("HT-001")->receivable_fen(), 0);

  // Loaded, the view folds on as if it had never stopped.
  MapSink nothing_changed;
  loaded.FlushChanges(nothing_changed);
  EXPECT_EQ(nothing_changed.put_keys.size(), 0u);
  events::RecordedEvent payment;
  payment.envelope.seq = seq_ + 1;
  payment.envelope.actor_id = "f1";
  payment.event = Payment("HT-002", "C1", 1, 100);
  loaded.Apply(payment);
  view_.Apply(payment);
  EXPECT_EQ(Rows(loaded), Rows(view_));
}

TEST_F(ContractsViewTest, FlushChangesWritesOnlyTheContractsChangedSinceTheLastFlush) {
  FirstContract("HT-001", "C1");
  FirstContract("HT-002", "C2");
  MapSink first;
  view_.FlushChanges(first);
  EXPECT_EQ(first.put_keys.size(), 2u);
  EXPECT_EQ(first.rows, Rows(view_));

  MapSink idle;
  view_.FlushChanges(idle);
  EXPECT_EQ(idle.put_keys.size(), 0u);

  Record(Payment("HT-002", "C2", 1, 100), kT0 + 100, "f1");
  Record(Payment("HT-002", "C2", 2, 100), kT0 + 200, "f1");
  MapSink second;
  view_.FlushChanges(second);
  EXPECT_EQ(second.put_keys.size(), 1u);
  ASSERT_EQ(second.rows.size(), 1u);
  EXPECT_EQ(second.rows.begin()->first, "HT-002");
  EXPECT_EQ(second.rows.begin()->second, Rows(view_).at("HT-002"));
}

TEST_F(ContractsViewTest, CorruptRowsAreCorruptionNamingTheContract) {
  FirstContract("HT-001", "C1");
  Record(Payment("HT-001", "C1", 1, 300000), kT0 + 100, "f1");
  const std::string row = Rows(view_).at("HT-001");

  std::vector<std::pair<std::string, std::string>> damaged;
  for (std::size_t size = 0; size < row.size(); ++size) damaged.emplace_back("HT-001", row.substr(0, size));
  damaged.emplace_back("HT-001", row + "x");                // trailing bytes
  damaged.emplace_back("HT-009", row);                      // under another contract's key
  damaged.emplace_back("HT-001", std::string(40, '\xff'));  // unterminated varints
  damaged.emplace_back("HT-001", "\x06HT-001\x7f");         // a length far beyond the bytes left
  for (const auto& [key, value] : damaged) {
    ContractsView loaded;
    const Status status = loaded.LoadRow(key, value);
    EXPECT_EQ(status.code(), StatusCode::kCorruption) << "row of " << value.size() << " bytes";
    EXPECT_NE(status.message().find(key), std::string::npos) << status.ToString();
  }
}

TEST_F(ContractsViewTest, ARowLoadedTwiceOrUnderNoKeyIsCorruption) {
  FirstContract("HT-001", "C1");
  const std::string row = Rows(view_).at("HT-001");
  ContractsView loaded;
  ASSERT_OK(loaded.LoadRow("HT-001", row));
  EXPECT_EQ(loaded.LoadRow("HT-001", row).code(), StatusCode::kCorruption);
  EXPECT_EQ(loaded.LoadRow("", row).code(), StatusCode::kCorruption);
}

TEST_F(ContractsViewTest, PaymentsOnAnUnknownContractAreIgnoredSafely) {
  Record(Payment("HT-404", "C1", 1, 100), kT0, "f1");
  Record(HandedToAftersales("C1", "HT-404"), kT0, "s1");
  EXPECT_EQ(view_.size(), 0u);
  EXPECT_EQ(view_.Find("HT-404"), nullptr);
  EXPECT_TRUE(view_.OfCustomer("C1").empty());
  MapSink sink;
  view_.FlushChanges(sink);
  EXPECT_EQ(sink.put_keys.size(), 0u);
}

TEST_F(ContractsViewTest, PaymentsNoLogCanHoldAreIgnoredRatherThanOverflowing) {
  FirstContract("HT-001", "C1");
  Record(Payment("HT-001", "C1", 1, 0), kT0 + 1, "f1");
  Record(Payment("HT-001", "C1", 2, -5), kT0 + 2, "f1");
  Record(Payment("HT-001", "C1", 3, std::numeric_limits<events::Fen>::max()), kT0 + 3, "f1");
  Record(Payment("HT-001", "C1", 4, std::numeric_limits<events::Fen>::max()), kT0 + 4, "f1");
  const ContractRecord* record = view_.Find("HT-001");
  ASSERT_NE(record, nullptr);
  ASSERT_EQ(record->payments.size(), 1u);
  EXPECT_EQ(record->paid_fen, std::numeric_limits<events::Fen>::max());
  EXPECT_EQ(record->receivable_fen(), 800000 - std::numeric_limits<events::Fen>::max());
}

}  // namespace contracts_view_test
}  // namespace crm::projections
