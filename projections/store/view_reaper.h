// ViewReaper: frees as-of views on a thread of its own.
//
// An as-of view is a whole projection built for one read, and freeing it (every summary, string
// and tree node of the view) was a fifth of the read (docs/benchmarks.md, "As-of reads"). The
// reader that lets go of such a view last hands it here and goes on answering. Beyond
// kQueuedMax views waiting, a reader frees its own: a reaper that falls behind slows readers
// down rather than holding ever more views in memory.
//
// Thread-safe. A shared view keeps its reaper alive, so views may outlive whoever made them.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "projections/projection.h"

namespace crm::projections::store {

class ViewReaper : public std::enable_shared_from_this<ViewReaper> {
 public:
  static constexpr std::size_t kQueuedMax = 4;

  static std::shared_ptr<ViewReaper> Start();
  // Frees what is still queued, then stops the thread.
  ~ViewReaper();

  ViewReaper(const ViewReaper&) = delete;
  ViewReaper& operator=(const ViewReaper&) = delete;

  // `projection`, shared: once the last copy goes, the projection is freed on the reaper's thread.
  std::shared_ptr<const Projection> Share(std::unique_ptr<Projection> projection);

 private:
  ViewReaper() = default;
  // Queues `projection`, or frees it here when kQueuedMax are waiting already.
  void Reap(std::unique_ptr<Projection> projection);
  void Run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::unique_ptr<Projection>> queued_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace crm::projections::store
