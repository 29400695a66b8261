// QONNX's rounding modes (the rounding_mode attribute of Quant and Trunc): how each rounds an
// exact value to an integer, and the ap_fixed quantization mode that rounds the same way.
// docs/qonnx.md has the evidence (tests/fixtures/qonnx/MANIFEST.json, tie_experiment).
#pragma once

#include <optional>
#include <string>

#include "fixed/fixed_type.hpp"

namespace nnfpga::frontend::onnx {

enum class QonnxRounding { kRound, kHalfEven, kHalfUp, kHalfDown, kFloor, kCeil, kUp, kDown };

// Case-insensitive, as qonnx reads it; nullopt for a mode qonnx does not know.
std::optional<QonnxRounding> parse_qonnx_rounding(const std::string& text);

// The integer `v` rounds to.
double round_qonnx(double v, QonnxRounding mode);

// The ap_fixed mode that rounds as `mode` does, or nullopt for the directed modes CEIL and UP,
// which ap_fixed lacks.
std::optional<fixed::Quantization> ap_quantization(QonnxRounding mode);

}  // namespace nnfpga::frontend::onnx
