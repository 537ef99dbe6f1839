#include "projections/store/snapshot_delta.h"

namespace crm::projections::store {

void SnapshotDelta::Put(std::string_view key, std::string_view value) {
  Record(key, value);
}

void SnapshotDelta::Delete(std::string_view key) {
  Record(key, std::nullopt);
}

void SnapshotDelta::Record(std::string_view key, std::optional<std::string_view> value) {
  if (!base_seq_.has_value() || outgrown_) return;
  std::optional<std::string> kept;
  if (value.has_value()) kept.emplace(*value);
  if (const auto it = rows_.find(key); it != rows_.end()) {
    it->second = std::move(kept);
    return;
  }
  if (rows_since_full_ + rows_.size() + 1 > rows_max_) {
    // The next snapshot is a full one: nothing recorded since the one before is needed.
    outgrown_ = true;
    rows_.clear();
    return;
  }
  rows_.emplace(std::string(key), std::move(kept));
}

void SnapshotDelta::SnapshotWritten(events::Seq seq, bool full, std::uint64_t rows, const SnapshotPolicy& policy) {
  if (full) {
    deltas_since_full_ = 0;
    rows_since_full_ = 0;
    rows_max_ = rows * policy.delta_rows_max_percent / 100;
  } else {
    ++deltas_since_full_;
    rows_since_full_ += rows;
  }
  rows_.clear();
  outgrown_ = false;
  if (deltas_since_full_ + 1 < policy.full_every) {
    base_seq_ = seq;
  } else {
    base_seq_.reset();
  }
}

}  // namespace crm::projections::store
