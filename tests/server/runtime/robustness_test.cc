// What the server must survive: 32 clients claiming one pool customer at once (exactly one
// wins), hostile input (an oversized body, 100k nested brackets, invalid UTF-8, a slow client)
// while others are served normally, and a restart on the same data directory that keeps every
// acknowledged command and answers every read the same.
#include <atomic>
#include <thread>

#include "server/runtime/runtime_fixture.h"

namespace crm::server::testing {
namespace {

constexpr int kClaimants = 32;

class RobustnessTest : public RuntimeTest {
 protected:
  void SetUp() override {
    RuntimeTest::SetUp();
    MakeCompany();
  }
};

TEST_F(RobustnessTest, ThirtyTwoClientsClaimOnePoolCustomerAndExactlyOneWins) {
  for (int i = 0; i < kClaimants; ++i) CreateUser("c" + std::to_string(i), "sales", "east", "m1");
  const std::string id = InPool("s1", "宜兴市紫砂陶瓷有限公司");
  std::atomic<int> ready{0};
  std::vector<ApiResponse> answers(kClaimants);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClaimants; ++i) {
    clients.emplace_back([&, i] {
      ApiClient client(runtime().port());
      const std::string token = Token("c" + std::to_string(i));
      ready.fetch_add(1);
      while (ready.load() < kClaimants) std::this_thread::yield();
      answers[i] = client.Post("/v1/customers/" + id + "/protect", token, Json::object());
    });
  }
  for (std::thread& client : clients) client.join();
  int won = 0;
  std::string winner;
  for (int i = 0; i < kClaimants; ++i) {
    if (answers[i].status == 200) {
      ++won;
      winner = "c" + std::to_string(i);
    } else {
      EXPECT_EQ(answers[i].status, 409u) << answers[i].raw;
      EXPECT_EQ(answers[i].code(), "already_protected") << answers[i].raw;
    }
  }
  EXPECT_EQ(won, 1);
  const ApiResponse customer = api().Get("/v1/customers/" + id, kAdminToken);
  EXPECT_EQ(customer.body["ownerId"], winner);
  // One claim in the log: the customer's history has one CustomerProtected after the abandon.
  const ApiResponse history = api().Get("/v1/customers/" + id + "/history", kAdminToken);
  int protections = 0;
  for (const Json& event : history.body["items"]) protections += event["type"] == "CustomerProtected";
  EXPECT_EQ(protections, 2);  // the registration's and the one claim
}

TEST_F(RobustnessTest, HostileInputIsRefusedAndOthersAreServed) {
  const std::uint64_t head = runtime().head_seq();
  // A body over the limit: 413 before it is read.
  ApiClient big(runtime().port());
  const ApiResponse too_large = big.Send("POST", "/v1/customers", Token("s1"), std::string(2 << 20, 'x'));
  EXPECT_EQ(too_large.status, 413u) << too_large.raw;
  // 100k nested brackets: too_deep, without recursion.
  const ApiResponse deep =
      api().Send("POST", "/v1/customers", Token("s1"), std::string(100'000, '[') + std::string(100'000, ']'));
  EXPECT_ANSWER(deep, 400);
  EXPECT_EQ(deep.code(), "too_deep");
  // Invalid UTF-8 in a text.
  const ApiResponse bad_utf8 =
      api().Send("POST", "/v1/customers", Token("s1"), "{\"name\":\"\xff\xfe 公司有限公司\",\"region\":\"x\"}");
  EXPECT_ANSWER(bad_utf8, 400);
  EXPECT_EQ(bad_utf8.code(), "invalid_utf8");
  // Malformed JSON, a wrong type, an unknown field.
  EXPECT_EQ(api().Send("POST", "/v1/customers", Token("s1"), "{\"name\":").code(), "invalid_json");
  Json wrong = RegistrationBody("丹阳市眼镜有限公司");
  wrong["phone"] = 12345;
  EXPECT_EQ(api().Post("/v1/customers", Token("s1"), wrong).code(), "wrong_type");
  Json unknown = RegistrationBody("丹阳市眼镜有限公司");
  unknown["ownerId"] = "s2";  // a call never acts for a user named in its body
  EXPECT_EQ(api().Post("/v1/customers", Token("s1"), unknown).code(), "unknown_field");
  EXPECT_EQ(runtime().head_seq(), head);

  // A slow client: its request never completes; the server cuts it off and serves others.
  http::testing::TestClient slow;
  ASSERT_TRUE(slow.Connect(runtime().port()));
  ASSERT_TRUE(slow.WriteRaw("POST /v1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"na"));
  EXPECT_ANSWER(api().Get("/v1/health", ""), 200);
  EXPECT_ANSWER(api().Post("/v1/customers", Token("s1"), RegistrationBody("丹阳市眼镜有限公司")), 201);
  const std::optional<http::testing::Response> cut_off = slow.ReadResponse(std::chrono::milliseconds(5'000));
  ASSERT_TRUE(cut_off.has_value());
  EXPECT_EQ(cut_off->result_int(), 408u);
  EXPECT_EQ(runtime().head_seq(), head + 2);  // the registration, and nothing of the slow one
}

TEST_F(RobustnessTest, RestartKeepsEveryAcknowledgedCommandAndAnswersTheSame) {
  const std::string formal = Formal("s1", "镇江市金山醋业有限公司", "m1", "HT-R1", 880'000, "a1");
  const std::string pool = InPool("s2", "丹徒区江南五金有限公司");
  const std::string held = Approved("s3", "句容市茅山茶叶有限公司");
  ASSERT_ANSWER(api().Post("/v1/contracts/HT-R1/payments", Token("f1"),
                           Json{{"amountFen", 80'000}, {"paidAt", "2026-03-02T02:00:00Z"}, {"method", "转账"},
                                {"handler", "出纳"}, {"account", "6222"}}),
                200);
  const std::vector<std::string> reads = {"/v1/customers/" + formal, "/v1/customers/" + pool,
                                          "/v1/customers/" + held,   "/v1/customers/" + held + "/history",
                                          "/v1/pool",                "/v1/ownership?userId=s3",
                                          "/v1/contracts/HT-R1",     "/v1/analytics/funnel",
                                          "/v1/analytics/salespeople", "/v1/events?limit=1000",
                                          "/v1/users",               "/v1/pool?asOf=seq:20"};
  std::vector<std::string> before;
  for (const std::string& target : reads) before.push_back(api().Get(target, kAdminToken).raw);
  const std::uint64_t head = runtime().head_seq();

  StopServer();
  StartServer();
  EXPECT_EQ(runtime().head_seq(), head);
  for (std::size_t i = 0; i < reads.size(); ++i) {
    EXPECT_EQ(api().Get(reads[i], kAdminToken).raw, before[i]) << reads[i];
  }
  // Tokens still work, and the log goes on from where it was.
  EXPECT_ANSWER(api().Post("/v1/customers/" + held + "/followups", Token("s3"),
                           Json{{"channel", "wechat"}, {"notes", "重启后"}}),
                200);
  EXPECT_EQ(runtime().head_seq(), head + 1);
}

}  // namespace
}  // namespace crm::server::testing
