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

// A FIFO or a buffer of `depth` words of `width` bits, as Vitis HLS binds it by default
// (config_storage fifo: SRL while depth <= 2 or depth * width <= 1024 bits): shift registers of
// ceil(depth / 32) LUTs per bit (SRL32); above that a memory, LUTRAM (a 64 x 1 RAM per LUT) up to
// 4 Kib as for tables, else BRAM18 in its best aspect ratio (16K x 1 ... 1K x 18, 512 x 36).
struct BufferStorage {
  const char* kind = "SRL";  // "SRL", "LUTRAM", "BRAM"
  std::int64_t lut = 0;
  std::int64_t bram18 = 0;
};
inline BufferStorage buffer_storage(std::int64_t depth, std::int64_t width) {
  const std::int64_t bits = depth * width;
  if (depth <= 2 || bits <= 1024) return {"SRL", ((depth + 31) / 32) * width, 0};
  if (bits <= 4096) return {"LUTRAM", ((depth + 63) / 64) * width, 0};
  constexpr std::int64_t kAspects[][2] = {{16384, 1}, {8192, 2},  {4096, 4},
                                          {2048, 9},  {1024, 18}, {512, 36}};
  std::int64_t best = -1;
  for (const auto& [words, port] : kAspects) {
    const std::int64_t blocks = ((width + port - 1) / port) * ((depth + words - 1) / words);
    if (best < 0 || blocks < best) best = blocks;
  }
  return {"BRAM", 0, best};
}

}  // namespace nnfpga::estimate
