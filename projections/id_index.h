// IdIndex: string ids (customers, contracts, users) to the dense numbers a view keeps their
// state under, for the lookups a fold makes on every event.
//
// Open addressing over one array of 8-byte slots (a 32-bit hash and the number), a power of two
// in size and at most half full: a lookup reads one slot, nearly always the first it probes,
// then the caller's element to compare the id, which the caller is about to use anyway. A
// node-based hash map reads a bucket, then a node, then the key, each a likely cache miss
// among 200,000 customers; in a rebuild those misses were a quarter of the fold
// (docs/benchmarks.md, "Projection rebuild").
//
// The index keeps no ids of its own: Find compares through `id_of(number)`, the caller's copy.
// Ids are only ever added, never removed, as views only ever learn of customers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

namespace crm::projections {

class IdIndex {
 public:
  using Number = std::uint32_t;
  static constexpr Number kAbsent = std::numeric_limits<Number>::max();

  // The number `id` was inserted under, or kAbsent. `id_of(number)` returns the id a number
  // stands for, as something comparable with a std::string_view.
  template <typename IdOf>
  Number Find(std::string_view id, const IdOf& id_of) const {
    if (size_ == 0) return kAbsent;
    const std::uint32_t hash = Hash(id);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot slot = slots_[i];
      if (slot.number == kAbsent) return kAbsent;
      if (slot.hash == hash && std::string_view(id_of(slot.number)) == id) return slot.number;
    }
  }

  // REQUIRES: `id` is not in the index; number < kAbsent.
  void Insert(std::string_view id, Number number);
  // Makes room for `ids` ids in all without growing again. REQUIRES: an empty index.
  void Reserve(std::size_t ids);

  std::size_t size() const { return size_; }
  void Clear();

 private:
  struct Slot {
    std::uint32_t hash = 0;
    Number number = kAbsent;  // kAbsent: the slot is empty
  };

  static std::uint32_t Hash(std::string_view id);
  void Place(Slot slot);  // into the first empty slot of its probe sequence
  void Grow();

  std::vector<Slot> slots_;  // empty, or a power of two in size
  std::size_t size_ = 0;
};

}  // namespace crm::projections
