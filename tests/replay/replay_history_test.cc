// history, audit-report and export on the story of replay_fixture.h.
#include <nlohmann/json.hpp>

#include "replay/replay_fixture.h"
#include "replay/time_format.h"
#include "testutil/log_testing.h"
#include "testutil/status_matchers.h"

namespace crm::testutil {
// Named, not anonymous: unity builds compile this file together with its neighbours.
namespace replay_history_test {

using Json = nlohmann::ordered_json;

class ReplayReadTest : public ReplayTest {
 protected:
  void SetUp() override {
    ReplayTest::SetUp();
    BuildStory();
    // The read commands run while the service still holds the directory read-write, as they
    // would beside a running server.
  }

  std::vector<Json> JsonLines(const std::string& text) {
    std::vector<Json> lines;
    for (const std::string& line : Lines(text)) lines.push_back(Json::parse(line));
    return lines;
  }
};

TEST_F(ReplayReadTest, HistoryListsTheCustomerAndItsContractsInSeqOrder) {
  const RunResult result = Run({"history", formal_});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> lines = Lines(result.out);
  ASSERT_GE(lines.size(), 4u);
  EXPECT_NE(lines[0].find("customer " + formal_ + " \"靖江市春意空调有限公司\": 8 events, contracts: HT-1"),
            std::string::npos)
      << result.out;
  EXPECT_EQ(lines[1],
            "policy in force: potentialDays=30 intentionDays=15 reviewWorkingDays=3 abandonCooldownDays=3 "
            "maxProtected=200 maxClaimsPerDay=20 maxExtensions=1 maxExtensionDays=30");
  EXPECT_EQ(lines[2].rfind("SEQ", 0), 0u);
  const std::vector<std::string> types = {"CustomerRegistered",         "CustomerProtected", "ProtectionApproved",
                                          "PromotionRequested",         "CustomerPromoted",  "ContractSigned",
                                          "CustomerHandedToAftersales", "PaymentRecorded"};
  ASSERT_EQ(lines.size(), 3 + types.size()) << result.out;
  for (std::size_t i = 0; i < types.size(); ++i) {
    EXPECT_NE(lines[3 + i].find(" " + types[i] + " "), std::string::npos) << lines[3 + i];
  }
  EXPECT_NE(result.out.find("protected for s1 until " + replay::FormatTime(kStoryStartMs + 30 * kDayMs)),
            std::string::npos)
      << result.out;
}

TEST_F(ReplayReadTest, HistoryShowsThePolicyInForceAtEachEvent) {
  const RunResult result = Run({"history", expired_, "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<Json> events = JsonLines(result.out);
  ASSERT_EQ(events.size(), 4u) << result.out;  // registered, protected, approved, expired
  std::uint64_t previous = 0;
  for (const Json& event : events) {
    EXPECT_GT(event["seq"].get<std::uint64_t>(), previous);
    previous = event["seq"].get<std::uint64_t>();
    EXPECT_EQ(event["stream"], "customer-" + expired_);
    EXPECT_TRUE(event.contains("description"));
  }
  EXPECT_EQ(events[0]["type"], "CustomerRegistered");
  EXPECT_EQ(events[0]["policy"]["potentialDays"], 30);
  EXPECT_EQ(events[3]["type"], "ProtectionExpired");
  EXPECT_EQ(events[3]["actor"], "system");
  EXPECT_EQ(events[3]["policy"]["potentialDays"], 20) << "changed at +26d, before the sweep";
  EXPECT_EQ(events[3]["effective"], replay::FormatTimeMs(kStoryStartMs + kHourMs + 30 * kDayMs));
  EXPECT_EQ(events[3]["data"]["deadline"], events[3]["effective"]);

  const RunResult table = Run({"history", expired_});
  const std::string changed_at = replay::FormatTime(kStoryStartMs + 26 * kDayMs);
  EXPECT_NE(table.out.find("policy in force from seq " + std::to_string(previous - 1) + " (set by root at " +
                           changed_at + "): potentialDays=20"),
            std::string::npos)
      << table.out;
}

TEST_F(ReplayReadTest, HistoryOfAnUnknownCustomerFails) {
  const RunResult result = Run({"history", "C999"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "crm-replay history: no customer C999\n");
  EXPECT_TRUE(result.out.empty());
}

TEST_F(ReplayReadTest, AuditReportCountsAndListsEveryReleaseMoveAndChange) {
  const RunResult result = Run({"audit-report", "--format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Json report = Json::parse(result.out);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<log::EventLog> log, OpenTestLog(DataDir(), log::OpenMode::kReadOnly));
  EXPECT_EQ(report["events"], log->HeadSeq());
  EXPECT_EQ(report["byType"]["ProtectionExpired"], 1);
  EXPECT_EQ(report["byType"]["CustomerRegistered"], 5);
  EXPECT_EQ(report["byActor"]["system"]["byType"]["ProtectionExpired"], 1);
  EXPECT_EQ(report["byActor"]["s1"]["byType"]["ContractSigned"], 1);
  std::uint64_t total = 0;
  for (const auto& [actor, counts] : report["byActor"].items()) total += counts["total"].get<std::uint64_t>();
  EXPECT_EQ(total, log->HeadSeq());

  ASSERT_EQ(report["releases"].size(), 2u) << report["releases"].dump();
  EXPECT_EQ(report["releases"][0]["customerId"], pooled_);
  EXPECT_EQ(report["releases"][0]["reason"], "abandoned");
  EXPECT_EQ(report["releases"][0]["note"], "不需要");
  EXPECT_EQ(report["releases"][1]["customerId"], expired_);
  EXPECT_EQ(report["releases"][1]["reason"], "expired");
  EXPECT_EQ(report["releases"][1]["ownerId"], "s2");
  EXPECT_EQ(report["releases"][1]["effective"], replay::FormatTimeMs(kStoryStartMs + kHourMs + 30 * kDayMs));

  ASSERT_EQ(report["moves"].size(), 2u) << report["moves"].dump();
  EXPECT_EQ(report["moves"][0]["kind"], "aftersales");
  EXPECT_EQ(report["moves"][0]["reason"], "contract HT-1");
  EXPECT_EQ(report["moves"][1]["kind"], "reassignment");
  EXPECT_EQ(report["moves"][1]["fromUserId"], "s3");
  EXPECT_EQ(report["moves"][1]["toUserId"], "s4");
  EXPECT_EQ(report["moves"][1]["actor"], "m1");
  EXPECT_EQ(report["moves"][1]["reason"], "s3 调岗");

  ASSERT_EQ(report["policyChanges"].size(), 1u);
  ASSERT_EQ(report["policyChanges"][0]["changes"].size(), 1u);
  EXPECT_EQ(report["policyChanges"][0]["changes"][0], Json({{"field", "potentialDays"}, {"from", 30}, {"to", 20}}));

  std::size_t created = 0;
  std::vector<std::string> others;
  for (const Json& change : report["userChanges"]) {
    if (change["change"] == "created") {
      ++created;
    } else {
      others.push_back(change["userId"].get<std::string>() + " " + change["change"].get<std::string>() + " " +
                       change["detail"].get<std::string>());
    }
  }
  EXPECT_EQ(created, 13u);
  EXPECT_EQ(others, (std::vector<std::string>{"s7 role sales -> manager", "s6 deactivated 离职"}));
}

TEST_F(ReplayReadTest, AuditReportWindowTakesOnlyEventsRecordedInIt) {
  const std::string from = replay::FormatTime(kStoryStartMs + 26 * kDayMs);
  const RunResult result = Run({"audit-report", "--from", from, "--format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Json report = Json::parse(result.out);
  EXPECT_EQ(report["events"], 2) << "the policy change and the sweep's release";
  EXPECT_EQ(report["releases"].size(), 1u);
  EXPECT_EQ(report["policyChanges"].size(), 1u);
  EXPECT_TRUE(report["userChanges"].empty());

  const RunResult empty = Run({"audit-report", "--from", "2020-01-01", "--to", "2020-01-02"});
  ASSERT_EQ(empty.exit_code, 0) << empty.err;
  EXPECT_NE(empty.out.find("none; log head seq"), std::string::npos) << empty.out;
}

TEST_F(ReplayReadTest, AuditReportMarkdownHasEverySection) {
  const RunResult result = Run({"audit-report"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const std::string heading : {"# Audit report", "## Who did what", "## Events by type",
                                    "## Releases to the pool (2)", "## Reassignments and handovers (2)",
                                    "## Policy changes (1)", "## Users created, changed or deactivated (15)"}) {
    EXPECT_NE(result.out.find(heading), std::string::npos) << heading << "\n" << result.out;
  }
  EXPECT_NE(result.out.find("potentialDays 30 → 20"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("| " + pooled_ + " | s8 | abandoned |"), std::string::npos) << result.out;
}

TEST_F(ReplayReadTest, ExportJsonLinesAndCsvHoldEveryEventOnce) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<log::EventLog> log, OpenTestLog(DataDir(), log::OpenMode::kReadOnly));
  const std::uint64_t head = log->HeadSeq();

  const RunResult jsonl = Run({"export", "--format", "jsonl"});
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
  const std::vector<Json> events = JsonLines(jsonl.out);
  ASSERT_EQ(events.size(), head);
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i]["seq"], i + 1);

  const RunResult csv = Run({"export", "--format=csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  const auto records = ParseCsv(csv.out);
  ASSERT_EQ(records.size(), head + 1) << "a header and one record per event";
  EXPECT_EQ(records[0], (std::vector<std::string>{"seq", "stream", "version", "recorded", "effective", "actor",
                                                  "commandId", "type", "data"}));
  for (std::size_t i = 1; i < records.size(); ++i) {
    ASSERT_EQ(records[i].size(), 9u) << i;
    const Json& event = events[i - 1];
    EXPECT_EQ(records[i][0], std::to_string(i));
    EXPECT_EQ(records[i][1], event["stream"]);
    EXPECT_EQ(records[i][3], event["recorded"]);
    EXPECT_EQ(records[i][7], event["type"]);
    EXPECT_EQ(Json::parse(records[i][8]), event["data"]) << "the data cell round-trips";
  }
}

TEST_F(ReplayReadTest, ExportTakesASeqRange) {
  const RunResult result = Run({"export", "--from-seq", "3", "--to-seq", "5"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<Json> events = JsonLines(result.out);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events.front()["seq"], 3);
  EXPECT_EQ(events.back()["seq"], 5);

  const RunResult contract = Run({"export", "--format", "csv", "--from-seq", "1", "--to-seq", "1"});
  EXPECT_EQ(ParseCsv(contract.out).size(), 2u);
}

}  // namespace replay_history_test
}  // namespace crm::testutil
