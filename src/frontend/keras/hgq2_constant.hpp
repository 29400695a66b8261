// HGQ2's quantization of a constant (a kernel or a bias), reproduced in float32 as HGQ2 computes
// it: its RND is floor(x * 2^f + 0.5) in float32, which for x * 2^f = 0.5 - 2^-25 gives one LSB
// where ap_fixed's AP_RND gives 0 (tests/fixtures/hgq2/MANIFEST.json,
// float32_rounding_in_hgq2). For a constant that is exact to reproduce, so the firmware's
// weights are HGQ2's weights, whatever the float32 arithmetic did.
#pragma once

#include "frontend/keras/hgq2_quantizer.hpp"
#include "ir/tensor.hpp"

namespace nnfpga::frontend::keras {

// `x` quantized per element by `q`, whose bit-width shape broadcasts to x's shape (same rank,
// each dimension 1 or x's). Throws nnfpga::Error (kInput) naming `where` when it does not.
ir::Tensor hgq2_quantize_constant(const Hgq2Quantizer& q, const ir::Tensor& x,
                                  const std::string& where);

// One value quantized with bit-width element (k, i, f), as HGQ2's quantizer does at inference
// (quantizers' FixedPointQuantizer.forward, then HGQ2's zeroing), in float32.
float hgq2_quantize_value(const Hgq2Quantizer& q, std::size_t element, float x);

}  // namespace nnfpga::frontend::keras
