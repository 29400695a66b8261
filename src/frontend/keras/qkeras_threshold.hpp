// QKeras's quantizers that map values by sign, threshold or power of two rather than by a
// fixed-point cast (binary, ternary, quantized_po2), as the steps of a Threshold layer: exact
// comparisons against the quantizer's boundaries, and its output values (docs/quantized-models.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "frontend/keras/qkeras_quantizer.hpp"

namespace nnfpga::frontend::keras {

struct ThresholdQuantizer {
  std::vector<double> thresholds;    // ascending
  std::vector<std::int64_t> strict;  // 1: the step is at x > t; 0: at x >= t
  std::vector<double> values;        // one more than the thresholds
  std::string refusal;               // set when the quantizer has no exact steps
};

// True for the kinds this file maps.
bool is_threshold_quantizer(const QKerasQuantizer& q);

// The steps of an activation quantizer, or the refusal.
ThresholdQuantizer qkeras_threshold(const QKerasQuantizer& q);

}  // namespace nnfpga::frontend::keras
