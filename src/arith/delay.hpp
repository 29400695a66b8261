// The delays of constant arithmetic in ns, shared by the latency estimates and the RTL pipeliner
// (docs/estimates.md and docs/verilog.md state them): one carry-chain model of an adder, so the
// HLS estimates and the RTL agree on what an adder costs, and one clock uncertainty.
#pragma once

namespace nnfpga::arith {

// Vivado/Vitis HLS schedule against the clock minus its default uncertainty of 12.5 %.
inline constexpr double kUncertainty = 0.125;

// A w-bit adder on a carry chain.
inline double add_ns(int width) {
  return 0.4 + 0.02 * width;
}

// A w-bit adder or subtractor on a carry chain (also a w-bit comparison, which is a subtraction).
inline double adder_ns(int width) {
  return add_ns(width);
}

// A 2:1 or small multiplexer level: one LUT and its routing.
inline constexpr double kMuxNs = 0.3;

// A ROM read of a table with 2^index_bits entries, in LUTs: a LUT6 level per 6 index bits.
inline double rom_ns(int index_bits) {
  return 0.3 * (1 + index_bits / 6);
}

// The combinational delay one stage may hold at `period_ns`.
inline double stage_budget_ns(double period_ns) {
  return period_ns * (1.0 - kUncertainty);
}

}  // namespace nnfpga::arith
