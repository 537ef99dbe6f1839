// What the next snapshot holds: a full one first and every full_every-th, the rows flushed
// since the snapshot before otherwise, each row as last flushed.
#include "projections/store/snapshot_delta.h"

#include <gtest/gtest.h>

namespace crm::projections::store {
namespace {

using Rows = std::map<std::string, std::optional<std::string>, std::less<>>;

TEST(SnapshotDeltaTest, TheFirstSnapshotIsFullAndNothingIsRecordedBeforeIt) {
  SnapshotDelta delta;
  EXPECT_TRUE(delta.WantsFull());
  delta.Put("a", "1");
  EXPECT_TRUE(delta.rows().empty()) << "no snapshot to be a delta of yet";
}

TEST(SnapshotDeltaTest, EveryFullEveryThSnapshotIsFull) {
  SnapshotDelta delta;
  std::vector<bool> full;
  for (events::Seq seq = 10; seq <= 80; seq += 10) {
    full.push_back(delta.WantsFull());
    delta.SnapshotWritten(seq, full.back(), 1, {.full_every = 3, .delta_rows_max_percent = 100});
  }
  EXPECT_EQ(full, (std::vector<bool>{true, false, false, true, false, false, true, false}));
}

TEST(SnapshotDeltaTest, WithFullEveryOneOrZeroNothingIsEverRecorded) {
  for (const std::uint32_t full_every : {0u, 1u}) {
    SnapshotDelta delta;
    delta.SnapshotWritten(10, true, 1, {.full_every = full_every, .delta_rows_max_percent = 100});
    EXPECT_TRUE(delta.WantsFull());
    delta.Put("a", "1");
    EXPECT_TRUE(delta.rows().empty());
  }
}

TEST(SnapshotDeltaTest, ARowIsKeptAsLastFlushedAndASnapshotStartsOver) {
  SnapshotDelta delta;
  const SnapshotPolicy policy{.full_every = 5, .delta_rows_max_percent = 100};
  delta.SnapshotWritten(10, true, 3, policy);
  ASSERT_FALSE(delta.WantsFull());
  EXPECT_EQ(delta.base_seq(), 10u);
  delta.Put("a", "1");
  delta.Put("b", "1");
  delta.Put("a", "2");
  delta.Delete("b");
  delta.Delete("c");
  delta.Put("c", "3");
  EXPECT_EQ(delta.rows(), (Rows{{"a", "2"}, {"b", std::nullopt}, {"c", "3"}}));
  delta.SnapshotWritten(20, false, 3, policy);
  EXPECT_TRUE(delta.rows().empty());
  EXPECT_EQ(delta.base_seq(), 20u);
}

// Deltas after a full snapshot of 10 rows may hold 15 rows in all at 150%: a read then merges
// at most that many into it.
TEST(SnapshotDeltaTest, TheDeltasAfterAFullSnapshotHoldAtMostTheirShareOfItsRows) {
  const SnapshotPolicy policy{.full_every = 100, .delta_rows_max_percent = 150};
  SnapshotDelta delta;
  delta.SnapshotWritten(10, true, 10, policy);
  for (const char* key : {"a", "b", "c", "d", "e", "f", "g", "h"}) delta.Put(key, "1");
  EXPECT_FALSE(delta.Outgrown());  // 8 of 15
  delta.SnapshotWritten(20, false, 8, policy);
  for (const char* key : {"a", "b", "c", "d", "e", "f", "g"}) delta.Put(key, "2");
  delta.Put("a", "3");             // the same row again counts once
  EXPECT_FALSE(delta.Outgrown());  // 15 of 15
  delta.Delete("h");
  EXPECT_TRUE(delta.Outgrown());  // 16 of 15: this snapshot is to be full
  EXPECT_TRUE(delta.rows().empty()) << "rows a full snapshot does not need are not kept";
  delta.SnapshotWritten(30, true, 12, policy);
  delta.Put("a", "4");
  EXPECT_FALSE(delta.Outgrown()) << "counted from the new full snapshot";
  EXPECT_EQ(delta.rows().size(), 1u);
}

}  // namespace
}  // namespace crm::projections::store
