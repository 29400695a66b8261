// HGQ2's fixed-point quantizers (hgq2 0.2.0): a serialized QuantizerConfig (iq_conf, kq_conf,
// ...) and the inner quantizer's variables (layers/<group>/<iq|kq|bq|oq>/quantizer/vars/N) give
// a bit width per element of the bit-width shape, and each element a type (docs/keras.md, "HGQ2";
// the rules and their evidence: tests/fixtures/hgq2/README.md).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fixed/fixed_type.hpp"
#include "ir/tensor.hpp"

namespace nnfpga::frontend::keras {

struct Hgq2Quantizer {
  fixed::Quantization quant = fixed::Quantization::kTrn;
  fixed::Overflow overflow = fixed::Overflow::kWrap;
  // A KBI weight quantizer in WRAP mode with RND rounding only rounds: HGQ2 never wraps it.
  bool round_only = false;
  // 1 along the axes sharing a bit width, the tensor's size along the others; a datalane
  // (activation) quantizer's first axis is the batch's.
  ir::Shape bw_shape;
  // Per bit-width element, row-major: the sign bit (0 or 1), the integer bits without the sign
  // (already max(i, -f), as HGQ2 computes with), the fraction bits, and whether HGQ2 zeroes it.
  std::vector<int> k, i, f;
  std::vector<bool> zero;
};

// A decoded quantizer, or why nnfpga cannot express it.
struct Hgq2Decoded {
  std::optional<Hgq2Quantizer> quantizer;
  std::string refusal;
};

// Decodes the QuantizerConfig `conf` (its "config" object or the whole serialized object) and
// the inner quantizer's variables `vars`, in the order Keras saved them. Throws nnfpga::Error
// (kInput) naming `where` when the variables do not fit the config (count, shapes, k not 0/1).
Hgq2Decoded decode_hgq2_quantizer(const nlohmann::json& conf, const std::vector<ir::Tensor>& vars,
                                  const std::string& where);

// The type of bit-width element `e`; nullopt when HGQ2 zeroes the element (k + i + f <= 0).
std::optional<fixed::FixedType> hgq2_element_type(const Hgq2Quantizer& q, std::size_t e);

}  // namespace nnfpga::frontend::keras
