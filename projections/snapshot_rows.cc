#include "projections/snapshot_rows.h"

#include <algorithm>
#include <unordered_map>

namespace crm::projections {

void SnapshotRows::Finish(std::span<const Change> changes) {
  if (ascending_) {
    // Two ascending runs: one merge, no lookups.
    std::vector<Row> merged;
    merged.reserve(rows_.size() + changes.size());
    auto change = changes.begin();
    const auto add_puts_before = [&](std::string_view key) {
      for (; change != changes.end() && change->key < key; ++change) {
        if (change->value.has_value()) merged.push_back(Row{change->key, *change->value});
      }
    };
    for (const Row& row : rows_) {
      add_puts_before(row.key);
      if (change != changes.end() && change->key == row.key) {
        if (change->value.has_value()) merged.push_back(Row{row.key, *change->value});
        ++change;
      } else {
        merged.push_back(row);
      }
    }
    for (; change != changes.end(); ++change) {
      if (change->value.has_value()) merged.push_back(Row{change->key, *change->value});
    }
    rows_ = std::move(merged);
    sorted_ = true;
    return;
  }
  // Rows in another order (a view that writes them by number): a change finds its row by key.
  std::unordered_map<std::string_view, const Change*> unapplied;
  unapplied.reserve(changes.size());
  for (const Change& change : changes) unapplied.emplace(change.key, &change);
  std::size_t kept = 0;
  for (const Row& row : rows_) {
    Row next = row;
    if (const auto found = unapplied.empty() ? unapplied.end() : unapplied.find(row.key); found != unapplied.end()) {
      const std::optional<std::string_view> value = found->second->value;
      unapplied.erase(found);
      if (!value.has_value()) continue;  // deleted since
      next.value = *value;
    }
    rows_[kept++] = next;
  }
  rows_.resize(kept);
  for (const Change& change : changes) {
    if (change.value.has_value() && unapplied.contains(change.key)) rows_.push_back(Row{change.key, *change.value});
  }
}

std::size_t SnapshotRows::UpperBound(std::string_view key) const {
  return static_cast<std::size_t>(std::upper_bound(rows_.begin(), rows_.end(), key,
                                                   [](std::string_view k, const Row& row) { return k < row.key; }) -
                                  rows_.begin());
}

}  // namespace crm::projections
