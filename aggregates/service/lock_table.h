// Striped mutexes keyed by strings: serialise the decisions that share a key (one user's
// claims, one normalised name) without a mutex per key, and without one global lock.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string_view>
#include <vector>

namespace crm::aggregates {

class LockTable {
 public:
  static constexpr std::size_t kStripes = 256;

  // Holds the stripes of every key until destroyed. Keys sharing a stripe lock it once, and
  // stripes are taken in index order, so two guards can never deadlock each other.
  class Guard {
   public:
    Guard(LockTable& table, std::initializer_list<std::string_view> keys) {
      for (std::string_view key : keys) {
        if (!key.empty()) stripes_.push_back(std::hash<std::string_view>{}(key) % kStripes);
      }
      std::sort(stripes_.begin(), stripes_.end());
      stripes_.erase(std::unique(stripes_.begin(), stripes_.end()), stripes_.end());
      for (std::size_t stripe : stripes_) table.stripes_[stripe].lock();
      table_ = &table;
    }
    ~Guard() {
      for (auto it = stripes_.rbegin(); it != stripes_.rend(); ++it) table_->stripes_[*it].unlock();
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    LockTable* table_ = nullptr;
    std::vector<std::size_t> stripes_;
  };

 private:
  std::array<std::mutex, kStripes> stripes_;
};

}  // namespace crm::aggregates
