// SortByKey (projections/key_order.h): a flush's changed entries in the byte order of their keys.
#include "projections/key_order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace crm::projections {
namespace {

using Number = std::uint32_t;

std::vector<std::string> Sorted(const std::vector<std::string>& keys) {
  std::vector<Number> numbers;
  for (Number i = 0; i < keys.size(); ++i) numbers.push_back(i);
  SortByKey(numbers, [&keys](Number number) { return std::string_view(keys[number]); });
  std::vector<std::string> sorted;
  for (const Number number : numbers) sorted.push_back(keys[number]);
  return sorted;
}

TEST(KeyOrderTest, PrefixesOrderLikeTheirBytes) {
  EXPECT_LT(KeyPrefix("C1"), KeyPrefix("C2"));
  EXPECT_LT(KeyPrefix(""), KeyPrefix("a"));
  EXPECT_EQ(KeyPrefix(std::string_view()), KeyPrefix("")) << "an empty view has no bytes to read";
  EXPECT_LT(KeyPrefix("a"), KeyPrefix("b"));
  EXPECT_LT(KeyPrefix("z"), KeyPrefix("\xe6\x98\xa5")) << "bytes compare unsigned, as keys do";
  EXPECT_EQ(KeyPrefix("abcdefgh"), KeyPrefix("abcdefghij")) << "only 8 bytes count";
}

TEST(KeyOrderTest, SortsByTheWholeKeyPastTheirPrefix) {
  const std::vector<std::string> keys = {"customer-0010",
                                         "customer-0002",
                                         "customer-0001",
                                         "customer-001",
                                         "c",
                                         "",
                                         "customer",
                                         std::string("customer\0x", 10)};
  std::vector<std::string> expected = keys;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(Sorted(keys), expected);
}

TEST(KeyOrderTest, ShortKeysAndKeysWithZeroBytesKeepByteOrder) {
  const std::vector<std::string> keys = {std::string("ab\0", 3), "ab", std::string("ab\0\0", 4), "a"};
  EXPECT_EQ(Sorted(keys), (std::vector<std::string>{"a", "ab", std::string("ab\0", 3), std::string("ab\0\0", 4)}));
}

TEST(KeyOrderTest, ManyKeysComeOutAscending) {
  std::vector<std::string> keys;
  std::uint32_t state = 12345;
  for (int i = 0; i < 5000; ++i) {
    state = state * 1664525u + 1013904223u;
    keys.push_back("C" + std::to_string(state % 100000) + (i % 3 == 0 ? "\xe6\x98\xa5" : ""));
  }
  const std::vector<std::string> sorted = Sorted(keys);
  EXPECT_TRUE(std::is_sorted(sorted.begin(), sorted.end()));
  EXPECT_EQ(sorted.size(), keys.size());
}

}  // namespace
}  // namespace crm::projections
