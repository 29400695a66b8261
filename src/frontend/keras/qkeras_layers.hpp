// QKeras's layers: QDense and QActivation (docs/keras.md, "QKeras"). Their quantizers become the
// types the layers declare (ir::Node::declared_types), with the exact mapping of
// qkeras_quantizer.hpp; a quantizer without an exact type refuses its layer with the reason.
#pragma once

#include "frontend/keras/layer_call.hpp"

namespace nnfpga::frontend::keras {

// Dense with weight and bias types from kernel_quantizer and bias_quantizer, result and accum
// inferred (QKeras leaves the sum unquantized), and its activation (a quantizer or a Keras one).
void convert_qdense(Call& c);

// A quantized_bits quantizer becomes a Quantize node, quantized_relu a ReLU, each declaring the
// quantizer's type as its result; a Keras activation name ("relu") is that float activation.
void convert_qactivation(Call& c);

// A BatchNorm from the quantized gamma, beta, mean and variance (qkeras_parameter.hpp). QKeras
// normalizes in float32 (rsqrt), which no fixed-point type reproduces: the scale and bias types
// are configured, not declared, and the result is declared `auto` (exact), so the one rounding
// left is the next quantizer's. qkeras_batchnorm.cpp.
void convert_qbatchnorm(Call& c);

}  // namespace nnfpga::frontend::keras
