// The inputs every backend's verification feeds a project (csim, rtlsim, the HLS test bench's
// tb_data): random values and the fixed-point corners where a generator is most likely wrong.
// One generator, so that a corner found for one backend is exercised on all of them.
#pragma once

#include <cstdint>
#include <vector>

#include "emulate/emulator.hpp"
#include "ir/graph.hpp"

namespace nnfpga::backend {

// `samples` samples for every input of the configured graph (shape [samples, input shape...]),
// from `seed`. Per sample, when an input feeds a Dense layer directly: 12 % put every element at
// the input type's bound with the sign of one output's weights and 8 % against it (the extremes
// of that accumulator). Otherwise, per value (corner_values): 40 % uniform inside the type's
// range, 15 % reaching half a range beyond either end (saturation, wrap), 15 % exact rounding
// ties, 10 % one ulp off a tie, 10 % on the grid, 10 % the bounds, one LSB beyond them, and
// zero. Values, not codes: each input's own cast (the emulator's, the firmware's) quantizes them.
std::vector<emulate::Array> test_inputs(const ir::Graph& graph, std::int64_t samples,
                                        std::uint64_t seed);

// The per-value mix above for a type with `frac` fraction bits and range [lo, hi], row-major
// samples x width.
std::vector<double> corner_values(std::int64_t samples, std::int64_t width, int frac, double lo,
                                  double hi, std::uint64_t seed);

// The codes `values` take in `type` (the input cast every backend applies: rounding, then
// saturation or wrap), as integers of the type's least significant bit.
std::vector<std::int64_t> input_codes(const std::vector<double>& values,
                                      const fixed::FixedType& type);

}  // namespace nnfpga::backend
