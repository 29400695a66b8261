// Index arithmetic of the lookup-table layers (docs/layers.md): exact integer forms of
// floor(x * 2^k) and floor(x * 2^k + 1/2) on mantissas. These compute table addresses, not
// fixed-point values, so they are layer conventions rather than numeric semantics.
#pragma once

#include <cstdint>

#include "fixed/fixed_type.hpp"

namespace nnfpga::emulate {

// floor(m * 2^k) for |m| < 2^100, saturated to +-2^100 (callers clamp to a table far smaller).
inline fixed::i128 floor_mul_pow2(fixed::i128 m, int k) {
  constexpr fixed::i128 kLimit = fixed::i128{1} << 100;
  if (k >= 0) {
    if (m == 0) return 0;
    if (k >= 100) return m > 0 ? kLimit : -kLimit;
    const fixed::i128 bound = kLimit >> k;
    if (m >= bound) return kLimit;
    if (m <= -bound) return -kLimit;
    return m * (fixed::i128{1} << k);
  }
  if (k <= -126) return m < 0 ? -1 : 0;
  return m >> (-k);  // arithmetic shift: floor
}

// floor(m * 2^k + 1/2): round half up, for |m| < 2^100.
inline fixed::i128 round_half_up_mul_pow2(fixed::i128 m, int k) {
  if (k >= 0) return floor_mul_pow2(m, k);
  if (k <= -120) return 0;  // |m * 2^k| < 2^-20: rounds to 0
  return (m + (fixed::i128{1} << (-k - 1))) >> (-k);
}

// Clamps an index to [0, size - 1].
inline std::int64_t clamp_index(fixed::i128 index, std::int64_t size) {
  if (index < 0) return 0;
  if (index >= size) return size - 1;
  return static_cast<std::int64_t>(index);
}

// log2 of a power of two (the caller has checked it is one).
inline int log2_exact(std::int64_t power_of_two) {
  int n = 0;
  while ((std::int64_t{1} << n) < power_of_two) ++n;
  return n;
}

}  // namespace nnfpga::emulate
