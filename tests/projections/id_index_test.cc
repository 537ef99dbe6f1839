// IdIndex finds every id under the number it was inserted with, across growth, and nothing
// else: not an absent id, not a prefix or extension of a present one.
#include "projections/id_index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace crm::projections {
namespace {

// The caller's side of the index: the ids, by number.
class NumberedIds {
 public:
  IdIndex::Number Add(std::string id) {
    const auto number = static_cast<IdIndex::Number>(ids_.size());
    ids_.push_back(std::move(id));
    index_.Insert(ids_.back(), number);
    return number;
  }
  IdIndex::Number Find(std::string_view id) const {
    return index_.Find(id, [this](IdIndex::Number n) -> const std::string& { return ids_[n]; });
  }
  IdIndex& index() { return index_; }

 private:
  std::vector<std::string> ids_;
  IdIndex index_;
};

TEST(IdIndexTest, AnEmptyIndexFindsNothing) {
  NumberedIds ids;
  EXPECT_EQ(ids.Find("C1"), IdIndex::kAbsent);
  EXPECT_EQ(ids.Find(""), IdIndex::kAbsent);
  EXPECT_EQ(ids.index().size(), 0u);
}

TEST(IdIndexTest, FindsEveryIdUnderItsNumberAcrossGrowth) {
  NumberedIds ids;
  constexpr int kCount = 100'000;  // the table doubles from 16 slots to 262,144
  for (int i = 0; i < kCount; ++i) ASSERT_EQ(ids.Add("C" + std::to_string(i)), static_cast<IdIndex::Number>(i));
  EXPECT_EQ(ids.index().size(), static_cast<std::size_t>(kCount));
  for (int i = 0; i < kCount; ++i) ASSERT_EQ(ids.Find("C" + std::to_string(i)), static_cast<IdIndex::Number>(i));
}

TEST(IdIndexTest, AReservedIndexFindsEveryIdUpToItsRoomAndBeyond) {
  for (const int reserved : {0, 1, 1000, 1024}) {
    NumberedIds ids;
    ids.index().Reserve(static_cast<std::size_t>(reserved));
    for (int i = 0; i < reserved + 10; ++i) ids.Add("C" + std::to_string(i));
    for (int i = 0; i < reserved + 10; ++i) {
      ASSERT_EQ(ids.Find("C" + std::to_string(i)), static_cast<IdIndex::Number>(i)) << reserved;
    }
    EXPECT_EQ(ids.Find("C" + std::to_string(reserved + 10)), IdIndex::kAbsent);
  }
}

TEST(IdIndexTest, FindsNoIdThatWasNotInserted) {
  NumberedIds ids;
  for (int i = 0; i < 1'000; ++i) ids.Add("C" + std::to_string(i));
  for (int i = 1'000; i < 20'000; ++i) ASSERT_EQ(ids.Find("C" + std::to_string(i)), IdIndex::kAbsent);
  EXPECT_EQ(ids.Find("C"), IdIndex::kAbsent);     // a prefix of every id
  EXPECT_EQ(ids.Find("C10 "), IdIndex::kAbsent);  // an id and more
  EXPECT_EQ(ids.Find("c10"), IdIndex::kAbsent);   // ids are compared byte for byte
  EXPECT_EQ(ids.Find(""), IdIndex::kAbsent);
}

TEST(IdIndexTest, EmptyAndUnicodeIdsAreIdsLikeAnyOther) {
  NumberedIds ids;
  ids.Add("");
  ids.Add("靖江市春意空调有限公司");
  EXPECT_EQ(ids.Find(""), 0u);
  EXPECT_EQ(ids.Find("靖江市春意空调有限公司"), 1u);
  EXPECT_EQ(ids.Find("靖江市春意空调"), IdIndex::kAbsent);
}

TEST(IdIndexTest, ClearForgetsEverything) {
  NumberedIds ids;
  for (int i = 0; i < 100; ++i) ids.Add("C" + std::to_string(i));
  ids.index().Clear();
  EXPECT_EQ(ids.index().size(), 0u);
  EXPECT_EQ(ids.Find("C1"), IdIndex::kAbsent);
}

}  // namespace
}  // namespace crm::projections
