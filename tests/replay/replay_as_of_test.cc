// as-of on the story of replay_fixture.h: the pool and other views as they stood at a past time
// or log position, with deadlines passed by then applied even before the release was written.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "replay/replay_fixture.h"

namespace crm::testutil {
// Named, not anonymous: unity builds compile this file together with its neighbours.
namespace replay_as_of_test {

using Json = nlohmann::json;

class ReplayAsOfTest : public ReplayTest {
 protected:
  void SetUp() override {
    ReplayTest::SetUp();
    BuildStory();
  }

  Json AsOf(const std::string& point, const std::string& view, std::vector<std::string> filters = {}) {
    std::vector<std::string> args = {"as-of", point, view};
    args.insert(args.end(), filters.begin(), filters.end());
    const RunResult result = Run(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.exit_code == 0 ? Json::parse(result.out) : Json();
  }

  static std::vector<std::string> Ids(const Json& answer) {
    std::vector<std::string> ids;
    for (const Json& item : answer["data"]["items"]) ids.push_back(item["id"]);
    return ids;
  }
};

TEST_F(ReplayAsOfTest, ThePoolBeforeTheDeadlineAfterItAndAfterTheSweep) {
  // expired_ was registered at 03:00Z on 2 March: its 30 days end at 03:00Z on 1 April, and the
  // sweeper wrote the release a day later.
  Json before = AsOf("2026-04-01T02:59:59Z", "pool");
  EXPECT_EQ(Ids(before), std::vector<std::string>{pooled_});
  EXPECT_EQ(before["asOf"]["time"], "2026-04-01T02:59:59Z");

  const Json lapsed = AsOf("2026-04-01T03:00:00Z", "pool");
  ASSERT_EQ(lapsed["data"]["items"].size(), 2u);
  const Json& entry =
      lapsed["data"]["items"][0]["id"] == expired_ ? lapsed["data"]["items"][0] : lapsed["data"]["items"][1];
  EXPECT_EQ(entry["reason"], "expired");
  EXPECT_EQ(entry["enteredAt"], "2026-04-01T03:00:00Z");

  const Json swept = AsOf("2026-04-03T00:00:00Z", "pool");
  EXPECT_EQ(swept["data"]["items"], lapsed["data"]["items"]) << "the written release reads as the implied one";
  EXPECT_GT(swept["asOf"]["seq"].get<int>(), lapsed["asOf"]["seq"].get<int>());
}

TEST_F(ReplayAsOfTest, ALogPositionReadsAtItsEventsTime) {
  const Json nothing = AsOf("seq:0", "pool");
  EXPECT_TRUE(nothing["data"]["items"].empty());
  EXPECT_EQ(nothing["asOf"]["seq"], 0);
  const Json funnel = AsOf("seq:" + std::to_string(log_->HeadSeq()), "funnel");
  EXPECT_EQ(funnel["data"]["registered"], 5);
  EXPECT_EQ(funnel["data"]["formal"], 1);
}

TEST_F(ReplayAsOfTest, TheCustomer360AndItsContractAsOfNow) {
  const Json customer = AsOf("2026-05-01T00:00:00Z", "customer", {"--id", formal_});
  EXPECT_EQ(customer["data"]["stage"], "formal");
  EXPECT_EQ(customer["data"]["paidFen"], 40000);
  EXPECT_EQ(customer["data"]["contracts"].size(), 1u);
  const Json contract = AsOf("2026-05-01T00:00:00Z", "contract", {"--no", "HT-1"});
  EXPECT_EQ(contract["data"]["receivableFen"], 60000);
  const Json held = AsOf("2026-03-10T00:00:00Z", "ownership", {"--user", "s5"});
  ASSERT_EQ(held["data"]["items"].size(), 1u);
  EXPECT_EQ(held["data"]["items"][0]["id"], promoted_);
}

TEST_F(ReplayAsOfTest, BadPointsViewsAndMissingFiltersAreRefused) {
  EXPECT_EQ(Run({"as-of", "yesterday", "pool"}).exit_code, 2);
  EXPECT_EQ(Run({"as-of", "seq:99999", "pool"}).exit_code, 2);
  EXPECT_EQ(Run({"as-of", "seq:1", "gossip"}).exit_code, 2);
  EXPECT_EQ(Run({"as-of", "seq:1", "ownership"}).exit_code, 2) << "ownership needs --user";
  const RunResult unknown = Run({"as-of", "2026-05-01", "customer", "--id", "C404"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no customer C404"), std::string::npos) << unknown.err;
}

}  // namespace replay_as_of_test
}  // namespace crm::testutil

namespace crm::testutil {
namespace replay_as_of_test {

TEST_F(ReplayAsOfTest, ExportWritesAViewsRecordsAsJsonLinesOrCsv) {
  const RunResult lines = Run({"export", "--view", "pool", "--as-of", "2026-04-01T03:00:00Z"});
  ASSERT_EQ(lines.exit_code, 0) << lines.err;
  std::vector<std::string> ids;
  for (const std::string& line : Lines(lines.out)) ids.push_back(Json::parse(line)["id"]);
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> expected = {expired_, pooled_};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ids, expected);

  const RunResult csv = Run({"export", "--view", "contract", "--no", "HT-1", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  const auto records = ParseCsv(csv.out);
  ASSERT_EQ(records.size(), 2u) << csv.out;  // the header and the contract
  const auto column = std::find(records[0].begin(), records[0].end(), "receivableFen") - records[0].begin();
  ASSERT_LT(static_cast<std::size_t>(column), records[0].size());
  EXPECT_EQ(records[1][static_cast<std::size_t>(column)], "60000");

  EXPECT_EQ(Run({"export", "--view", "gossip"}).exit_code, 2);
}

}  // namespace replay_as_of_test
}  // namespace crm::testutil
