// The hot customers' states, so a command on a customer worked today does not re-read its
// stream. Bounded (least recently used out); a miss rebuilds the state from the log.
//
// Entries are only ever a version of the truth: a command decides on a cached state and
// appends with its version as the expected one, so a stale entry costs a retry, never a wrong
// decision. Thread-safe.
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "aggregates/customer_state.h"

namespace crm::aggregates {

class CustomerCache {
 public:
  explicit CustomerCache(std::size_t entries_max) : entries_max_(entries_max) {}

  std::optional<CustomerState> Get(const std::string& customer_id);
  // Stores `state` unless a newer version is cached already.
  void Put(const CustomerState& state);
  void Erase(const std::string& customer_id);

 private:
  using Lru = std::list<CustomerState>;

  const std::size_t entries_max_;
  std::mutex mutex_;
  Lru lru_;  // most recently used first
  std::unordered_map<std::string, Lru::iterator> index_;
};

}  // namespace crm::aggregates
