#include "aggregates/service/service_fixture.h"

#include "testutil/log_testing.h"
#include "testutil/status_matchers.h"

namespace crm::testutil {

using aggregates::CommandMeta;

void ServiceTest::SetUp() {
  Reopen();
  events::Sha256Digest token{};
  token[0] = 1;
  ASSERT_OK(service_->CreateFirstAdmin(aggregates::CreateUser{.user_id = "root",
                                                              .name = "Root",
                                                              .role = events::Role::kAdmin,
                                                              .team = "",
                                                              .manager_id = "",
                                                              .token_sha256 = token},
                                       kMonday10am - kDayMs));
  CreateUser("m1", events::Role::kManager, "east");
  for (int i = 1; i <= 8; ++i) CreateUser("s" + std::to_string(i), events::Role::kSales, "east");
  CreateUser("r1", events::Role::kReviewer);
  CreateUser("a1", events::Role::kAftersales);
  CreateUser("f1", events::Role::kFinance);
}

void ServiceTest::TearDown() {
  service_.reset();
  log_.reset();
}

void ServiceTest::Reopen(aggregates::CommandServiceOptions options) {
  service_.reset();
  log_.reset();
  ASSERT_OK_AND_ASSIGN(log_, OpenTestLog(dir_.Sub("log")));
  ASSERT_OK_AND_ASSIGN(service_, aggregates::CommandService::Open(*log_, options));
}

CommandMeta ServiceTest::As(const std::string& user_id, events::TimeMs now_ms, const std::string& key) const {
  return CommandMeta{
      .actor_id = user_id, .now_ms = now_ms, .idempotency_key = key, .request_fingerprint = std::nullopt};
}

void ServiceTest::CreateUser(const std::string& id, events::Role role, const std::string& team) {
  events::Sha256Digest token{};
  for (std::size_t i = 0; i < id.size() && i < token.size(); ++i) token[i] = static_cast<std::uint8_t>(id[i]);
  ASSERT_OK(service_->ExecuteUser(
      As("root", kMonday10am - kDayMs),
      aggregates::CreateUser{
          .user_id = id, .name = id, .role = role, .team = team, .manager_id = "", .token_sha256 = token}));
}

aggregates::RegisterCustomer ServiceTest::Registration(const std::string& name) {
  return aggregates::RegisterCustomer{.customer_id = "",
                                      .name = name,
                                      .region = "江苏省泰州市",
                                      .industry = "空调",
                                      .address = "靖江市人民路1号",
                                      .phone = "0523-84561234",
                                      .intro = "生产和销售中央空调",
                                      .website = ""};
}

aggregates::SignContract ServiceTest::Contract(const std::string& contract_no, events::Fen total_fen,
                                               events::TimeMs signed_at_ms) {
  aggregates::SignContract contract;
  contract.contract_no = contract_no;
  contract.contract_type = "销售合同";
  contract.signed_at_ms = signed_at_ms;
  contract.payment_method = "银行转账";
  contract.buyer.name = "买方";
  contract.lines.push_back({.product = "空调", .quantity = 1, .unit_price_fen = total_fen});
  contract.total_fen = total_fen;
  contract.aftersales_owner_id = "a1";
  return contract;
}

std::string ServiceTest::Registered(const std::string& sales, const std::string& name, events::TimeMs at_ms) {
  const auto registered = service_->RegisterCustomer(As(sales, at_ms), Registration(name));
  EXPECT_OK(registered);
  if (!registered.ok()) return "";
  const auto& event = std::get<events::CustomerRegistered>(registered->events.front().event);
  EXPECT_OK(service_->ExecuteCustomer(As("r1", at_ms + 1), event.customer_id,
                                      aggregates::ReviewProtection{.approve = true, .reason = ""}));
  return event.customer_id;
}

std::string ServiceTest::Intention(const std::string& sales, const std::string& name, events::TimeMs at_ms) {
  const std::string id = Registered(sales, name, at_ms);
  const auto requested =
      service_->ExecuteCustomer(As(sales, at_ms + 2), id, aggregates::RequestPromotion{.reason = "意向强烈"});
  EXPECT_OK(requested);
  if (!requested.ok()) return id;
  const auto& request = std::get<events::PromotionRequested>(requested->events.back().event);
  EXPECT_OK(service_->ExecuteCustomer(
      As("m1", at_ms + 3), id,
      aggregates::DecidePromotion{.request_id = request.request_id, .approve = true, .reason = ""}));
  return id;
}

std::string ServiceTest::Formal(const std::string& sales, const std::string& name, const std::string& contract_no,
                                events::Fen total_fen, events::TimeMs at_ms) {
  const std::string id = Intention(sales, name, at_ms);
  EXPECT_OK(service_->ExecuteCustomer(As(sales, at_ms + 4), id, Contract(contract_no, total_fen, at_ms + 4)));
  return id;
}

std::string ServiceTest::InPool(const std::string& name, events::TimeMs at_ms) {
  const std::string id = Registered("s8", name, at_ms);
  EXPECT_OK(service_->ExecuteCustomer(As("s8", at_ms + 2), id, aggregates::AbandonCustomer{.reason = "不需要"}));
  return id;
}

void ServiceTest::SetPolicy(const events::Policy& policy, events::TimeMs at_ms) {
  ASSERT_OK(service_->ChangePolicy(As("root", at_ms), aggregates::ChangePolicy{.policy = policy}));
}

}  // namespace crm::testutil
