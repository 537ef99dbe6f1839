#include "events/log/read_ahead_cursor.h"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace crm::log {
namespace {

// Events handed over at a time: large enough that the hand-over (a lock and a wake-up) is
// noise beside the batch's folding, small enough that the first events come at once.
constexpr std::size_t kBatchEvents = 512;
// Batches in flight: one the caller folds, one ready, the rest for the reader to fill.
constexpr std::size_t kBatches = 4;

class ReadAheadCursor final : public EventCursor {
 public:
  explicit ReadAheadCursor(std::unique_ptr<EventCursor> source) : source_(std::move(source)) {
    for (Batch& batch : batches_) {
      batch.events.resize(kBatchEvents);
      empty_.push_back(&batch);
    }
    reader_ = std::thread([this] { Read(); });
    TakeNextBatch();
  }

  ~ReadAheadCursor() override {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    reader_.join();
  }

  bool Valid() const override { return current_ != nullptr; }

  void Next() override {
    if (++index_ < current_->size) return;
    TakeNextBatch();
  }

  const events::RecordedEvent& event() const override { return current_->events[index_]; }
  Status status() const override { return status_; }

 private:
  struct Batch {
    std::vector<events::RecordedEvent> events;  // kBatchEvents, reused: decoded strings keep their capacity
    std::size_t size = 0;                       // how many of them this round holds
  };

  // Gives the batch the caller finished back to the reader and waits for the next one with
  // events, or for the end.
  void TakeNextBatch() {
    std::unique_lock lock(mutex_);
    if (current_ != nullptr) {
      empty_.push_back(current_);
      current_ = nullptr;
      changed_.notify_all();
    }
    for (;;) {
      changed_.wait(lock, [this] { return !full_.empty() || reader_done_; });
      if (full_.empty()) {
        status_ = reader_status_;
        return;
      }
      Batch* batch = full_.front();
      full_.pop_front();
      if (batch->size > 0) {
        current_ = batch;
        index_ = 0;
        return;
      }
      empty_.push_back(batch);  // the source ended on a batch boundary
    }
  }

  // The reader thread: fills empty batches from the source until it ends, fails or we stop.
  void Read() {
    for (;;) {
      Batch* batch = nullptr;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return !empty_.empty() || stopping_; });
        if (stopping_) return;
        batch = empty_.back();
        empty_.pop_back();
      }
      batch->size = 0;
      while (batch->size < kBatchEvents && source_->Valid()) {
        batch->events[batch->size++] = source_->event();
        source_->Next();
      }
      const bool ended = !source_->Valid();
      {
        const std::lock_guard lock(mutex_);
        full_.push_back(batch);
        if (ended) {
          reader_status_ = source_->status();
          reader_done_ = true;
        }
      }
      changed_.notify_all();
      if (ended) return;
    }
  }

  std::unique_ptr<EventCursor> source_;  // the reader thread's alone
  std::array<Batch, kBatches> batches_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Batch*> empty_;  // for the reader to fill
  std::deque<Batch*> full_;    // for the caller, in seq order
  bool reader_done_ = false;
  Status reader_status_;
  bool stopping_ = false;

  // The caller's side.
  Batch* current_ = nullptr;  // null at the end
  std::size_t index_ = 0;
  Status status_;

  std::thread reader_;  // started by the constructor, joined by the destructor
};

}  // namespace

std::unique_ptr<EventCursor> ReadAhead(std::unique_ptr<EventCursor> source) {
  return std::make_unique<ReadAheadCursor>(std::move(source));
}

std::unique_ptr<EventCursor> ScanAhead(const EventLog& log, Seq from_seq, Seq max_seq) {
  std::unique_ptr<EventCursor> cursor = log.Scan(from_seq, max_seq);
  const Seq last = std::min(max_seq, log.HeadSeq());
  if (last < from_seq || last - from_seq + 1 < kReadAheadEventsMin) return cursor;
  return ReadAhead(std::move(cursor));
}

}  // namespace crm::log
