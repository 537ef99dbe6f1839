#include "server/runtime/runtime_fixture.h"

#include "events/time_format.h"

namespace crm::server::testing {

void RuntimeTest::SetUp() {
  tokens_["admin"] = std::string(kAdminToken);
  StartServer();
}

void RuntimeTest::TearDown() {
  StopServer();
}

void RuntimeTest::StartServer(bool test_clock) {
  app::ServerConfig config;
  const char* const argv[] = {"crm-server"};
  config = *app::ParseServerConfig(1, argv, [](const char*) { return nullptr; });
  config.data_dir = dir_.Sub("data");
  config.admin_token = std::string(kAdminToken);
  config.http.listen_address = "127.0.0.1:0";
  config.http.worker_threads = worker_threads_;
  config.http.log_sink = [](std::string_view) {};
  config.http.request_read_timeout_ms = 1'500;  // so that a slow client is cut off within a test
  config.test_clock = test_clock;
  config.test_clock_start_ms = now_ms_;
  config.sweep_interval_ms = 3'600'000;  // only clock changes sweep, so tests see rule 13 unswept too
  Result<std::unique_ptr<ServerRuntime>> started = ServerRuntime::Start(config);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  runtime_ = std::move(*started);
  client_ = std::make_unique<ApiClient>(runtime_->port());
}

void RuntimeTest::StopServer() {
  client_.reset();
  runtime_.reset();
}

std::string RuntimeTest::CreateUser(const std::string& id, const std::string& role, const std::string& team,
                                    const std::string& manager_id) {
  Json body{{"id", id}, {"name", "User " + id}, {"role", role}, {"team", team}};
  if (!manager_id.empty()) body["managerId"] = manager_id;
  const ApiResponse created = api().Post("/v1/users", kAdminToken, body);
  EXPECT_ANSWER(created, 201);
  const std::string token = created.body.value("token", "");
  tokens_[id] = token;
  return token;
}

void RuntimeTest::MakeCompany() {
  CreateUser("m1", "manager", "east");
  CreateUser("m2", "manager", "west");
  CreateUser("s1", "sales", "east", "m1");
  CreateUser("s2", "sales", "east", "m1");
  CreateUser("s3", "sales", "west", "m2");
  CreateUser("r1", "reviewer", "");
  CreateUser("a1", "aftersales", "east", "m1");
  CreateUser("a2", "aftersales", "west", "m2");
  CreateUser("f1", "finance", "");
  CreateUser("au1", "auditor", "");
}

void RuntimeTest::SetClock(events::TimeMs now_ms) {
  const ApiResponse set = api().Post("/v1/test/clock", kAdminToken, Json{{"now", events::FormatRfc3339(now_ms)}});
  ASSERT_ANSWER(set, 200);
  now_ms_ = now_ms;
}

Json RuntimeTest::RegistrationBody(const std::string& name) {
  return Json{{"name", name},         {"region", "江苏"},          {"industry", "制造"},
              {"address", "人民路1号"}, {"phone", "0523-84812345"}, {"intro", "测试客户"}};
}

std::string RuntimeTest::Register(const std::string& sales, const std::string& name) {
  const ApiResponse registered = api().Post("/v1/customers", Token(sales), RegistrationBody(name));
  EXPECT_ANSWER(registered, 201);
  return registered.body.value("id", "");
}

std::string RuntimeTest::Approved(const std::string& sales, const std::string& name) {
  const std::string id = Register(sales, name);
  EXPECT_ANSWER(api().Post("/v1/customers/" + id + "/review", Token("r1"), Json{{"approve", true}}), 200);
  return id;
}

std::string RuntimeTest::Intention(const std::string& sales, const std::string& name, const std::string& manager) {
  const std::string id = Approved(sales, name);
  const ApiResponse requested =
      api().Post("/v1/customers/" + id + "/promotion-requests", Token(sales), Json{{"reason", "有明确采购意向"}});
  EXPECT_ANSWER(requested, 201);
  const std::string request_id = requested.body.value("requestId", "");
  EXPECT_ANSWER(api().Post("/v1/customers/" + id + "/promotion-requests/" + request_id + "/decision", Token(manager),
                           Json{{"approve", true}}),
                200);
  return id;
}

Json RuntimeTest::ContractBody(const std::string& contract_no, events::Fen total_fen,
                               const std::string& aftersales) const {
  const events::Fen first = total_fen / 2;
  return Json{{"contractNo", contract_no},
              {"type", "销售合同"},
              {"signedAt", events::FormatRfc3339(now_ms_)},
              {"paymentMethod", "银行转账"},
              {"buyer", {{"name", "买方公司"}}},
              {"lines", Json::array({Json{{"product", "空调主机"}, {"quantity", 1}, {"unitPriceFen", first}},
                                     Json{{"product", "安装服务"}, {"quantity", 1}, {"unitPriceFen", total_fen - first}}})},
              {"extras", Json::array({"免费保修两年"})},
              {"totalFen", total_fen},
              {"aftersalesOwnerId", aftersales}};
}

std::string RuntimeTest::Formal(const std::string& sales, const std::string& name, const std::string& manager,
                                const std::string& contract_no, events::Fen total_fen, const std::string& aftersales) {
  const std::string id = Intention(sales, name, manager);
  EXPECT_ANSWER(
      api().Post("/v1/customers/" + id + "/contracts", Token(sales), ContractBody(contract_no, total_fen, aftersales)),
      200);
  return id;
}

std::string RuntimeTest::InPool(const std::string& sales, const std::string& name) {
  const std::string id = Register(sales, name);
  EXPECT_ANSWER(api().Post("/v1/customers/" + id + "/abandon", Token(sales), Json{{"reason", "不是目标客户"}}), 200);
  return id;
}

}  // namespace crm::server::testing
