#include "projections/store/view_reaper.h"

#include <utility>

namespace crm::projections::store {

std::shared_ptr<ViewReaper> ViewReaper::Start() {
  std::shared_ptr<ViewReaper> reaper(new ViewReaper());
  reaper->thread_ = std::thread([raw = reaper.get()] { raw->Run(); });
  return reaper;
}

ViewReaper::~ViewReaper() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<const Projection> ViewReaper::Share(std::unique_ptr<Projection> projection) {
  // The deleter holds the reaper, so a view dropped after its host still has a thread to go to.
  return std::shared_ptr<const Projection>(
      projection.release(), [reaper = shared_from_this()](const Projection* released) {
        reaper->Reap(std::unique_ptr<Projection>(const_cast<Projection*>(released)));
      });
}

void ViewReaper::Reap(std::unique_ptr<Projection> projection) {
  {
    const std::lock_guard lock(mutex_);
    if (queued_.size() < kQueuedMax) {
      queued_.push_back(std::move(projection));
      wake_.notify_one();
      return;
    }
  }
  projection.reset();
}

void ViewReaper::Run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queued_.empty(); });
    if (queued_.empty()) return;  // stopping, and nothing left to free
    std::vector<std::unique_ptr<Projection>> freeing = std::move(queued_);
    queued_.clear();
    lock.unlock();
    freeing.clear();
    lock.lock();
  }
}

}  // namespace crm::projections::store
