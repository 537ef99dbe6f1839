// huge_page_heap: a program that links it allocates from jemalloc with transparent huge pages
// and keeps the memory it frees.
// The configuration is a symbol nothing references, so what can break is the link dropping it
// or jemalloc not reading it; both show in jemalloc's own view of its options.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <jemalloc/jemalloc.h>
#include <string>

namespace {

std::string StringOption(const char* name) {
  const char* value = nullptr;
  std::size_t size = sizeof(value);
  if (mallctl(name, &value, &size, nullptr, 0) != 0 || value == nullptr) return "<unreadable>";
  return value;
}

TEST(HugePageHeapTest, JemallocReadsTheHugePageConfiguration) {
  EXPECT_EQ(StringOption("opt.thp"), "always");
  EXPECT_EQ(StringOption("opt.metadata_thp"), "auto");
}

TEST(HugePageHeapTest, FreedMemoryIsKeptForReuse) {
  std::int64_t dirty = 0;
  std::int64_t muzzy = 0;
  std::size_t size = sizeof(dirty);
  ASSERT_EQ(mallctl("opt.dirty_decay_ms", &dirty, &size, nullptr, 0), 0);
  ASSERT_EQ(mallctl("opt.muzzy_decay_ms", &muzzy, &size, nullptr, 0), 0);
  EXPECT_EQ(dirty, -1);
  EXPECT_EQ(muzzy, -1);
}

TEST(HugePageHeapTest, AllocationsComeFromJemalloc) {
  std::size_t allocated_before = 0;
  std::size_t size = sizeof(allocated_before);
  std::uint64_t epoch = 1;
  ASSERT_EQ(mallctl("epoch", nullptr, nullptr, &epoch, sizeof(epoch)), 0);
  ASSERT_EQ(mallctl("stats.allocated", &allocated_before, &size, nullptr, 0), 0);
  auto* block = new char[64u << 20];
  std::memset(block, 1, 64u << 20);
  ASSERT_EQ(mallctl("epoch", nullptr, nullptr, &epoch, sizeof(epoch)), 0);
  std::size_t allocated_after = 0;
  ASSERT_EQ(mallctl("stats.allocated", &allocated_after, &size, nullptr, 0), 0);
  delete[] block;
  EXPECT_GE(allocated_after, allocated_before + (64u << 20));
}

}  // namespace
