#include "frontend/keras/qkeras_layers.hpp"

#include <cmath>
#include <optional>

#include "fixed/exact_type.hpp"
#include "frontend/keras/qkeras_auto_po2.hpp"
#include "frontend/keras/qkeras_parameter.hpp"
#include "frontend/keras/qkeras_quantizer.hpp"
#include "frontend/keras/qkeras_threshold.hpp"

namespace nnfpga::frontend::keras {
namespace {

// QKeras writes a quantizer as a call string or a serialized object from qkeras.quantizers; a
// Keras activation is a bare name ("relu") or a Keras object.
bool is_quantizer(const json& saved) {
  if (saved.is_string()) return saved.get<std::string>().find('(') != std::string::npos;
  if (!saved.is_object()) return false;
  const std::string module = saved.value("module", "");
  return module.rfind("qkeras", 0) == 0 ||
         (saved.contains("class_name") && saved["class_name"].is_string() &&
          saved["class_name"].get<std::string>().rfind("quantized_", 0) == 0);
}

std::string quantizer_text(const json& saved) {
  return saved.is_string() ? saved.get<std::string>() : saved.value("class_name", "?");
}

// The exact type of the quantizer `saved` of the layer, spelled for the configuration, or
// nullopt after refusing the layer with the reason.
std::optional<std::string> quantizer_type(Call& c, const json& saved, const std::string& role,
                                          bool on_weights) {
  const QKerasQuantizer q = parse_qkeras_quantizer(saved, "layer '" + c.layer.name + "' " + role);
  const QuantizerType t = qkeras_type(q, on_weights);
  if (!t.type) {
    c.refuse(role + " " + quantizer_text(saved) + ": " + t.refusal);
    return std::nullopt;
  }
  return fixed::to_string(*t.type);
}

// Quantizers whose values are not a fixed-point grid: signs, thresholds, powers of two.
bool is_value_quantizer(const QKerasQuantizer& q) {
  return q.kind == "binary" || q.kind == "ternary" || q.kind == "quantized_po2" ||
         q.kind == "quantized_relu_po2";
}

// A parameter under such a quantizer: its values are quantized here, as QKeras does at every
// call, and the parameter declares the narrowest type that holds them exactly; nullopt after
// refusing the layer.
std::optional<std::string> computed_type(Call& c, const QKerasQuantizer& q, const json& saved,
                                         const std::string& role, ir::Tensor& values, bool kernel) {
  const auto alpha = q.args.find("alpha");
  if (kernel && (q.kind == "binary" || q.kind == "ternary") &&
      (alpha == q.args.end() || alpha->second.is_null())) {
    // QDense.__init__ (and the convolutions' for each of their kernels) calls
    // _set_trainable_parameter, which turns a kernel's missing alpha into 'auto_po2'
    // (qkeras/quantizers.py, binary and ternary).
    c.refuse(role + " " + quantizer_text(saved) + ": without alpha, " + c.layer.class_name +
             " makes it alpha='auto_po2', per-channel scales derived from the data; give alpha=1 "
             "or a number");
    return std::nullopt;
  }
  std::string why;
  std::optional<ir::Tensor> quantized = qkeras_quantize_parameter(q, values, why, true);
  std::optional<fixed::FixedType> exact;
  if (quantized) exact = fixed::exact_type_of(quantized->data);
  if (!exact) {
    c.refuse(role + " " + quantizer_text(saved) + ": " +
             (why.empty() ? "the quantized values need more than 64 bits" : why));
    return std::nullopt;
  }
  values = std::move(*quantized);
  return fixed::to_string(*exact);
}

// A bias quantizer's declared type (the bias quantized here for a value quantizer).
std::optional<std::string> bias_type(Call& c, const json& saved, ir::Tensor& bias) {
  const QKerasQuantizer q = parse_qkeras_quantizer(saved, "layer '" + c.layer.name + "' bias");
  if (is_value_quantizer(q)) return computed_type(c, q, saved, "bias_quantizer", bias, false);
  // QDense rewrites a missing alpha to auto_po2 for its kernel only: a bias quantizer without
  // alpha scales by 1 (qkeras/qlayers.py, QDense.__init__; quantized_bits.__call__).
  return quantizer_type(c, saved, "bias_quantizer", false);
}

// The kernel's declared type. A binary, ternary or power-of-two kernel is quantized here. An
// alpha='auto_po2' kernel (or one without alpha, which QDense
// makes auto_po2) is quantized here with QKeras's own per-channel scales, and declares the exact
// type of the result; nullopt after refusing the layer.
std::optional<std::string> kernel_type(Call& c, const json& saved, const std::string& role,
                                       ir::Tensor& kernel) {
  const QKerasQuantizer q = parse_qkeras_quantizer(saved, "layer '" + c.layer.name + "' " + role);
  if (is_value_quantizer(q)) return computed_type(c, q, saved, role, kernel, true);
  if (!is_auto_po2_kernel(q)) return quantizer_type(c, saved, role, true);
  // QKeras scales a kernel per output channel, its last axis, whatever its rank: a convolution's
  // [K_h, K_w, C, F] is the matrix [K_h * K_w * C, F] for the scales.
  const ir::Shape shape = kernel.shape;
  if (shape.size() > 2) kernel.shape = {ir::element_count(shape) / shape.back(), shape.back()};
  std::string why;
  std::optional<ir::Tensor> quantized = auto_po2_kernel(q, kernel, why);
  kernel.shape = shape;
  std::optional<fixed::FixedType> exact;
  if (quantized) exact = fixed::exact_type_of(quantized->data);
  if (!exact) {
    c.refuse(role + " " + quantizer_text(saved) + ": " +
             (why.empty() ? "the scaled kernel needs more than 64 bits" : why));
    return std::nullopt;
  }
  kernel.data = std::move(quantized->data);
  return fixed::to_string(*exact);
}

// A sign, threshold or power-of-two quantizer: a Threshold layer whose result type is inferred
// from its values (the narrowest that holds them).
std::string threshold_activation(Call& c, const QKerasQuantizer& q, const json& saved,
                                 const std::string& input, const std::string& name) {
  const ThresholdQuantizer t = qkeras_threshold(q);
  if (!t.refusal.empty()) {
    c.refuse_elementwise("activation " + quantizer_text(saved) + ": " + t.refusal, input);
    return "";
  }
  ir::Node n = unary(ir::OpKind::kThreshold, input);
  n.attrs.set("thresholds", t.thresholds);
  n.attrs.set("strict", t.strict);
  n.attrs.set("values", t.values);
  n.declared_types["result"] = "auto";
  n.declared_by = "QKeras " + q.kind + " of layer '" + c.layer.name + "'";
  return c.add(std::move(n), name);
}

// quantized_relu with a power-of-two negative_slope s into type T = ap_fixed<b, i+1>: QKeras
// rounds x (x >= 0) or s*x (x < 0) to T's grid, saturating at T's top and at -s*2^i below: a
// LeakyReLU into T, then a Clip at -s*2^i (exact: the bound is on T's grid).
std::string leaky_quantized_relu(Call& c, const QKerasQuantizer& q, const fixed::FixedType& t,
                                 const std::string& input, const std::string& name) {
  const double slope = relu_negative_slope(q);
  const std::string by = "QKeras " + q.kind + " of layer '" + c.layer.name + "'";
  ir::Node leaky = unary(ir::OpKind::kLeakyRelu, input);
  leaky.attrs.set("alpha", slope);
  leaky.declared_types = {{"result", fixed::to_string(t)},
                          {"param", fixed::to_string(*fixed::exact_type_of({slope}))}};
  leaky.declared_by = by;
  const std::string slope_node = c.add(std::move(leaky), name + "_slope");
  ir::Node clamp = unary(ir::OpKind::kClip, slope_node);
  clamp.attrs.set("min", -slope * std::ldexp(1.0, t.integer - 1));
  // T's top: only the floor acts.
  clamp.attrs.set("max", std::ldexp(1.0, t.integer - 1) - std::ldexp(1.0, t.integer - t.width));
  clamp.declared_types["result"] = fixed::to_string(t);
  clamp.declared_by = by;
  return c.add(std::move(clamp), name);
}

// The quantized activation `saved` applied to `input`, as a node named `name`; empty after
// refusing the layer.
std::string quantized_activation(Call& c, const json& saved, const std::string& input,
                                 const std::string& name) {
  const QKerasQuantizer q =
      parse_qkeras_quantizer(saved, "layer '" + c.layer.name + "' activation");
  if (is_threshold_quantizer(q)) return threshold_activation(c, q, saved, input, name);
  const QuantizerType t = qkeras_type(q, false);
  if (!t.type) {
    c.refuse_elementwise("activation " + quantizer_text(saved) + ": " + t.refusal, input);
    return "";
  }
  if (q.kind == "quantized_relu" && relu_negative_slope(q) != 0) {
    return leaky_quantized_relu(c, q, *t.type, input, name);
  }
  // quantized_bits is a cast; quantized_relu is max(x, 0) cast the same way.
  ir::Node n = unary(q.kind == "quantized_relu" ? ir::OpKind::kRelu : ir::OpKind::kQuantize, input);
  n.declared_types["result"] = fixed::to_string(*t.type);
  n.declared_by = "QKeras " + q.kind + " of layer '" + c.layer.name + "'";
  return c.add(std::move(n), name);
}

}  // namespace

std::string qkeras_activation(Call& c, const std::string& input, const std::string& name_prefix) {
  const json& saved = c.layer.config.value("activation", json("linear"));
  // QKeras's pooling layers save activation=None as null: no activation.
  if (saved.is_null()) return input;
  if (is_quantizer(saved)) {
    const std::string kind = parse_qkeras_quantizer(saved, "layer '" + c.layer.name + "'").kind;
    return quantized_activation(c, saved, input, name_prefix + kind);
  }
  const std::string act = activation_name(c);
  return activation(c, act, input, name_prefix + act);
}

void declare_qkeras_weights(Call& c, ir::Node& n, const std::string& kernel_key) {
  // A refused quantizer leaves the node undeclared, so that the layers after it are still read
  // and their own problems reported in the same error.
  const json& kq = c.layer.config.value(kernel_key, json());
  const json& bq = c.layer.config.value("bias_quantizer", json());
  if (kq.is_null()) return;
  const std::optional<std::string> weight = kernel_type(c, kq, kernel_key, n.params.at("weight"));
  std::optional<std::string> b;
  const auto bias = n.params.find("bias");
  if (bias == n.params.end()) {
    b = "";  // a convolution without bias
  } else if (!bq.is_null()) {
    b = bias_type(c, bq, bias->second);
  } else if (const auto exact = fixed::exact_type_of(bias->second.data)) {
    b = fixed::to_string(*exact);  // QKeras adds an unquantized bias as it is
  } else {
    c.refuse("the unquantized bias has values no 64-bit fixed-point type holds exactly");
  }
  if (!weight || !b) return;
  n.declared_types = {{"weight", *weight}, {"accum", "auto"}, {"result", "auto"}};
  if (!b->empty()) n.declared_types["bias"] = *b;
  n.declared_by = "QKeras " + c.layer.class_name + " '" + c.layer.name + "'";
}

void convert_qdense(Call& c) {
  ir::Node n = dense_node(c);
  declare_qkeras_weights(c, n);
  const std::string dense = c.add(std::move(n), c.layer.name);
  const std::string out = qkeras_activation(c, dense, c.layer.name + "_");
  if (!out.empty()) c.b.set_output(c.layer.name, out);
}

void convert_qactivation(Call& c) {
  const json& saved = c.layer.config.value("activation", json());
  if (saved.is_null()) c.malformed("QActivation has no activation");
  const std::string out = is_quantizer(saved)
                              ? quantized_activation(c, saved, c.only_input(), c.layer.name)
                              : activation(c, activation_name(c), c.only_input(), c.layer.name);
  if (!out.empty()) c.b.set_output(c.layer.name, out);
}

}  // namespace nnfpga::frontend::keras
