// The customer 360 read from the log: the customer's stream, its contracts' streams and the
// handover that moved it, as of any position.
#include "projections/store/customer_360_reader.h"

#include <gtest/gtest.h>

#include "aggregates/service/service_fixture.h"
#include "aggregates/stream_ids.h"
#include "testutil/status_matchers.h"

namespace crm::projections::store {
namespace {

using testutil::kDayMs;
using testutil::kMonday10am;

class Customer360ReaderTest : public testutil::ServiceTest {
 protected:
  Result<Customer360Report> Read(const std::string& id, events::Seq seq, events::TimeMs now_ms,
                                 std::vector<std::string> contracts = {}) {
    std::vector<std::string> streams;
    for (const std::string& no : contracts) streams.push_back(aggregates::ContractStream(no));
    CRM_ASSIGN_OR_RETURN(const Customer360 customer,
                         ReadCustomer360(*log_, id, aggregates::CustomerStream(id), streams, seq));
    return customer.At(now_ms);
  }
};

TEST_F(Customer360ReaderTest, AHandoverIsNamedAndContractsComeFromTheirStreams) {
  const std::string moved = Intention("s1", "靖江市春意空调有限公司", kMonday10am);
  const std::string other = Registered("s1", "泰州市远方机械有限公司", kMonday10am + 1000);
  ASSERT_OK(service_
                ->HandOver(As("m1", kMonday10am + kDayMs),
                           aggregates::HandOverCustomers{.from_user_id = "s1", .to_user_id = "s2", .reason = "s1 left"})
                .status());
  const events::Seq before_contract = log_->HeadSeq();
  ASSERT_OK(
      service_
          ->ExecuteCustomer(As("s2", kMonday10am + 2 * kDayMs), moved, Contract("HT-9", 5000, kMonday10am + 2 * kDayMs))
          .status());

  ASSERT_OK_AND_ASSIGN(Customer360Report report, Read(moved, log::kLatestSeq, kMonday10am + 2 * kDayMs, {"HT-9"}));
  ASSERT_EQ(report.contracts.size(), 1u);
  EXPECT_EQ(report.contracts[0].contract.total_fen, 5000);
  EXPECT_EQ(report.stage, events::CustomerStage::kFormal);
  ASSERT_GE(report.ownership.size(), 2u);
  EXPECT_EQ(report.ownership[0].owner_id, "s1");
  EXPECT_EQ(report.ownership[0].ended, HoldingEnd::kHandedOver);
  EXPECT_EQ(report.ownership[1].owner_id, "s2");
  EXPECT_EQ(report.ownership[1].began, HoldingStart::kHandedOver);

  ASSERT_OK_AND_ASSIGN(report, Read(moved, before_contract, kMonday10am + 2 * kDayMs, {"HT-9"}));
  EXPECT_TRUE(report.contracts.empty()) << "as of before the signing";
  EXPECT_EQ(report.stage, events::CustomerStage::kIntention);

  ASSERT_OK_AND_ASSIGN(report, Read(other, log::kLatestSeq, kMonday10am + 2 * kDayMs));
  EXPECT_EQ(report.owner_id, "s2");
}

TEST_F(Customer360ReaderTest, ACustomerNotYetRegisteredThenIsUnknown) {
  const events::Seq before = log_->HeadSeq();
  const std::string id = Registered("s1", "靖江市春意空调有限公司", kMonday10am);
  EXPECT_REASON(Read(id, before, kMonday10am).status(), "unknown_customer");
  EXPECT_REASON(Read("C999", log::kLatestSeq, kMonday10am).status(), "unknown_customer");
  EXPECT_OK(Read(id, log::kLatestSeq, kMonday10am).status());
}

}  // namespace
}  // namespace crm::projections::store
