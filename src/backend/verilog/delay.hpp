// The delay model the RTL pipeliner schedules with (docs/verilog.md states it). Adders reuse the
// carry-chain model of estimate/delay_model.hpp, so the HLS estimates and the RTL agree on what
// an adder costs; a stage may hold the clock period minus the same 12.5 % uncertainty.
#pragma once

#include "estimate/delay_model.hpp"

namespace nnfpga::backend::verilog {

// A w-bit adder or subtractor on a carry chain (also a w-bit comparison, which is a subtraction).
inline double adder_ns(int width) {
  return estimate::add_ns(width);
}

// A 2:1 or small multiplexer level: one LUT and its routing.
inline constexpr double kMuxNs = 0.3;

// A ROM read of a table with 2^index_bits entries, in LUTs: a LUT6 level per 6 index bits.
inline double rom_ns(int index_bits) {
  return 0.3 * (1 + index_bits / 6);
}

// The combinational delay one stage may hold at `period_ns`.
inline double stage_budget_ns(double period_ns) {
  return period_ns * (1.0 - estimate::kUncertainty);
}

}  // namespace nnfpga::backend::verilog
