// A Threshold layer's steps in a given input type: which thresholds each input mantissa passes,
// and the result mantissa for each count of passed thresholds. The emulator's kernel and the HLS
// emitter both use this, so both compare against the same integers (docs/layers.md, Threshold).
#pragma once

#include <cstdint>
#include <vector>

#include "fixed/fixed_type.hpp"
#include "ir/graph.hpp"

namespace nnfpga::emulate {

struct ThresholdSteps {
  std::int64_t first = 0;  // thresholds every value of the input type passes
  // The other thresholds that some value passes, ascending, as input mantissas: m passes b when
  // m >= b. Each lies within the input type's range, so it is a value of that type.
  std::vector<std::int64_t> bounds;
  // The result mantissa (as fixed::cast stores it) for each count of passed thresholds: one more
  // than the layer's thresholds.
  std::vector<std::int64_t> values;
};

// Throws nnfpga::Error (kInternal) naming the node when its attributes are inconsistent
// (thresholds not ascending, a value count that is not one more than the threshold count).
ThresholdSteps threshold_steps(const ir::Node& node, const fixed::FixedType& input,
                               const fixed::FixedType& result);

}  // namespace nnfpga::emulate
