// HGQ (version 1, the `HGQ` package 0.2 on tf.keras) proxy models: `HGQ.to_proxy_model` turns a
// trained HGQ model into plain Keras layers holding already-quantized weights, with a
// FixedPointQuantizer layer after each that casts to the bit widths HGQ learned. The quantizer
// keeps its bit widths as three int8 variables, keep_negative, bits and integers (the sign bit
// included), shaped like the activation with a leading 1 for the batch (or [1] for one type for
// the whole tensor), and its rounding and overflow modes in its config (RND, SAT). HGQ computes
// it as `sat(rnd(x * 2^f)) / 2^f` with f = bits - integers, and 0 where bits is 0
// (HGQ/proxy/fixed_point_quantizer.py, gfixed_quantizer), so each element is cast to
// ap_fixed<bits, integers, RND, SAT> (ap_ufixed when keep_negative is 0).
#pragma once

#include "frontend/keras/keras_model.hpp"
#include "frontend/keras/layer_call.hpp"
#include "ir/graph.hpp"

namespace nnfpga::frontend::keras {

// FixedPointQuantizer (also saved as "HGQ>FixedPointQuantizer"): a Quantize node with one
// declared type, or per-element types when the bit widths differ by element.
void convert_fixed_point_quantizer(Call& c);

// UnaryLUT: refused with the reason.
void refuse_unary_lut(Call& c);

// Whether the model is a proxy model (has a FixedPointQuantizer).
bool is_hgq1_proxy(const KerasModel& model);

// Between a proxy model's quantizers the values are plain float32 arithmetic on quantized
// weights, which nnfpga computes exactly: every node no quantizer declared declares its
// parameters' exact types, an exact accumulator and an exact (inferred) result where its op can
// infer one. Throws nnfpga::Error (kUnsupported) naming `origin` and the node for a parameter no
// 64-bit type holds exactly.
void declare_proxy_exact_types(ir::Graph& graph, const std::string& origin);

}  // namespace nnfpga::frontend::keras
