#include "frontend/keras/hgq2_layers.hpp"

#include <algorithm>
#include <optional>

#include "fixed/exact.hpp"
#include "fixed/exact_type.hpp"
#include "frontend/keras/cnn_layers.hpp"
#include "frontend/keras/hgq2_constant.hpp"
#include "frontend/keras/hgq2_quantizer.hpp"
#include "ir/element_types.hpp"

namespace nnfpga::frontend::keras {
namespace {

// The layer's quantizer `role` ("iq", "kq", "bq", "oq"); nullopt after refusing the layer.
std::optional<Hgq2Quantizer> quantizer(Call& c, const std::string& role) {
  const json& conf = c.layer.config.value(role + "_conf", json());
  if (!conf.is_object()) c.malformed(role + "_conf is missing from the layer's config");
  auto vars = c.nested.find(role + "/quantizer");
  if (vars == c.nested.end()) {
    c.malformed("the file has no bit widths for its " + role + " quantizer (layers/<group>/" +
                role + "/quantizer/vars)");
  }
  Hgq2Decoded d;
  try {
    d = decode_hgq2_quantizer(conf, vars->second, role + " quantizer");
  } catch (const Error& e) {
    throw e.located({.file = c.b.origin(), .node = c.layer.name});
  }
  if (!d.quantizer) c.refuse(role + ": " + d.refusal);
  return std::move(d.quantizer);
}

// The type of each element of a tensor of `shape` (no batch axis) under activation quantizer
// `q`, whose bit widths broadcast over the batch and the axes where they are 1 (nullopt: HGQ2
// zeroes the element).
std::vector<std::optional<fixed::FixedType>> element_types(Call& c, const Hgq2Quantizer& q,
                                                           const std::string& role,
                                                           const ir::Shape& shape) {
  bool fits = q.bw_shape.size() == shape.size() + 1 && q.bw_shape[0] == 1;
  for (std::size_t d = 0; fits && d < shape.size(); ++d) {
    fits = q.bw_shape[d + 1] == 1 || q.bw_shape[d + 1] == shape[d];
  }
  if (!fits) {
    c.malformed(role + " quantizer: the bit widths' shape " + ir::to_string(q.bw_shape) +
                " does not fit the activation's [batch, " + ir::to_string(shape).substr(1));
  }
  std::vector<std::optional<fixed::FixedType>> out;
  const std::int64_t n = ir::element_count(shape);
  for (std::int64_t k = 0; k < n; ++k) {
    // Row-major coordinates of element k, mapped onto the bit widths' (broadcast) index.
    std::int64_t rest = k, index = 0, stride = 1;
    for (std::size_t d = shape.size(); d-- > 0;) {
      const std::int64_t coordinate = rest % shape[d];
      rest /= shape[d];
      if (q.bw_shape[d + 1] != 1) index += coordinate * stride;
      stride *= q.bw_shape[d + 1];
    }
    out.push_back(hgq2_element_type(q, static_cast<std::size_t>(index)));
  }
  return out;
}

// `input` cast by the layer's activation quantizer `role`, as a Quantize node: one declared type
// when every element has the same (also stored in `one`, when given), else per-element types
// (ir/element_types.hpp) and the result inferred. `input` itself after refusing the layer, so
// that the layers after it are still read.
std::string quantized(Call& c, const std::string& input, const std::string& role,
                      std::optional<fixed::FixedType>* one = nullptr) {
  const std::optional<Hgq2Quantizer> q = quantizer(c, role);
  if (!q) return input;
  const std::vector<std::optional<fixed::FixedType>> types =
      element_types(c, *q, role, c.b.shape_of(input));
  bool all_zero = true, one_type = true;
  for (const auto& t : types) {
    all_zero = all_zero && !t;
    one_type = one_type && t == types.front();
  }
  if (all_zero) {
    c.refuse(role + ": every element has 0 bits, so HGQ2 outputs zeros; nnfpga has no 0-bit type");
    return input;
  }
  ir::Node n = unary(ir::OpKind::kQuantize, input);
  if (one_type) {
    n.declared_types["result"] = fixed::to_string(*types.front());
    if (one) *one = types.front();
  } else {
    n.attrs.set(ir::kElementTypes, ir::format_element_types(types));
    n.declared_types["result"] = "auto";
  }
  n.declared_by = "HGQ2 " + role + " of layer '" + c.layer.name + "'";
  return c.add(std::move(n), c.layer.name + "_" + role);
}

// Whether every value of `t` is a value of type `type` (the cast changes none).
bool holds_exactly(const fixed::FixedType& type, const ir::Tensor& t) {
  for (double v : t.data) {
    const fixed::CastResult r = fixed::cast_double(v, type);
    if (r.overflowed || fixed::to_double(fixed::mantissa_value(r.mantissa, type), type) != v) {
      return false;
    }
  }
  return true;
}

// The type the Dense declares for `t` quantized by `q`: the quantizer's own when it has one
// type for the whole tensor and HGQ2's float32 arithmetic kept every value inside it, else the
// exact type of the quantized values (per-channel or per-element bit widths, 0-bit elements).
std::optional<std::string> parameter_type(Call& c, const Hgq2Quantizer& q, const ir::Tensor& t,
                                          const std::string& role) {
  std::optional<fixed::FixedType> one = hgq2_element_type(q, 0);
  for (std::size_t e = 1; one && e < q.k.size(); ++e) {
    if (hgq2_element_type(q, e) != one) one.reset();
  }
  if (one && !q.round_only && holds_exactly(*one, t)) return fixed::to_string(*one);
  if (const std::optional<fixed::FixedType> exact = fixed::exact_type_of(t.data)) {
    return fixed::to_string(*exact);
  }
  c.refuse(role + ": the quantized values need more than 64 bits");
  return std::nullopt;
}

// `t` (the kernel or the bias) quantized by quantizer `role`, and its type; nullopt after
// refusing the layer (`t` then keeps its float values).
std::optional<std::string> quantize_parameter(Call& c, ir::Tensor& t, const std::string& role) {
  const std::optional<Hgq2Quantizer> q = quantizer(c, role);
  if (!q) return std::nullopt;
  try {
    t = hgq2_quantize_constant(*q, t, role + " quantizer");
  } catch (const Error& e) {
    throw e.located({.file = c.b.origin(), .node = c.layer.name});
  }
  return parameter_type(c, *q, t, role);
}

}  // namespace

bool is_hgq2_layer(const KerasLayer& layer) {
  return layer.module.rfind("hgq", 0) == 0 || layer.config.contains("kq_conf");
}

namespace {

// The layer's output: its activation (relu exact, as HGQ2 leaves values unquantized between
// quantizers; others as Keras's), then oq when enabled (hgq's QLayerMeta call wrapper applies
// it to the layer's output). Sets the layer's output; nothing after refusing the activation.
void finish(Call& c, const std::string& node) {
  const std::string act = activation_name(c);
  std::string out;
  if (act == "relu") {
    ir::Node relu = unary(ir::OpKind::kRelu, node);
    relu.declared_types["result"] = "auto";
    relu.declared_by =
        "HGQ2 " + c.layer.class_name + " '" + c.layer.name + "' (unquantized between quantizers)";
    out = c.add(std::move(relu), c.layer.name + "_relu");
  } else {
    out = activation(c, act, node, c.layer.name + "_" + act);
    if (out.empty()) return;
  }
  if (c.config_or<bool>("enable_oq", false)) out = quantized(c, out, "oq");
  c.b.set_output(c.layer.name, out);
}

// QDense, QConv1D, QConv2D: iq, the op with the kernel and bias quantized by kq and bq (their
// exact types declared, the sum inferred exact), the activation and oq.
void convert_weighted(Call& c, bool conv) {
  const bool use_bias = c.config_or<bool>("use_bias", true);
  if (!c.layer.config.value("quantization_config", json()).is_null()) {
    c.refuse("Keras's own quantization_config is not read");
  }
  std::vector<std::string> order = {"kernel"};
  if (use_bias) order.push_back("bias");
  // EBOPs bookkeeping for training, not part of what the layer computes.
  if (c.config_or<bool>("enable_ebops", false)) order.insert(order.end(), {"beta", "ebops"});
  Weights w = c.named(order);
  ir::Tensor kernel = w.at("kernel");
  if (!conv && kernel.shape.size() != 2) c.malformed("the kernel is not a matrix");
  const std::int64_t outputs = kernel.shape.back();
  // Dense always has a bias (zeros without one); a convolution's is optional.
  std::optional<ir::Tensor> bias;
  if (use_bias) {
    bias = w.at("bias");
  } else if (!conv) {
    bias = ir::make_tensor({outputs}, std::vector<double>(static_cast<std::size_t>(outputs), 0.0));
  }

  const std::string input =
      c.config_or<bool>("enable_iq", true) ? quantized(c, c.only_input(), "iq") : c.only_input();
  // A refused quantizer leaves the op undeclared; the layers after it are still read and
  // their own problems reported in the same error.
  const std::optional<std::string> weight_type = quantize_parameter(c, kernel, "kq");
  std::optional<std::string> bias_type;
  if (use_bias) {
    bias_type = quantize_parameter(c, *bias, "bq");
  } else if (bias) {
    bias_type = fixed::to_string(*fixed::exact_type_of(bias->data));
  }
  ir::Node n;
  if (conv) {
    std::optional<ir::Node> node = conv_node(c, input, kernel, bias);
    if (!node) return;
    n = std::move(*node);
  } else {
    n = unary(ir::OpKind::kDense, input);
    n.params["weight"] = kernel;
    n.params["bias"] = *bias;
  }
  if (weight_type && (bias_type || !bias)) {
    // HGQ2 leaves the sum unquantized: its exact type, inferred.
    n.declared_types = {{"weight", *weight_type}, {"accum", "auto"}, {"result", "auto"}};
    if (bias_type) n.declared_types["bias"] = *bias_type;
    n.declared_by = "HGQ2 " + c.layer.class_name + " '" + c.layer.name + "'";
  }
  finish(c, c.add(std::move(n), c.layer.name));
}

}  // namespace

void convert_hgq2_dense(Call& c) {
  convert_weighted(c, false);
}

void convert_hgq2_conv(Call& c) {
  convert_weighted(c, true);
}

void convert_hgq2_max_pool(Call& c) {
  const std::string input =
      c.config_or<bool>("enable_iq", true) ? quantized(c, c.only_input(), "iq") : c.only_input();
  std::optional<ir::Node> n = pool_node(c, input);
  if (!n) return;
  // The maximum is one of its inputs: the input's type, exact.
  n->declared_types["result"] = "auto";
  n->declared_by = "HGQ2 " + c.layer.class_name + " '" + c.layer.name + "'";
  std::string out = c.add(std::move(*n), c.layer.name);
  if (c.config_or<bool>("enable_oq", false)) out = quantized(c, out, "oq");
  c.b.set_output(c.layer.name, out);
}

namespace {

// The type an average of values of type `in` over at most `area` elements is written in when
// HGQ2 leaves it unquantized (float32) for the next quantizer: exact for a power-of-two area
// (`area`'s bits more fraction); otherwise 10 more fraction bits than that, so that the one
// rounding there cannot move the quotient onto a tie of a next quantizer of up to 8 fraction
// bits more than `in` (the quotient of a sum on in's grid by n stays 2^-f/n away from any such
// tie it does not equal). The integer bits are the input's: an average lies between its values.
fixed::FixedType hgq2_average_type(const fixed::FixedType& in, std::int64_t area) {
  int bits = 0;
  while ((std::int64_t{1} << bits) < area) ++bits;
  const bool power_of_two = (std::int64_t{1} << bits) == area;
  const int frac =
      std::min(in.frac() + bits + (power_of_two ? 0 : 10), fixed::kMaxTypeWidth - in.integer);
  return fixed::make_fixed(in.integer + frac, in.integer, in.is_signed,
                           fixed::Quantization::kRndConv, fixed::Overflow::kWrap);
}

}  // namespace

namespace {

// The average pool of an HGQ2 layer over `input` ([W, C] or [H, W, C]) and the number of
// elements of its largest window; nullopt after refusing the layer.
std::optional<ir::Node> hgq2_average_node(Call& c, const std::string& input, std::int64_t& area) {
  const ir::Shape shape = c.b.shape_of(input);
  area = 1;
  if (c.layer.class_name.rfind("QGlobal", 0) == 0) {
    if (c.config_or<std::string>("data_format", "channels_last") != "channels_last") {
      c.refuse(
          "data_format='channels_first' is not supported: nnfpga's feature maps are "
          "channels-last");
      return std::nullopt;
    }
    const bool two = c.layer.class_name.find("2D") != std::string::npos;
    if (shape.size() != (two ? 3u : 2u)) {
      c.malformed("expects a feature map of " + std::string(two ? "[H, W, C]" : "[W, C]") +
                  ", has " + ir::to_string(shape));
    }
    for (std::size_t a = 0; a + 1 < shape.size(); ++a) area *= shape[a];
    return unary(two ? ir::OpKind::kGlobalAveragePool2D : ir::OpKind::kGlobalAveragePool1D, input);
  }
  std::optional<ir::Node> n = pool_node(c, input);
  if (!n) return std::nullopt;
  for (const std::int64_t k : n->attrs.get_ints("pool_size")) area *= k;
  const std::vector<std::int64_t> pads = n->attrs.get_ints("pads");
  for (std::size_t a = 0; a + 1 < pads.size(); a += 2) {
    if (pads[a] != pads[a + 1]) {
      c.refuse("padding='same' pads this input unevenly (" + std::to_string(pads[a]) + " before, " +
               std::to_string(pads[a + 1]) +
               " after), where Keras 3's backends disagree: on torch the border windows repeat "
               "the edge values and divide by the pool size, on TensorFlow and JAX they average "
               "their elements only; choose sizes that pad evenly, or padding='valid'");
      return std::nullopt;
    }
  }
  return n;
}

// The one type of every element of `q`, or nullopt when they differ.
std::optional<fixed::FixedType> one_type_of(const Hgq2Quantizer& q) {
  std::optional<fixed::FixedType> one = hgq2_element_type(q, 0);
  for (std::size_t e = 1; one && e < q.k.size(); ++e) {
    if (hgq2_element_type(q, e) != one) one.reset();
  }
  return one;
}

}  // namespace

// A global pool's output `out` kept as [1, C] / [1, 1, C] with keepdims, then the layer's oq;
// sets the layer's output.
void finish_hgq2_pool(Call& c, std::string out, const ir::Shape& input_shape, bool keepdims,
                      const std::optional<Hgq2Quantizer>& oq) {
  if (keepdims) {
    ir::Node r = unary(ir::OpKind::kReshape, out);
    std::vector<std::int64_t> kept(input_shape.size() - 1, 1);
    kept.push_back(input_shape.back());
    r.attrs.set("shape", kept);
    out = c.add(std::move(r), c.layer.name);
  }
  if (oq) out = quantized(c, out, "oq");
  c.b.set_output(c.layer.name, out);
}

void convert_hgq2_average_pool(Call& c) {
  std::optional<fixed::FixedType> in_type;
  const std::string input = c.config_or<bool>("enable_iq", true)
                                ? quantized(c, c.only_input(), "iq", &in_type)
                                : c.only_input();
  std::int64_t area = 1;
  std::optional<ir::Node> n = hgq2_average_node(c, input, area);
  if (!n) return;
  // HGQ2 averages in float32 (sum / n) and leaves it for oq, or the next layer's iq, to round.
  std::optional<Hgq2Quantizer> oq;  // nullopt without oq, or after refusing it
  if (c.config_or<bool>("enable_oq", false)) oq = quantizer(c, "oq");
  const std::optional<fixed::FixedType> oq_type = oq ? one_type_of(*oq) : std::nullopt;
  if (oq_type) {
    n->declared_types["result"] = fixed::to_string(*oq_type);  // rounded once, as HGQ2 does
  } else if (in_type) {
    n->declared_types["result"] = fixed::to_string(hgq2_average_type(*in_type, area));
  }
  if (!n->declared_types.empty()) {
    n->declared_by = "HGQ2 " + c.layer.class_name + " '" + c.layer.name + "'";
  }
  const ir::Shape shape = c.b.shape_of(input);
  const bool keepdims =
      n->op == ir::OpKind::kGlobalAveragePool1D || n->op == ir::OpKind::kGlobalAveragePool2D
          ? c.config_or<bool>("keepdims", false)
          : false;
  const std::string out = c.add(std::move(*n), keepdims ? c.layer.name + "_pool" : c.layer.name);
  finish_hgq2_pool(c, out, shape, keepdims, oq);
}

void convert_hgq2_global_max_pool(Call& c) {
  if (c.config_or<std::string>("data_format", "channels_last") != "channels_last") {
    return c.refuse(
        "data_format='channels_first' is not supported: nnfpga's feature maps are "
        "channels-last");
  }
  const std::string input =
      c.config_or<bool>("enable_iq", true) ? quantized(c, c.only_input(), "iq") : c.only_input();
  const ir::Shape shape = c.b.shape_of(input);
  const bool two = c.layer.class_name.find("2D") != std::string::npos;
  if (shape.size() != (two ? 3u : 2u)) {
    c.malformed("expects a feature map of " + std::string(two ? "[H, W, C]" : "[W, C]") + ", has " +
                ir::to_string(shape));
  }
  ir::Node n = unary(two ? ir::OpKind::kGlobalMaxPool2D : ir::OpKind::kGlobalMaxPool1D, input);
  // The maximum is one of its inputs: the input's type, exact.
  n.declared_types["result"] = "auto";
  n.declared_by = "HGQ2 " + c.layer.class_name + " '" + c.layer.name + "'";
  const bool keepdims = c.config_or<bool>("keepdims", false);
  const std::string out = c.add(std::move(n), keepdims ? c.layer.name + "_pool" : c.layer.name);
  std::optional<Hgq2Quantizer> oq;
  if (c.config_or<bool>("enable_oq", false)) oq = quantizer(c, "oq");
  finish_hgq2_pool(c, out, shape, keepdims, oq);
}

}  // namespace nnfpga::frontend::keras
