#include "server/api/query_params.h"

#include <gtest/gtest.h>

#include "testutil/status_matchers.h"

namespace crm::server::api {
namespace {

QueryParams Query(std::string_view text) {
  Result<QueryParams> params = ParseQueryString(text);
  EXPECT_OK(params) << text;
  return params.ok() ? std::move(params).value() : QueryParams{};
}

TEST(QueryParamsTest, DecodesNamesAndValues) {
  const QueryParams params = Query("q=%E6%98%A5%E6%84%8F&region=%E6%B1%9F%E8%8B%8F+%E5%8D%97%E9%80%9A&&flag&empty=");
  EXPECT_EQ(params.at("q"), "春意");
  EXPECT_EQ(params.at("region"), "江苏 南通");
  EXPECT_EQ(params.at("flag"), "");
  EXPECT_EQ(params.at("empty"), "");
  EXPECT_EQ(params.size(), 4u);
  EXPECT_TRUE(Query("").empty());
}

TEST(QueryParamsTest, RefusesBrokenEscapesDuplicatesBadUtf8AndTooMany) {
  EXPECT_REASON(ParseQueryString("q=%E6%9"), "invalid_query");
  EXPECT_REASON(ParseQueryString("q=%zz"), "invalid_query");
  EXPECT_REASON(ParseQueryString("q=%"), "invalid_query");
  const Result<QueryParams> twice = ParseQueryString("limit=1&limit=2");
  EXPECT_REASON(twice, "duplicate_parameter");
  EXPECT_EQ(twice.status().details().at("parameter"), "limit");
  EXPECT_REASON(ParseQueryString("q=%FF"), "invalid_utf8");
  EXPECT_REASON(ParseQueryString("%C3=1"), "invalid_utf8");
  std::string many;
  for (std::size_t i = 0; i <= kQueryParametersMax; ++i) many += "p" + std::to_string(i) + "=1&";
  EXPECT_REASON(ParseQueryString(many), "invalid_query");
}

TEST(QueryParamsTest, UnknownParameterIsNamed) {
  const QueryParams params = Query("limit=5&regoin=x");
  EXPECT_OK(CheckKnownParameters(Query("limit=5&region=x"), {"limit", "cursor", "region"}));
  const Status status = CheckKnownParameters(params, {"limit", "cursor", "region"});
  EXPECT_REASON(status, "unknown_parameter");
  EXPECT_EQ(status.details().at("parameter"), "regoin");
}

TEST(QueryParamsTest, LimitDefaultsTo50AndStopsAt1000) {
  ASSERT_OK_AND_ASSIGN(PageRequest page, ParsePageRequest(Query("")));
  EXPECT_EQ(page.limit, 50u);
  EXPECT_EQ(page.cursor, std::nullopt);
  ASSERT_OK_AND_ASSIGN(page, ParsePageRequest(Query("limit=1000")));
  EXPECT_EQ(page.limit, 1000u);
  ASSERT_OK_AND_ASSIGN(page, ParsePageRequest(Query("limit=1")));
  EXPECT_EQ(page.limit, 1u);
  for (const char* bad : {"limit=1001", "limit=0", "limit=-1", "limit=ten", "limit=1e3", "limit=+5", "limit= 5",
                          "limit=99999999999999999999999"}) {
    const Result<PageRequest> refused = ParsePageRequest(Query(bad));
    EXPECT_EQ(testutil::StatusOf(refused).reason(), "invalid_limit") << bad;
    EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  }
  ASSERT_OK_AND_ASSIGN(page, ParsePageRequest(Query("limit=20"), PageLimits{.items_default = 10, .items_max = 20}));
  EXPECT_EQ(page.limit, 20u);
  EXPECT_REASON(ParsePageRequest(Query("limit=21"), PageLimits{.items_default = 10, .items_max = 20}), "invalid_limit");
}

TEST(QueryParamsTest, CursorRoundTripsAndIsUrlSafe) {
  for (const PageCursor& cursor : {PageCursor{.seq = 0, .after_key = ""}, PageCursor{.seq = 1234, .after_key = "C77"},
                                   PageCursor{.seq = 18446744073709551615u, .after_key = "江苏春意.C1\xff/?&="}}) {
    const std::string text = EncodeCursor(cursor);
    EXPECT_EQ(text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos)
        << text;
    ASSERT_OK_AND_ASSIGN(PageCursor decoded, DecodeCursor(text));
    EXPECT_EQ(decoded, cursor);
  }
  const std::string text = EncodeCursor(PageCursor{.seq = 9, .after_key = "C5"});
  ASSERT_OK_AND_ASSIGN(PageRequest page, ParsePageRequest(Query("cursor=" + text)));
  ASSERT_TRUE(page.cursor.has_value());
  EXPECT_EQ(page.cursor->after_key, "C5");
  EXPECT_EQ(page.cursor->seq, 9u);
}

TEST(QueryParamsTest, CursorsWeDidNotIssueAreInvalidCursor) {
  const std::string good = EncodeCursor(PageCursor{.seq = 9, .after_key = "C5"});
  for (const std::string& bad :
       {std::string("!!!!"), std::string("YWJj"),  // "abc": no version
        good + "=", good.substr(0, good.size() - 1) + "*", std::string("A"), std::string(kCursorBytesMax + 4, 'A'),
        std::string("YzEuLkM1"),    // "c1..C5": no seq
        std::string("YzEueC5DNQ"),  // "c1.x.C5"
        std::string("YzE")}) {      // "c1" (and non-canonical bits)
    const Result<PageCursor> decoded = DecodeCursor(bad);
    EXPECT_EQ(testutil::StatusOf(decoded).reason(), "invalid_cursor") << bad;
    EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument);
  }
  EXPECT_REASON(ParsePageRequest(Query("cursor=garbage")), "invalid_cursor");
}

TEST(QueryParamsTest, AsOfIsNowATimeOrASeq) {
  ASSERT_OK_AND_ASSIGN(AsOf as_of, ParseAsOf(Query("")));
  EXPECT_EQ(as_of.kind, AsOf::Kind::kNow);
  ASSERT_OK_AND_ASSIGN(as_of, ParseAsOf(Query("asOf=2026-03-03T09:00:00Z")));
  EXPECT_EQ(as_of.kind, AsOf::Kind::kTime);
  EXPECT_EQ(as_of.time_ms, 1772528400000);
  ASSERT_OK_AND_ASSIGN(as_of, ParseAsOf(Query("asOf=2026-03-03T17:00:00%2B08:00")));
  EXPECT_EQ(as_of.time_ms, 1772528400000);
  ASSERT_OK_AND_ASSIGN(as_of, ParseAsOf(Query("asOf=seq:1200")));
  EXPECT_EQ(as_of.kind, AsOf::Kind::kSeq);
  EXPECT_EQ(as_of.seq, 1200u);
  ASSERT_OK_AND_ASSIGN(as_of, ParseAsOf(Query("asOf=seq:0")));
  EXPECT_EQ(as_of.seq, 0u);
  for (const char* bad : {"asOf=seq:", "asOf=seq:-1", "asOf=seq:1x", "asOf=yesterday", "asOf=2026-02-30T00:00:00Z",
                          "asOf=1200", "asOf=seq:99999999999999999999"}) {
    const Result<AsOf> refused = ParseAsOf(Query(bad));
    EXPECT_EQ(testutil::StatusOf(refused).reason(), "invalid_as_of") << bad;
  }
}

TEST(QueryParamsTest, BoundedNumbers) {
  ASSERT_OK_AND_ASSIGN(std::optional<std::int64_t> n, OptionalIntParam(Query("n=-5"), "n", -10, 10));
  EXPECT_EQ(n, -5);
  ASSERT_OK_AND_ASSIGN(n, OptionalIntParam(Query(""), "n", -10, 10));
  EXPECT_EQ(n, std::nullopt);
  const Result<std::optional<std::int64_t>> high = OptionalIntParam(Query("n=11"), "n", -10, 10);
  EXPECT_REASON(high, "invalid_parameter");
  EXPECT_EQ(high.status().details().at("parameter"), "n");
  EXPECT_EQ(high.status().details().at("max"), "10");
  EXPECT_REASON(OptionalIntParam(Query("n=-"), "n", -10, 10), "invalid_parameter");
  EXPECT_REASON(OptionalIntParam(Query("n=--1"), "n", -10, 10), "invalid_parameter");

  ASSERT_OK_AND_ASSIGN(std::optional<std::uint32_t> days, ParseExpiringWithinDays(Query("expiringWithinDays=7")));
  EXPECT_EQ(days, 7u);
  ASSERT_OK_AND_ASSIGN(days, ParseExpiringWithinDays(Query("")));
  EXPECT_EQ(days, std::nullopt);
  EXPECT_REASON(ParseExpiringWithinDays(Query("expiringWithinDays=-1")), "invalid_parameter");
  EXPECT_REASON(ParseExpiringWithinDays(Query("expiringWithinDays=3651")), "invalid_parameter");
}

TEST(QueryParamsTest, EventsFeedAfterAndWaitMs) {
  ASSERT_OK_AND_ASSIGN(events::Seq after, ParseAfterSeq(Query("")));
  EXPECT_EQ(after, 0u);
  ASSERT_OK_AND_ASSIGN(after, ParseAfterSeq(Query("after=120")));
  EXPECT_EQ(after, 120u);
  EXPECT_REASON(ParseAfterSeq(Query("after=-1")), "invalid_parameter");
  EXPECT_REASON(ParseAfterSeq(Query("after=seq:1")), "invalid_parameter");

  ASSERT_OK_AND_ASSIGN(std::uint32_t wait_ms, ParseWaitMs(Query("")));
  EXPECT_EQ(wait_ms, 0u);
  ASSERT_OK_AND_ASSIGN(wait_ms, ParseWaitMs(Query("waitMs=30000")));
  EXPECT_EQ(wait_ms, kWaitMsMax);
  const Result<std::uint32_t> too_long = ParseWaitMs(Query("waitMs=30001"));
  EXPECT_REASON(too_long, "invalid_parameter");
  EXPECT_EQ(too_long.status().details().at("parameter"), "waitMs");
  EXPECT_REASON(ParseWaitMs(Query("waitMs=-1")), "invalid_parameter");
}

TEST(QueryParamsTest, TimesLikeFromAndTo) {
  ASSERT_OK_AND_ASSIGN(std::optional<events::TimeMs> from,
                       OptionalTimeParam(Query("from=2026-03-03T09:00:00Z"), "from"));
  EXPECT_EQ(from, 1772528400000);
  ASSERT_OK_AND_ASSIGN(from, OptionalTimeParam(Query(""), "from"));
  EXPECT_EQ(from, std::nullopt);
  const Result<std::optional<events::TimeMs>> bad = OptionalTimeParam(Query("to=2026-13-01"), "to");
  EXPECT_REASON(bad, "invalid_parameter");
  EXPECT_EQ(bad.status().details().at("parameter"), "to");
}

}  // namespace
}  // namespace crm::server::api
