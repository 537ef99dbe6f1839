// SortByKey: puts a view's changed entries in the order of their row keys before a flush writes
// them.
//
// A flush hands its rows to RocksDB, whose memtable is a skip list. Inserted in ascending key
// order, each row lands next to the one before (the memtable reuses its last insert position);
// in the order a fold changed them, which is random over customers, each insert searches the
// list from the top, a cache miss a level (docs/benchmarks.md, "Projection rebuild").
//
// The sort compares an 8-byte prefix of each key held beside the entry's number, so most
// comparisons read no entry; only equal prefixes compare the keys themselves.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace crm::projections {

// The first 8 bytes of `key` as a number that orders like the bytes (big-endian), zero-padded.
inline std::uint64_t KeyPrefix(std::string_view key) {
  unsigned char bytes[8] = {};
  // Not for an empty key, whose data() may be null (memcpy's arguments must not be).
  if (!key.empty()) std::memcpy(bytes, key.data(), std::min<std::size_t>(key.size(), sizeof bytes));
  std::uint64_t prefix = 0;
  for (const unsigned char byte : bytes) prefix = (prefix << 8) | byte;
  return prefix;
}

// Reorders `numbers` so that `key_of(number)` ascends. `key_of` returns something convertible
// to std::string_view that stays valid during the call.
template <typename Number, typename KeyOf>
void SortByKey(std::vector<Number>& numbers, const KeyOf& key_of) {
  struct Keyed {
    std::uint64_t prefix;
    std::string_view key;
    Number number;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(numbers.size());
  for (const Number number : numbers) {
    const std::string_view key = key_of(number);
    keyed.push_back(Keyed{KeyPrefix(key), key, number});
  }
  std::sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return a.key < b.key;
  });
  for (std::size_t i = 0; i < keyed.size(); ++i) numbers[i] = keyed[i].number;
}

}  // namespace crm::projections
