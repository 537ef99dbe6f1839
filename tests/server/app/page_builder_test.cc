#include <gtest/gtest.h>

#include <string>

#include "server/api/query_params.h"
#include "server/app/route_support.h"

namespace crm::server::app {
namespace {

api::QueryParams WithCursor(const api::PageCursor& cursor) {
  return api::QueryParams{{"limit", "2"}, {"cursor", api::EncodeCursor(cursor)}};
}

TEST(PageBuilderTest, AfterKeyIsTheCursorsKeyForAsLongAsThePageLives) {
  // Longer than any short-string buffer, so that a view of a copy that has died reads freed
  // memory (AddressSanitizer) instead of a stack slot that still happens to hold the bytes.
  const std::string key(64, 'k');
  Result<PageBuilder> page = PageBuilder::Start(WithCursor({.seq = 0, .after_key = key}), ReadPoint{}, 10);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->after_key(), key);
  EXPECT_EQ(page->Consider(key), PageBuilder::Offer::kSkip);
  EXPECT_EQ(page->Consider(key + "a"), PageBuilder::Offer::kTake);
}

TEST(PageBuilderTest, AFirstPageStartsFromTheBeginning) {
  Result<PageBuilder> page = PageBuilder::Start(api::QueryParams{{"limit", "1"}}, ReadPoint{}, 10);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_TRUE(page->after_key().empty());
  EXPECT_EQ(page->Consider("a"), PageBuilder::Offer::kTake);
  page->AddSerialized("a", "1");
  EXPECT_EQ(page->Consider("b"), PageBuilder::Offer::kStop);  // full, and one more exists
}

TEST(PageBuilderTest, ACursorOfAnotherReadPointIsRefused) {
  const Result<PageBuilder> page =
      PageBuilder::Start(WithCursor({.seq = 7, .after_key = "C3"}), ReadPoint{.as_of = true, .seq = 8}, 10);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.status().reason(), "invalid_cursor");
}

}  // namespace
}  // namespace crm::server::app
