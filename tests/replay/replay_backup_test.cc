// backup and restore: a backup restores into a fresh directory that verifies, a non-empty
// target is refused unless --force (and then kept aside), and a broken restore is not installed.
#include <filesystem>
#include <fstream>

#include "replay/backup_format.h"
#include "replay/replay_fixture.h"
#include "testutil/log_testing.h"
#include "testutil/status_matchers.h"

namespace crm::testutil {
namespace {

namespace fs = std::filesystem;

class ReplayBackupTest : public ReplayTest {
 protected:
  void SetUp() override {
    ReplayTest::SetUp();
    BuildStory();
    CloseService();
    ASSERT_EQ(Run({"rebuild", "--progress", "none"}).exit_code, 0) << "so that views are backed up too";
  }

  RunResult RunOn(const std::string& data, std::vector<std::string> args) const {
    args.push_back("--data");
    args.push_back(data);
    return Run(args, /*with_data=*/false);
  }

  events::Seq HeadOf(const std::string& data) const {
    auto log = OpenTestLog(data, log::OpenMode::kReadOnly);
    EXPECT_OK(log);
    return log.ok() ? (*log)->HeadSeq() : 0;
  }
};

TEST_F(ReplayBackupTest, BackupRestoresIntoAFreshDirectoryThatVerifies) {
  const std::string backups = dir_.Sub("backups");
  const RunResult backup = Run({"backup", backups});
  ASSERT_EQ(backup.exit_code, 0) << backup.out << backup.err;
  EXPECT_NE(backup.out.find("backup 1 in " + backups + ": head seq " + std::to_string(HeadOf(DataDir()))),
            std::string::npos)
      << backup.out;
  EXPECT_NE(backup.out.find("ok: every file of backup 1 matches its checksum"), std::string::npos) << backup.out;

  const std::string restored = dir_.Sub("restored");
  const RunResult restore = RunOn(restored, {"restore", backups});
  ASSERT_EQ(restore.exit_code, 0) << restore.out << restore.err;
  EXPECT_NE(restore.out.find("chain: ok"), std::string::npos) << restore.out;
  EXPECT_NE(restore.out.find("view customers: ok"), std::string::npos) << restore.out;
  EXPECT_NE(restore.out.find("head matches the backup's"), std::string::npos) << restore.out;
  EXPECT_EQ(Lines(restore.out).back(), "ok: " + restored + " is restored and verified");
  EXPECT_FALSE(fs::exists(restored + ".restoring"));

  EXPECT_EQ(HeadOf(restored), HeadOf(DataDir()));
  const RunResult verify = RunOn(restored, {"verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_EQ(RunOn(restored, {"history", formal_}).out, Run({"history", formal_}).out);
}

TEST_F(ReplayBackupTest, BackupsAreIncrementalAndRestoreTakesTheLatest) {
  const std::string backups = dir_.Sub("backups");
  ASSERT_EQ(Run({"backup", backups}).exit_code, 0);
  Reopen();
  const std::string late = Registered("s1", "扬州市运河物流有限公司", kStoryStartMs + 32 * kDayMs);
  CloseService();
  const RunResult second = Run({"backup", backups});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("backup 2 in "), std::string::npos) << second.out;

  const std::string restored = dir_.Sub("restored");
  ASSERT_EQ(RunOn(restored, {"restore", backups}).exit_code, 0);
  EXPECT_EQ(RunOn(restored, {"history", late}).exit_code, 0) << "the latest backup has the late customer";
}

TEST_F(ReplayBackupTest, NonEmptyTargetNeedsForceAndIsKeptAside) {
  const std::string backups = dir_.Sub("backups");
  ASSERT_EQ(Run({"backup", backups}).exit_code, 0);
  const std::string target = dir_.Sub("occupied");
  fs::create_directories(target);
  std::ofstream(target + "/notes.txt") << "someone's file";

  const RunResult refused = RunOn(target, {"restore", backups});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("is not empty"), std::string::npos) << refused.err;
  EXPECT_TRUE(fs::exists(target + "/notes.txt"));

  const RunResult forced = RunOn(target, {"restore", backups, "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.out << forced.err;
  EXPECT_EQ(HeadOf(target), HeadOf(DataDir()));
  bool kept_aside = false;
  for (const auto& entry : fs::directory_iterator(dir_.path())) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("occupied.replaced-")) kept_aside = fs::exists(entry.path() / "notes.txt");
  }
  EXPECT_TRUE(kept_aside) << "the old directory is moved aside, not deleted";
}

TEST_F(ReplayBackupTest, RestoreWithoutABackupIsRefused) {
  const RunResult result = RunOn(dir_.Sub("restored"), {"restore", dir_.Sub("no-backups")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("no backup directory"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(dir_.Sub("restored")));
}

TEST(BackupFormatTest, MetadataRoundTrips) {
  const replay::BackupHead head{.seq = 57, .sha256_hex = std::string(64, 'a')};
  EXPECT_EQ(replay::DecodeBackupMetadata(replay::EncodeBackupMetadata(head)), head);
  const replay::BackupHead empty{.seq = 0, .sha256_hex = ""};
  EXPECT_EQ(replay::DecodeBackupMetadata(replay::EncodeBackupMetadata(empty)), empty);
  EXPECT_EQ(replay::DecodeBackupMetadata("something else"), std::nullopt);
  EXPECT_EQ(replay::DecodeBackupMetadata("crm-backup/1 seq=5 sha256=abc"), std::nullopt);
}

}  // namespace
}  // namespace crm::testutil
