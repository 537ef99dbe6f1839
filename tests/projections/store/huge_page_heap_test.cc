// huge_page_heap: a program that links it allocates from jemalloc with transparent huge pages,
// keeps the memory it frees and builds its next views in it.
// The configuration is a symbol nothing references, so what can break is the link dropping it
// or jemalloc not reading it; both show in jemalloc's own view of its options.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <jemalloc/jemalloc.h>
#include <random>
#include <string>
#include <vector>

namespace {

std::size_t Mapped() {
  std::uint64_t epoch = 1;
  if (mallctl("epoch", nullptr, nullptr, &epoch, sizeof(epoch)) != 0) return 0;
  std::size_t mapped = 0;
  std::size_t size = sizeof(mapped);
  if (mallctl("stats.mapped", &mapped, &size, nullptr, 0) != 0) return 0;
  return mapped;
}

// What a view is made of, the way an as-of read builds one: many small blocks of mixed sizes,
// each written, all freed together afterwards.
std::vector<char*> AllocateView(std::mt19937_64& random, std::size_t bytes) {
  std::vector<char*> blocks;
  for (std::size_t total = 0; total < bytes;) {
    const std::size_t size = 16 + random() % 14'000;
    char* block = new char[size];
    std::memset(block, 1, size);
    blocks.push_back(block);
    total += size;
  }
  return blocks;
}

void FreeView(std::vector<char*>& blocks) {
  for (char* block : blocks) delete[] block;
  blocks.clear();
}

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
  std::size_t max_active_fit = 0;
  size = sizeof(max_active_fit);
  ASSERT_EQ(mallctl("opt.lg_extent_max_active_fit", &max_active_fit, &size, nullptr, 0), 0);
  EXPECT_EQ(max_active_fit, 30u);
}

// The memory a freed view leaves is what the next view is built in: a program that builds views
// one after another holds about one view's memory, not one more per view.
TEST(HugePageHeapTest, TheNextViewReusesTheMemoryOfTheLast) {
  constexpr std::size_t kViewBytes = 64u << 20;
  std::mt19937_64 random(7);
  std::vector<char*> view = AllocateView(random, kViewBytes);
  FreeView(view);
  const std::size_t mapped_after_one = Mapped();
  ASSERT_GT(mapped_after_one, 0u);
  for (int i = 0; i < 3; ++i) {
    view = AllocateView(random, kViewBytes);
    FreeView(view);
  }
  EXPECT_LT(Mapped(), mapped_after_one + kViewBytes / 4)
      << "three more views of " << (kViewBytes >> 20) << " MiB mapped " << ((Mapped() - mapped_after_one) >> 20)
      << " MiB more";
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
