// Crash safety: a child process appends from several threads and reports every acknowledged
// seq through a pipe; the parent kills it with SIGKILL mid-flight, reopens the directory, and
// requires every acknowledged event to be there and the chain to verify. Repeated on the same
// directory, so that recovery after recovery is exercised too.
//
// The child is this test binary re-executed with --append-until-killed (see main below): a
// fork of a process that has RocksDB's background threads could inherit their locks held.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <sys/wait.h>
#include <thread>

#include "events/log/event_log.h"
#include "testutil/log_testing.h"
#include "testutil/status_matchers.h"
#include "testutil/temp_dir.h"

namespace crm::log {
namespace {

constexpr int kAppendThreads = 4;
constexpr int kRounds = 3;
constexpr std::size_t kAcksBeforeKill = 200;
constexpr auto kRoundTimeLimit = std::chrono::seconds(60);
constexpr const char* kChildFlag = "--append-until-killed";

// Runs in the forked child; never returns.
[[noreturn]] void AppendUntilKilled(const std::string& path, int ack_fd, int round) {
  Result<std::unique_ptr<EventLog>> log = testutil::OpenTestLog(path);
  if (!log.ok()) _exit(3);
  std::vector<std::thread> threads;
  for (int t = 0; t < kAppendThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0;; ++i) {
        const std::string stream = "r" + std::to_string(round) + "-t" + std::to_string(t);
        AppendBatch batch = testutil::OneEventBatch(stream, kAnyVersion, std::to_string(i), 1772528400000 + i);
        // Two streams per batch, so that a half-written batch would be visible.
        batch.streams.push_back({"all", kAnyVersion, {{testutil::NoteEvent("all", "x"), "u", std::nullopt}}});
        const Result<AppendResult> result = (*log)->Append(std::move(batch));
        if (!result.ok()) _exit(4);
        const Seq acked = result->last_seq;
        if (write(ack_fd, &acked, sizeof(acked)) != sizeof(acked)) _exit(5);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  _exit(0);
}

std::vector<Seq> ReadAcks(int fd, bool until_eof, std::size_t wanted) {
  std::vector<Seq> acks;
  const auto deadline = std::chrono::steady_clock::now() + kRoundTimeLimit;
  while (until_eof || acks.size() < wanted) {
    if (std::chrono::steady_clock::now() > deadline) break;
    pollfd readable{fd, POLLIN, 0};
    if (poll(&readable, 1, 100) <= 0) continue;
    Seq seq = 0;
    const ssize_t got = read(fd, &seq, sizeof(seq));
    if (got == 0) break;  // the child is gone and the pipe is drained
    if (got == sizeof(seq)) acks.push_back(seq);
  }
  return acks;
}

TEST(CrashTest, EveryAcknowledgedEventSurvivesSigkill) {
  testutil::TempDir dir;
  const std::string path = dir.Sub("data");
  Seq acked_total_max = 0;
  for (int round = 0; round < kRounds; ++round) {
    const std::string round_text = std::to_string(round);
    int pipe_fds[2];
    ASSERT_EQ(pipe(pipe_fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      // Only async-signal-safe calls between fork and exec.
      dup2(pipe_fds[1], STDOUT_FILENO);
      execl("/proc/self/exe", "crash_test", kChildFlag, path.c_str(), round_text.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(pipe_fds[1]);
    std::vector<Seq> acks = ReadAcks(pipe_fds[0], /*until_eof=*/false, kAcksBeforeKill);
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int child_status = 0;
    ASSERT_EQ(waitpid(child, &child_status, 0), child);
    const bool killed = WIFSIGNALED(child_status);
    ASSERT_TRUE(killed) << "the child stopped on its own with status " << child_status;
    // Acks the child wrote before it died are still in the pipe.
    const std::vector<Seq> late = ReadAcks(pipe_fds[0], /*until_eof=*/true, 0);
    acks.insert(acks.end(), late.begin(), late.end());
    close(pipe_fds[0]);
    ASSERT_GE(acks.size(), kAcksBeforeKill) << "the child acknowledged too little to test anything";

    ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventLog> log, testutil::OpenTestLog(path));
    for (const Seq seq : acks) {
      ASSERT_OK(log->Read(seq).status()) << "acknowledged seq " << seq << " is lost";
      acked_total_max = std::max(acked_total_max, seq);
    }
    EXPECT_GE(log->HeadSeq(), acked_total_max);
    EXPECT_EQ(log->HeadSeq() % 2, 0u) << "every batch has two events: an odd head is half a batch";
    ASSERT_OK_AND_ASSIGN(const ChainReport report, log->VerifyChain());
    EXPECT_TRUE(report.ok) << "round " << round << ": seq " << report.first_bad_seq << ": " << report.problem;
  }
}

}  // namespace
}  // namespace crm::log

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == crm::log::kChildFlag) {
    crm::log::AppendUntilKilled(argv[2], STDOUT_FILENO, std::atoi(argv[3]));
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
