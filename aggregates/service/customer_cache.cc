#include "aggregates/service/customer_cache.h"

namespace crm::aggregates {

std::optional<CustomerState> CustomerCache::Get(const std::string& customer_id) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(customer_id);
  if (it == index_.end()) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, it->second);
  return *it->second;
}

void CustomerCache::Put(const CustomerState& state) {
  if (entries_max_ == 0) return;
  std::lock_guard lock(mutex_);
  if (const auto it = index_.find(state.customer_id); it != index_.end()) {
    if (it->second->version > state.version) return;
    *it->second = state;
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.push_front(state);
  index_.emplace(state.customer_id, lru_.begin());
  if (lru_.size() > entries_max_) {
    index_.erase(lru_.back().customer_id);
    lru_.pop_back();
  }
}

void CustomerCache::Erase(const std::string& customer_id) {
  std::lock_guard lock(mutex_);
  if (const auto it = index_.find(customer_id); it != index_.end()) {
    lru_.erase(it->second);
    index_.erase(it);
  }
}

}  // namespace crm::aggregates
