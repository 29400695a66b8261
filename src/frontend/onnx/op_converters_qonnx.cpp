// QONNX's quantizers (domain qonnx.custom_op.general, or finn.custom_op.general before it):
// Quant, BipolarQuant and Trunc (docs/qonnx.md). On a constant (a weight or a bias) the quantizer
// is computed here, exactly, and the quantized values replace the constant; the layer that takes
// them declares exact types for them. On an activation a quantizer becomes a Quantize node whose
// declared result type rounds and saturates exactly as the quantizer does. What no fixed-point
// type does exactly (a scale that is not a power of two, a zero point, the directed roundings
// CEIL and UP, a sign function on an activation) is refused with the reason.
#include <fmt/format.h>

#include <cmath>

#include "frontend/onnx/onnx_attributes.hpp"
#include "frontend/onnx/op_converters.hpp"
#include "frontend/onnx/qonnx_rounding.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend::onnx {
namespace {

// A constant input (scale, zero point, bit width), or nullptr after refusing the node.
const ir::Tensor* parameter(ReaderContext& ctx, const ::onnx::NodeProto& node, int i,
                            const std::string& role) {
  const Value* v = ctx.input(node, i);
  if (!v) throw_bad_node(node, role + " (input " + std::to_string(i) + ") is missing");
  if (!v->is_constant()) {
    ctx.refuse(node, role + " is computed at run time, not a constant");
    return nullptr;
  }
  if (v->constant->data.empty()) throw_bad_node(node, role + " is empty");
  return &*v->constant;
}

// The quantizer as the file names it, for messages.
std::string label(const ::onnx::NodeProto& node) {
  const std::string& name = node.name().empty() ? node.output(0) : node.name();
  return "QONNX " + node.op_type() + " '" + name + "'";
}

bool is_power_of_two(double s) {
  int exponent = 0;
  return s > 0 && std::isfinite(s) && std::frexp(s, &exponent) == 0.5;
}

// -log2(s) for a power of two.
int fraction_bits(double s) {
  int exponent = 0;
  std::frexp(s, &exponent);
  return 1 - exponent;
}

// The single value of a per-tensor parameter, or nullopt when its elements differ.
std::optional<double> single_value(const ir::Tensor& t) {
  for (double v : t.data) {
    if (v != t.data.front()) return std::nullopt;
  }
  return t.data.front();
}

// The bit width as a whole number in [1, 64], or nullopt.
std::optional<int> bit_width(const ir::Tensor& t) {
  const std::optional<double> b = single_value(t);
  if (!b || *b < 1 || *b > fixed::kMaxTypeWidth || *b != std::floor(*b)) return std::nullopt;
  return static_cast<int>(*b);
}

struct IntRange {
  double lo, hi;
};

// qonnx's min_int / max_int.
IntRange int_range(bool is_signed, bool narrow, int bits) {
  if (is_signed)
    return {-std::ldexp(1.0, bits - 1) + (narrow ? 1 : 0), std::ldexp(1.0, bits - 1) - 1};
  return {0, std::ldexp(1.0, bits) - 1 - (narrow ? 1 : 0)};
}

// The quantized constant: y = clamp(round(x / s + z)) - z, times s, element by element with the
// parameters broadcast to x (per-channel scales). Exact in double: x / s and the final product
// only move the exponent of a power-of-two scale, and any float32 scale times an integer of at
// most 29 bits is exact.
ir::Tensor quantize_constant(const ir::Tensor& x, const ir::Tensor& scale, const ir::Tensor& zero,
                             IntRange range, QonnxRounding mode) {
  const ir::Tensor s = ir::broadcast_to(scale, x.shape);
  const ir::Tensor z = ir::broadcast_to(zero, x.shape);
  ir::Tensor out = x;
  for (std::size_t i = 0; i < x.data.size(); ++i) {
    const double y = std::clamp(x.data[i] / s.data[i] + z.data[i], range.lo, range.hi);
    out.data[i] = (round_qonnx(y, mode) - z.data[i]) * s.data[i];
  }
  return out;
}

void define_quantized(ReaderContext& ctx, const ::onnx::NodeProto& node, ir::Tensor t) {
  ctx.define_constant_output(node, std::move(t));
  Value v = ctx.value(node.output(0));
  v.quantized_by = label(node);
  ctx.define(node.output(0), std::move(v));
}

// A Quantize node declaring `type` as its result.
void add_quantize(ReaderContext& ctx, const ::onnx::NodeProto& node, const Value& x,
                  const fixed::FixedType& type) {
  ir::Node n;
  n.op = ir::OpKind::kQuantize;
  n.inputs = {x.node};
  n.declared_types["result"] = fixed::to_string(type);
  n.declared_by = label(node);
  ctx.add_node(node, std::move(n), x.layout);
}

// The checks an activation quantizer's parameters must pass to be one fixed-point cast; the
// reason when they do not.
std::string activation_refusal(const ir::Tensor& scale, const ir::Tensor& zero) {
  const std::optional<double> s = single_value(scale);
  if (!s) return "the scale varies along the tensor (per-channel): no single type holds it";
  if (!is_power_of_two(*s)) {
    return fmt::format("scale {} is not a power of two: the grid is not a fixed-point grid", *s);
  }
  for (double z : zero.data) {
    if (z != 0) return "a non-zero zero point shifts the grid off every fixed-point type's";
  }
  return "";
}

}  // namespace

Converter find_qonnx_converter(const std::string& domain, const std::string& op_type) {
  if (Converter c = find_channels_last_converter(domain, op_type)) return c;
  // onnx.brevitas: the domain older Brevitas exporters wrote for the same ops.
  if (domain != "qonnx.custom_op.general" && domain != "finn.custom_op.general" &&
      domain != "onnx.brevitas") {
    return nullptr;
  }
  if (op_type == "Quant") return convert_quant;
  if (op_type == "BipolarQuant") return convert_bipolar_quant;
  if (op_type == "Trunc") return convert_trunc;
  return nullptr;
}

void convert_quant(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Value* x = ctx.input(node, 0);
  if (!x) throw_bad_node(node, "has no input");
  const ir::Tensor* scale = parameter(ctx, node, 1, "the scale");
  const ir::Tensor* zero = scale ? parameter(ctx, node, 2, "the zero point") : nullptr;
  const ir::Tensor* bits_t = zero ? parameter(ctx, node, 3, "the bit width") : nullptr;
  if (!bits_t) return;
  const std::optional<int> bits = bit_width(*bits_t);
  if (!bits) return ctx.refuse(node, "the bit width is not one whole number from 1 to 64");
  const bool is_signed = int_attribute(node, "signed", 1) != 0;
  const bool narrow = int_attribute(node, "narrow", 0) != 0;
  const std::string rounding = string_attribute(node, "rounding_mode", "ROUND");
  const std::optional<QonnxRounding> mode = parse_qonnx_rounding(rounding);
  if (!mode) return ctx.refuse(node, "unknown rounding_mode '" + rounding + "'");
  if (is_signed && *bits == 1) {
    return ctx.refuse(node,
                      "a signed 1-bit Quant: qonnx executes it as a sign function and Brevitas "
                      "does not, so its meaning is ambiguous; export it as BipolarQuant");
  }
  for (double s : scale->data) {
    if (!is_power_of_two(s)) {
      return ctx.refuse(
          node,
          fmt::format("scale {} is not a power of two: the grid is not a fixed-point grid", s));
    }
  }
  const IntRange range = int_range(is_signed, narrow, *bits);
  if (x->is_constant()) {
    for (double z : zero->data) {
      if (z != std::floor(z)) return ctx.refuse(node, "the zero point is not a whole number");
    }
    try {
      return define_quantized(ctx, node,
                              quantize_constant(*x->constant, *scale, *zero, range, *mode));
    } catch (const Error& e) {
      throw_bad_node(node,
                     std::string("its parameters do not broadcast to the input: ") + e.what());
    }
  }
  if (const std::string why = activation_refusal(*scale, *zero); !why.empty()) {
    return ctx.refuse(node, why);
  }
  const std::optional<fixed::Quantization> q = ap_quantization(*mode);
  if (!q) {
    return ctx.refuse(node, "rounding_mode " + rounding +
                                " is a directed rounding (CEIL toward +infinity, UP away from "
                                "zero); no ap_fixed quantization mode rounds that way");
  }
  if (!is_signed && narrow) {
    return ctx.refuse(node, "an unsigned narrow range [0, 2^bits - 2] has no ap_ufixed mode");
  }
  const int frac = fraction_bits(scale->data.front());
  const fixed::Overflow o = narrow ? fixed::Overflow::kSatSym : fixed::Overflow::kSat;
  add_quantize(ctx, node, *x, fixed::make_fixed(*bits, *bits - frac, is_signed, *q, o));
}

void convert_bipolar_quant(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Value* x = ctx.input(node, 0);
  if (!x) throw_bad_node(node, "has no input");
  const ir::Tensor* scale = parameter(ctx, node, 1, "the scale");
  if (!scale) return;
  if (!x->is_constant()) {
    return ctx.refuse(node,
                      "on an activation BipolarQuant is a sign function (x >= 0 ? +s : -s), not "
                      "a fixed-point cast; nnfpga has no threshold layer");
  }
  try {
    const ir::Tensor s = ir::broadcast_to(*scale, x->constant->shape);
    ir::Tensor out = *x->constant;
    for (std::size_t i = 0; i < out.data.size(); ++i) {
      out.data[i] = out.data[i] >= 0 ? s.data[i] : -s.data[i];
    }
    define_quantized(ctx, node, std::move(out));
  } catch (const Error& e) {
    throw_bad_node(node, std::string("the scale does not broadcast to the input: ") + e.what());
  }
}

// Trunc v2 (six inputs): y = round(x / scale), divided by 2^log2(output_scale / scale), clamped to
// the output bit width and rounded by rounding_mode, times output_scale. On an input already on
// the scale's grid the first rounding is exact, so the whole is one cast to the output grid.
void convert_trunc(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  if (node.input_size() != 6) {
    return ctx.refuse(node,
                      "Trunc v1 (five inputs) rescales its output by 2^(input - output bit "
                      "width); only Trunc v2 (six inputs, qonnx opset 2) is supported");
  }
  const Value* x = activation_input(ctx, node, 0);
  if (!x) return;
  const ir::Tensor* scale = parameter(ctx, node, 1, "the scale");
  const ir::Tensor* zero = scale ? parameter(ctx, node, 2, "the zero point") : nullptr;
  const ir::Tensor* out_scale = zero ? parameter(ctx, node, 4, "the output scale") : nullptr;
  const ir::Tensor* out_bits_t =
      out_scale ? parameter(ctx, node, 5, "the output bit width") : nullptr;
  if (!out_bits_t) return;
  const std::optional<int> bits = bit_width(*out_bits_t);
  if (!bits) return ctx.refuse(node, "the output bit width is not one whole number from 1 to 64");
  for (const ir::Tensor* s : {scale, out_scale}) {
    if (const std::string why = activation_refusal(*s, *zero); !why.empty()) {
      return ctx.refuse(node, why);
    }
  }
  const std::string rounding = string_attribute(node, "rounding_mode", "FLOOR");
  const std::optional<QonnxRounding> mode = parse_qonnx_rounding(rounding);
  const std::optional<fixed::Quantization> q = mode ? ap_quantization(*mode) : std::nullopt;
  if (!q) return ctx.refuse(node, "rounding_mode " + rounding + " has no ap_fixed mode");
  const bool is_signed = int_attribute(node, "signed", 1) != 0;
  const bool narrow = int_attribute(node, "narrow", 0) != 0;
  if (!is_signed && narrow) {
    return ctx.refuse(node, "an unsigned narrow range [0, 2^bits - 2] has no ap_ufixed mode");
  }
  // The first rounding (to the input scale's grid) is exact only on values already on it: the
  // input must come from a quantizer of at most that many fraction bits.
  const int in_frac = fraction_bits(single_value(*scale).value());
  const ir::Node& producer = ctx.graph().at(x->node);
  auto declared = producer.declared_types.find("result");
  if (declared == producer.declared_types.end() || declared->second == "auto" ||
      fixed::parse_type(declared->second).frac() > in_frac) {
    return ctx.refuse(node,
                      "its input is not the output of a quantizer on its scale's grid "
                      "(2^-" +
                          std::to_string(in_frac) +
                          "), so its first rounding is not "
                          "known to be exact");
  }
  const int frac = fraction_bits(single_value(*out_scale).value());
  const fixed::Overflow o = narrow ? fixed::Overflow::kSatSym : fixed::Overflow::kSat;
  add_quantize(ctx, node, *x, fixed::make_fixed(*bits, *bits - frac, is_signed, *q, o));
}

}  // namespace nnfpga::frontend::onnx
