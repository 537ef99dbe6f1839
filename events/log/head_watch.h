// HeadWatch: the newest durable seq, published by the writer and awaited by readers (feeds
// long-poll on it). Internal to event_log.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "events/envelope.h"

namespace crm::log {

class HeadWatch {
 public:
  events::Seq Get() const { return seq_.load(std::memory_order_acquire); }

  // REQUIRES: seq >= Get(). Called only after the events up to seq are durable.
  void Publish(events::Seq seq) {
    {
      std::lock_guard lock(mutex_);
      seq_.store(seq, std::memory_order_release);
    }
    changed_.notify_all();
  }

  events::Seq WaitAbove(events::Seq after, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return seq_.load(std::memory_order_acquire) > after; });
    return seq_.load(std::memory_order_acquire);
  }

 private:
  std::atomic<events::Seq> seq_{0};
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
};

}  // namespace crm::log
