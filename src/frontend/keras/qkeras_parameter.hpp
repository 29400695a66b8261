// QKeras quantizers applied to saved parameters: QDense kernels and biases whose quantizer is not a
// fixed-point cast (binary, ternary, power of two), and QBatchNormalization's gamma, beta, moving
// mean and variance. QKeras quantizes them at every call; nnfpga does it once while reading, as
// QKeras 0.9.0 does it (qkeras/quantizers.py):
//   quantized_bits, quantized_relu: the exact fixed-point cast of qkeras_quantizer.hpp;
//   binary, ternary (alpha None or a number): the step functions of qkeras_threshold.hpp;
//   quantized_po2, quantized_relu_po2: sign * 2^e with e = round(log(|x|) / log(2)) in float32
//   (of sqrt|x|, doubled, with quadratic_approximation), clipped to the quantizer's exponents;
//   |x| < 1e-7 (Keras's epsilon) gives 2^min_exp; quantized_relu_po2 maps x < 0 there too.
// A QDense then declares the exact type of the values; QBatchNormalization's feed a normalization
// that is float in QKeras anyway (docs/quantized-models.md).
#pragma once

#include <optional>
#include <string>

#include "frontend/keras/qkeras_quantizer.hpp"
#include "ir/tensor.hpp"

namespace nnfpga::frontend::keras {

// `t` quantized by `q`, or nullopt with `why` set for a quantizer nnfpga cannot apply
// (stochastic rounding, a negative slope, data-derived 'auto' scales, unknown kinds). With
// `exact`, also for a power-of-two quantizer's value whose log2 lies within float32 rounding of
// a boundary k + 1/2: QKeras's result there depends on TensorFlow's log implementation.
std::optional<ir::Tensor> qkeras_quantize_parameter(const QKerasQuantizer& q, ir::Tensor t,
                                                    std::string& why, bool exact);

}  // namespace nnfpga::frontend::keras
