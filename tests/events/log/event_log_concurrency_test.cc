// Many appenders at once: nothing lost, per-stream order kept, optimistic writers never share
// a version, and concurrent appends share fsyncs (group commit); appends queued without
// waiting (AppendAsync) are each answered once, on the writer thread.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "events/log/event_log.h"
#include "testutil/log_testing.h"
#include "testutil/status_matchers.h"
#include "testutil/temp_dir.h"

namespace crm::log {
namespace {

using testutil::NotesOf;
using testutil::OneEventBatch;

constexpr TimeMs kT0 = 1772528400000;
constexpr int kThreads = 8;
constexpr int kAppendsPerThread = 60;

TEST(EventLogConcurrencyTest, ConcurrentAppendersLoseNothingAndKeepStreamOrder) {
  testutil::TempDir dir;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventLog> log, testutil::OpenTestLog(dir.Sub("data")));
  std::vector<std::vector<Seq>> seqs(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kAppendsPerThread; ++i) {
        // Each thread owns a stream, and all share a stream with no version check.
        AppendBatch batch = OneEventBatch("own-" + std::to_string(t), kAnyVersion, std::to_string(i), kT0);
        batch.streams.push_back({"shared", kAnyVersion, {{testutil::NoteEvent("shared", "x"), "u", std::nullopt}}});
        Result<AppendResult> result = log->Append(std::move(batch));
        ASSERT_OK(result.status());
        seqs[t].push_back(result->first_seq);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  std::set<Seq> all_seqs;
  for (const auto& thread_seqs : seqs) all_seqs.insert(thread_seqs.begin(), thread_seqs.end());
  EXPECT_EQ(all_seqs.size(), static_cast<std::size_t>(kThreads * kAppendsPerThread)) << "every append got its own seq";
  EXPECT_EQ(log->HeadSeq(), static_cast<Seq>(2 * kThreads * kAppendsPerThread));
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_OK_AND_ASSIGN(const std::vector<events::RecordedEvent> own, log->ReadStream("own-" + std::to_string(t)));
    ASSERT_EQ(own.size(), static_cast<std::size_t>(kAppendsPerThread));
    for (int i = 0; i < kAppendsPerThread; ++i) {
      EXPECT_EQ(NotesOf(own[i]), std::to_string(i)) << "stream order is the thread's order";
      EXPECT_EQ(own[i].envelope.seq, seqs[t][i]);
    }
  }
  ASSERT_OK_AND_ASSIGN(const StreamVersion shared, log->StreamHead("shared"));
  EXPECT_EQ(shared, static_cast<StreamVersion>(kThreads * kAppendsPerThread));
  ASSERT_OK_AND_ASSIGN(const ChainReport report, log->VerifyChain());
  EXPECT_TRUE(report.ok) << report.problem;

  const LogStats stats = log->Stats();
  EXPECT_EQ(stats.appended_batches, static_cast<std::uint64_t>(kThreads * kAppendsPerThread));
  EXPECT_EQ(stats.appended_events, 2u * kThreads * kAppendsPerThread);
  EXPECT_LT(stats.commit_groups, stats.appended_batches) << "concurrent appends share a synced write";
}

TEST(EventLogConcurrencyTest, OptimisticWritersOnOneStreamNeverShareAVersion) {
  testutil::TempDir dir;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventLog> log, testutil::OpenTestLog(dir.Sub("data")));
  std::atomic<int> conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        // Read, decide, append with the version read; on conflict read again (bounded).
        for (int attempt = 0; attempt < 1000; ++attempt) {
          const Result<StreamVersion> version = log->StreamHead("customer-1");
          ASSERT_OK(version.status());
          const std::string notes = std::to_string(t) + "-" + std::to_string(i);
          const Result<AppendResult> result = log->Append(OneEventBatch("customer-1", *version, notes, kT0));
          if (result.ok()) break;
          ASSERT_EQ(result.status().reason(), "wrong_expected_version") << result.status().ToString();
          ++conflicts;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_OK_AND_ASSIGN(const std::vector<events::RecordedEvent> stream, log->ReadStream("customer-1"));
  ASSERT_EQ(stream.size(), static_cast<std::size_t>(kThreads * 20));
  std::set<std::string> notes;
  for (std::size_t i = 0; i < stream.size(); ++i) {
    EXPECT_EQ(stream[i].envelope.stream_version, i + 1);
    notes.insert(NotesOf(stream[i]));
  }
  EXPECT_EQ(notes.size(), stream.size()) << "no decision was written twice";
  EXPECT_EQ(log->HeadSeq(), stream.size()) << "no refused attempt left an event behind";
}

TEST(EventLogConcurrencyTest, AsyncAppendsAreEachAnsweredOnceOnTheWriterThread) {
  testutil::TempDir dir;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventLog> log, testutil::OpenTestLog(dir.Sub("data")));
  constexpr int kAppends = 200;
  std::mutex mutex;
  std::condition_variable answered;
  std::vector<Result<AppendResult>> results(kAppends + 1, Status::Internal("unanswered", "no answer yet"));
  std::vector<int> answers(kAppends + 1, 0);
  std::set<std::thread::id> answering_threads;
  const auto answer_to = [&](int i) {
    return [&, i](Result<AppendResult> result) {
      const std::lock_guard lock(mutex);
      results[i] = std::move(result);
      ++answers[i];
      answering_threads.insert(std::this_thread::get_id());
      answered.notify_all();
    };
  };
  // Nobody waits between them: they queue up behind each other's fsyncs.
  for (int i = 0; i < kAppends; ++i) {
    log->AppendAsync(
        OneEventBatch("s-" + std::to_string(i % 10), i / 10 == 0 ? kNoStream : i / 10, std::to_string(i), kT0),
        answer_to(i));
  }
  // Stream s-0 is at version 1 when this one is staged, at the latest: always refused.
  log->AppendAsync(OneEventBatch("s-0", kNoStream, "late", kT0), answer_to(kAppends));
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(answered.wait_for(lock, std::chrono::seconds(30), [&] {
      for (const int count : answers) {
        if (count == 0) return false;
      }
      return true;
    }));
  }
  std::set<Seq> seqs;
  for (int i = 0; i < kAppends; ++i) {
    ASSERT_OK(results[i].status()) << i;
    seqs.insert(results[i]->first_seq);
  }
  EXPECT_EQ(seqs.size(), static_cast<std::size_t>(kAppends));
  EXPECT_REASON(results[kAppends], "wrong_expected_version");
  EXPECT_FALSE(answering_threads.contains(std::this_thread::get_id())) << "answered by the writer";
  const std::lock_guard lock(mutex);
  for (const int count : answers) EXPECT_EQ(count, 1);
  EXPECT_EQ(log->HeadSeq(), static_cast<Seq>(kAppends));
  EXPECT_LT(log->Stats().commit_groups, static_cast<std::uint64_t>(kAppends)) << "queued appends share a synced write";
}

TEST(EventLogConcurrencyTest, AsyncAppendToAReadOnlyLogIsRefusedAtOnce) {
  testutil::TempDir dir;
  { ASSERT_OK(testutil::OpenTestLog(dir.Sub("data")).status()); }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventLog> log, testutil::OpenTestLog(dir.Sub("data"), OpenMode::kReadOnly));
  std::optional<Result<AppendResult>> answer;
  log->AppendAsync(OneEventBatch("s", kNoStream, "x", kT0),
                   [&](Result<AppendResult> result) { answer = std::move(result); });
  ASSERT_TRUE(answer.has_value()) << "answered before AppendAsync returned";
  EXPECT_REASON(*answer, "log_read_only");
}

}  // namespace
}  // namespace crm::log
