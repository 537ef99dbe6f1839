#include "server/app/visibility.h"

#include <gtest/gtest.h>

namespace crm::server::app {
namespace {

using events::CustomerStage;
using events::Role;

constexpr events::TimeMs kNow = 1'000'000;

aggregates::UserState User(std::string id, Role role, std::string team, std::string manager = "") {
  aggregates::UserState user;
  user.user_id = std::move(id);
  user.role = role;
  user.team = std::move(team);
  user.manager_id = std::move(manager);
  user.active = true;
  user.version = 1;
  return user;
}

const std::map<std::string, aggregates::UserState>& Company() {
  static const auto* users = new std::map<std::string, aggregates::UserState>{
      {"s1", User("s1", Role::kSales, "east", "m1")}, {"s2", User("s2", Role::kSales, "east", "m1")},
      {"s3", User("s3", Role::kSales, "west", "m2")}, {"m1", User("m1", Role::kManager, "east")},
      {"a1", User("a1", Role::kAftersales, "east", "m1")}};
  return *users;
}

Visibility As(const std::string& id, Role role, const std::string& team) {
  return Visibility(User(id, role, team), [](const std::string& user_id) -> std::optional<aggregates::UserState> {
    const auto found = Company().find(user_id);
    if (found == Company().end()) return std::nullopt;
    return found->second;
  });
}

projections::CustomerSummary Held(const std::string& owner, CustomerStage stage, bool review_pending = false) {
  projections::CustomerSummary customer;
  customer.customer_id = "C1";
  customer.hold.stage = stage;
  customer.hold.owner_id = owner;
  customer.hold.deadline_ms = kNow + 1000;
  customer.hold.review_pending = review_pending;
  customer.hold.review_deadline_ms = kNow + 500;
  return customer;
}

projections::CustomerSummary InPool() {
  projections::CustomerSummary customer;
  customer.customer_id = "C2";
  customer.hold.stage = CustomerStage::kPool;
  return customer;
}

TEST(VisibilityTest, SalesSeeWhatTheyHoldAndThePool) {
  const Visibility s1 = As("s1", Role::kSales, "east");
  EXPECT_TRUE(s1.SeesCustomer(Held("s1", CustomerStage::kPotential), kNow));
  EXPECT_FALSE(s1.SeesCustomer(Held("s2", CustomerStage::kPotential), kNow));
  EXPECT_TRUE(s1.SeesCustomer(InPool(), kNow));
  // A hold that time has ended is the pool's (rule 13), for everyone.
  EXPECT_TRUE(As("s3", Role::kSales, "west").SeesCustomer(Held("s1", CustomerStage::kPotential), kNow + 5000));
  EXPECT_TRUE(s1.SeesUser("s1"));
  EXPECT_FALSE(s1.SeesUser("s2"));
}

TEST(VisibilityTest, ManagersSeeTheirTeamAndThoseReportingToThem) {
  const Visibility m1 = As("m1", Role::kManager, "east");
  EXPECT_TRUE(m1.SeesCustomer(Held("s1", CustomerStage::kIntention), kNow));
  EXPECT_TRUE(m1.SeesCustomer(Held("a1", CustomerStage::kFormal), kNow));
  EXPECT_FALSE(m1.SeesCustomer(Held("s3", CustomerStage::kPotential), kNow));
  EXPECT_TRUE(m1.SeesUser("s2"));
  EXPECT_FALSE(m1.SeesUser("s3"));
  EXPECT_FALSE(m1.SeesUser("nobody"));
}

TEST(VisibilityTest, OtherRolesSeeTheirShare) {
  const Visibility a1 = As("a1", Role::kAftersales, "east");
  EXPECT_TRUE(a1.SeesCustomer(Held("a1", CustomerStage::kFormal), kNow));
  EXPECT_FALSE(a1.SeesCustomer(Held("s1", CustomerStage::kPotential), kNow));
  const Visibility r1 = As("r1", Role::kReviewer, "");
  EXPECT_TRUE(r1.SeesCustomer(Held("s1", CustomerStage::kPotential, /*review_pending=*/true), kNow));
  EXPECT_FALSE(r1.SeesCustomer(Held("s1", CustomerStage::kPotential), kNow));
  const Visibility f1 = As("f1", Role::kFinance, "");
  EXPECT_TRUE(f1.SeesCustomer(Held("a1", CustomerStage::kFormal), kNow));
  EXPECT_FALSE(f1.SeesCustomer(Held("s1", CustomerStage::kIntention), kNow));
  for (const Role role : {Role::kAuditor, Role::kAdmin}) {
    const Visibility all = As("x", role, "");
    EXPECT_TRUE(all.SeesEverything());
    EXPECT_TRUE(all.SeesCustomer(Held("s3", CustomerStage::kPotential), kNow));
    EXPECT_TRUE(all.SeesUser("s3"));
  }
}

projections::ContractRecord Contract(std::string customer_id, std::string sales_owner_id) {
  events::ContractSigned signed_event;
  signed_event.customer_id = std::move(customer_id);
  signed_event.sales_owner_id = std::move(sales_owner_id);
  projections::ContractRecord record;
  record.contract = std::move(signed_event);
  return record;
}

TEST(VisibilityTest, ContractsGoWithTheirCustomerAndTheSalespersonCredited) {
  const projections::ContractRecord contract = Contract("C1", "s1");
  const projections::CustomerSummary formal = Held("a1", CustomerStage::kFormal);
  EXPECT_TRUE(As("s1", Role::kSales, "east").SeesContract(contract, &formal, kNow));
  EXPECT_FALSE(As("s2", Role::kSales, "east").SeesContract(contract, &formal, kNow));
  EXPECT_TRUE(As("m1", Role::kManager, "east").SeesContract(contract, &formal, kNow));
  EXPECT_TRUE(As("f1", Role::kFinance, "").SeesContract(contract, nullptr, kNow));
  EXPECT_FALSE(As("r1", Role::kReviewer, "").SeesContract(contract, &formal, kNow));
}

}  // namespace
}  // namespace crm::server::app
