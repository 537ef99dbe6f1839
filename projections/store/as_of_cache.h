// AsOfCache: the last few as-of views a host folded, for the next read at the same position.
//
// A view as of a seq never changes (the log only grows), so an entry stays right for as long as
// the fold version it was made with serves. A reviewer paging through "the pool on 3 March"
// asks for the same view once per page; each page would otherwise load a snapshot and replay
// up to a snapshot interval of events (docs/benchmarks.md, "As-of reads"). The views are
// shared read-only: every read of a view is const, and readers of one view may run at once.
// Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "events/envelope.h"
#include "projections/projection.h"

namespace crm::projections::store {

// A view as of a log position: a private fold, shared read-only with the host's cache.
struct AsOfView {
  std::shared_ptr<const Projection> projection;
  events::Seq seq = 0;           // the last event folded in
  events::Seq snapshot_seq = 0;  // where the replay started (0: from the beginning)
};

class AsOfCache {
 public:
  // Keeps at most `capacity` views, the least recently used leaving first; 0 keeps none.
  explicit AsOfCache(std::size_t capacity) : capacity_(capacity) {}

  // The view `name` at fold version `version` as of `seq`, if kept; it becomes the most recent.
  std::optional<AsOfView> Find(std::string_view name, std::uint32_t version, events::Seq seq);
  // Keeps `view` (of `name` at `version`, as of view.seq) unless it is kept already.
  void Add(std::string_view name, std::uint32_t version, const AsOfView& view);

 private:
  struct Entry {
    std::string name;
    std::uint32_t version = 0;
    AsOfView view;
  };

  // The entry of that view, or end(). REQUIRES: mutex_ held.
  std::list<Entry>::iterator Locate(std::string_view name, std::uint32_t version, events::Seq seq);

  const std::size_t capacity_;
  std::mutex mutex_;
  std::list<Entry> entries_;  // most recently used first; a handful, so searched in order
};

}  // namespace crm::projections::store
