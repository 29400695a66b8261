// Internal to the CMVM optimizer: a two-term pattern and how a pair of terms is normalized to
// one, so that equal subexpressions up to a common shift and sign share one key.
#pragma once

#include <cstdint>

#include "arith/adder_graph.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::arith::cmvm {

// x[a] + (-1)^negate * (x[b] << shift), shift >= 0; when shift == 0, a < b.
struct Pattern {
  int a = 0;
  int b = 0;
  int shift = 0;
  bool negate = false;
};

// A pair of terms is (-1)^negate * pattern << shift.
struct Placed {
  Pattern pattern;
  int shift = 0;
  bool negate = false;
};

// Terms of one output never repeat (source, shift), so the order below is total.
inline Placed normalize(const Term& t, const Term& u) {
  const bool swap = u.shift < t.shift || (u.shift == t.shift && u.source < t.source);
  const Term& lo = swap ? u : t;
  const Term& hi = swap ? t : u;
  return {.pattern = {.a = lo.source,
                      .b = hi.source,
                      .shift = hi.shift - lo.shift,
                      .negate = lo.negate != hi.negate},
          .shift = lo.shift,
          .negate = lo.negate};
}

constexpr int kMaxSources = 1 << 26;
constexpr int kMaxShift = 127;

// 26 bits per source, 7 for the shift, 1 for the sign: one 64-bit hash key.
inline std::uint64_t pack(const Pattern& p) {
  return (static_cast<std::uint64_t>(p.a) << 34) | (static_cast<std::uint64_t>(p.b) << 8) |
         (static_cast<std::uint64_t>(p.shift) << 1) | (p.negate ? 1u : 0u);
}

inline Pattern unpack(std::uint64_t k) {
  return {.a = static_cast<int>(k >> 34),
          .b = static_cast<int>((k >> 8) & (kMaxSources - 1)),
          .shift = static_cast<int>((k >> 1) & kMaxShift),
          .negate = (k & 1) != 0};
}

}  // namespace nnfpga::arith::cmvm
