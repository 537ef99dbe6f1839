#include "server/app/router.h"

#include <gtest/gtest.h>

namespace crm::server::app {
namespace {

http::HttpRequest Request(std::string method, std::string path) {
  http::HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  return request;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto echo = [](std::string name) {
      return [name](const http::HttpRequest&, const PathParams& params) {
        http::HttpResponse response;
        response.body = name;
        for (const auto& [key, value] : params) response.body += " " + key + "=" + value;
        return response;
      };
    };
    router_.Add("GET", "/v1/customers/{id}", echo("customer"));
    router_.Add("POST", "/v1/customers/{id}/extension-requests/{rid}/decision", echo("decide"));
    router_.Add("GET", "/v1/contracts/{no}", echo("contract"));
    router_.Add("POST", "/v1/contracts/{no}/payments", echo("pay"));
    router_.Add("PUT", "/v1/policy", echo("put-policy"));
    router_.Add("GET", "/v1/policy", echo("get-policy"));
  }

  http::HttpResponse Handle(std::string method, std::string path) {
    return router_.Handle(Request(std::move(method), std::move(path)), &matched_);
  }

  Router router_;
  std::string matched_;
};

TEST_F(RouterTest, CapturesSegmentsAndNamesTheMatchedPattern) {
  EXPECT_EQ(Handle("GET", "/v1/customers/C7").body, "customer id=C7");
  EXPECT_EQ(matched_, "/v1/customers/{id}");
  EXPECT_EQ(Handle("POST", "/v1/customers/C7/extension-requests/C7-x1/decision").body, "decide id=C7 rid=C7-x1");
  EXPECT_EQ(Handle("GET", "/v1/policy").body, "get-policy");
  EXPECT_EQ(Handle("PUT", "/v1/policy").body, "put-policy");
}

TEST_F(RouterTest, DecodesEachSegmentAfterSplittingSoAnEncodedSlashStaysInside) {
  EXPECT_EQ(Handle("GET", "/v1/contracts/HT%2F2026%2F001").body, "contract no=HT/2026/001");
  EXPECT_EQ(Handle("POST", "/v1/contracts/HT%2F1/payments").body, "pay no=HT/1");
  // Unencoded, the slash makes another path.
  EXPECT_EQ(Handle("GET", "/v1/contracts/HT/2026").status, 404u);
  EXPECT_EQ(Handle("GET", "/v1/customers/%E6%98%A5").body, "customer id=春");
}

TEST_F(RouterTest, RefusesUnknownPathsWrongMethodsAndBadEscapes) {
  const http::HttpResponse unknown = Handle("GET", "/v1/nothing");
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_TRUE(matched_.empty());
  EXPECT_EQ(Handle("GET", "/v1/customers/").status, 404u);
  EXPECT_EQ(Handle("GET", "/v1/customers/C1/").status, 404u);

  const http::HttpResponse wrong_method = Handle("DELETE", "/v1/policy");
  EXPECT_EQ(wrong_method.status, 405u);
  ASSERT_EQ(wrong_method.headers.size(), 1u);
  EXPECT_EQ(wrong_method.headers[0].first, "Allow");
  EXPECT_EQ(wrong_method.headers[0].second, "PUT, GET");

  EXPECT_EQ(Handle("GET", "/v1/customers/%zz").status, 400u);
  EXPECT_EQ(Handle("GET", "/v1/customers/%FF%FE").status, 400u);  // not UTF-8
}

TEST_F(RouterTest, HandleAsyncTakesOnlyRoutesWithAnAsyncHandler) {
  std::string answered;
  router_.Add(
      "POST", "/v1/customers/{id}/followups",
      [](const http::HttpRequest&, const PathParams&) { return http::HttpResponse{}; },
      [](const http::HttpRequest&, const PathParams& params, const http::HttpResponder& responder) {
        http::HttpResponse response;
        response.body = "async id=" + params.at("id");
        responder.respond(std::move(response));
      });
  http::HttpResponder responder;
  responder.respond = [&](http::HttpResponse response) { answered = response.body; };
  std::string pattern;

  EXPECT_TRUE(router_.HandleAsync(Request("POST", "/v1/customers/C%207/followups"), &pattern, responder));
  EXPECT_EQ(answered, "async id=C 7");
  EXPECT_EQ(pattern, "/v1/customers/{id}/followups");

  // Everything else is left to Handle: routes without one, unknown paths, wrong methods, and
  // malformed captures (Handle answers those 400).
  answered.clear();
  EXPECT_FALSE(router_.HandleAsync(Request("GET", "/v1/customers/C7"), &pattern, responder));
  EXPECT_FALSE(router_.HandleAsync(Request("GET", "/v1/nothing"), &pattern, responder));
  EXPECT_FALSE(router_.HandleAsync(Request("GET", "/v1/customers/C7/followups"), &pattern, responder));
  EXPECT_FALSE(router_.HandleAsync(Request("POST", "/v1/customers/%ZZ/followups"), &pattern, responder));
  EXPECT_TRUE(answered.empty());
  EXPECT_EQ(router_.Handle(Request("POST", "/v1/customers/%ZZ/followups"), &pattern).status, 400u);
}

TEST_F(RouterTest, ListsItsRoutes) {
  const std::vector<std::string> routes = router_.Routes();
  ASSERT_EQ(routes.size(), 6u);
  EXPECT_EQ(routes[0], "GET /v1/customers/{id}");
}

}  // namespace
}  // namespace crm::server::app
