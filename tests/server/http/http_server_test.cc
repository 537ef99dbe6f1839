// The transport against a real socket: a server on 127.0.0.1 with an ephemeral port, driven by
// TestClient (every call and every loop bounded).
#include "server/http/http_server.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "test_client.h"
#include "testutil/status_matchers.h"

namespace crm::server::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::MakeRequest;
using testing::Response;
using testing::TestClient;
namespace bhttp = boost::beast::http;

// Polls `condition` every 10 ms for at most `timeout`.
template <typename Condition>
bool WaitFor(Condition condition, milliseconds timeout = milliseconds(5'000)) {
  const auto deadline = steady_clock::now() + timeout;
  while (steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return condition();
}

std::string ErrorCode(const Response& response) {
  const auto body = nlohmann::json::parse(response.body(), nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("error")) return "<not an error body: " + response.body() + ">";
  EXPECT_TRUE(body["error"]["details"].is_object());
  EXPECT_TRUE(body["error"]["message"].is_string());
  return body["error"]["code"].get<std::string>();
}

HttpResponse Json(unsigned status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

double ElapsedMs(steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(steady_clock::now() - since).count();
}

class HttpServerTest : public ::testing::Test {
 protected:
  HttpServerOptions Options() {
    HttpServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.worker_threads = 4;
    options.log_sink = [this](std::string_view line) {
      std::lock_guard lock(log_mutex_);
      log_lines_.emplace_back(line);
    };
    return options;
  }

  void StartServer(HttpServerOptions options, HttpHandler handler) {
    server_ = std::make_unique<HttpServer>(std::move(options), std::move(handler));
    ASSERT_OK(server_->Start());
    port_ = server_->port();
    ASSERT_NE(port_, 0);
  }

  void StartServer(HttpHandler handler) { StartServer(Options(), std::move(handler)); }

  // Every logged line whose "event" is `event`, parsed.
  std::vector<nlohmann::json> LogEvents(std::string_view event) {
    std::lock_guard lock(log_mutex_);
    std::vector<nlohmann::json> events;
    for (const std::string& line : log_lines_) {
      auto parsed = nlohmann::json::parse(line);
      if (parsed["event"] == event) events.push_back(std::move(parsed));
    }
    return events;
  }

  std::optional<Response> Get(std::string_view target) {
    TestClient client;
    if (!client.Connect(port_)) return std::nullopt;
    return client.Send(MakeRequest("GET", target));
  }

  std::mutex log_mutex_;
  std::vector<std::string> log_lines_;  // guarded by log_mutex_
  // After the log: the server's sink writes to it until the server is gone.
  std::unique_ptr<HttpServer> server_;
  std::uint16_t port_ = 0;
};

HttpResponse Ok(const HttpRequest&) {
  return Json(200, R"({"ok":true})");
}

TEST_F(HttpServerTest, HandlerAnswersJsonAndSeesTheRequest) {
  std::mutex mutex;
  HttpRequest seen;
  StartServer([&](const HttpRequest& request) {
    std::lock_guard lock(mutex);
    seen = request;
    HttpResponse response = Json(201, R"({"id":"c-1","seq":7})");
    response.headers = {{"Location", "/v1/customers/c-1"}, {"Content-Length", "999"}, {"X-Bad", "a\r\nInjected: 1"}};
    return response;
  });

  TestClient client;
  ASSERT_TRUE(client.Connect(port_));
  auto request = MakeRequest("POST", "/v1/customers?region=%E5%8D%8E%E4%B8%9C&q=a+b", R"({"name":"春意"})");
  request.set(bhttp::field::authorization, "Bearer t0k3n");
  request.set("Idempotency-Key", "key-1");
  const auto response = client.Send(std::move(request));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 201u);
  EXPECT_EQ((*response)[bhttp::field::content_type], "application/json");
  EXPECT_EQ((*response)[bhttp::field::location], "/v1/customers/c-1");
  EXPECT_EQ((*response)["Injected"], "");
  EXPECT_EQ((*response)["X-Bad"], "");
  EXPECT_EQ(response->body(), R"({"id":"c-1","seq":7})");

  std::lock_guard lock(mutex);
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.path, "/v1/customers");
  const QueryParams expected_query = {{"region", "华东"}, {"q", "a b"}};
  EXPECT_EQ(seen.query, expected_query);
  EXPECT_EQ(seen.authorization, "Bearer t0k3n");
  EXPECT_EQ(seen.idempotency_key, "key-1");
  EXPECT_EQ(seen.content_type, "application/json");
  EXPECT_EQ(seen.body, R"({"name":"春意"})");
  EXPECT_EQ(seen.remote_address, "127.0.0.1");
  EXPECT_NE(seen.remote_port, 0);
  EXPECT_FALSE(seen.stop_token.stop_requested());

  ASSERT_TRUE(WaitFor([&] { return LogEvents("request").size() == 1; }));
  const nlohmann::json line = LogEvents("request")[0];
  EXPECT_EQ(line["method"], "POST");
  EXPECT_EQ(line["path"], "/v1/customers");  // without the query
  EXPECT_EQ(line["status"], 201);
  EXPECT_TRUE(line["ms"].is_number());
  EXPECT_EQ(line["bytes"], response->body().size());
  EXPECT_TRUE(line["ts"].is_string());
  ASSERT_EQ(LogEvents("listening").size(), 1u);
  EXPECT_EQ(LogEvents("listening")[0]["port"], port_);
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  StartServer([](const HttpRequest& request) { return Json(200, "{\"path\":\"" + request.path + "\"}"); });
  TestClient client;
  ASSERT_TRUE(client.Connect(port_));
  for (int i = 0; i < 5; ++i) {
    const std::string path = "/v1/n" + std::to_string(i);
    const auto response = client.Send(MakeRequest("GET", path));
    ASSERT_TRUE(response.has_value()) << "request " << i;
    EXPECT_EQ(response->body(), "{\"path\":\"" + path + "\"}");
    EXPECT_TRUE(response->keep_alive());
  }
  const HttpServerStats stats = server_->Stats();
  EXPECT_EQ(stats.connections_accepted, 1u);
  EXPECT_EQ(stats.connections_open, 1u);
  EXPECT_EQ(stats.requests_handled, 5u);
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer([](const HttpRequest& request) { return Json(200, "\"" + request.path + "\""); });
  TestClient client;
  ASSERT_TRUE(client.Connect(port_));
  ASSERT_TRUE(client.WriteRaw(
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n"));
  for (const char* expected : {"\"/a\"", "\"/b\"", "\"/c\""}) {
    const auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->body(), expected);
  }
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  StartServer(Ok);
  TestClient client;
  ASSERT_TRUE(client.Connect(port_));
  auto request = MakeRequest("GET", "/v1/health");
  request.keep_alive(false);
  const auto response = client.Send(std::move(request));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 200u);
  EXPECT_FALSE(response->keep_alive());
  EXPECT_TRUE(client.ReadClosed());
}

TEST_F(HttpServerTest, OversizedContentLengthGets413BeforeTheBodyIsSent) {
  std::atomic<int> calls{0};
  HttpServerOptions options = Options();
  options.request_body_bytes_max = std::size_t{1} << 20;
  options.request_read_timeout_ms = 10'000;  // an answer that waited for the body would take this long
  StartServer(options, [&](const HttpRequest&) {
    ++calls;
    return Json(200, "{}");
  });

  TestClient client;
  ASSERT_TRUE(client.Connect(port_));
  const auto sent = steady_clock::now();
  ASSERT_TRUE(
      client.WriteRaw("POST /v1/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Content-Length: 2097152\r\n\r\n"));
  // Not one body byte is sent: the answer can only come from the header.
  const auto response = client.ReadResponse(milliseconds(3'000));
  ASSERT_TRUE(response.has_value());
  EXPECT_LT(ElapsedMs(sent), 2'000.0);
  EXPECT_EQ(response->result_int(), 413u);
  EXPECT_EQ(ErrorCode(*response), "body_too_large");
  EXPECT_FALSE(response->keep_alive());
  EXPECT_TRUE(client.ReadClosed());
  EXPECT_EQ(calls.load(), 0);
  EXPECT_EQ(server_->Stats().Rejected(RejectReason::kBodyTooLarge), 1u);
}

TEST_F(HttpServerTest, OversizedContentLengthWithExpectContinueGets413) {
  StartServer(Ok);
  TestClient client;
  ASSERT_TRUE(client.Connect(port_));
  ASSERT_TRUE(client.WriteRaw(
      "PUT /v1/policy HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 99999999\r\n\r\n"));
  const auto response = client.ReadResponse(milliseconds(3'000));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 413u);
}

TEST_F(HttpServerTest, ExpectContinueGets100ThenTheAnswer) {
  StartServer([](const HttpRequest& request) { return Json(200, request.body); });
  TestClient client;
  ASSERT_TRUE(client.Connect(port_));
  ASSERT_TRUE(client.WriteRaw("POST /v1/x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 7\r\n\r\n"));
  const auto interim = client.ReadResponse(milliseconds(3'000));
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(interim->result_int(), 100u);
  ASSERT_TRUE(client.WriteRaw("{\"a\":1}"));
  const auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 200u);
  EXPECT_EQ(response->body(), "{\"a\":1}");
}

TEST_F(HttpServerTest, OversizedChunkedBodyGets413) {
  std::atomic<int> calls{0};
  HttpServerOptions options = Options();
  options.request_body_bytes_max = 1024;
  StartServer(options, [&](const HttpRequest&) {
    ++calls;
    return Json(200, "{}");
  });

  TestClient client;
  ASSERT_TRUE(client.Connect(port_));
  ASSERT_TRUE(client.WriteRaw("POST /v1/customers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = "200\r\n" + std::string(512, 'a') + "\r\n";  // 512 bytes each
  for (int i = 0; i < 4 && client.Available() == 0; ++i) {
    if (!client.WriteRaw(chunk)) break;  // the server may have answered and closed already
  }
  const auto response = client.ReadResponse(milliseconds(3'000));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 413u);
  EXPECT_EQ(ErrorCode(*response), "body_too_large");
  EXPECT_EQ(calls.load(), 0);

  // A chunked body within the limit is served.
  TestClient small;
  ASSERT_TRUE(small.Connect(port_));
  ASSERT_TRUE(small.WriteRaw("POST /v1/customers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk +
                             "0\r\n\r\n"));
  const auto ok = small.ReadResponse();
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->result_int(), 200u);
  EXPECT_EQ(calls.load(), 1);
}

TEST_F(HttpServerTest, HugeHeadersGet431) {
  StartServer(Ok);
  TestClient client;
  ASSERT_TRUE(client.Connect(port_));
  auto request = MakeRequest("GET", "/v1/pool");
  request.set("X-Big", std::string(20'000, 'a'));  // above the 16 KiB default
  const auto response = client.Send(std::move(request));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 431u);
  EXPECT_EQ(ErrorCode(*response), "headers_too_large");
  EXPECT_FALSE(response->keep_alive());
  EXPECT_EQ(server_->Stats().Rejected(RejectReason::kHeadersTooLarge), 1u);

  // Just under the limit is fine.
  auto fits = MakeRequest("GET", "/v1/pool");
  fits.set("X-Big", std::string(15'000, 'a'));
  TestClient other;
  ASSERT_TRUE(other.Connect(port_));
  const auto ok = other.Send(std::move(fits));
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->result_int(), 200u);
}

TEST_F(HttpServerTest, SlowClientIsCutOffWhileAnotherIsServed) {
  HttpServerOptions options = Options();
  options.request_read_timeout_ms = 300;
  StartServer(options, Ok);

  TestClient slow;
  TestClient fast;
  ASSERT_TRUE(slow.Connect(port_));
  ASSERT_TRUE(fast.Connect(port_));
  const std::string request = "GET /v1/slow HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(64, 'p') + "\r\n\r\n";
  const auto first_byte = steady_clock::now();
  std::size_t bytes_sent = 0;
  int fast_answers = 0;
  // One byte every 100 ms; the whole request would take about 9 s.
  for (; bytes_sent < request.size() && slow.Available() == 0; ++bytes_sent) {
    if (!slow.WriteRaw(request.substr(bytes_sent, 1))) break;
    const auto fast_started = steady_clock::now();
    const auto answer = fast.Send(MakeRequest("GET", "/v1/fast"));
    ASSERT_TRUE(answer.has_value()) << "the other client must be served meanwhile";
    EXPECT_EQ(answer->result_int(), 200u);
    EXPECT_LT(ElapsedMs(fast_started), 500.0);
    ++fast_answers;
    std::this_thread::sleep_for(milliseconds(100));
  }
  const double cut_off_ms = ElapsedMs(first_byte);
  EXPECT_LT(bytes_sent, request.size());
  EXPECT_GE(cut_off_ms, 300.0);
  EXPECT_LT(cut_off_ms, 3'000.0);
  EXPECT_GE(fast_answers, 2);

  const auto response = slow.ReadResponse(milliseconds(2'000));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 408u);
  EXPECT_EQ(ErrorCode(*response), "request_timeout");
  EXPECT_TRUE(slow.ReadClosed());
  EXPECT_EQ(server_->Stats().Rejected(RejectReason::kRequestTimeout), 1u);

  const auto after = fast.Send(MakeRequest("GET", "/v1/fast"));
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->result_int(), 200u);
}

TEST_F(HttpServerTest, IdleConnectionIsClosedAfterTheIdleTimeout) {
  HttpServerOptions options = Options();
  options.idle_timeout_ms = 200;
  StartServer(options, Ok);
  TestClient client;
  ASSERT_TRUE(client.Connect(port_));
  ASSERT_TRUE(client.Send(MakeRequest("GET", "/v1/health")).has_value());
  const auto answered = steady_clock::now();
  EXPECT_TRUE(client.ReadClosed(milliseconds(3'000)));
  EXPECT_GE(ElapsedMs(answered), 150.0);
  EXPECT_TRUE(WaitFor([&] { return server_->Stats().connections_open == 0; }));
}

TEST_F(HttpServerTest, SilentFreshConnectionIsClosedAfterTheReadTimeout) {
  HttpServerOptions options = Options();
  options.request_read_timeout_ms = 200;  // the idle time-out stays at 60 s
  StartServer(options, Ok);
  TestClient client;
  ASSERT_TRUE(client.Connect(port_));
  const auto connected = steady_clock::now();
  EXPECT_TRUE(client.ReadClosed(milliseconds(3'000)));
  EXPECT_GE(ElapsedMs(connected), 150.0);
  EXPECT_TRUE(WaitFor([&] { return server_->Stats().connections_open == 0; }));
}

TEST_F(HttpServerTest, HeadAndNoContentAnswersCarryNoBody) {
  StartServer([](const HttpRequest& request) {
    return request.path == "/empty" ? Json(204, R"({"dropped":true})") : Json(200, R"({"size":12})");
  });
  TestClient client;
  ASSERT_TRUE(client.Connect(port_));
  ASSERT_TRUE(client.WriteRaw("HEAD /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"));
  // Read by hand: the header, with the length a GET would have had (11 bytes), and not one byte more.
  const std::string head = client.ReadUntil("\r\n\r\n");
  EXPECT_NE(head.find("HTTP/1.1 200"), std::string::npos) << head;
  EXPECT_NE(head.find("Content-Length: 11\r\n"), std::string::npos) << head;
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(client.Available(), 0u);

  // The connection is still in step: a 204 whose handler gave a body arrives without it.
  const auto empty = client.Send(MakeRequest("GET", "/empty"));
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->result_int(), 204u);
  EXPECT_TRUE(empty->body().empty());
  const auto after = client.Send(MakeRequest("GET", "/next"));
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->result_int(), 200u);
  EXPECT_EQ(after->body(), R"({"size":12})");
}

TEST_F(HttpServerTest, ConnectionCapAnswers503AndFreesUpWhenOneCloses) {
  HttpServerOptions options = Options();
  options.connections_max = 2;
  StartServer(options, Ok);

  TestClient first;
  TestClient second;
  for (TestClient* client : {&first, &second}) {
    ASSERT_TRUE(client->Connect(port_));
    const auto response = client->Send(MakeRequest("GET", "/v1/health"));
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->result_int(), 200u);
  }
  EXPECT_EQ(server_->Stats().connections_open, 2u);

  // The third is accepted, told 503 at once (before it sends anything), and closed.
  TestClient third;
  ASSERT_TRUE(third.Connect(port_));
  const auto refused = third.ReadResponse(milliseconds(3'000));
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->result_int(), 503u);
  EXPECT_EQ(ErrorCode(*refused), "overloaded");
  EXPECT_FALSE(refused->keep_alive());
  EXPECT_TRUE(third.ReadClosed());
  EXPECT_EQ(server_->Stats().Rejected(RejectReason::kConnectionCap), 1u);
  EXPECT_EQ(server_->Stats().connections_open, 2u);

  // The admitted ones are unaffected.
  const auto still = second.Send(MakeRequest("GET", "/v1/health"));
  ASSERT_TRUE(still.has_value());
  EXPECT_EQ(still->result_int(), 200u);

  // Once one closes, a new connection gets in.
  first.Close();
  ASSERT_TRUE(WaitFor([&] { return server_->Stats().connections_open == 1; }));
  TestClient fourth;
  ASSERT_TRUE(fourth.Connect(port_));
  const auto admitted = fourth.Send(MakeRequest("GET", "/v1/health"));
  ASSERT_TRUE(admitted.has_value());
  EXPECT_EQ(admitted->result_int(), 200u);
}

TEST_F(HttpServerTest, FullWorkerQueueAnswers503AndKeepsTheConnection) {
  HttpServerOptions options = Options();
  options.worker_threads = 1;
  options.queued_requests_max = 1;
  std::atomic<bool> release{false};
  std::atomic<int> blocked{0};
  StartServer(options, [&](const HttpRequest& request) {
    if (request.path == "/block") {
      ++blocked;
      WaitFor([&] { return release.load(); });
    }
    return Json(200, "{}");
  });

  // One request occupies the only worker, the next waits in the queue.
  auto blocking_call = [this] {
    TestClient client;
    if (!client.Connect(port_)) return 0u;
    const auto response = client.Send(MakeRequest("GET", "/block"), milliseconds(10'000));
    return response ? response->result_int() : 0u;
  };
  auto running = std::async(std::launch::async, blocking_call);
  ASSERT_TRUE(WaitFor([&] { return blocked.load() == 1; }));
  auto queued = std::async(std::launch::async, blocking_call);
  ASSERT_TRUE(WaitFor([&] { return server_->Stats().requests_queued == 1; }));

  TestClient client;
  ASSERT_TRUE(client.Connect(port_));
  const auto refused = client.Send(MakeRequest("GET", "/v1/health"));
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->result_int(), 503u);
  EXPECT_EQ(ErrorCode(*refused), "overloaded");
  EXPECT_TRUE(refused->keep_alive());
  EXPECT_EQ(server_->Stats().Rejected(RejectReason::kQueueFull), 1u);

  release = true;
  EXPECT_EQ(running.get(), 200u);
  EXPECT_EQ(queued.get(), 200u);
  const auto served = client.Send(MakeRequest("GET", "/v1/health"));
  ASSERT_TRUE(served.has_value());
  EXPECT_EQ(served->result_int(), 200u);
}

TEST_F(HttpServerTest, HandlerExceptionGives500AndTheNextRequestWorks) {
  StartServer([](const HttpRequest& request) -> HttpResponse {
    if (request.path == "/boom") throw std::runtime_error("disk on fire");
    return Json(200, "{}");
  });
  TestClient client;
  ASSERT_TRUE(client.Connect(port_));
  const auto failed = client.Send(MakeRequest("GET", "/boom"));
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(failed->result_int(), 500u);
  EXPECT_EQ(nlohmann::json::parse(failed->body()),
            nlohmann::json::parse(R"({"error":{"code":"internal","message":"internal server error","details":{}}})"));
  EXPECT_EQ(failed->body().find("disk on fire"), std::string::npos) << "internals stay in the log";

  const auto next = client.Send(MakeRequest("GET", "/fine"));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->result_int(), 200u);
  EXPECT_EQ(server_->Stats().handler_exceptions, 1u);

  ASSERT_TRUE(WaitFor([&] { return LogEvents("request").size() == 2; }));
  const nlohmann::json line = LogEvents("request")[0];
  EXPECT_EQ(line["status"], 500);
  EXPECT_EQ(line["error"], "disk on fire");
}

TEST_F(HttpServerTest, HandlerStatusOutOfRangeGives500) {
  StartServer([](const HttpRequest&) { return Json(42, "{}"); });
  const auto response = Get("/x");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 500u);
  EXPECT_EQ(ErrorCode(*response), "internal");
}

TEST_F(HttpServerTest, MalformedRequestsGet400) {
  StartServer(Ok);
  for (const std::string& raw : {
           std::string("THIS IS NOT HTTP\r\n\r\n"),
           std::string("GET /x HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n"),
           std::string("GET /x HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"),
           std::string("GET /x?a=%zz HTTP/1.1\r\nHost: x\r\n\r\n"),
           std::string("GET * HTTP/1.1\r\nHost: x\r\n\r\n"),
       }) {
    TestClient client;
    ASSERT_TRUE(client.Connect(port_));
    ASSERT_TRUE(client.WriteRaw(raw));
    const auto response = client.ReadResponse(milliseconds(3'000));
    ASSERT_TRUE(response.has_value()) << raw;
    EXPECT_EQ(response->result_int(), 400u) << raw;
    EXPECT_EQ(ErrorCode(*response), "bad_request") << raw;
    EXPECT_TRUE(client.ReadClosed()) << raw;
  }
  EXPECT_EQ(server_->Stats().Rejected(RejectReason::kBadRequest), 5u);
  const auto ok = Get("/v1/health");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->result_int(), 200u);
}

TEST_F(HttpServerTest, StopLetsTheInFlightRequestFinishThenStops) {
  std::atomic<bool> started{false};
  std::atomic<bool> stop_seen{false};
  StartServer([&](const HttpRequest& request) {
    started = true;
    std::this_thread::sleep_for(milliseconds(200));
    stop_seen = request.stop_token.stop_requested();
    return Json(200, R"({"slept":true})");
  });

  TestClient idle;  // kept alive and idle: closed by Stop() without holding it up
  ASSERT_TRUE(idle.Connect(port_));
  ASSERT_TRUE(idle.Send(MakeRequest("GET", "/warm")).has_value());
  started = false;

  auto in_flight = std::async(std::launch::async, [this] {
    TestClient client;
    std::optional<Response> response;
    if (client.Connect(port_)) response = client.Send(MakeRequest("GET", "/v1/events?waitMs=200"));
    return response;
  });
  ASSERT_TRUE(WaitFor([&] { return started.load(); }));
  const auto stop_began = steady_clock::now();
  server_->Stop();
  const double stop_ms = ElapsedMs(stop_began);

  const std::optional<Response> response = in_flight.get();
  ASSERT_TRUE(response.has_value()) << "the in-flight request must be answered";
  EXPECT_EQ(response->result_int(), 200u);
  EXPECT_EQ(response->body(), R"({"slept":true})");
  EXPECT_FALSE(response->keep_alive()) << "a stopping server closes after the answer";
  EXPECT_TRUE(stop_seen.load()) << "the handler could see the stop request";
  EXPECT_GT(stop_ms, 50.0);
  EXPECT_LT(stop_ms, 5'000.0);
  EXPECT_TRUE(idle.ReadClosed(milliseconds(1'000)));

  TestClient late;
  EXPECT_FALSE(late.Connect(port_, milliseconds(1'000))) << "no longer listening";
  EXPECT_EQ(LogEvents("stopping").size(), 1u);
  ASSERT_EQ(LogEvents("stopped").size(), 1u);
  EXPECT_EQ(LogEvents("stopped")[0]["drained"], true);
  EXPECT_EQ(server_->Stats().connections_open, 0u);
  server_->Stop();  // idempotent
}

TEST_F(HttpServerTest, QuickRequestsAreAnsweredWhileEveryWorkerWaits) {
  HttpServerOptions options = Options();
  options.worker_threads = 1;
  options.quick_threads = 1;
  options.is_quick = [](const HttpRequest& request) { return request.path == "/quick"; };
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> waiting{false};
  StartServer(options, [&](const HttpRequest& request) {
    if (request.path == "/wait") {
      waiting = true;
      // Bounded: a broken test still ends.
      released.wait_for(std::chrono::seconds(10));
    }
    return Json(200, "\"" + request.path + "\"");
  });
  auto blocked = std::async(std::launch::async, [this] { return Get("/wait"); });
  ASSERT_TRUE(WaitFor([&] { return waiting.load(); }));

  const std::optional<Response> quick = Get("/quick");
  ASSERT_TRUE(quick.has_value());
  EXPECT_EQ(quick->result_int(), 200);
  EXPECT_EQ(quick->body(), "\"/quick\"");
  EXPECT_TRUE(waiting.load()) << "the only worker is still busy";

  release.set_value();
  const std::optional<Response> waited = blocked.get();
  ASSERT_TRUE(waited.has_value());
  EXPECT_EQ(waited->body(), "\"/wait\"");
  ASSERT_EQ(LogEvents("listening").size(), 1u);
  EXPECT_EQ(LogEvents("listening")[0]["quickThreads"], 1);
}

TEST_F(HttpServerTest, AnAsyncHandlerAnswersLaterFromAnotherThreadWhileNoWorkerIsBusy) {
  HttpServerOptions options = Options();
  options.worker_threads = 1;
  std::mutex mutex;
  std::vector<HttpResponder> pending;  // the /later requests, answered by the test's own thread
  std::atomic<int> offered{0};
  options.async_handler = [&](const HttpRequest& request, const HttpResponder& responder) {
    ++offered;
    if (request.path == "/now") {
      responder.respond(Json(201, "\"now\""));
      return true;
    }
    if (request.path == "/posted") {
      // A continuation on an I/O thread, then a blocking one on a worker, then the answer.
      responder.post(
          [responder] { responder.post_blocking([responder] { responder.respond(Json(200, "\"posted\"")); }); });
      return true;
    }
    if (request.path == "/throws") throw std::runtime_error("async handler failed");
    if (request.path != "/later") return false;  // left to the HttpHandler
    const std::lock_guard lock(mutex);
    pending.push_back(responder);
    return true;
  };
  StartServer(options, [](const HttpRequest& request) { return Json(200, "\"sync " + request.path + "\""); });

  auto later = std::async(std::launch::async, [this] { return Get("/later"); });
  ASSERT_TRUE(WaitFor([&] {
    const std::lock_guard lock(mutex);
    return pending.size() == 1;
  }));
  // Meanwhile the one worker serves others: the waiting request holds no thread.
  const std::optional<Response> sync = Get("/other");
  ASSERT_TRUE(sync.has_value());
  EXPECT_EQ(sync->body(), "\"sync /other\"");
  EXPECT_EQ(server_->Stats().requests_in_flight, 1u) << "the /later request";
  std::thread([&] {
    const std::lock_guard lock(mutex);
    pending[0].respond(Json(200, "\"later\""));
    pending[0].respond(Json(500, "\"twice\""));  // a second answer is ignored
  }).join();
  const std::optional<Response> answered = later.get();
  ASSERT_TRUE(answered.has_value());
  EXPECT_EQ(answered->result_int(), 200);
  EXPECT_EQ(answered->body(), "\"later\"");

  const std::optional<Response> now = Get("/now");
  ASSERT_TRUE(now.has_value());
  EXPECT_EQ(now->result_int(), 201);
  const std::optional<Response> posted = Get("/posted");
  ASSERT_TRUE(posted.has_value());
  EXPECT_EQ(posted->body(), "\"posted\"");
  const std::optional<Response> thrown = Get("/throws");
  ASSERT_TRUE(thrown.has_value());
  EXPECT_EQ(thrown->result_int(), 500);
  EXPECT_EQ(offered.load(), 5);
  EXPECT_EQ(server_->Stats().requests_in_flight, 0u);
  EXPECT_EQ(server_->Stats().handler_exceptions, 1u);
}

TEST_F(HttpServerTest, StopWaitsForAnAsyncAnswerBeforeStoppingItsThreads) {
  HttpServerOptions options = Options();
  options.drain_timeout_ms = 100;
  std::atomic<bool> taken{false};
  std::thread answering;
  options.async_handler = [&](const HttpRequest&, const HttpResponder& responder) {
    taken = true;
    // Answers after the drain timeout, through a continuation on an I/O thread: Stop() must
    // keep those running until it has run.
    answering = std::thread([responder] {
      std::this_thread::sleep_for(milliseconds(400));
      responder.post([responder] { responder.respond(Json(200, "{}")); });
    });
    return true;
  };
  StartServer(options, Ok);
  auto in_flight = std::async(std::launch::async, [this] {
    TestClient client;
    return client.Connect(port_) ? client.Send(MakeRequest("GET", "/slow")) : std::nullopt;
  });
  ASSERT_TRUE(WaitFor([&] { return taken.load(); }));
  server_->Stop();
  answering.join();
  EXPECT_EQ(server_->Stats().requests_in_flight, 0u);
  EXPECT_EQ(server_->Stats().requests_handled, 1u);
  in_flight.wait();  // closed by the stop, answered or not: the point is that nothing hangs
}

TEST_F(HttpServerTest, StopClosesWhatOutlastsTheDrainTimeout) {
  HttpServerOptions options = Options();
  options.drain_timeout_ms = 100;
  std::atomic<bool> started{false};
  StartServer(options, [&](const HttpRequest&) {
    started = true;
    // Longer than the drain, but bounded: the server waits for the handler, not its client.
    std::this_thread::sleep_for(milliseconds(500));
    return Json(200, "{}");
  });
  auto in_flight = std::async(std::launch::async, [this] {
    TestClient client;
    return client.Connect(port_) ? client.Send(MakeRequest("GET", "/slow")) : std::nullopt;
  });
  ASSERT_TRUE(WaitFor([&] { return started.load(); }));
  server_->Stop();
  EXPECT_FALSE(in_flight.get().has_value()) << "its connection was closed at the drain deadline";
  ASSERT_EQ(LogEvents("stopped").size(), 1u);
  EXPECT_EQ(LogEvents("stopped")[0]["drained"], false);
  EXPECT_EQ(LogEvents("drain_timeout").size(), 1u);
}

TEST_F(HttpServerTest, WaitForShutdownSignalStopsTheServer) {
  StartServer(Ok);
  // Until the signal_set has installed its handler, a SIGTERM would end the test binary: the
  // sender waits for the handler to change from the one in force before.
  struct sigaction before {};
  ASSERT_EQ(sigaction(SIGTERM, nullptr, &before), 0);
  std::atomic<bool> sent{false};
  std::thread sender([&] {
    const bool installed = WaitFor([&] {
      struct sigaction now {};
      sigaction(SIGTERM, nullptr, &now);
      return now.sa_handler != before.sa_handler;
    });
    if (installed) {
      sent = true;
      kill(getpid(), SIGTERM);
    }
  });
  const int signal_number = WaitForShutdownSignal(*server_);
  sender.join();
  ASSERT_TRUE(sent.load());
  EXPECT_EQ(signal_number, SIGTERM);
  EXPECT_EQ(LogEvents("stopped").size(), 1u);
}

TEST_F(HttpServerTest, StartRefusesBadOptionsAndTakenPorts) {
  HttpServerOptions bad_address = Options();
  bad_address.listen_address = "localhost";
  HttpServer no_port(bad_address, Ok);
  EXPECT_REASON(no_port.Start(), "invalid_listen_address");

  HttpServerOptions no_quick_threads = Options();
  no_quick_threads.quick_threads = 0;
  HttpServer quickless(no_quick_threads, Ok);
  EXPECT_REASON(quickless.Start(), "invalid_http_option");

  HttpServerOptions no_threads = Options();
  no_threads.io_threads = 0;
  HttpServer threadless(no_threads, Ok);
  EXPECT_REASON(threadless.Start(), "invalid_http_option");

  StartServer(Ok);
  HttpServerOptions same_port = Options();
  same_port.listen_address = "127.0.0.1:" + std::to_string(port_);
  HttpServer second(same_port, Ok);
  EXPECT_REASON(second.Start(), "listen_failed");
  EXPECT_REASON(server_->Start(), "already_started");
}

}  // namespace
}  // namespace crm::server::http
