// SplitMix64: the small seeded generator the fixed-point tests (tests/unit/fixed/, the oracle in
// tests/oracle/) draw their cases from. A fixed seed gives the same cases on every platform,
// which std::uniform_int_distribution does not promise.
#pragma once

#include <cstdint>

namespace nnfpga::testing {

struct SplitMix64 {
  std::uint64_t state;

  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  int between(int lo, int hi) { return lo + static_cast<int>(below(hi - lo + 1)); }
  // Uniform in [0, 1), on the 2^-53 grid.
  double unit() { return static_cast<double>(next() >> 11) * 0x1p-53; }
};

}  // namespace nnfpga::testing
