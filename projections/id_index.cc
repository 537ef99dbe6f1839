#include "projections/id_index.h"

#include <functional>

namespace crm::projections {
namespace {

constexpr std::size_t kSlotsMin = 16;

}  // namespace

std::uint32_t IdIndex::Hash(std::string_view id) {
  // libstdc++'s string hash is 64 bits of murmur; both halves go into the 32 kept.
  const std::uint64_t hash = std::hash<std::string_view>{}(id);
  return static_cast<std::uint32_t>(hash ^ (hash >> 32));
}

void IdIndex::Insert(std::string_view id, Number number) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  Place(Slot{.hash = Hash(id), .number = number});
  ++size_;
}

void IdIndex::Reserve(std::size_t ids) {
  std::size_t slots = kSlotsMin;
  while (slots < ids * 2) slots *= 2;
  slots_.assign(slots, Slot{});
}

void IdIndex::Clear() {
  slots_.clear();
  size_ = 0;
}

void IdIndex::Place(Slot slot) {
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = slot.hash & mask;
  while (slots_[i].number != kAbsent) i = (i + 1) & mask;
  slots_[i] = slot;
}

void IdIndex::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? kSlotsMin : old.size() * 2, Slot{});
  for (const Slot& slot : old) {
    if (slot.number != kAbsent) Place(slot);
  }
}

}  // namespace crm::projections
