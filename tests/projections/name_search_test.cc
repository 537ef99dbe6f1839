// Rule 1: any part of a name finds every customer whose name contains it.
#include "projections/name_search.h"

#include <gtest/gtest.h>

#include "events/company_name.h"
#include "testutil/status_matchers.h"

namespace crm::projections {
namespace {

using Ids = std::vector<std::string>;

class NameSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Add("C1", "靖江市春意空调有限公司");
    Add("C2", "泰州市春光机械有限公司");
    Add("C3", "无锡市意空科技有限公司");  // has 意空 but not 春意
    Add("C4", "ABC Trading (Shanghai) Co., Ltd.");
  }
  void Add(const std::string& id, const std::string& name) {
    const auto normalized = events::NormalizeCompanyName(name);
    ASSERT_OK(normalized);
    index_.Add(id, *normalized);
  }
  Ids Search(const std::string& query) {
    auto found = index_.Search(query);
    EXPECT_OK(found);
    return found.ok() ? *found : Ids{};
  }
  NameIndex index_;
};

TEST_F(NameSearchTest, APartOfTheNameFindsTheCustomer) {
  EXPECT_EQ(Search("春意"), Ids{"C1"});
  EXPECT_EQ(Search("春意空调"), Ids{"C1"});
  EXPECT_EQ(Search("靖江市春意空调有限公司"), Ids{"C1"});
  EXPECT_EQ(Search("有限公司"), (Ids{"C1", "C2", "C3"}));
}

TEST_F(NameSearchTest, BigramsThatAreNotAdjacentInTheNameDoNotMatch) {
  Add("C5", "春意意空商贸有限公司");  // 春意 and 意空 both occur, 春意空 does not
  EXPECT_EQ(Search("春意空"), Ids{"C1"});
}

TEST_F(NameSearchTest, OneCharacterFindsEveryNameWithIt) {
  EXPECT_EQ(Search("春"), (Ids{"C1", "C2"}));
  EXPECT_EQ(Search("空"), (Ids{"C1", "C3"}));
}

TEST_F(NameSearchTest, QueriesAreNormalisedLikeNames) {
  EXPECT_EQ(Search("  春 意 "), Ids{"C1"});
  EXPECT_EQ(Search("ａｂｃ　ｔｒａｄｉｎｇ"), Ids{"C4"});  // full-width, ideographic space
  EXPECT_EQ(Search("abc trading"), Ids{"C4"});
}

TEST_F(NameSearchTest, NothingFoundIsAnEmptyAnswerAndAnEmptyQueryIsRefused) {
  EXPECT_EQ(Search("海陵"), Ids{});
  EXPECT_REASON(index_.Search("   "), "empty_query");
  EXPECT_REASON(index_.Search("\xC0\xAF"), "invalid_utf8");
}

TEST_F(NameSearchTest, ResultsAreBoundedByTheLimit) {
  auto found = index_.Search("有限公司", 2);
  ASSERT_OK(found);
  EXPECT_EQ(*found, (Ids{"C1", "C2"}));
}

TEST_F(NameSearchTest, ReindexingACustomerDropsItsOldTerms) {
  Add("C1", "靖江市海陵电器有限公司");
  EXPECT_EQ(Search("春意"), Ids{});
  EXPECT_EQ(Search("海陵"), Ids{"C1"});
}

TEST(NameTermsTest, CharactersThenBigramsWithoutRepeats) {
  EXPECT_EQ(NameTerms("春意空"), (std::vector<std::string>{"春", "意", "空", "春意", "意空"}));
  EXPECT_EQ(NameTerms("aaa"), (std::vector<std::string>{"a", "aa"}));
  EXPECT_EQ(QueryTerms("春"), (std::vector<std::string>{"春"}));
  EXPECT_EQ(QueryTerms("春意空"), (std::vector<std::string>{"春意", "意空"}));
}

}  // namespace
}  // namespace crm::projections
