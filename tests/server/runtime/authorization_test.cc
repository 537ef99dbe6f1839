// The authorization matrix: every endpoint × every role × own, team and foreign objects, with
// the exact status, and no foreign data in any refusal. A refused command appends nothing.
#include <array>

#include "server/runtime/runtime_fixture.h"

namespace crm::server::testing {
namespace {

// The roles in the order of every row below.
const std::array<std::string, 7> kCallers = {"s1", "m1", "r1", "a1", "f1", "au1", "admin"};

struct Row {
  std::string target;
  std::array<unsigned, 7> status;  // per kCallers
};

class AuthorizationTest : public RuntimeTest {
 protected:
  void SetUp() override {
    RuntimeTest::SetUp();
    MakeCompany();
    own_ = Approved("s1", "东台市佳禾食品有限公司");
    team_ = Approved("s2", "如皋市长江船舶配件有限公司");
    foreign_ = Approved("s3", "福州市闽江外贸有限公司");
    EXPECT_ANSWER(api().Post("/v1/customers/" + foreign_ + "/contacts", Token("s3"),
                             Json{{"name", "林外贸"}, {"title", "总经理"}, {"mobile", kForeignMobile}}),
                  200);
    pending_ = Register("s1", "海安县恒通物流有限公司");
    pool_ = InPool("s2", "启东市海韵水产有限公司");
    formal_east_ = Formal("s1", "南通市华东重工有限公司", "m1", "HT-E", 1'000'000, "a1");
    formal_west_ = Formal("s3", "厦门市鹭岛电子有限公司", "m2", "HT-W", 2'000'000, "a2");
  }

  // Every caller reads `row.target`; the statuses must match, and no refusal may carry data of
  // a customer the caller cannot see.
  void CheckReads(const std::vector<Row>& rows) {
    for (const Row& row : rows) {
      for (std::size_t i = 0; i < kCallers.size(); ++i) {
        const ApiResponse answer = api().Get(row.target, Token(kCallers[i]));
        EXPECT_EQ(answer.status, row.status[i]) << kCallers[i] << " GET " << row.target << ": " << answer.raw;
        if (answer.status >= 400) ExpectNoCustomerData(answer);
      }
      // Without a token, nothing but health.
      EXPECT_EQ(api().Get(row.target, "").status, 401u) << row.target;
      EXPECT_EQ(api().Get(row.target, "not-a-token").status, 401u) << row.target;
    }
  }

  void ExpectNoCustomerData(const ApiResponse& answer) {
    for (const std::string& text : {std::string("福州"), std::string("东台"), std::string("南通"), std::string("厦门"),
                                    std::string(kForeignMobile)}) {
      EXPECT_EQ(answer.raw.find(text), std::string::npos) << "leaks " << text << ": " << answer.raw;
    }
  }

  // `caller` sends the command; the status must be `status`, and a refusal appends nothing.
  ApiResponse Command(const std::string& caller, const std::string& target, const Json& body, unsigned status) {
    const std::uint64_t head = runtime().head_seq();
    const ApiResponse answer = api().Post(target, Token(caller), body);
    EXPECT_EQ(answer.status, status) << caller << " POST " << target << ": " << answer.raw;
    if (answer.status >= 400) {
      EXPECT_EQ(runtime().head_seq(), head) << caller << " POST " << target;
      ExpectNoCustomerData(answer);
    }
    return answer;
  }

  static constexpr std::string_view kForeignMobile = "13900001111";
  std::string own_, team_, foreign_, pending_, pool_, formal_east_, formal_west_;
};

TEST_F(AuthorizationTest, CustomerReadsFollowOwnershipTeamAndRole) {
  //                                         s1   m1   r1   a1   f1   au1  admin
  CheckReads({{"/v1/customers/" + own_, {200, 200, 404, 404, 404, 200, 200}},
              {"/v1/customers/" + team_, {404, 200, 404, 404, 404, 200, 200}},
              {"/v1/customers/" + foreign_, {404, 404, 404, 404, 404, 200, 200}},
              {"/v1/customers/" + pending_, {200, 200, 200, 404, 404, 200, 200}},
              {"/v1/customers/" + pool_, {200, 200, 200, 200, 200, 200, 200}},
              {"/v1/customers/" + formal_east_, {404, 200, 404, 200, 200, 200, 200}},
              {"/v1/customers/" + formal_west_, {404, 404, 404, 404, 200, 200, 200}},
              {"/v1/customers/C999", {404, 404, 404, 404, 404, 404, 404}},
              {"/v1/customers/" + own_ + "/history", {200, 200, 404, 404, 404, 200, 200}},
              {"/v1/customers/" + foreign_ + "/history", {404, 404, 404, 404, 404, 200, 200}},
              {"/v1/contracts/HT-E", {200, 200, 404, 200, 200, 200, 200}},
              {"/v1/contracts/HT-W", {404, 404, 404, 404, 200, 200, 200}},
              {"/v1/contracts/HT-NONE", {404, 404, 404, 404, 404, 404, 404}}});
}

TEST_F(AuthorizationTest, ListsOfAUserAreTheirsTheirManagersAndAuditors) {
  //                                         s1   m1   r1   a1   f1   au1  admin
  CheckReads({{"/v1/ownership", {200, 200, 200, 200, 200, 200, 200}},
              {"/v1/ownership?userId=s1", {200, 200, 404, 404, 404, 200, 200}},
              {"/v1/ownership?userId=s3", {404, 404, 404, 404, 404, 200, 200}},
              {"/v1/ownership?userId=nobody", {404, 404, 404, 404, 404, 404, 404}},
              {"/v1/reminders?userId=s1", {200, 200, 404, 404, 404, 200, 200}},
              {"/v1/reminders?userId=s3", {404, 404, 404, 404, 404, 200, 200}}});
  const ApiResponse own_list = api().Get("/v1/ownership", Token("s1"));
  EXPECT_EQ(own_list.raw.find(foreign_ + "\""), std::string::npos);
  EXPECT_NE(own_list.raw.find(own_ + "\""), std::string::npos);
}

TEST_F(AuthorizationTest, SharedReadsDashboardsAndTheFeed) {
  //                                         s1   m1   r1   a1   f1   au1  admin
  CheckReads({{"/v1/pool", {200, 200, 200, 200, 200, 200, 200}},
              {"/v1/search?q=" + Escape("有限公司"), {200, 200, 200, 200, 200, 200, 200}},
              {"/v1/policy", {200, 200, 200, 200, 200, 200, 200}},
              {"/v1/users", {403, 403, 403, 403, 403, 200, 200}},
              {"/v1/analytics/funnel", {403, 200, 403, 403, 200, 200, 200}},
              {"/v1/analytics/pool-flow", {403, 200, 403, 403, 200, 200, 200}},
              {"/v1/analytics/revenue", {403, 200, 403, 403, 200, 200, 200}},
              {"/v1/analytics/rfm", {403, 200, 403, 403, 200, 200, 200}},
              {"/v1/analytics/salespeople", {200, 200, 403, 403, 200, 200, 200}},
              {"/v1/events", {403, 403, 403, 403, 403, 200, 200}},
              {"/metrics", {403, 403, 403, 403, 403, 200, 200}}});
  EXPECT_ANSWER(api().Get("/v1/health", ""), 200);

  // Users are the admin's (api.md "Users (admin)"), read by auditors too.
  const auto ids = [&](const std::string& caller, const std::string& target) {
    std::vector<std::string> found;
    const ApiResponse answer = api().Get(target, Token(caller));
    for (const Json& item : answer.body["items"]) {
      found.push_back(item.contains("userId") ? item["userId"] : item["id"]);
    }
    return found;
  };
  EXPECT_EQ(ids("au1", "/v1/users").size(), 11u);
  // As of a position, the users who existed then: the admin alone at seq 1.
  EXPECT_EQ(ids("admin", "/v1/users?asOf=seq:1"), (std::vector<std::string>{"admin"}));
  EXPECT_EQ(ids("s1", "/v1/analytics/salespeople"), (std::vector<std::string>{"s1"}));
  for (const std::string& id : ids("m1", "/v1/analytics/salespeople")) EXPECT_NE(id, "s3");
}

TEST_F(AuthorizationTest, CustomerCommandsByRoleOwnershipAndTeam) {
  const Json follow_up{{"channel", "phone"}, {"notes", "电话沟通"}};
  const std::string on_own = "/v1/customers/" + own_ + "/followups";
  const std::string on_foreign = "/v1/customers/" + foreign_ + "/followups";
  // A customer the caller cannot see is 404; one they see but do not hold is 403.
  Command("s1", on_foreign, follow_up, 404);
  Command("s1", "/v1/customers/" + team_ + "/followups", follow_up, 404);
  Command("m1", on_own, follow_up, 403);
  Command("m1", on_foreign, follow_up, 404);
  Command("r1", on_own, follow_up, 404);  // neither may see a held, reviewed customer
  Command("f1", on_own, follow_up, 404);
  Command("au1", on_own, follow_up, 403);
  Command("admin", on_own, follow_up, 403);
  Command("s1", on_own, follow_up, 200);

  // Registration and claims are sales' work.
  for (const std::string caller : {"m1", "r1", "a1", "f1", "au1", "admin"}) {
    Command(caller, "/v1/customers", RegistrationBody("泰兴市" + caller + "化工有限公司"), 403);
    Command(caller, "/v1/customers/" + pool_ + "/protect", Json::object(), 403);
  }
  Command("s1", "/v1/customers/" + pool_ + "/protect", Json::object(), 200);
  Command("s2", "/v1/customers/" + pool_ + "/protect", Json::object(), 409);  // already protected

  // Reviews are the reviewer's.
  for (const std::string caller : {"s1", "m1", "a1", "f1", "au1", "admin"}) {
    Command(caller, "/v1/customers/" + pending_ + "/review", Json{{"approve", true}}, 403);
  }
  Command("r1", "/v1/customers/" + pending_ + "/review", Json{{"approve", true}}, 200);

  // Reassignment: a manager of the holder's team.
  const Json to_s2{{"toUserId", "s2"}, {"reason", "调整分工"}};
  Command("s1", "/v1/customers/" + own_ + "/reassign", to_s2, 403);
  Command("m2", "/v1/customers/" + own_ + "/reassign", to_s2, 404);
  Command("m1", "/v1/customers/" + foreign_ + "/reassign", to_s2, 404);
  Command("m1", "/v1/customers/" + own_ + "/reassign", to_s2, 200);

  // Abandon: the holder only (own_ is s2's now).
  Command("s1", "/v1/customers/" + own_ + "/abandon", Json{{"reason", "放弃"}}, 404);
  Command("s2", "/v1/customers/" + own_ + "/abandon", Json{{"reason", "放弃"}}, 200);
}

TEST_F(AuthorizationTest, PaymentsUsersPolicyAndHandover) {
  const Json payment{{"amountFen", 1000}, {"paidAt", "2026-03-02T02:00:00Z"}, {"method", "转账"},
                     {"handler", "出纳"}, {"account", "6222"}};
  for (const std::string caller : {"s1", "m1", "r1", "a1", "au1", "admin"}) {
    Command(caller, "/v1/contracts/HT-E/payments", payment, 403);
  }
  Command("f1", "/v1/contracts/HT-NONE/payments", payment, 404);
  Command("f1", "/v1/contracts/HT-E/payments", payment, 200);

  const Json user{{"id", "s9"}, {"name", "新人"}, {"role", "sales"}, {"team", "east"}};
  for (const std::string caller : {"s1", "m1", "r1", "a1", "f1", "au1"}) Command(caller, "/v1/users", user, 403);
  Command("admin", "/v1/users", user, 201);
  for (const std::string caller : {"s1", "m1", "au1"}) Command(caller, "/v1/users/s9/deactivate", Json::object(), 403);

  const std::uint64_t head = runtime().head_seq();
  for (const std::string caller : {"s1", "m1", "r1", "a1", "f1", "au1"}) {
    EXPECT_EQ(api().Put("/v1/policy", Token(caller), Json{{"maxProtected", 5}}).status, 403u) << caller;
  }
  EXPECT_EQ(runtime().head_seq(), head);
  EXPECT_ANSWER(api().Put("/v1/policy", kAdminToken, Json{{"maxProtected", 150}}), 200);
  EXPECT_EQ(api().Get("/v1/policy", Token("s1")).body["maxProtected"], 150);

  // Handover: a manager of the departing user's team.
  const Json to_s2{{"toUserId", "s2"}, {"reason", "离职交接"}};
  Command("s1", "/v1/users/s1/handover", to_s2, 403);
  Command("m2", "/v1/users/s1/handover", to_s2, 404);
  const ApiResponse handed = Command("m1", "/v1/users/s1/handover", to_s2, 200);
  EXPECT_FALSE(handed.body["customerIds"].empty());
  // Deactivated users can do nothing.
  Command("admin", "/v1/users/s1/deactivate", Json::object(), 200);
  EXPECT_EQ(api().Get("/v1/ownership", Token("s1")).status, 403u);
  EXPECT_EQ(api().Get("/v1/ownership", Token("s1")).raw.find("s1\" has been"), std::string::npos);
}

TEST_F(AuthorizationTest, OwnerCommandsRequestsDecisionsAndSigningForEveryRole) {
  // For each owner command on s1's customer: who may not, and how, then the owner. A role the
  // rule names is checked first (403 role_forbidden: requests are sales' work); then holding:
  // 404 where the customer is not visible to the caller, 403 where it is but they do not hold it.
  const std::array<std::string, 7> others = {"s2", "s3", "m1", "r1", "f1", "au1", "admin"};
  const auto each_other = [&](const std::string& target, const Json& body, std::array<unsigned, 7> refused) {
    for (std::size_t i = 0; i < others.size(); ++i) Command(others[i], target, body, refused[i]);
  };
  constexpr std::array<unsigned, 7> kHolderOnly = {404, 404, 403, 404, 404, 403, 403};
  constexpr std::array<unsigned, 7> kSalesHolderOnly = {404, 404, 403, 403, 403, 403, 403};
  const std::string customer = "/v1/customers/" + own_;
  const Json contact{{"name", "李联系"}, {"title", "经理"}, {"mobile", "13700001111"}};
  each_other(customer + "/contacts", contact, kHolderOnly);
  Command("s1", customer + "/contacts", contact, 200);
  const Json extension{{"days", 5}, {"reason", "客户出差"}};
  each_other(customer + "/extension-requests", extension, kSalesHolderOnly);
  const std::string extension_id = Command("s1", customer + "/extension-requests", extension, 201).body["requestId"];
  const Json promotion{{"reason", "意向明确"}};
  each_other(customer + "/promotion-requests", promotion, kSalesHolderOnly);
  const std::string promotion_id = Command("s1", customer + "/promotion-requests", promotion, 201).body["requestId"];

  // Decisions are a manager's of the holder's team; a manager of another team cannot see it.
  for (const auto& [kind, id] : {std::pair{"extension", extension_id}, std::pair{"promotion", promotion_id}}) {
    const std::string decision = customer + "/" + kind + "-requests/" + id + "/decision";
    for (const std::string caller : {"s1", "r1", "a1", "f1", "au1", "admin"}) {
      Command(caller, decision, Json{{"approve", true}}, 403);
    }
    Command("m2", decision, Json{{"approve", true}}, 404);
    Command("m1", decision, Json{{"approve", true}}, 200);
  }

  // Signing: the holder of an intention customer.
  const std::string contract = customer + "/contracts";
  const Json body = ContractBody("HT-OWN", 300'000, "a1");
  each_other(contract, body, kHolderOnly);
  Command("s1", contract, body, 200);
  // ...and of a formal one, its after-sales owner; a1 owns it now.
  const Json follow_on = ContractBody("HT-OWN-2", 100'000, "a1");
  Command("s1", contract, follow_on, 404);
  Command("a2", contract, follow_on, 404);
  Command("a1", contract, follow_on, 200);

  // The test clock is the admin's.
  for (const std::string caller : {"s1", "m1", "r1", "a1", "f1", "au1"}) {
    EXPECT_EQ(api().Post("/v1/test/clock", Token(caller), Json{{"now", "2026-03-03T00:00:00Z"}}).status, 403u);
  }
}

}  // namespace
}  // namespace crm::server::testing
