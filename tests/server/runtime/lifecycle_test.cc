// The lifecycle of domain.md through HTTP, with the time-dependent rules driven by the test
// clock: review, promotion, signing, payment; the 30-day expiry, a review time-out across a
// weekend, the 15-day intention expiry, the 3-day cooldown; as-of reads before and after each
// deadline, and a customer's history.
#include <set>

#include "events/time_format.h"
#include "server/runtime/runtime_fixture.h"

namespace crm::server::testing {
namespace {

// The pool's entry for `id`, or null.
Json PoolEntry(ApiClient& api, const std::string& token, const std::string& id, const std::string& as_of = "") {
  const ApiResponse pool = api.Get("/v1/pool?limit=1000" + (as_of.empty() ? "" : "&asOf=" + Escape(as_of)), token);
  EXPECT_ANSWER(pool, 200);
  for (const Json& entry : pool.body["items"]) {
    if (entry["id"] == id) return entry;
  }
  return nullptr;
}

std::string Stage(ApiClient& api, const std::string& token, const std::string& id) {
  const ApiResponse customer = api.Get("/v1/customers/" + id, token);
  EXPECT_ANSWER(customer, 200);
  return customer.body.value("stage", "");
}

std::string At(events::TimeMs time_ms) {
  return events::FormatRfc3339(time_ms);
}

class LifecycleTest : public RuntimeTest {
 protected:
  void SetUp() override {
    RuntimeTest::SetUp();
    MakeCompany();
  }
};

TEST_F(LifecycleTest, FromRegistrationToPaymentWithEveryRoleInItsPlace) {
  const ApiResponse registered =
      api().Post("/v1/customers", Token("s1"), RegistrationBody("靖江市春意空调有限公司"));
  ASSERT_ANSWER(registered, 201);
  const std::string id = registered.body["id"];
  EXPECT_EQ(registered.body["stage"], "potential");
  EXPECT_EQ(registered.body["ownerId"], "s1");
  EXPECT_EQ(registered.body["deadline"], At(now_ms() + 30 * kDayMs));
  EXPECT_GT(registered.body["seq"].get<std::uint64_t>(), 0u);

  // The reviewer sees a customer waiting for review, and approves it.
  EXPECT_ANSWER(api().Get("/v1/customers/" + id, Token("r1")), 200);
  EXPECT_ANSWER(api().Post("/v1/customers/" + id + "/review", Token("r1"), Json{{"approve", true}}), 200);
  EXPECT_ANSWER(api().Post("/v1/customers/" + id + "/contacts", Token("s1"),
                           Json{{"name", "张三"}, {"title", "采购经理"}, {"mobile", "13812345678"}}),
                200);
  EXPECT_ANSWER(api().Post("/v1/customers/" + id + "/followups", Token("s1"),
                           Json{{"channel", "visit"}, {"notes", "上门拜访"}, {"nextContactAt", At(now_ms() + kHourMs)}}),
                200);
  const ApiResponse reminders = api().Get("/v1/reminders", Token("s1"));
  ASSERT_ANSWER(reminders, 200);
  ASSERT_EQ(reminders.body["items"].size(), 1u);
  EXPECT_EQ(reminders.body["items"][0]["customerId"], id);

  const ApiResponse requested =
      api().Post("/v1/customers/" + id + "/promotion-requests", Token("s1"), Json{{"reason", "预算已批"}});
  ASSERT_ANSWER(requested, 201);
  const std::string request_id = requested.body["requestId"];
  const ApiResponse owned = api().Get("/v1/ownership", Token("s1"));
  ASSERT_EQ(owned.body["items"][0]["pendingRequests"][0]["requestId"], request_id);
  EXPECT_ANSWER(api().Post("/v1/customers/" + id + "/promotion-requests/" + request_id + "/decision", Token("m1"),
                           Json{{"approve", true}}),
                200);
  EXPECT_EQ(Stage(api(), Token("s1"), id), "intention");

  const ApiResponse signed_contract =
      api().Post("/v1/customers/" + id + "/contracts", Token("s1"), ContractBody("HT-2026-001", 1'250'000, "a1"));
  ASSERT_ANSWER(signed_contract, 200);
  // Formal now, and after-sales' customer: the salesperson no longer sees it, after-sales does.
  EXPECT_EQ(Stage(api(), Token("a1"), id), "formal");
  EXPECT_EQ(api().Get("/v1/customers/" + id, Token("s1")).status, 404u);
  // ...but still sees the contract credited to them.
  EXPECT_ANSWER(api().Get("/v1/contracts/HT-2026-001", Token("s1")), 200);

  const ApiResponse paid = api().Post("/v1/contracts/HT-2026-001/payments", Token("f1"),
                                      Json{{"amountFen", 500'000}, {"paidAt", At(now_ms())}, {"method", "银行转账"},
                                           {"handler", "财务王"}, {"account", "6222000011112222"}});
  ASSERT_ANSWER(paid, 200);
  const ApiResponse contract = api().Get("/v1/contracts/HT-2026-001", Token("f1"));
  ASSERT_ANSWER(contract, 200);
  EXPECT_EQ(contract.body["paidFen"], 500'000);
  EXPECT_EQ(contract.body["receivableFen"], 750'000);
  // As of just before the payment, nothing was paid; as of before the signing, no contract.
  const std::uint64_t paid_seq = paid.body["seq"];
  const ApiResponse unpaid = api().Get("/v1/contracts/HT-2026-001?asOf=seq:" + std::to_string(paid_seq - 1), Token("f1"));
  ASSERT_ANSWER(unpaid, 200);
  EXPECT_EQ(unpaid.body["paidFen"], 0);
  const std::uint64_t signed_seq = signed_contract.body["seq"];
  EXPECT_EQ(api().Get("/v1/contracts/HT-2026-001?asOf=seq:" + std::to_string(signed_seq - 2), Token("f1")).status,
            404u);

  // The history, in order, with who did each step.
  const ApiResponse history = api().Get("/v1/customers/" + id + "/history", Token("au1"));
  ASSERT_ANSWER(history, 200);
  std::vector<std::string> types;
  for (const Json& event : history.body["items"]) types.push_back(event["type"]);
  EXPECT_EQ(types, (std::vector<std::string>{"CustomerRegistered", "CustomerProtected", "ProtectionApproved",
                                             "ContactAdded", "FollowUpRecorded", "PromotionRequested",
                                             "CustomerPromoted", "ContractSigned", "CustomerHandedToAftersales",
                                             "PaymentRecorded"}));
  EXPECT_EQ(history.body["items"][2]["actorId"], "r1");
  EXPECT_EQ(history.body["items"][9]["actorId"], "f1");

  // The funnel counts it as formal.
  const ApiResponse funnel = api().Get("/v1/analytics/funnel", Token("m1"));
  ASSERT_ANSWER(funnel, 200);
  EXPECT_NE(funnel.raw.find("formal"), std::string::npos);
}

TEST_F(LifecycleTest, DeadlinesReleaseByTimeAndAsOfReadsSeeBothSides) {
  const events::TimeMs monday = now_ms();
  const std::string expiring = Approved("s2", "苏州恒达精密机械有限公司");       // potential: 30 days
  const std::string intention = Intention("s1", "无锡锦程纺织有限公司", "m1");    // intention: 15 days
  const std::string abandoned = Approved("s1", "南京博远信息技术有限公司");       // abandoned later
  const events::TimeMs friday = monday + 4 * kDayMs;
  SetClock(friday);
  const std::string unreviewed = Register("s2", "常州瑞丰电子科技有限公司");  // review due Wednesday

  // Review time-out across a weekend: 3 working days from Friday 10:00 is Wednesday 10:00.
  const events::TimeMs wednesday = friday + 5 * kDayMs;
  SetClock(wednesday - kDayMs);
  EXPECT_EQ(Stage(api(), Token("s2"), unreviewed), "potential");
  SetClock(wednesday + kMinuteMs);
  const Json timed_out = PoolEntry(api(), Token("s3"), unreviewed);
  ASSERT_FALSE(timed_out.is_null());
  EXPECT_EQ(timed_out["reason"], "review_timed_out");
  EXPECT_EQ(timed_out["enteredAt"], At(wednesday));

  // The 15-day intention expiry.
  const events::TimeMs intention_end = monday + 15 * kDayMs;
  SetClock(intention_end + kMinuteMs);
  const Json lapsed = PoolEntry(api(), Token("s3"), intention);
  ASSERT_FALSE(lapsed.is_null());
  EXPECT_EQ(lapsed["reason"], "expired");
  EXPECT_TRUE(PoolEntry(api(), Token("s3"), intention, At(intention_end - kMinuteMs)).is_null());

  // Abandon, then the 3-day cooldown for the one who abandoned; anyone else may claim at once.
  ASSERT_ANSWER(api().Post("/v1/customers/" + abandoned + "/abandon", Token("s1"), Json{{"reason", "预算取消"}}), 200);
  const ApiResponse too_soon = api().Post("/v1/customers/" + abandoned + "/protect", Token("s1"), Json::object());
  EXPECT_ANSWER(too_soon, 409);
  EXPECT_EQ(too_soon.code(), "cooldown_active");
  SetClock(now_ms() + 3 * kDayMs + kMinuteMs);
  EXPECT_ANSWER(api().Post("/v1/customers/" + abandoned + "/protect", Token("s1"), Json::object()), 200);
  EXPECT_ANSWER(api().Post("/v1/customers/" + abandoned + "/review", Token("r1"), Json{{"approve", true}}), 200);

  // The 30-day expiry: in the pool from its deadline, as of any time after it, never before.
  const events::TimeMs potential_end = monday + 30 * kDayMs;
  SetClock(potential_end + kMinuteMs);
  const Json expired = PoolEntry(api(), Token("s1"), expiring);
  ASSERT_FALSE(expired.is_null());
  EXPECT_EQ(expired["reason"], "expired");
  EXPECT_EQ(expired["previousOwners"], 1);
  EXPECT_TRUE(PoolEntry(api(), Token("s1"), expiring, At(potential_end - kMinuteMs)).is_null());
  EXPECT_FALSE(PoolEntry(api(), Token("s1"), expiring, At(potential_end)).is_null());
  // The customer 360 as of either side, from its own streams: held by s2 (whom s1 may not
  // see), then in the pool (which everyone may).
  const std::string before = "/v1/customers/" + expiring + "?asOf=" + Escape(At(potential_end - kMinuteMs));
  const ApiResponse held_then = api().Get(before, Token("s2"));
  ASSERT_ANSWER(held_then, 200);
  EXPECT_EQ(held_then.body["stage"], "potential");
  EXPECT_EQ(held_then.body["ownerId"], "s2");
  EXPECT_EQ(api().Get(before, Token("s1")).status, 404u);
  const ApiResponse pooled = api().Get("/v1/customers/" + expiring + "?asOf=" + Escape(At(potential_end)), Token("s1"));
  ASSERT_ANSWER(pooled, 200);
  EXPECT_EQ(pooled.body["stage"], "pool");
  EXPECT_EQ(pooled.body["poolReason"], "expired");
  // Before it was registered, it did not exist.
  EXPECT_EQ(api().Get("/v1/customers/" + expiring + "?asOf=seq:1", kAdminToken).status, 404u);
  // The sweeper ran after the clock change: the release is in the feed, by the system, effective
  // at the deadline.
  const ApiResponse feed = api().Get("/v1/events?after=0&limit=1000", Token("au1"));
  ASSERT_ANSWER(feed, 200);
  std::set<std::string> released;
  for (const Json& event : feed.body["items"]) {
    if (event["type"] == "ProtectionExpired" || event["type"] == "ProtectionReviewTimedOut") {
      EXPECT_EQ(event["actorId"], "system");
      released.insert(event["data"]["customerId"]);
      if (event["data"]["customerId"] == expiring) {
        EXPECT_EQ(event["effectiveAt"], events::FormatRfc3339Millis(potential_end));
      }
    }
  }
  EXPECT_EQ(released, (std::set<std::string>{expiring, intention, unreviewed}));

  // As of a log position: the pool before the first release was written has none of them
  // (the time of that position is before every deadline).
  const ApiResponse early = api().Get("/v1/pool?asOf=seq:5", Token("s1"));
  ASSERT_ANSWER(early, 200);
  EXPECT_TRUE(early.body["items"].empty());
}

TEST_F(LifecycleTest, ExtensionsAndAManagersDenial) {
  const std::string id = Approved("s1", "扬州明德建材有限公司");
  const ApiResponse asked = api().Post("/v1/customers/" + id + "/extension-requests", Token("s1"),
                                       Json{{"days", 10}, {"reason", "客户决策周期长"}});
  ASSERT_ANSWER(asked, 201);
  // A manager of another team cannot see it: 404, not 403.
  const ApiResponse foreign = api().Post(
      "/v1/customers/" + id + "/extension-requests/" + asked.body["requestId"].get<std::string>() + "/decision",
      Token("m2"), Json{{"approve", true}});
  EXPECT_ANSWER(foreign, 404);
  EXPECT_EQ(foreign.raw.find("s1"), std::string::npos);
  const ApiResponse granted = api().Post(
      "/v1/customers/" + id + "/extension-requests/" + asked.body["requestId"].get<std::string>() + "/decision",
      Token("m1"), Json{{"approve", true}});
  ASSERT_ANSWER(granted, 200);
  const ApiResponse customer = api().Get("/v1/customers/" + id, Token("s1"));
  EXPECT_EQ(customer.body["deadline"], At(now_ms() + 40 * kDayMs));
}

TEST_F(LifecycleTest, IdempotencyKeyAnswersTheFirstTimeAndAppendsNothing) {
  const Json body = RegistrationBody("泰州华信化工有限公司");
  const ApiResponse first = api().Post("/v1/customers", Token("s1"), body, "key-1");
  ASSERT_ANSWER(first, 201);
  const std::uint64_t head = runtime().head_seq();
  const ApiResponse again = api().Post("/v1/customers", Token("s1"), body, "key-1");
  ASSERT_ANSWER(again, 201);
  EXPECT_EQ(again.body["id"], first.body["id"]);
  EXPECT_EQ(again.body["seq"], first.body["seq"]);
  EXPECT_EQ(runtime().head_seq(), head);
  // The same key with another body is refused; another user's same key is theirs alone.
  const ApiResponse reused = api().Post("/v1/customers", Token("s1"), RegistrationBody("泰州华信化工二厂有限公司"), "key-1");
  EXPECT_ANSWER(reused, 409);
  EXPECT_EQ(reused.code(), "idempotency_key_reused");
  EXPECT_ANSWER(api().Post("/v1/customers", Token("s2"), RegistrationBody("泰州华信化工三厂有限公司"), "key-1"), 201);
}

TEST_F(LifecycleTest, ListsPageWithCursorsThatHoldTheirAsOf) {
  for (int i = 0; i < 7; ++i) InPool("s1", "盐城第" + std::to_string(i) + "机械制造有限公司");
  std::vector<std::string> ids;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    const ApiResponse answer =
        api().Get("/v1/pool?limit=3" + (cursor.empty() ? "" : "&cursor=" + Escape(cursor)), Token("s2"));
    ASSERT_ANSWER(answer, 200);
    for (const Json& item : answer.body["items"]) ids.push_back(item["id"]);
    if (answer.body["nextCursor"].is_null()) break;
    cursor = answer.body["nextCursor"];
  }
  EXPECT_EQ(ids.size(), 7u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 7u);
  // A cursor of a "now" page is not one of an asOf read.
  const ApiResponse first = api().Get("/v1/pool?limit=3", Token("s2"));
  const ApiResponse mixed = api().Get(
      "/v1/pool?limit=3&asOf=seq:3&cursor=" + Escape(first.body["nextCursor"].get<std::string>()), Token("s2"));
  EXPECT_ANSWER(mixed, 400);
  EXPECT_EQ(mixed.code(), "invalid_cursor");
}

}  // namespace
}  // namespace crm::server::testing
