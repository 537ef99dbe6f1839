// The hash chain: reopening keeps and extends it, VerifyChain names the first damaged event,
// and opening refuses a damaged tail. Damage is done with the raw RocksDB API, as a disk
// fault or a tampering hand would.
#include <gtest/gtest.h>

#include "events/log/event_log.h"
#include "events/log/keys.h"
#include "events/log/log_format.h"
#include "testutil/log_testing.h"
#include "testutil/status_matchers.h"
#include "testutil/temp_dir.h"

namespace crm::log {
namespace {

using testutil::NotesOf;
using testutil::OneEventBatch;
using testutil::OpenTestLog;

constexpr TimeMs kT0 = 1772528400000;
constexpr int kEvents = 20;

class ChainVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.Sub("data");
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventLog> log, OpenTestLog(path_));
    for (int i = 1; i <= kEvents; ++i) {
      const std::string stream = "customer-" + std::to_string(i % 4);
      ASSERT_OK(log->Append(OneEventBatch(stream, kAnyVersion, std::to_string(i), kT0 + i)).status());
    }
  }

  // Opens the data directory with nothing but RocksDB and hands the store to `damage`.
  template <typename Damage>
  void DamageRaw(Damage damage) {
    StoreOptions options;
    options.path = path_;
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<RocksStore> store, RocksStore::Open(options));
    damage(*store);
  }

  void FlipByteOfEvent(Seq seq, std::size_t offset_from_end) {
    DamageRaw([&](RocksStore& store) {
      std::string value;
      ASSERT_TRUE(store.db().Get(rocksdb::ReadOptions(), store.Family(kEventsFamily), EventKey(seq), &value).ok());
      value[value.size() - 1 - offset_from_end] ^= 0x20;
      ASSERT_TRUE(store.db().Put(rocksdb::WriteOptions(), store.Family(kEventsFamily), EventKey(seq), value).ok());
    });
  }

  ChainReport Verify() {
    Result<std::unique_ptr<EventLog>> log = OpenTestLog(path_, OpenMode::kReadOnly);
    EXPECT_OK(log.status());
    if (!log.ok()) return {};
    Result<ChainReport> report = (*log)->VerifyChain();
    EXPECT_OK(report.status());
    return report.ok() ? *report : ChainReport{};
  }

  // The walk must fail, naming `seq` first; returns the report for further checks.
  ChainReport ExpectFirstBadSeq(Seq seq) {
    const ChainReport report = Verify();
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.first_bad_seq, seq) << report.problem;
    return report;
  }

  testutil::TempDir dir_;
  std::string path_;
};

TEST_F(ChainVerifyTest, AHealthyLogVerifies) {
  const ChainReport report = Verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.events_checked, static_cast<Seq>(kEvents));
}

TEST_F(ChainVerifyTest, ReopeningKeepsEverythingAndExtendsTheChain) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventLog> log, OpenTestLog(path_));
  EXPECT_EQ(log->HeadSeq(), static_cast<Seq>(kEvents));
  ASSERT_OK_AND_ASSIGN(const events::RecordedEvent tenth, log->Read(10));
  EXPECT_EQ(NotesOf(tenth), "10");
  ASSERT_OK_AND_ASSIGN(const StreamVersion version, log->StreamHead("customer-1"));
  EXPECT_EQ(version, 5u);
  // The writer resumes from the stored head: next seq, next version, linked hash.
  ASSERT_OK_AND_ASSIGN(const AppendResult next, log->Append(OneEventBatch("customer-1", 5, "after", kT0 + 100)));
  EXPECT_EQ(next.first_seq, static_cast<Seq>(kEvents + 1));
  ASSERT_OK_AND_ASSIGN(const events::RecordedEvent last, log->Read(next.first_seq));
  ASSERT_OK_AND_ASSIGN(const events::RecordedEvent before, log->Read(next.first_seq - 1));
  EXPECT_EQ(last.envelope.prev_hash, before.hash);
  ASSERT_OK_AND_ASSIGN(const ChainReport report, log->VerifyChain());
  EXPECT_TRUE(report.ok) << report.problem;
}

TEST_F(ChainVerifyTest, AFlippedByteInAnEventIsNamedBySeq) {
  FlipByteOfEvent(7, 40);  // inside the record, just before the hash trailer
  const ChainReport report = ExpectFirstBadSeq(7u);
  EXPECT_EQ(report.events_checked, 6u);
  EXPECT_NE(report.problem.find("hash"), std::string::npos) << report.problem;
}

TEST_F(ChainVerifyTest, AFlippedByteInAStoredHashIsNamedBySeq) {
  FlipByteOfEvent(12, 0);
  ExpectFirstBadSeq(12u);
}

TEST_F(ChainVerifyTest, ARemovedEventIsNamedBySeq) {
  DamageRaw([](RocksStore& store) {
    ASSERT_TRUE(store.db().Delete(rocksdb::WriteOptions(), store.Family(kEventsFamily), EventKey(5)).ok());
  });
  ExpectFirstBadSeq(5u);
}

TEST_F(ChainVerifyTest, AnEventReplacedWithAValidButForeignRecordBreaksTheLink) {
  // Copying event 3 over event 4 keeps every byte self-consistent; only the chain catches it.
  DamageRaw([](RocksStore& store) {
    std::string third;
    ASSERT_TRUE(store.db().Get(rocksdb::ReadOptions(), store.Family(kEventsFamily), EventKey(3), &third).ok());
    ASSERT_TRUE(store.db().Put(rocksdb::WriteOptions(), store.Family(kEventsFamily), EventKey(4), third).ok());
  });
  ExpectFirstBadSeq(4u);
}

TEST_F(ChainVerifyTest, ATamperedStreamIndexIsNamedBySeq) {
  DamageRaw([](RocksStore& store) {
    std::string wrong_seq;
    AppendBigEndian64(&wrong_seq, 1);
    // Event 9 is customer-1's third event (events 1, 5, 9, ...).
    ASSERT_TRUE(store.db()
                    .Put(rocksdb::WriteOptions(), store.Family(kStreamsFamily), StreamKey("customer-1", 3), wrong_seq)
                    .ok());
  });
  const ChainReport report = ExpectFirstBadSeq(9u);
  EXPECT_NE(report.problem.find("stream index"), std::string::npos) << report.problem;
}

TEST_F(ChainVerifyTest, OpeningRefusesADamagedTail) {
  FlipByteOfEvent(kEvents, 40);
  EXPECT_REASON(OpenTestLog(path_), "log_tail_damaged");
}

TEST_F(ChainVerifyTest, OpeningRefusesAHeadThatNamesAMissingEvent) {
  DamageRaw([](RocksStore& store) {
    ASSERT_TRUE(store.db().Delete(rocksdb::WriteOptions(), store.Family(kEventsFamily), EventKey(kEvents)).ok());
  });
  EXPECT_REASON(OpenTestLog(path_), "log_tail_damaged");
}

TEST_F(ChainVerifyTest, ReadOnlyOpenReadsButRefusesAppends) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventLog> log, OpenTestLog(path_, OpenMode::kReadOnly));
  EXPECT_EQ(log->HeadSeq(), static_cast<Seq>(kEvents));
  EXPECT_REASON(log->Append(OneEventBatch("s", kAnyVersion, "x", kT0)), "log_read_only");
}

TEST(EventLogOpenTest, ReadOnlyOpenOfAMissingDirectoryFailsClearly) {
  testutil::TempDir dir;
  EXPECT_REASON(OpenTestLog(dir.Sub("nothing-here"), OpenMode::kReadOnly), "no_database");
}

TEST(EventLogOpenTest, ASecondWriterIsRefusedWhileTheFirstHoldsTheDirectory) {
  testutil::TempDir dir;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventLog> first, OpenTestLog(dir.Sub("data")));
  const Result<std::unique_ptr<EventLog>> second = OpenTestLog(dir.Sub("data"));
  EXPECT_FALSE(second.ok());
}

}  // namespace
}  // namespace crm::log
