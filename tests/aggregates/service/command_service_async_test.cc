// ExecuteCustomerAsync: the same answers as ExecuteCustomer, without a thread waiting for the
// disk. Continuations run on a task thread of the test's own, as a server's I/O thread would
// run them; every wait is bounded.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "aggregates/service/command_service.h"
#include "aggregates/service/service_fixture.h"
#include "testutil/status_matchers.h"

namespace crm::aggregates {
namespace {

using testutil::kHourMs;
using testutil::kMonday10am;

// One thread running posted tasks in order, and which thread that is.
class TaskThread {
 public:
  TaskThread() : thread_([this] { Run(); }) {}
  ~TaskThread() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  CommandService::Post Poster() {
    return [this](std::function<void()> task) {
      {
        const std::lock_guard lock(mutex_);
        tasks_.push_back(std::move(task));
      }
      changed_.notify_all();
    };
  }
  std::thread::id id() const { return thread_.get_id(); }

 private:
  void Run() {
    std::unique_lock lock(mutex_);
    while (true) {
      changed_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;
      std::function<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest exists
};

// The answers of async commands, collected from whichever thread gives them.
class Answers {
 public:
  explicit Answers(std::size_t count) : results_(count), threads_(count) {}
  CommandService::OutcomeDone To(std::size_t i) {
    return [this, i](Result<CommandOutcome> result) {
      const std::lock_guard lock(mutex_);
      EXPECT_FALSE(results_[i].has_value()) << "answered twice: " << i;
      results_[i] = std::move(result);
      threads_[i] = std::this_thread::get_id();
      changed_.notify_all();
    };
  }
  // Waits (at most 30 s) for every answer.
  bool AwaitAll() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(30), [&] {
      for (const auto& result : results_) {
        if (!result.has_value()) return false;
      }
      return true;
    });
  }
  const Result<CommandOutcome>& result(std::size_t i) const { return *results_[i]; }
  std::thread::id thread(std::size_t i) const { return threads_[i]; }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::optional<Result<CommandOutcome>>> results_;
  std::vector<std::thread::id> threads_;
};

RecordFollowUp FollowUp(std::string notes) {
  return RecordFollowUp{
      .channel = events::FollowUpChannel::kPhone, .notes = std::move(notes), .next_contact_at_ms = {}};
}

class CommandServiceAsyncTest : public testutil::ServiceTest {
 protected:
  std::vector<events::RecordedEvent> Stream(const std::string& customer_id) {
    Result<std::vector<events::RecordedEvent>> stream = log_->ReadStream("customer-" + customer_id);
    EXPECT_OK(stream.status());
    return stream.ok() ? *stream : std::vector<events::RecordedEvent>{};
  }

  TaskThread tasks_;
};

TEST_F(CommandServiceAsyncTest, AFollowUpLandsAsTheBlockingCallWouldWriteIt) {
  const std::string id = Registered("s1", "泰州市海陵区春风五金有限公司", kMonday10am);
  Answers answers(1);
  service_->ExecuteCustomerAsync(As("s1", kMonday10am + kHourMs), id, FollowUp("电话沟通"), tasks_.Poster(),
                                 answers.To(0));
  ASSERT_TRUE(answers.AwaitAll());
  ASSERT_OK(answers.result(0).status());
  const CommandOutcome& outcome = *answers.result(0);
  EXPECT_EQ(answers.thread(0), tasks_.id()) << "answered through `post`, off the writer thread";
  ASSERT_EQ(outcome.events.size(), 1u);
  const auto& follow_up = std::get<events::FollowUpRecorded>(outcome.events[0].event);
  EXPECT_EQ(follow_up.notes, "电话沟通");
  EXPECT_EQ(outcome.events[0].envelope.actor_id, "s1");
  EXPECT_EQ(outcome.last_seq, log_->HeadSeq());
  const std::vector<events::RecordedEvent> stream = Stream(id);
  ASSERT_FALSE(stream.empty());
  EXPECT_EQ(stream.back().envelope.seq, outcome.last_seq);

  // The blocking call decides on the state the async one left: the next version, first try.
  const std::uint64_t refused = log_->Stats().refused_batches;
  ASSERT_OK_AND_ASSIGN(const CommandOutcome next,
                       service_->ExecuteCustomer(As("s1", kMonday10am + 2 * kHourMs), id, FollowUp("上门拜访")));
  EXPECT_EQ(next.events[0].envelope.stream_version, stream.back().envelope.stream_version + 1);
  EXPECT_EQ(log_->Stats().refused_batches, refused);
}

TEST_F(CommandServiceAsyncTest, ARefusalBeforeTheAppendIsAnsweredOnTheCallingThread) {
  const std::string id = Registered("s1", "泰州市海陵区春风五金有限公司", kMonday10am);
  const events::Seq head = log_->HeadSeq();
  Answers answers(1);
  service_->ExecuteCustomerAsync(As("s2", kMonday10am + kHourMs), id, FollowUp("不是我的客户"), tasks_.Poster(),
                                 answers.To(0));
  ASSERT_TRUE(answers.AwaitAll());
  EXPECT_REASON(answers.result(0), "not_owner");
  EXPECT_EQ(answers.thread(0), std::this_thread::get_id());
  EXPECT_EQ(log_->HeadSeq(), head);
}

TEST_F(CommandServiceAsyncTest, CommandsQueuedOnOneCustomerAtOnceAllLandInTurn) {
  // All decided on the same cached version: every one but the first conflicts, catches the
  // cache up with the newer events, and decides again, until each has landed.
  const std::string id = Registered("s1", "泰州市海陵区春风五金有限公司", kMonday10am);
  constexpr std::size_t kCommands = 10;  // below decision_attempts_max: none runs out of attempts
  const std::size_t before = Stream(id).size();
  Answers answers(kCommands);
  for (std::size_t i = 0; i < kCommands; ++i) {
    service_->ExecuteCustomerAsync(As("s1", kMonday10am + kHourMs), id, FollowUp("第" + std::to_string(i) + "次"),
                                   tasks_.Poster(), answers.To(i));
  }
  ASSERT_TRUE(answers.AwaitAll());
  for (std::size_t i = 0; i < kCommands; ++i) EXPECT_OK(answers.result(i).status()) << i;
  const std::vector<events::RecordedEvent> stream = Stream(id);
  ASSERT_EQ(stream.size(), before + kCommands);
  for (std::size_t v = 0; v < stream.size(); ++v) EXPECT_EQ(stream[v].envelope.stream_version, v + 1);
}

TEST_F(CommandServiceAsyncTest, ASeenIdempotencyKeyIsAnsweredWithTheFirstOutcome) {
  const std::string id = Registered("s1", "泰州市海陵区春风五金有限公司", kMonday10am);
  ASSERT_OK_AND_ASSIGN(const CommandOutcome first,
                       service_->ExecuteCustomer(As("s1", kMonday10am + kHourMs, "s1\nkey-1"), id, FollowUp("一次")));
  const events::Seq head = log_->HeadSeq();
  Answers answers(1);
  service_->ExecuteCustomerAsync(As("s1", kMonday10am + kHourMs, "s1\nkey-1"), id, FollowUp("一次"), tasks_.Poster(),
                                 answers.To(0));
  ASSERT_TRUE(answers.AwaitAll());
  ASSERT_OK(answers.result(0).status());
  EXPECT_TRUE(answers.result(0)->duplicate);
  EXPECT_EQ(answers.result(0)->first_seq, first.first_seq);
  EXPECT_EQ(log_->HeadSeq(), head);
}

TEST_F(CommandServiceAsyncTest, ClaimsAndReassignmentsAreLeftToTheBlockingCall) {
  EXPECT_TRUE(CommandService::HoldsUserLock(ProtectCustomer{}));
  EXPECT_TRUE(CommandService::HoldsUserLock(ReassignCustomer{}));
  EXPECT_FALSE(CommandService::HoldsUserLock(FollowUp("x")));
  const std::string id = InPool("扬州市广陵区明月电子有限公司", kMonday10am);
  const events::Seq head = log_->HeadSeq();
  Answers answers(1);
  service_->ExecuteCustomerAsync(As("s1", kMonday10am + kHourMs), id, ProtectCustomer{}, tasks_.Poster(),
                                 answers.To(0));
  ASSERT_TRUE(answers.AwaitAll());
  EXPECT_REASON(answers.result(0), "async_needs_lock");
  EXPECT_EQ(log_->HeadSeq(), head);
}

}  // namespace
}  // namespace crm::aggregates
