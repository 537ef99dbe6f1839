#include "server/api/body_reader.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "testutil/status_matchers.h"

namespace crm::server::api {
namespace {

Json Parse(const char* text) {
  Result<Json> parsed = ParseJsonBody(text);
  EXPECT_OK(parsed);
  return parsed.ok() ? std::move(parsed).value() : Json::object();
}

TEST(BodyReaderTest, ReadsEveryKindOfField) {
  const Json body = Parse(R"({"s":"春意","i":-42,"b":true,"t":"2026-03-03T09:00:00Z","a":["x","y"]})");
  BodyReader reader(body);
  EXPECT_EQ(reader.RequiredString("s", 100), "春意");
  EXPECT_EQ(reader.RequiredInt64("i"), -42);
  EXPECT_TRUE(reader.RequiredBool("b"));
  EXPECT_EQ(reader.RequiredTime("t"), 1772528400000);
  EXPECT_EQ(reader.RequiredStringArray("a", 10), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(reader.OptionalString("absent", 10), "");
  EXPECT_EQ(reader.GivenString("absent", 10), std::nullopt);
  EXPECT_EQ(reader.OptionalInt64("absent"), std::nullopt);
  EXPECT_EQ(reader.OptionalBool("absent"), std::nullopt);
  EXPECT_EQ(reader.OptionalTime("absent"), std::nullopt);
  EXPECT_EQ(reader.OptionalStringArray("absent", 10), std::nullopt);
  EXPECT_OK(reader.Finish());
}

TEST(BodyReaderTest, MissingOrNullRequiredFieldIsMissingField) {
  for (const char* text : {R"({})", R"({"name":null})"}) {
    const Json body = Parse(text);
    BodyReader reader(body);
    EXPECT_EQ(reader.RequiredString("name", 10), "");
    const Status status = reader.Finish();
    EXPECT_REASON(status, "missing_field");
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(status.details().at("field"), "name");
    EXPECT_EQ(status.message(), "name is required");
  }
}

TEST(BodyReaderTest, NullOptionalFieldIsAbsent) {
  const Json body = Parse(R"({"website":null,"n":null})");
  BodyReader reader(body);
  EXPECT_EQ(reader.OptionalString("website", 10), "");
  EXPECT_EQ(reader.OptionalInt64("n"), std::nullopt);
  EXPECT_OK(reader.Finish());
}

TEST(BodyReaderTest, WrongTypeNamesWhatWasExpectedAndWhatCame) {
  struct Case {
    const char* body;
    std::function<void(BodyReader&)> read;
    const char* expected;
    const char* got;
  };
  const Case cases[] = {
      {R"({"f":12})", [](BodyReader& r) { (void)r.RequiredString("f", 10); }, "string", "integer"},
      {R"({"f":["a"]})", [](BodyReader& r) { (void)r.OptionalString("f", 10); }, "string", "array"},
      {R"({"f":"12"})", [](BodyReader& r) { (void)r.RequiredInt64("f"); }, "integer", "string"},
      {R"({"f":1.5})", [](BodyReader& r) { (void)r.RequiredInt64("f"); }, "integer", "number"},
      {R"({"f":1e3})", [](BodyReader& r) { (void)r.RequiredInt64("f"); }, "integer", "number"},
      {R"({"f":9223372036854775808})", [](BodyReader& r) { (void)r.RequiredInt64("f"); }, "integer", "integer"},
      {R"({"f":"true"})", [](BodyReader& r) { (void)r.RequiredBool("f"); }, "boolean", "string"},
      {R"({"f":1})", [](BodyReader& r) { (void)r.OptionalBool("f"); }, "boolean", "integer"},
      {R"({"f":1772528400000})", [](BodyReader& r) { (void)r.RequiredTime("f"); }, "string", "integer"},
      {R"({"f":"x"})", [](BodyReader& r) { (void)r.RequiredStringArray("f", 10); }, "array", "string"},
      {R"({"f":[1]})", [](BodyReader& r) { (void)r.RequiredStringArray("f", 10); }, "string", "integer"},
      {R"({"f":[]})", [](BodyReader& r) { r.RequiredObject("f", [](BodyReader&) {}); }, "object", "array"},
      {R"({"f":{}})", [](BodyReader& r) { r.RequiredObjectArray("f", [](BodyReader&, std::size_t) {}); }, "array",
       "object"},
      {R"({"f":[1]})", [](BodyReader& r) { r.RequiredObjectArray("f", [](BodyReader&, std::size_t) {}); }, "object",
       "integer"},
  };
  for (const Case& c : cases) {
    const Json body = Parse(c.body);
    BodyReader reader(body);
    c.read(reader);
    const Status status = reader.Finish();
    EXPECT_EQ(testutil::StatusOf(status).reason(), "wrong_type") << c.body;
    EXPECT_EQ(status.details().at("expected"), c.expected) << c.body;
    EXPECT_EQ(status.details().at("got"), c.got) << c.body;
    EXPECT_TRUE(status.details().at("field").starts_with("f")) << c.body;
  }
}

TEST(BodyReaderTest, WrongTypeMessagesAreInPlainWords) {
  const Json body = Parse(R"({"approve":"yes"})");
  BodyReader reader(body);
  (void)reader.RequiredBool("approve");
  EXPECT_EQ(reader.Finish().message(), "approve must be true or false");
}

TEST(BodyReaderTest, TimeOfTheWrongTypeSaysWhatATimeLooksLike) {
  const Json body = Parse(R"({"signedAt":1772528400000})");
  BodyReader reader(body);
  (void)reader.RequiredTime("signedAt");
  const Status status = reader.Finish();
  EXPECT_REASON(status, "wrong_type");
  EXPECT_EQ(status.message(), "signedAt must be a time like 2026-03-03T09:00:00Z");
  EXPECT_EQ(status.details().at("expected"), "string");
}

TEST(BodyReaderTest, Int64Bounds) {
  const Json body = Parse(R"({"min":-9223372036854775808,"max":9223372036854775807})");
  BodyReader reader(body);
  EXPECT_EQ(reader.RequiredInt64("min"), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(reader.RequiredInt64("max"), std::numeric_limits<std::int64_t>::max());
  EXPECT_OK(reader.Finish());
}

TEST(BodyReaderTest, UnknownFieldIsNamedAndComesFirst) {
  const Json body = Parse(R"({"nmae":"春意","phone":1})");
  BodyReader reader(body);
  (void)reader.RequiredString("name", 10);   // missing, because misspelt
  (void)reader.RequiredString("phone", 10);  // wrong type
  const Status status = reader.Finish();
  EXPECT_REASON(status, "unknown_field");
  EXPECT_EQ(status.details().at("field"), "nmae");
  EXPECT_NE(status.message().find("nmae"), std::string::npos);
}

TEST(BodyReaderTest, FirstOtherProblemWinsWhenNoUnknownField) {
  const Json body = Parse(R"({"b":1})");
  BodyReader reader(body);
  (void)reader.RequiredString("a", 10);
  (void)reader.RequiredString("b", 10);
  EXPECT_REASON(reader.Finish(), "missing_field");
}

TEST(BodyReaderTest, TextLongerThanTheLimitIsTextTooLong) {
  const Json body = Parse(R"({"name":"春意春"})");  // 9 bytes
  BodyReader reader(body);
  EXPECT_EQ(reader.RequiredString("name", 8), "");
  const Status status = reader.Finish();
  EXPECT_REASON(status, "text_too_long");
  EXPECT_EQ(status.details().at("maxBytes"), "8");
  BodyReader exact(body);
  EXPECT_EQ(exact.RequiredString("name", 9), "春意春");
  EXPECT_OK(exact.Finish());
}

TEST(BodyReaderTest, MalformedTimeIsInvalidTime) {
  for (const char* text : {R"({"at":"2026-02-30T09:00:00Z"})", R"({"at":"yesterday"})", R"({"at":"2026-03-03"})"}) {
    const Json body = Parse(text);
    BodyReader reader(body);
    (void)reader.RequiredTime("at");
    const Status status = reader.Finish();
    EXPECT_EQ(testutil::StatusOf(status).reason(), "invalid_time") << text;
    EXPECT_EQ(status.details().at("field"), "at");
  }
}

TEST(BodyReaderTest, NestedProblemsAreNamedByPath) {
  const Json body = Parse(R"({"buyer":{"name":"甲"},"lines":[{"q":1},{"q":"2"}]})");
  BodyReader reader(body);
  std::vector<std::int64_t> quantities;
  reader.RequiredObject("buyer", [](BodyReader& buyer) { (void)buyer.RequiredString("taxId", 10); });
  reader.RequiredObjectArray("lines", [&](BodyReader& line, std::size_t index) {
    EXPECT_EQ(index, quantities.size());
    quantities.push_back(line.RequiredInt64("q"));
  });
  // buyer.name was not read: an unknown field of the nested object, reported first.
  Status status = reader.Finish();
  EXPECT_REASON(status, "unknown_field");
  EXPECT_EQ(status.details().at("field"), "buyer.name");
  EXPECT_EQ(quantities, (std::vector<std::int64_t>{1, 0}));

  BodyReader second(body);
  second.RequiredObject("buyer", [](BodyReader& buyer) { (void)buyer.RequiredString("name", 10); });
  second.RequiredObjectArray("lines", [](BodyReader& line, std::size_t) { (void)line.RequiredInt64("q"); });
  status = second.Finish();
  EXPECT_REASON(status, "wrong_type");
  EXPECT_EQ(status.details().at("field"), "lines[1].q");

  BodyReader third(body);
  third.RequiredObject("buyer", [](BodyReader& buyer) {
    (void)buyer.RequiredString("name", 10);
    (void)buyer.RequiredString("taxId", 10);
  });
  status = third.Finish();
  EXPECT_REASON(status, "unknown_field");
  EXPECT_EQ(status.details().at("field"), "lines");  // the top level's unknown field
}

TEST(BodyReaderTest, NestedMissingFieldIsNamedByPath) {
  const Json body = Parse(R"({"buyer":{}})");
  BodyReader reader(body);
  reader.RequiredObject("buyer", [](BodyReader& buyer) { (void)buyer.RequiredString("name", 10); });
  const Status status = reader.Finish();
  EXPECT_REASON(status, "missing_field");
  EXPECT_EQ(status.details().at("field"), "buyer.name");
}

TEST(BodyReaderTest, AddProblemKeepsTheFirst) {
  const Json body = Json::object();
  BodyReader reader(body);
  reader.AddProblem(Status::InvalidArgument("invalid_role", "first"));
  reader.AddProblem(Status::InvalidArgument("invalid_days", "second"));
  EXPECT_REASON(reader.Finish(), "invalid_role");
}

TEST(BodyReaderTest, ANonObjectIsWrongType) {
  const Json body = Json::array();
  BodyReader reader(body);
  (void)reader.OptionalString("a", 10);
  EXPECT_REASON(reader.Finish(), "wrong_type");
}

}  // namespace
}  // namespace crm::server::api
