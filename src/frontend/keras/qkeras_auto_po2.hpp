// QKeras's quantized_bits(alpha='auto_po2') on a QDense kernel: per-output-channel power-of-two
// scales that QKeras recomputes from the float kernel at every call (they are saved nowhere).
// This recomputes them as QKeras 0.9.0 does, in float32 (qkeras/quantizers.py,
// quantized_bits.__call__ and _get_scale; tools/keras2_fixtures/qkeras_numerics.py
// auto_po2_numpy is the same in NumPy), and returns the kernel QDense multiplies with:
// scale_j * 2^integer * code_ij.
#pragma once

#include <optional>
#include <string>

#include "frontend/keras/qkeras_quantizer.hpp"
#include "ir/tensor.hpp"

namespace nnfpga::frontend::keras {

// True for quantized_bits with alpha 'auto_po2', or with no alpha (QDense rewrites it so).
bool is_auto_po2_kernel(const QKerasQuantizer& q);

// The quantized kernel ([n_in, n_out]), or nullopt with `why` set when the quantizer's other
// arguments have no exact form here (stochastic rounding, keep_negative=0).
std::optional<ir::Tensor> auto_po2_kernel(const QKerasQuantizer& q, const ir::Tensor& kernel,
                                          std::string& why);

}  // namespace nnfpga::frontend::keras
