#include "projections/store/as_of_cache.h"

#include <algorithm>

namespace crm::projections::store {

std::list<AsOfCache::Entry>::iterator AsOfCache::Locate(std::string_view name, std::uint32_t version, events::Seq seq) {
  return std::find_if(entries_.begin(), entries_.end(), [&](const Entry& entry) {
    return entry.view.seq == seq && entry.version == version && entry.name == name;
  });
}

std::optional<AsOfView> AsOfCache::Find(std::string_view name, std::uint32_t version, events::Seq seq) {
  const std::lock_guard lock(mutex_);
  const auto it = Locate(name, version, seq);
  if (it == entries_.end()) return std::nullopt;
  entries_.splice(entries_.begin(), entries_, it);
  return it->view;
}

void AsOfCache::Add(std::string_view name, std::uint32_t version, const AsOfView& view) {
  if (capacity_ == 0) return;
  const std::lock_guard lock(mutex_);
  // Two readers may fold the same view at once; the first one kept stays.
  if (Locate(name, version, view.seq) != entries_.end()) return;
  entries_.push_front(Entry{.name = std::string(name), .version = version, .view = view});
  if (entries_.size() > capacity_) entries_.pop_back();
}

}  // namespace crm::projections::store
