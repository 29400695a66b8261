// QKeras's QAveragePooling2D and QGlobalAveragePooling2D (QKeras 0.9.0, qkeras/qpooling.py).
// QKeras averages with Keras's own layer (float32: sum / n), multiplies by the pool area back,
// then, with an average_quantizer q, by q(1/area), the quantizer applied to the float32 1/area:
//   y = ((sum / n) * area) * q(1/area), then the activation.
// n is the area wherever the window lies inside the input ('valid', and a global pool), and the
// float32 (sum / area) * area gives the sum back for every sum below 2^23 at most small areas
// (2..6, 8..10, 12, 16..18, 20, 24, 32..34, 36, 40, 48, 64..66, ...; enumerated by
// tools/keras2_fixtures/qkeras_cnn_models.py, areas_returning_every_sum; docs/quantized-models.md
// measures what happens at the others): QKeras's result is then sum * q(1/area) exactly, which
// is a DepthwiseConv2D whose every weight is q(1/area), its sum and result exact (`auto`). The
// IR's AveragePool divides instead, and rounds, so it is not used.
// Without an average_quantizer the layer is Keras's average: an AveragePool2D (or
// GlobalAveragePool2D) whose result is the activation quantizer's type when it has one (the
// exact quotient rounded once, as QKeras's float32 quotient is rounded by the quantizer).
#include "fixed/exact_type.hpp"
#include "frontend/keras/cnn_layers.hpp"
#include "frontend/keras/qkeras_layers.hpp"
#include "frontend/keras/qkeras_parameter.hpp"
#include "frontend/keras/qkeras_quantizer.hpp"

namespace nnfpga::frontend::keras {
namespace {

bool is_global(const Call& c) {
  return c.layer.class_name.rfind("QGlobal", 0) == 0;
}

// q(1/area) as QKeras computes it (the quantizer on the float32 1/area), or nullopt after
// refusing the layer.
std::optional<double> quantized_reciprocal(Call& c, const json& saved, std::int64_t area) {
  const QKerasQuantizer q =
      parse_qkeras_quantizer(saved, "layer '" + c.layer.name + "' average_quantizer");
  const float reciprocal = 1.0f / static_cast<float>(area);
  std::string why;
  const std::optional<ir::Tensor> t =
      qkeras_quantize_parameter(q, ir::make_tensor({1}, {reciprocal}), why, true);
  if (!t) {
    c.refuse("average_quantizer " + (saved.is_string() ? saved.get<std::string>() : q.kind) + ": " +
             why);
    return std::nullopt;
  }
  return t->data.front();
}

// The type the activation quantizer gives the average (quantized_bits, or quantized_relu without
// a negative slope: a cast), or nullopt for another activation.
std::optional<std::string> activation_cast_type(const Call& c) {
  const json& saved = c.layer.config.value("activation", json());
  if (saved.is_null() ||
      (saved.is_string() && saved.get<std::string>().find('(') == std::string::npos)) {
    return std::nullopt;  // none, or a Keras activation by name
  }
  const QKerasQuantizer q =
      parse_qkeras_quantizer(saved, "layer '" + c.layer.name + "' activation");
  const bool cast =
      q.kind == "quantized_bits" || (q.kind == "quantized_relu" && relu_negative_slope(q) == 0);
  if (!cast) return std::nullopt;
  const QuantizerType t = qkeras_type(q, false);
  if (!t.type) return std::nullopt;  // the activation itself refuses the layer with the reason
  return fixed::to_string(*t.type);
}

// Keras's average (no average_quantizer): the IR's pool.
std::optional<ir::Node> keras_average(Call& c, const std::string& input) {
  std::optional<ir::Node> n;
  if (is_global(c)) {
    n = unary(ir::OpKind::kGlobalAveragePool2D, input);
  } else {
    n = pool_node(c, input);
    if (!n) return std::nullopt;
  }
  if (const std::optional<std::string> t = activation_cast_type(c)) {
    n->declared_types["result"] = *t;
    n->declared_by = "QKeras " + c.layer.class_name + " '" + c.layer.name +
                     "' (the average rounded once by its activation's type)";
  }
  return n;
}

// sum * q(1/area) as a DepthwiseConv2D over the pool's windows with the constant weight.
std::optional<ir::Node> quantized_average(Call& c, const std::string& input, const json& saved) {
  const ir::Shape& shape = c.b.shape_of(input);
  std::vector<std::int64_t> size = {shape.at(0), shape.at(1)}, strides = size;
  if (!is_global(c)) {
    const std::optional<ir::Node> pool = pool_node(c, input);
    if (!pool) return std::nullopt;
    for (const std::int64_t pad : pool->attrs.get_ints("pads")) {
      if (pad != 0) {
        c.refuse(
            "padding='same' with an average_quantizer over windows that cross the border: QKeras "
            "multiplies their average of fewer elements by the whole pool area, which no layer of "
            "nnfpga computes; use padding='valid' or input sizes the strides divide");
        return std::nullopt;
      }
    }
    size = pool->attrs.get_ints("pool_size");
    strides = pool->attrs.get_ints("strides");
  }
  const std::optional<double> weight = quantized_reciprocal(c, saved, size[0] * size[1]);
  if (!weight) return std::nullopt;
  const std::int64_t channels = shape.back();
  ir::Node n = unary(ir::OpKind::kDepthwiseConv2D, input);
  n.params["weight"] = ir::make_tensor(
      {size[0], size[1], channels, 1},
      std::vector<double>(static_cast<std::size_t>(size[0] * size[1] * channels), *weight));
  n.attrs.set("strides", strides);
  n.attrs.set("dilations", std::vector<std::int64_t>{1, 1});
  n.attrs.set("pads", std::vector<std::int64_t>{0, 0, 0, 0});
  n.declared_types = {{"weight", fixed::to_string(*fixed::exact_type_of({*weight}))},
                      {"accum", "auto"},
                      {"result", "auto"}};
  n.declared_by = "QKeras " + c.layer.class_name + " '" + c.layer.name +
                  "' (the window's sum times average_quantizer(1/area), exact)";
  n.source_op = c.layer.class_name + " (sum times the quantized 1/area)";
  return n;
}

}  // namespace

void convert_qaverage_pool(Call& c) {
  if (c.config_or<std::string>("data_format", "channels_last") != "channels_last") {
    return c.refuse(
        "data_format='channels_first' is not supported: nnfpga's feature maps are "
        "channels-last");
  }
  const std::string& input = c.only_input();
  if (c.b.shape_of(input).size() != 3) {
    c.malformed("expects a [H, W, C] feature map, has " + ir::to_string(c.b.shape_of(input)));
  }
  const json& saved = c.layer.config.value("average_quantizer", json());
  std::optional<ir::Node> n =
      saved.is_null() ? keras_average(c, input) : quantized_average(c, input, saved);
  if (!n) return;
  // A global pool's [C] (or [1, 1, C] with keepdims): the depthwise form gives [1, 1, C].
  const bool global = is_global(c);
  const bool keepdims = c.config_or<bool>("keepdims", false);
  const bool reshape = global && (saved.is_null() ? keepdims : !keepdims);
  std::string out = c.add(std::move(*n), reshape ? c.layer.name + "_pool" : c.layer.name);
  if (reshape) {
    ir::Node r = unary(ir::OpKind::kReshape, out);
    const std::int64_t channels = c.b.shape_of(out).back();
    r.attrs.set("shape", keepdims ? std::vector<std::int64_t>{1, 1, channels}
                                  : std::vector<std::int64_t>{channels});
    out = c.add(std::move(r), c.layer.name);
  }
  out = qkeras_activation(c, out, c.layer.name + "_");
  if (!out.empty()) c.b.set_output(c.layer.name, out);
}

}  // namespace nnfpga::frontend::keras
