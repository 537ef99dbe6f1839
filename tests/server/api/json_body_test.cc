#include "server/api/json_body.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "events/utf8.h"
#include "testutil/status_matchers.h"

namespace crm::server::api {
namespace {

TEST(JsonBodyTest, AcceptsAnObjectWithEveryKindOfValue) {
  ASSERT_OK_AND_ASSIGN(Json body, ParseJsonBody(R"( {"s":"春意","n":-3,"u":18446744073709551615,"f":1.5,
                                                    "b":true,"z":null,"a":[1,{"x":[]}],"o":{}} )"));
  EXPECT_EQ(body["s"], "春意");
  EXPECT_EQ(body["n"], -3);
  EXPECT_EQ(body["a"][1]["x"], Json::array());
  EXPECT_TRUE(body["z"].is_null());
}

TEST(JsonBodyTest, EmptyBodyIsNotAnObject) {
  EXPECT_REASON(ParseJsonBody(""), "not_an_object");
  EXPECT_REASON(ParseJsonBody(" \r\n\t"), "not_an_object");
}

TEST(JsonBodyTest, TopLevelMustBeAnObject) {
  for (const char* body : {"[]", "[{}]", "1", "\"x\"", "null", "true"}) {
    const Result<Json> parsed = ParseJsonBody(body);
    EXPECT_EQ(testutil::StatusOf(parsed).reason(), "not_an_object") << body;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(JsonBodyTest, MalformedJsonIsInvalidJsonWithItsOffset) {
  for (const char* body : {"{", "{\"a\":1,}", "{\"a\":1} x", "{'a':1}", "{\"a\":NaN}", "{\"a\":1 /*c*/}", "{\"a\":01}",
                           "{a:1}", "{\"a\":\"\x01\"}", "{} {}"}) {
    const Result<Json> parsed = ParseJsonBody(body);
    EXPECT_EQ(testutil::StatusOf(parsed).reason(), "invalid_json") << body;
    EXPECT_TRUE(parsed.status().details().contains("offset")) << parsed.status().ToString();
  }
  EXPECT_EQ(ParseJsonBody("{\"a\":1,}").status().details().at("offset"), "7");
}

TEST(JsonBodyTest, DuplicateKeysAreRefusedAtAnyDepth) {
  const Result<Json> top = ParseJsonBody(R"({"name":"a","name":"b"})");
  EXPECT_REASON(top, "duplicate_field");
  EXPECT_EQ(top.status().details().at("field"), "name");
  EXPECT_REASON(ParseJsonBody(R"({"buyer":{"name":"a","tax":1,"name":"b"}})"), "duplicate_field");
  EXPECT_REASON(ParseJsonBody(R"({"lines":[{"q":1,"q":1}]})"), "duplicate_field");
  // The same key in two objects is no duplicate.
  EXPECT_OK(ParseJsonBody(R"({"a":{"k":1},"b":{"k":1},"c":[{"k":1},{"k":2}]})"));
}

std::string Nested(std::size_t depth) {
  std::string body;
  for (std::size_t i = 0; i < depth; ++i) body += i == 0 ? "{\"a\":" : "[";
  body += "1";
  for (std::size_t i = depth; i > 0; --i) body += i == 1 ? "}" : "]";
  return body;
}

TEST(JsonBodyTest, NestingUpToTheLimitIsAcceptedBeyondItTooDeep) {
  EXPECT_OK(ParseJsonBody(Nested(kJsonDepthMax)));
  const Result<Json> deep = ParseJsonBody(Nested(kJsonDepthMax + 1));
  EXPECT_REASON(deep, "too_deep");
  EXPECT_EQ(deep.status().details().at("maxDepth"), std::to_string(kJsonDepthMax));
  EXPECT_REASON(ParseJsonBody(Nested(4), JsonBodyOptions{.depth_max = 3}), "too_deep");
  EXPECT_OK(ParseJsonBody(Nested(3), JsonBodyOptions{.depth_max = 3}));
}

TEST(JsonBodyTest, HundredThousandOpenBracketsAreRefusedQuickly) {
  const std::string brackets(100'000, '[');
  const std::string objects = [] {
    std::string text;
    for (int i = 0; i < 100'000; ++i) text += "{\"a\":";
    return text;
  }();
  const std::string closed = Nested(100'000);
  for (const std::string* body : {&brackets, &objects, &closed}) {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_REASON(ParseJsonBody(*body), "too_deep");
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_LT(elapsed, std::chrono::milliseconds(100));
  }
}

TEST(JsonBodyTest, BracketsInsideStringsAreNotNesting) {
  const std::string body = "{\"notes\":\"" + std::string(100'000, '[') + "\"}";
  ASSERT_OK_AND_ASSIGN(Json parsed, ParseJsonBody(body));
  EXPECT_EQ(parsed["notes"].get<std::string>().size(), 100'000u);
}

TEST(JsonBodyTest, WideIsNotDeep) {
  std::string body = "{\"a\":[";
  for (int i = 0; i < 10'000; ++i) body += i == 0 ? "[1]" : ",[1]";
  body += "]}";
  ASSERT_OK_AND_ASSIGN(Json parsed, ParseJsonBody(body));
  EXPECT_EQ(parsed["a"].size(), 10'000u);
}

TEST(JsonBodyTest, InvalidUtf8InsideAStringIsRefusedWithItsOffset) {
  const std::string lone_continuation = std::string("{\"name\":\"ab") + "\x80" + "\"}";
  const Result<Json> parsed = ParseJsonBody(lone_continuation);
  EXPECT_REASON(parsed, "invalid_utf8");
  EXPECT_EQ(parsed.status().details().at("offset"), "11");
  for (const std::string& bad :
       {std::string("\xff"), std::string("\xc0\xaf"), std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80"),
        std::string("\xe6\x98"), std::string("\xe0\x80\x80")}) {
    EXPECT_REASON(ParseJsonBody("{\"name\":\"" + bad + "\"}"), "invalid_utf8");
    EXPECT_REASON(ParseJsonBody("{\"" + bad + "\":1}"), "invalid_utf8");  // in a key too
  }
  EXPECT_REASON(ParseJsonBody("{\"name\":\"x\"}\xe6"), "invalid_utf8");  // a truncated character at the end
}

TEST(JsonBodyTest, WellFormedUtf8AndEscapesAreAccepted) {
  ASSERT_OK_AND_ASSIGN(Json body, ParseJsonBody("{\"a\":\"\xf0\x9f\x98\x80 \\u6625 \\ud83d\\ude00\"}"));
  EXPECT_EQ(body["a"], "\xf0\x9f\x98\x80 \xe6\x98\xa5 \xf0\x9f\x98\x80");
}

TEST(JsonBodyTest, AnEscapedLoneSurrogateIsInvalidJson) {
  EXPECT_REASON(ParseJsonBody(R"({"a":"\ud800"})"), "invalid_json");
}

TEST(JsonBodyTest, FirstInvalidUtf8OffsetFindsTheFirstBadByte) {
  EXPECT_EQ(events::FirstInvalidUtf8Offset(""), std::string_view::npos);
  EXPECT_EQ(events::FirstInvalidUtf8Offset("春意 ok"), std::string_view::npos);
  EXPECT_EQ(events::FirstInvalidUtf8Offset("ok\xc3"), 2u);
  EXPECT_EQ(events::FirstInvalidUtf8Offset("a\xc3\xa9\xc3"), 3u);
}

}  // namespace
}  // namespace crm::server::api
