// AnalyticsView's fact buckets: the dated facts a range read walks, an hour per bucket. The fold
// adds facts one at a time, nearly all to the newest hour; a load derives them all at once from
// the records it read.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "projections/analytics_view.h"

namespace crm::projections {
namespace {

// The distinct hours of a load's facts, numbered in the order first seen. Open addressing over
// a power-of-two array at most half full, like IdIndex: a few thousand hours against millions of
// facts, so the table stays in cache where facts_by_hour_'s nodes do not.
class HourSlots {
 public:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

  // The number of `hour`, given it the next one if it has none.
  std::uint32_t SlotOf(std::int64_t hour) {
    if (2 * (hours_.size() + 1) > table_.size()) Grow();
    const std::size_t mask = table_.size() - 1;
    for (std::size_t i = Hash(hour) & mask;; i = (i + 1) & mask) {
      Entry& entry = table_[i];
      if (entry.slot == kNone) {
        entry = Entry{.hour = hour, .slot = static_cast<std::uint32_t>(hours_.size())};
        hours_.push_back(hour);
        return entry.slot;
      }
      if (entry.hour == hour) return entry.slot;
    }
  }

  // Every hour numbered, by number.
  const std::vector<std::int64_t>& hours() const { return hours_; }

 private:
  struct Entry {
    std::int64_t hour = 0;
    std::uint32_t slot = kNone;
  };

  // Fibonacci hashing: consecutive hours, the common case, spread over the whole table.
  static std::size_t Hash(std::int64_t hour) {
    return static_cast<std::size_t>((static_cast<std::uint64_t>(hour) * 0x9E3779B97F4A7C15ull) >> 32);
  }

  void Grow() {
    std::vector<Entry> old = std::move(table_);
    table_.assign(std::max<std::size_t>(1024, 2 * old.size()), Entry{});
    const std::size_t mask = table_.size() - 1;
    for (const Entry& entry : old) {
      if (entry.slot == kNone) continue;
      std::size_t i = Hash(entry.hour) & mask;
      while (table_[i].slot != kNone) i = (i + 1) & mask;
      table_[i] = entry;
    }
  }

  std::vector<Entry> table_;
  std::vector<std::int64_t> hours_;
};

}  // namespace

std::int64_t AnalyticsView::HourOf(TimeMs at_ms) {
  const std::int64_t hour = at_ms / kFactBucketMs;
  return (at_ms % kFactBucketMs != 0 && at_ms < 0) ? hour - 1 : hour;
}

AnalyticsView::Fact AnalyticsView::MilestoneFact(Index customer, const Milestone& milestone) {
  static constexpr FactKind kFactOf[kMilestoneKindCount] = {FactKind::kProtected, FactKind::kPromoted,
                                                            FactKind::kEnteredPool};
  return Fact{.at_ms = milestone.at_ms,
              .fen = 0,
              .subject = customer,
              .user = milestone.user,
              .kind = kFactOf[static_cast<std::uint8_t>(milestone.kind)],
              .detail = milestone.detail};
}

AnalyticsView::Fact AnalyticsView::ContractFact(FactKind kind, Index contract, TimeMs at_ms, Fen fen) {
  return Fact{.at_ms = at_ms, .fen = fen, .subject = contract, .user = kNoIndex, .kind = kind, .detail = 0};
}

void AnalyticsView::AddFact(const Fact& fact) {
  const std::int64_t hour = HourOf(fact.at_ms);
  if (last_bucket_ == nullptr || hour != last_hour_) {
    last_hour_ = hour;
    last_bucket_ = &facts_by_hour_[hour];
  }
  last_bucket_->push_back(fact);
}

template <typename Visit>
void AnalyticsView::ForEachRecordFact(Visit&& visit) const {
  for (Index index = 0; index < customers_.size(); ++index) {
    for (const Milestone& milestone : customers_[index].milestones) visit(MilestoneFact(index, milestone));
  }
  for (Index index = 0; index < contracts_.size(); ++index) {
    const Contract& contract = contracts_[index];
    if (contract.signed_) visit(ContractFact(FactKind::kSigned, index, contract.signed_at_ms, contract.total_fen));
    for (const Payment& payment : contract.payments) {
      visit(ContractFact(FactKind::kPaid, index, payment.paid_at_ms, payment.amount_fen));
    }
  }
}

// Records load in id order, which is random in time, so adding their facts one by one searched
// facts_by_hour_ and grew a bucket for nearly every fact: two fifths of an as-of read of this
// view on 10M events (docs/benchmarks.md, "As-of reads"). Instead: count each hour's facts in a
// table that stays in cache, make every bucket at its size in hour order, then fill them. The
// buckets hold the same facts in the same order as adding them one by one would.
void AnalyticsView::RebuildFacts() {
  facts_by_hour_.clear();
  last_bucket_ = nullptr;
  HourSlots slots;
  std::vector<std::size_t> counts;
  ForEachRecordFact([&](const Fact& fact) {
    const std::uint32_t slot = slots.SlotOf(HourOf(fact.at_ms));
    if (slot == counts.size()) counts.push_back(0);
    ++counts[slot];
  });

  std::vector<std::uint32_t> by_hour(counts.size());
  for (std::uint32_t slot = 0; slot < by_hour.size(); ++slot) by_hour[slot] = slot;
  const std::vector<std::int64_t>& hours = slots.hours();
  std::sort(by_hour.begin(), by_hour.end(), [&](std::uint32_t a, std::uint32_t b) { return hours[a] < hours[b]; });
  std::vector<std::vector<Fact>*> buckets(counts.size());
  for (const std::uint32_t slot : by_hour) {
    std::vector<Fact>& bucket =
        facts_by_hour_.emplace_hint(facts_by_hour_.end(), hours[slot], std::vector<Fact>())->second;
    bucket.reserve(counts[slot]);
    buckets[slot] = &bucket;
  }

  ForEachRecordFact([&](const Fact& fact) { buckets[slots.SlotOf(HourOf(fact.at_ms))]->push_back(fact); });
}

}  // namespace crm::projections
