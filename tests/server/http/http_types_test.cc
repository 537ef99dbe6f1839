#include "server/http/http_types.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace crm::server::http {
namespace {

TEST(HttpTypesTest, ParseTargetSplitsPathAndDecodesQuery) {
  std::string path;
  QueryParams query;
  ASSERT_TRUE(ParseTarget("/v1/pool?region=%E5%8D%8E%E4%B8%9C&q=a+b&flag&&empty=", &path, &query));
  EXPECT_EQ(path, "/v1/pool");
  const QueryParams expected = {{"region", "华东"}, {"q", "a b"}, {"flag", ""}, {"empty", ""}};
  EXPECT_EQ(query, expected);
}

TEST(HttpTypesTest, ParseTargetKeepsThePathEncoded) {
  std::string path;
  QueryParams query;
  ASSERT_TRUE(ParseTarget("/v1/contracts/HT%2F001", &path, &query));
  EXPECT_EQ(path, "/v1/contracts/HT%2F001");
  EXPECT_TRUE(query.empty());
  std::string segment;
  ASSERT_TRUE(PercentDecode("HT%2F001", false, &segment));
  EXPECT_EQ(segment, "HT/001");
}

TEST(HttpTypesTest, ParseTargetAcceptsTheAbsoluteForm) {
  std::string path;
  QueryParams query;
  ASSERT_TRUE(ParseTarget("http://example.com:8080/v1/health?x=1", &path, &query));
  EXPECT_EQ(path, "/v1/health");
  ASSERT_EQ(query.size(), 1u);
  ASSERT_TRUE(ParseTarget("HTTP://example.com?x=1", &path, &query));
  EXPECT_EQ(path, "/");
}

TEST(HttpTypesTest, ParseTargetRefusesMalformedTargets) {
  std::string path;
  QueryParams query;
  EXPECT_FALSE(ParseTarget("*", &path, &query));
  EXPECT_FALSE(ParseTarget("v1/pool", &path, &query));
  EXPECT_FALSE(ParseTarget("/x?a=%zz", &path, &query));
  EXPECT_FALSE(ParseTarget("/x?a=%4", &path, &query));
  EXPECT_FALSE(ParseTarget("/x?a=%", &path, &query));
}

TEST(HttpTypesTest, FindQueryAnswersTheFirstValue) {
  HttpRequest request;
  request.query = {{"a", "1"}, {"a", "2"}};
  ASSERT_NE(request.FindQuery("a"), nullptr);
  EXPECT_EQ(*request.FindQuery("a"), "1");
  EXPECT_EQ(request.FindQuery("b"), nullptr);
}

TEST(HttpTypesTest, ErrorBodyHasTheApiShape) {
  const auto body = nlohmann::json::parse(ErrorBody("body_too_large", "too big"));
  EXPECT_EQ(body, nlohmann::json::parse(R"({"error":{"code":"body_too_large","message":"too big","details":{}}})"));
  const HttpResponse response = ErrorResponse(413, "body_too_large", "too big");
  EXPECT_EQ(response.status, 413u);
  EXPECT_EQ(response.content_type, "application/json");
  // A message that quotes client bytes which are not UTF-8 still makes valid JSON.
  EXPECT_NO_THROW(nlohmann::json::parse(ErrorBody("bad_request", "bad \xff byte")));
}

}  // namespace
}  // namespace crm::server::http
