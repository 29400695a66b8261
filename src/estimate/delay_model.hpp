// The delay model behind the latency estimates (docs/estimates.md states and justifies it):
// combinational delays in ns per operator, and how many register stages a path needs at a clock.
#pragma once

#include <cmath>
#include <cstdint>

#include "arith/delay.hpp"
#include "estimate/estimate.hpp"

namespace nnfpga::estimate {

// The clock uncertainty and the adder delay are arith/'s, shared with the RTL pipeliner.
using arith::add_ns;
using arith::kUncertainty;

// A multiplication in one DSP slice, from register to register.
inline double dsp_multiply_ns(const DspFamily& f) {
  return f.a_bits >= 27 ? 2.0 : 2.5;  // UltraScale+/Versal DSPs are faster than DSP48E1
}

// A LUT multiplier: a row of b-bit partial-product additions on carry chains.
inline double lut_multiply_ns(int b_bits) {
  return 0.5 + 0.12 * b_bits;
}

// Register stages a combinational path of `ns` needs at `period_ns`.
inline std::int64_t stages(double ns, double period_ns) {
  return static_cast<std::int64_t>(std::ceil(ns / (period_ns * (1.0 - kUncertainty)) - 1e-9));
}

// ceil(log2(n)) for n >= 1: the depth of a balanced tree over n terms.
inline int tree_depth(std::int64_t n) {
  int d = 0;
  while ((std::int64_t{1} << d) < n) ++d;
  return d;
}

// Whether a a x b product goes to DSPs (both operands wider than 9 bits, as the vendor tools
// decide for products of this size), and how many slices it then needs.
inline bool uses_dsp(int a_bits, int b_bits) {
  return a_bits > 9 && b_bits > 9;
}
inline std::int64_t dsp_per_product(const DspFamily& f, int a_bits, int b_bits) {
  const int wide = a_bits > b_bits ? a_bits : b_bits;
  const int narrow = a_bits > b_bits ? b_bits : a_bits;
  return ((wide + f.a_bits - 1) / f.a_bits) * ((narrow + f.b_bits - 1) / f.b_bits);
}
// LUTs of a LUT multiplier: about 0.6 per partial-product bit.
inline std::int64_t lut_per_product(int a_bits, int b_bits) {
  return static_cast<std::int64_t>(std::ceil(0.6 * a_bits * b_bits));
}

// Storage of a read-only table of `entries` x `bits`, read `ports` times per cycle: LUT ROM up to
// 4 Kib per copy, else BRAM18 (18 Kib, two ports each).
struct Storage {
  std::int64_t bram18 = 0;
  std::int64_t lut = 0;
};
inline Storage rom(std::int64_t entries, int bits, std::int64_t ports) {
  const std::int64_t total = entries * bits;
  if (total <= 4096) return {0, ports * ((entries + 63) / 64) * bits};
  return {((ports + 1) / 2) * ((total + 18431) / 18432), 0};
}

}  // namespace nnfpga::estimate
