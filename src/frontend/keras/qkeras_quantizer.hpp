// QKeras quantizers, as a saved model's config holds them, and the exact fixed-point type each
// one is. QKeras writes a quantizer either as its constructor call in a string
// ("quantized_bits(8,3,keep_negative=1,alpha=1)", QActivation's argument kept as given) or as
// a serialized object ({"class_name": "quantized_bits", "config": {...}}). Both are read into
// the same form, then mapped. The mapping follows QKeras 0.9.0's code, cited in
// tests/fixtures/keras2/MANIFEST.json (quantizer_mapping, evidence) and docs/keras.md:
//   quantized_bits(b, i, keep_negative=1, alpha=1)  -> ap_fixed<b, i+1, AP_RND_CONV, AP_SAT>
//   quantized_bits(b, i, keep_negative=0, alpha=1)  -> ap_ufixed<b, i, AP_RND_CONV, AP_SAT>
//   symmetric=1                                     -> AP_SAT_SYM
//   quantized_relu(b, i)                            -> ap_ufixed<b, i, AP_RND_CONV, AP_SAT>
//   quantized_relu(b, i, negative_slope=2^-k)       -> ap_fixed<b, i+1, AP_RND_CONV, AP_SAT> of
//       x >= 0 ? x : slope*x, the negative side clamped at -slope*2^i (a LeakyReLU and a Clip)
// (QKeras's `integer` excludes the sign bit; tf.round rounds half to even.) Everything else is
// refused with the reason: a quantizer is never approximated.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "fixed/fixed_type.hpp"

namespace nnfpga::frontend::keras {

struct QKerasQuantizer {
  std::string kind;                            // "quantized_bits", "quantized_relu", ...
  std::map<std::string, nlohmann::json> args;  // every argument by name, positional ones named
};

// Reads a quantizer from either saved form. Throws nnfpga::Error (kInput) naming `where` for a
// malformed one (unbalanced parentheses, an argument that is not a literal).
QKerasQuantizer parse_qkeras_quantizer(const nlohmann::json& saved, const std::string& where);

// Argument `key` as a number (booleans as 0/1; NaN for a non-number), or `fallback` when absent
// or null; and whether it is set to something other than false, 0 or null.
double argument_number(const QKerasQuantizer& q, const std::string& key, double fallback);
bool argument_set(const QKerasQuantizer& q, const std::string& key);

// quantized_relu's negative_slope (0 when absent).
double relu_negative_slope(const QKerasQuantizer& q);

// The exact type, or the reason there is none.
struct QuantizerType {
  std::optional<fixed::FixedType> type;
  std::string refusal;
};

// `on_weights`: a quantizer whose missing alpha its layer rewrites to 'auto_po2' (QDense's kernel
// quantizer; qkeras_auto_po2.hpp handles those before this is asked); elsewhere a missing alpha
// scales by 1.
QuantizerType qkeras_type(const QKerasQuantizer& q, bool on_weights);

}  // namespace nnfpga::frontend::keras
