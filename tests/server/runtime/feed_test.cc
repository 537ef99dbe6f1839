// GET /v1/events (the log as a feed, long-polled), GET /metrics and GET /v1/health.
#include <chrono>
#include <future>

#include "server/runtime/runtime_fixture.h"

namespace crm::server::testing {
namespace {

class FeedTest : public RuntimeTest {
 protected:
  void SetUp() override {
    RuntimeTest::SetUp();
    MakeCompany();
  }
};

TEST_F(FeedTest, PagesTheLogInOrderWithAfter) {
  InPool("s1", "高邮市双黄鸭蛋有限公司");
  const std::uint64_t head = runtime().head_seq();
  std::vector<std::uint64_t> seqs;
  std::uint64_t after = 0;
  for (int page = 0; page < 100 && after < head; ++page) {
    const ApiResponse answer = api().Get("/v1/events?limit=4&after=" + std::to_string(after), Token("au1"));
    ASSERT_ANSWER(answer, 200);
    for (const Json& event : answer.body["items"]) seqs.push_back(event["seq"]);
    after = answer.body["nextAfter"];
    EXPECT_EQ(answer.body["headSeq"], head);
  }
  ASSERT_EQ(seqs.size(), head);
  for (std::size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], i + 1);
  // After the end, nothing (the largest seq too).
  EXPECT_TRUE(api().Get("/v1/events?after=18446744073709551615", Token("au1")).body["items"].empty());
  // asOf caps the feed.
  const ApiResponse capped = api().Get("/v1/events?limit=1000&asOf=seq:3", Token("au1"));
  EXPECT_EQ(capped.body["items"].size(), 3u);
}

TEST_F(FeedTest, ALongPollAnswersAsSoonAsAnEventArrives) {
  const std::uint64_t head = runtime().head_seq();
  const auto started = std::chrono::steady_clock::now();
  std::future<ApiResponse> poll = std::async(std::launch::async, [&] {
    ApiClient client(runtime().port());
    return client.Get("/v1/events?waitMs=10000&after=" + std::to_string(head), Token("au1"));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(poll.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);  // still waiting
  Register("s1", "兴化市千垛菜花旅游有限公司");
  const ApiResponse answer = poll.get();
  ASSERT_ANSWER(answer, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  ASSERT_FALSE(answer.body["items"].empty());
  EXPECT_EQ(answer.body["items"][0]["seq"], head + 1);
  EXPECT_EQ(answer.body["items"][0]["type"], "CustomerRegistered");

  // With nothing new, a poll answers empty when its wait is over.
  const ApiResponse empty = api().Get("/v1/events?waitMs=300&after=" + std::to_string(runtime().head_seq()),
                                      Token("au1"));
  ASSERT_ANSWER(empty, 200);
  EXPECT_TRUE(empty.body["items"].empty());
  // A wait beyond the bound is refused, not cut short.
  EXPECT_EQ(api().Get("/v1/events?waitMs=3600000", Token("au1")).code(), "invalid_parameter");
}

TEST_F(FeedTest, AFollowUpIsAnsweredWhileTheOnlyWorkerHoldsALongPoll) {
  // Customer commands wait for the disk without a worker (ApiApp::HandleAsync): with one worker
  // busy in a long poll, a follow-up still lands, and the poll then sees it.
  const std::string customer = Register("s1", "兴化市千垛菜花旅游有限公司");
  StopServer();
  worker_threads_ = 1;
  StartServer();
  const std::uint64_t head = runtime().head_seq();
  std::future<ApiResponse> poll = std::async(std::launch::async, [&] {
    ApiClient client(runtime().port());
    return client.Get("/v1/events?waitMs=10000&after=" + std::to_string(head), Token("au1"));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_EQ(poll.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout) << "the poll holds the worker";
  const ApiResponse follow_up = api().Post("/v1/customers/" + customer + "/followups", Token("s1"),
                                           Json{{"channel", "phone"}, {"notes", "电话沟通"}});
  ASSERT_ANSWER(follow_up, 200);
  EXPECT_EQ(follow_up.body["seq"], head + 1);
  const ApiResponse polled = poll.get();
  ASSERT_ANSWER(polled, 200);
  ASSERT_FALSE(polled.body["items"].empty());
  EXPECT_EQ(polled.body["items"][0]["type"], "FollowUpRecorded");
}

TEST_F(FeedTest, MetricsCountRequestsByRouteAndHealthNeedsNoToken) {
  InPool("s1", "泰兴市银杏食品有限公司");
  api().Get("/v1/pool", Token("s1"));
  api().Get("/v1/nowhere", Token("s1"));
  const ApiResponse health = api().Get("/v1/health", "");
  ASSERT_ANSWER(health, 200);
  EXPECT_EQ(health.body["status"], "ok");
  EXPECT_EQ(health.body["seq"], runtime().head_seq());

  const ApiResponse metrics = api().Get("/metrics", kAdminToken);
  ASSERT_ANSWER(metrics, 200);
  for (const char* series :
       {"crm_http_requests_total{route=\"/v1/pool\",status=\"200\"} 1",
        "crm_http_requests_total{route=\"/v1/customers/{id}/abandon\",status=\"200\"} 1",
        "crm_http_requests_total{route=\"unmatched\",status=\"404\"} 1", "crm_http_request_duration_seconds_bucket",
        "crm_log_appends_total", "crm_log_fsync_batches_total", "crm_projection_lag_events{view=\"customers\"}",
        "crm_sweeper_runs_total"}) {
    EXPECT_NE(metrics.raw.find(series), std::string::npos) << series;
  }
}

}  // namespace
}  // namespace crm::server::testing
