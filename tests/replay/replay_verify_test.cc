// verify and rebuild on a real data directory: a sound log passes, a flipped byte names its
// seq, a tampered view row names its key, a rebuild leaves views equal to a fresh fold, and a
// write command refuses a directory another EventLog holds.
#include <rocksdb/iterator.h>
#include <rocksdb/write_batch.h>

#include <filesystem>
#include <fstream>

#include "events/log/log_format.h"
#include "projections/all_projections.h"
#include "projections/store/projection_catalog.h"
#include "projections/store/projection_host.h"
#include "projections/store/view_format.h"
#include "replay/checks.h"
#include "replay/replay_fixture.h"
#include "testutil/log_testing.h"
#include "testutil/status_matchers.h"

namespace crm::testutil {
namespace {

using projections::store::ProjectionCatalog;

constexpr std::string_view kInUseWords = "is in use by another process (a running crm-server?)";

class ReplayVerifyTest : public ReplayTest {
 protected:
  void SetUp() override {
    ReplayTest::SetUp();
    BuildStory();
    CloseService();
  }

  // The family serving `view` in the catalog.
  std::string ServingFamily(const std::string& view) {
    auto log = OpenTestLog(DataDir(), log::OpenMode::kReadOnly);
    EXPECT_OK(log);
    if (!log.ok()) return "";
    auto catalog = ProjectionCatalog::Open((*log)->store());
    EXPECT_OK(catalog);
    if (!catalog.ok()) return "";
    auto active = catalog->Active(view);
    EXPECT_OK(active);
    return active.ok() && active->has_value() ? (*active)->family : "";
  }

  // Writes `batch_fn(store)` into the directory, opened read-write as the server would.
  template <class Fn>
  void Tamper(Fn&& tamper) {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<log::EventLog> log, OpenTestLog(DataDir()));
    rocksdb::WriteBatch batch;
    tamper(log->store(), batch);
    ASSERT_TRUE(log->store().db().Write(rocksdb::WriteOptions(), &batch).ok());
  }

  // Every row of the view's serving family: "r"+key -> value.
  std::map<std::string, std::string> ViewRows(const std::string& view) {
    std::map<std::string, std::string> rows;
    for (auto& [key, value] : FamilyRows(ServingFamily(view))) {
      if (!key.empty() && key[0] == projections::store::kRowPrefix) rows.emplace(key, value);
    }
    return rows;
  }
};

TEST_F(ReplayVerifyTest, SoundLogPassesAndUnbuiltViewsAreNotStored) {
  const RunResult result = Run({"verify"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("chain: ok"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("stream index consistent"), std::string::npos) << result.out;
  for (const projections::ProjectionKind& kind : projections::AllProjections()) {
    EXPECT_NE(result.out.find("view " + kind.name + ": not stored"), std::string::npos) << result.out;
  }
  EXPECT_EQ(Lines(result.out).back(), "ok");
}

TEST_F(ReplayVerifyTest, FlippedByteInAnEventNamesItsSeq) {
  constexpr events::Seq kVictim = 7;
  Tamper([&](log::RocksStore& store, rocksdb::WriteBatch& batch) {
    rocksdb::ColumnFamilyHandle* events = store.Family(log::kEventsFamily);
    const std::string key = projections::store::EncodeBigEndian64(kVictim);
    std::string value;
    ASSERT_TRUE(store.db().Get(rocksdb::ReadOptions(), events, key, &value).ok());
    value[value.size() / 2] = static_cast<char>(value[value.size() / 2] ^ 0x01);  // inside the record
    ASSERT_TRUE(batch.Put(events, key, value).ok());
  });
  const RunResult result = Run({"verify"});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("chain: FAILED at seq 7"), std::string::npos) << result.out;
  EXPECT_EQ(Lines(result.out).back(), "FAILED: the first bad event is seq 7");
}

TEST_F(ReplayVerifyTest, RebuildThenVerifyComparesEveryViewWithAFreshFold) {
  const RunResult rebuilt = Run({"rebuild", "--progress", "lines"});
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.out << rebuilt.err;
  for (const projections::ProjectionKind& kind : projections::AllProjections()) {
    EXPECT_NE(rebuilt.out.find("rebuilt " + kind.name + ": "), std::string::npos) << rebuilt.out;
  }
  const RunResult verified = Run({"verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<log::EventLog> log, OpenTestLog(DataDir(), log::OpenMode::kReadOnly));
  const std::string head = std::to_string(log->HeadSeq());
  for (const projections::ProjectionKind& kind : projections::AllProjections()) {
    EXPECT_NE(verified.out.find("view " + kind.name + ": ok (compared up to seq " + head + ")"), std::string::npos)
        << verified.out;
  }

  // And directly: every stored view's rows are a fresh fold's rows.
  ASSERT_OK_AND_ASSIGN(auto host, projections::store::ProjectionHost::Open(*log, projections::AllProjections()));
  for (const std::string& name : host->Names()) {
    struct Rows final : projections::RowSink {
      void Put(std::string_view key, std::string_view value) override { rows[std::string(key)] = value; }
      void Delete(std::string_view key) override { rows.erase(std::string(key)); }
      std::map<std::string, std::string> rows;
    } stored, fresh;
    ASSERT_OK(host->ReadAny(name, [&](const projections::Projection& view, events::Seq) { view.WriteRows(stored); }));
    ASSERT_OK_AND_ASSIGN(auto folded, host->FoldFromZero(name, log->HeadSeq()));
    folded->WriteRows(fresh);
    EXPECT_EQ(stored.rows, fresh.rows) << name;
    EXPECT_FALSE(stored.rows.empty()) << name;
  }
}

TEST_F(ReplayVerifyTest, RebuildOfOneViewOnlyRebuildsItOnceTheOthersExist) {
  ASSERT_EQ(Run({"rebuild", "--progress", "none"}).exit_code, 0);
  const std::string before = ServingFamily("customers");
  const RunResult result = Run({"rebuild", "--projection", "customers", "--progress", "none"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(Lines(result.out).size(), 2u) << "one view and the head: " << result.out;
  EXPECT_NE(result.out.find("rebuilt customers: "), std::string::npos);
  EXPECT_NE(ServingFamily("customers"), before) << "blue/green: a new family serves";
  EXPECT_EQ(Run({"verify"}).exit_code, 0);
}

TEST_F(ReplayVerifyTest, RebuildOfAnUnknownViewListsTheKnownOnes) {
  const RunResult result = Run({"rebuild", "--projection", "nope"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("no projection named 'nope'; known: "), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("customers"), std::string::npos) << result.err;
  EXPECT_EQ(Lines(result.err).size(), 1u);
}

TEST_F(ReplayVerifyTest, ChangedViewRowNamesItsKey) {
  ASSERT_EQ(Run({"rebuild", "--progress", "none"}).exit_code, 0);
  const std::string family = ServingFamily("customers");
  const auto rows = ViewRows("customers");
  ASSERT_FALSE(rows.empty());
  const auto& [key, value] = *rows.begin();
  Tamper([&](log::RocksStore& store, rocksdb::WriteBatch& batch) {
    std::string changed = value;
    changed.back() = static_cast<char>(changed.back() ^ 0x01);
    ASSERT_TRUE(batch.Put(store.Family(family), key, changed).ok());
  });
  const RunResult result = Run({"verify"});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  const std::string named = "view customers differs at row key " + replay::PrintableKey(key.substr(1));
  EXPECT_NE(result.out.find(named), std::string::npos) << result.out;
}

TEST_F(ReplayVerifyTest, DeletedViewRowIsNamedAsMissing) {
  ASSERT_EQ(Run({"rebuild", "--progress", "none"}).exit_code, 0);
  const std::string family = ServingFamily("contracts");
  const auto rows = ViewRows("contracts");
  ASSERT_FALSE(rows.empty());
  const std::string key = rows.begin()->first;
  Tamper([&](log::RocksStore& store, rocksdb::WriteBatch& batch) {
    ASSERT_TRUE(batch.Delete(store.Family(family), key).ok());
  });
  const RunResult result = Run({"verify"});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("row key " + replay::PrintableKey(key.substr(1)) + ": missing from the store"),
            std::string::npos)
      << result.out;
}

TEST_F(ReplayVerifyTest, ForeignViewRowThatDoesNotDecodeIsStillNamed) {
  ASSERT_EQ(Run({"rebuild", "--progress", "none"}).exit_code, 0);
  const std::string family = ServingFamily("customers");
  Tamper([&](log::RocksStore& store, rocksdb::WriteBatch& batch) {
    ASSERT_TRUE(batch.Put(store.Family(family), "r\x7f-planted", "\x01\x02 not a row").ok());
  });
  const RunResult result = Run({"verify"});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("row key \"\\x7f-planted\": not in a fresh fold"), std::string::npos) << result.out;
}

TEST_F(ReplayVerifyTest, WriteCommandsRefuseADirectoryAnotherLogHolds) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<log::EventLog> holder, OpenTestLog(DataDir()));
  const RunResult rebuild = Run({"rebuild"});
  EXPECT_EQ(rebuild.exit_code, 2);
  EXPECT_NE(rebuild.err.find(kInUseWords), std::string::npos) << rebuild.err;
  EXPECT_NE(rebuild.err.find("read-only commands work while it runs"), std::string::npos) << rebuild.err;
  EXPECT_EQ(Lines(rebuild.err).size(), 1u);

  const RunResult backup = Run({"backup", dir_.Sub("backup")});
  EXPECT_EQ(backup.exit_code, 2);
  EXPECT_NE(backup.err.find(kInUseWords), std::string::npos) << backup.err;

  // Restoring over it is refused before anything is touched.
  const RunResult restore = Run({"restore", dir_.Sub("backup"), "--force"});
  EXPECT_EQ(restore.exit_code, 2);
  EXPECT_NE(restore.err.find(kInUseWords), std::string::npos) << restore.err;

  // Read commands work beside it.
  EXPECT_EQ(Run({"verify"}).exit_code, 0);
  EXPECT_EQ(Run({"history", formal_}).exit_code, 0);
  EXPECT_EQ(Run({"export"}).exit_code, 0);
}

// Every file of the directory with its size and modification time.
std::map<std::string, std::pair<std::uintmax_t, std::filesystem::file_time_type>> Listing(const std::string& dir) {
  std::map<std::string, std::pair<std::uintmax_t, std::filesystem::file_time_type>> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    files[entry.path().filename().string()] = {entry.file_size(), entry.last_write_time()};
  }
  return files;
}

TEST_F(ReplayVerifyTest, ReadCommandsWriteNothingInTheDirectory) {
  ASSERT_EQ(Run({"rebuild", "--progress", "none"}).exit_code, 0);
  const auto before = Listing(DataDir());
  const std::string policy = dir_.Sub("policy.json");
  std::ofstream(policy) << R"({"potentialDays": 20})";
  for (const std::vector<std::string>& args : {std::vector<std::string>{"verify"},
                                               {"history", formal_},
                                               {"history", formal_, "--json"},
                                               {"audit-report"},
                                               {"what-if", "--policy", policy},
                                               {"export", "--format", "csv"}}) {
    EXPECT_EQ(Run(args).exit_code, 0) << args[0];
  }
  EXPECT_EQ(Listing(DataDir()), before) << "no file added, removed, grown or touched (not even RocksDB's LOG)";
}

TEST_F(ReplayVerifyTest, MissingDataDirectoryIsAnOpenFailureAndCreatesNothing) {
  const std::string missing = dir_.Sub("nothing-here");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"verify"}, {"rebuild"}, {"history", "C1"}, {"export"}, {"backup", dir_.Sub("b")}}) {
    std::vector<std::string> with_data = args;
    with_data.push_back("--data");
    with_data.push_back(missing);
    const RunResult result = Run(with_data, /*with_data=*/false);
    EXPECT_EQ(result.exit_code, 2) << args[0];
    EXPECT_NE(result.err.find("no data directory with a log at " + missing), std::string::npos) << result.err;
  }
  EXPECT_FALSE(std::filesystem::exists(missing));
}

}  // namespace
}  // namespace crm::testutil
