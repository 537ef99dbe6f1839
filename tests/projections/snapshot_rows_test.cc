// SnapshotRows: a snapshot's rows as bytes, in their stored order, with the changes of the
// deltas after it applied: merged in key order when the rows ascend, in place otherwise.
#include "projections/snapshot_rows.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crm::projections {
namespace snapshot_rows_test {

// "key=value" for each row, in order.
std::vector<std::string> Rows(const SnapshotRows& rows) {
  std::vector<std::string> listed;
  for (const SnapshotRows::Row& row : rows.rows())
    listed.push_back(std::string(row.key) + "=" + std::string(row.value));
  return listed;
}

void AddAll(SnapshotRows& rows, const std::vector<std::string>& keys) {
  for (const std::string& key : keys) rows.Add(rows.Hold(key), rows.Hold("v" + key));
}

// Changes held by `rows`: a key alone is a delete, "key=value" a put.
std::vector<SnapshotRows::Change> Changes(SnapshotRows& rows, const std::vector<std::string>& changes) {
  std::vector<SnapshotRows::Change> made;
  for (const std::string& change : changes) {
    const std::size_t equals = change.find('=');
    if (equals == std::string::npos) {
      made.push_back(SnapshotRows::Change{rows.Hold(change), std::nullopt});
    } else {
      made.push_back(SnapshotRows::Change{rows.Hold(change.substr(0, equals)), rows.Hold(change.substr(equals + 1))});
    }
  }
  return made;
}

TEST(SnapshotRowsTest, AscendingRowsTakeTheChangesInOneMergeAndStaySorted) {
  SnapshotRows rows;
  AddAll(rows, {"b", "d", "f"});
  EXPECT_FALSE(rows.sorted()) << "not until finished";
  rows.Finish(Changes(rows, {"a=new", "b", "c=new", "d=changed", "g=new", "h"}));
  EXPECT_TRUE(rows.sorted());
  EXPECT_EQ(Rows(rows), (std::vector<std::string>{"a=new", "c=new", "d=changed", "f=vf", "g=new"}));
  EXPECT_EQ(rows.UpperBound(""), 0u);
  EXPECT_EQ(rows.UpperBound("c"), 2u);
  EXPECT_EQ(rows.UpperBound("e"), 3u);
  EXPECT_EQ(rows.UpperBound("z"), rows.size());
}

TEST(SnapshotRowsTest, RowsInAnotherOrderAreChangedInPlaceWithTheAddedOnesAfter) {
  SnapshotRows rows;
  AddAll(rows, {"d", "b", "f"});
  rows.Finish(Changes(rows, {"a=new", "b", "c=new", "f=changed", "z"}));
  EXPECT_FALSE(rows.sorted());
  EXPECT_EQ(Rows(rows), (std::vector<std::string>{"d=vd", "f=changed", "a=new", "c=new"}));
}

TEST(SnapshotRowsTest, AKeyTwiceIsNotSorted) {
  SnapshotRows rows;
  AddAll(rows, {"a", "b", "b"});
  rows.Finish({});
  EXPECT_FALSE(rows.sorted());
  EXPECT_EQ(Rows(rows), (std::vector<std::string>{"a=va", "b=vb", "b=vb"}));
}

TEST(SnapshotRowsTest, NoRowsAndNoChangesAreSorted) {
  SnapshotRows rows;
  rows.Finish({});
  EXPECT_TRUE(rows.sorted());
  EXPECT_EQ(rows.size(), 0u);
  EXPECT_EQ(rows.UpperBound("a"), 0u);
}

TEST(SnapshotRowsTest, HeldBytesStayWhereTheyAreAsMoreAreHeld) {
  SnapshotRows rows;
  const std::string_view first = rows.Hold("k");  // short: kept inside its string
  for (int i = 0; i < 1000; ++i) rows.Hold(std::to_string(i));
  EXPECT_EQ(first, "k");
}

}  // namespace snapshot_rows_test
}  // namespace crm::projections
