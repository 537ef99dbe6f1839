// The reaper frees shared views on its own thread, keeps itself alive for views that outlive
// their maker, and lets readers free their own once kQueuedMax views are waiting.
#include "projections/store/view_reaper.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace crm::projections::store {
namespace {

// Where and whether a projection was freed; optionally holds its destructor until released.
struct Freeing {
  std::mutex mutex;
  std::condition_variable changed;
  int freed = 0;
  bool entered = false;  // a held destructor has started
  bool hold = false;
  std::thread::id last_thread;

  int Freed() {
    const std::lock_guard lock(mutex);
    return freed;
  }
  std::thread::id LastThread() {
    const std::lock_guard lock(mutex);
    return last_thread;
  }
  bool WaitFor(const std::function<bool()>& done) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(10), done);
  }
};

class RecordingView final : public Projection {
 public:
  explicit RecordingView(Freeing& freeing, bool hold = false) : freeing_(freeing), hold_(hold) {}
  ~RecordingView() override {
    std::unique_lock lock(freeing_.mutex);
    if (hold_) {
      freeing_.entered = true;
      freeing_.changed.notify_all();
      freeing_.changed.wait(lock, [this] { return !freeing_.hold; });
    }
    ++freeing_.freed;
    freeing_.last_thread = std::this_thread::get_id();
    freeing_.changed.notify_all();
  }
  void Apply(const events::RecordedEvent&) override {}
  void FlushChanges(RowSink&) override {}
  void WriteRows(RowSink&) const override {}
  Status LoadRow(std::string_view, std::string_view) override { return Status::Ok(); }

 private:
  Freeing& freeing_;
  bool hold_;
};

TEST(ViewReaperTest, TheLastReferenceGoneTheViewIsFreedOnTheReapersThread) {
  Freeing freeing;
  const std::shared_ptr<ViewReaper> reaper = ViewReaper::Start();
  std::shared_ptr<const Projection> view = reaper->Share(std::make_unique<RecordingView>(freeing));
  std::shared_ptr<const Projection> copy = view;
  view.reset();
  EXPECT_EQ(freeing.Freed(), 0);  // a reader still holds it
  copy.reset();
  ASSERT_TRUE(freeing.WaitFor([&] { return freeing.freed == 1; }));
  EXPECT_NE(freeing.LastThread(), std::this_thread::get_id());
}

TEST(ViewReaperTest, AViewOutlivesWhoeverStartedItsReaper) {
  Freeing freeing;
  std::shared_ptr<const Projection> view;
  {
    const std::shared_ptr<ViewReaper> reaper = ViewReaper::Start();
    view = reaper->Share(std::make_unique<RecordingView>(freeing));
  }
  view.reset();  // the reaper lives on in the view's deleter until the view is freed
  ASSERT_TRUE(freeing.WaitFor([&] { return freeing.freed == 1; }));
}

TEST(ViewReaperTest, ABusyReaperLetsTheReaderFreeItsOwnBeyondTheQueue) {
  Freeing freeing;
  const std::shared_ptr<ViewReaper> reaper = ViewReaper::Start();
  freeing.hold = true;
  reaper->Share(std::make_unique<RecordingView>(freeing, /*hold=*/true)).reset();
  ASSERT_TRUE(freeing.WaitFor([&] { return freeing.entered; }));  // the reaper is stuck in it
  for (std::size_t i = 0; i < ViewReaper::kQueuedMax; ++i) {
    reaper->Share(std::make_unique<RecordingView>(freeing)).reset();
  }
  EXPECT_EQ(freeing.Freed(), 0);  // all queued
  reaper->Share(std::make_unique<RecordingView>(freeing)).reset();
  EXPECT_EQ(freeing.Freed(), 1);  // one more: freed by this thread, at once
  EXPECT_EQ(freeing.LastThread(), std::this_thread::get_id());
  {
    const std::lock_guard lock(freeing.mutex);
    freeing.hold = false;
  }
  freeing.changed.notify_all();
  ASSERT_TRUE(freeing.WaitFor([&] { return freeing.freed == static_cast<int>(ViewReaper::kQueuedMax) + 2; }));
}

TEST(ViewReaperTest, StoppingFreesWhatIsQueued) {
  Freeing freeing;
  std::shared_ptr<ViewReaper> reaper = ViewReaper::Start();
  for (int i = 0; i < 3; ++i) reaper->Share(std::make_unique<RecordingView>(freeing)).reset();
  reaper.reset();  // joins the thread, which drains the queue first
  EXPECT_EQ(freeing.Freed(), 3);
}

}  // namespace
}  // namespace crm::projections::store
