// StreamOrderedPipeline: runs work items on a fixed set of threads, in submission order per
// stream. An item names the streams it touches; Submit holds it back while an earlier item on
// any of those streams is queued or running, so every stream sees its items in the order they
// were submitted (the workload's expected versions stay exact), while items on other streams
// run concurrently. Feeding a log (FeedLog) and driving the peers with the workload's mix
// (peers_driver mix) both need exactly this.
//
//   StreamOrderedPipeline<Unit> pipeline(4, [&](int worker, Unit& unit) { return Append(unit); });
//   CRM_RETURN_IF_ERROR(pipeline.Submit(std::move(unit), unit_streams));
//   CRM_RETURN_IF_ERROR(pipeline.Finish());
//
// Submit from one thread at a time (the order of submission is the order kept). The first
// error a run returns stops the pipeline: later Submits return it, and so does Finish.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "events/status.h"

namespace crm::bench::workload {

template <typename Item>
class StreamOrderedPipeline {
 public:
  // Called on worker thread `worker` (0 .. workers-1) for each item, one item per thread at a time.
  using Run = std::function<Status(int worker, Item& item)>;

  // Items queued per worker at most: enough to keep them busy, few enough that the submitter
  // does not run far ahead.
  static constexpr std::size_t kQueuedPerWorker = 4;

  StreamOrderedPipeline(int workers, Run run) : run_(std::move(run)), queue_max_(kQueuedPerWorker * workers) {
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this, i] { Work(i); });
  }
  ~StreamOrderedPipeline() { Finish().IgnoreError(); }
  StreamOrderedPipeline(const StreamOrderedPipeline&) = delete;
  StreamOrderedPipeline& operator=(const StreamOrderedPipeline&) = delete;

  // Blocks while the queue is full or an earlier item on one of `streams` is queued or running.
  Status Submit(Item item, std::vector<std::string> streams) {
    std::unique_lock lock(mutex_);
    submittable_.wait(lock, [&] {
      if (!error_.ok()) return true;
      if (queue_.size() >= queue_max_) return false;
      return std::none_of(streams.begin(), streams.end(),
                          [&](const std::string& stream) { return in_flight_.contains(stream); });
    });
    if (!error_.ok()) return error_;
    for (const std::string& stream : streams) in_flight_.insert(stream);
    queue_.push_back({std::move(item), std::move(streams)});
    queued_.notify_one();
    return Status::Ok();
  }

  // Waits for every item, stops the threads; the first error of a run, if any.
  Status Finish() {
    {
      const std::lock_guard lock(mutex_);
      closing_ = true;
      queued_.notify_all();
    }
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
    const std::lock_guard lock(mutex_);
    return error_;
  }

  // Items run so far, successfully or not.
  std::uint64_t done() const { return done_.load(); }

 private:
  struct Entry {
    Item item;
    std::vector<std::string> streams;
  };

  void Work(int worker) {
    std::unique_lock lock(mutex_);
    while (true) {
      queued_.wait(lock, [&] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;
      Entry entry = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      Status status = run_(worker, entry.item);
      lock.lock();
      for (const std::string& stream : entry.streams) in_flight_.erase(stream);
      if (!status.ok() && error_.ok()) error_ = std::move(status);
      ++done_;
      submittable_.notify_one();
    }
  }

  const Run run_;
  const std::size_t queue_max_;
  std::mutex mutex_;
  // One waiter each way, woken one at a time: with dozens of workers, waking them all on every
  // change costs more than the work on a small machine.
  std::condition_variable queued_;             // workers wait here for an item
  std::condition_variable submittable_;        // the submitter waits here for room or a stream
  std::deque<Entry> queue_;                    // guarded by mutex_
  std::unordered_set<std::string> in_flight_;  // guarded by mutex_: streams of queued and running items
  Status error_;                               // guarded by mutex_
  bool closing_ = false;                       // guarded by mutex_
  std::atomic<std::uint64_t> done_{0};
  std::vector<std::thread> threads_;
};

}  // namespace crm::bench::workload
