// The demo's only source of randomness. std::mt19937_64's output is fixed by the standard but
// the standard distributions are not, so every draw goes through these few functions: a seed
// means the same company with any standard library.
#pragma once

#include <cstdint>
#include <iterator>
#include <random>

namespace crm::demo {

class DemoRandom {
 public:
  explicit DemoRandom(std::uint64_t seed) : engine_(seed) {}

  // Uniform in [0, n); the modulo bias is below 2^-40 for every n used here. REQUIRES: n > 0.
  std::uint64_t Below(std::uint64_t n) { return engine_() % n; }
  // Uniform in [lo, hi]. REQUIRES: lo <= hi.
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(Below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  bool Percent(int percent) { return Below(100) < static_cast<std::uint64_t>(percent); }
  // One element of a span, array or vector. REQUIRES: not empty.
  template <class Items>
  const auto& Pick(const Items& items) {
    return items[Below(std::size(items))];
  }
  std::uint64_t Bits() { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace crm::demo
