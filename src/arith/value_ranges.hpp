// Exact value ranges and bit widths of the sources and outputs of an AdderGraph: what the
// Verilog writer sizes its wires by, and what the CMVM optimizer's cost (adder bits) counts.
#pragma once

#include <span>
#include <vector>

#include "arith/adder_graph.hpp"

namespace nnfpga::arith {

// The closed integer interval [lo, hi].
struct IntRange {
  __int128 lo = 0;
  __int128 hi = 0;
  bool operator==(const IntRange&) const = default;
};

// The two's-complement width that holds every value of `r`: signed (with a sign bit) when
// r.lo < 0, otherwise unsigned. 0 for [0, 0], which needs no wire.
int bits_for(IntRange r);

// The range of ±(source << shift) for a source of range `r`.
IntRange term_range(const Term& t, IntRange r);

// Value ranges of every source of `graph` (inputs, then adders) and of every output, given each
// input's range. Exact: every source is a linear form in the inputs, and the inputs vary
// independently, so each bound is attained by a corner of the input box (interval arithmetic
// on the adders alone would over-estimate x - 4x). Throws Error (kUnsupported) when a bound does
// not fit in 127 bits.
struct GraphRanges {
  std::vector<IntRange> sources;
  std::vector<IntRange> outputs;  // [0, 0] for a constant-0 output
};
GraphRanges value_ranges(const AdderGraph& graph, std::span<const IntRange> input_ranges);

// The cost a 7-series carry chain tracks: the sum over adders of their output width (one LUT and
// one carry bit per output bit).
long long adder_bits(const AdderGraph& graph, std::span<const IntRange> input_ranges);

}  // namespace nnfpga::arith
