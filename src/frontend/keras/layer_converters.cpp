#include "frontend/keras/layer_converters.hpp"

#include "frontend/keras/cnn_layers.hpp"
#include "frontend/keras/hgq1_proxy.hpp"
#include "frontend/keras/hgq2_layers.hpp"
#include "frontend/keras/layer_call.hpp"
#include "frontend/keras/qkeras_layers.hpp"

#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "frontend/average.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend::keras {

ir::Node unary(ir::OpKind op, const std::string& input) {
  ir::Node n;
  n.op = op;
  n.inputs = {input};
  return n;
}

namespace {

// Keras 3's activations that are one of the IR's ops with fixed parameters, or two of them
// (selu: an ELU scaled). Keras's constants, from keras.activations.
constexpr double kSeluAlpha = 1.67326324235437728481;
constexpr double kSeluScale = 1.05070098735548049342;

std::string composed_activation(Call& c, const std::string& act, const std::string& input,
                                const std::string& name) {
  ir::Node n = unary(ir::OpKind::kClip, input);
  if (act == "leaky_relu") {
    // keras.activations.leaky_relu's default negative_slope (LeakyReLU the layer's is 0.3).
    n.op = ir::OpKind::kLeakyRelu;
    n.attrs.set("alpha", 0.2);
  } else if (act == "relu6" || act == "hard_tanh") {
    n.attrs.set("min", act == "relu6" ? 0.0 : -1.0);
    n.attrs.set("max", act == "relu6" ? 6.0 : 1.0);
  } else {  // selu: scale * elu(x, alpha)
    n.op = ir::OpKind::kElu;
    n.attrs.set("alpha", kSeluAlpha);
    const std::string elu = c.add(std::move(n), name + "_elu");
    ir::Node scale = unary(ir::OpKind::kMulConstant, elu);
    scale.params["value"] = ir::make_tensor({}, {kSeluScale});
    return c.add(std::move(scale), name);
  }
  return c.add(std::move(n), name);
}

}  // namespace

std::string activation(Call& c, const std::string& act, const std::string& input,
                       const std::string& name) {
  static const std::map<std::string, ir::OpKind> kinds = {
      {"relu", ir::OpKind::kRelu},         {"sigmoid", ir::OpKind::kSigmoid},
      {"tanh", ir::OpKind::kTanh},         {"softmax", ir::OpKind::kSoftmax},
      {"elu", ir::OpKind::kElu},           {"softsign", ir::OpKind::kSoftsign},
      {"softplus", ir::OpKind::kSoftplus}, {"hard_sigmoid", ir::OpKind::kHardSigmoid},
  };
  static const std::set<std::string> composed = {"leaky_relu", "relu6", "hard_tanh", "selu"};
  if (act == "linear" || act.empty()) return input;
  if (composed.count(act)) return composed_activation(c, act, input, name);
  auto it = kinds.find(act);
  if (it == kinds.end()) {
    c.refuse_elementwise("activation '" + act +
                             "' is not supported (relu, sigmoid, tanh, softmax, elu, selu, "
                             "softsign, softplus, hard_sigmoid, leaky_relu, relu6, hard_tanh, "
                             "linear); no op of nnfpga computes it exactly",
                         input);
    return "";
  }
  ir::Node n = unary(it->second, input);
  if (it->second == ir::OpKind::kElu) n.attrs.set("alpha", 1.0);
  if (it->second == ir::OpKind::kHardSigmoid) {
    // Keras 3: relu6(x + 3) / 6; Keras 2: clip(0.2 x + 0.5, 0, 1).
    const bool keras2 = c.b.keras_major() == 2;
    n.attrs.set("slope", keras2 ? 0.2 : 1.0 / 6.0);
    n.attrs.set("offset", 0.5);
  }
  return c.add(std::move(n), name);
}

ir::Node dense_node(Call& c) {
  const bool bias = c.config_or<bool>("use_bias", true);
  Weights w = c.named(bias ? std::vector<std::string>{"kernel", "bias"}
                           : std::vector<std::string>{"kernel"});
  const ir::Tensor& kernel = w.at("kernel");
  if (kernel.shape.size() != 2) c.malformed("the kernel is not a matrix");
  ir::Node n = unary(ir::OpKind::kDense, c.only_input());
  n.params["weight"] = kernel;
  n.params["bias"] =
      bias ? w.at("bias")
           : ir::make_tensor({kernel.shape[1]}, std::vector<double>(kernel.shape[1], 0.0));
  return n;
}

// Keras stores activations as a name, or (Keras 3 custom objects) as a serialized object.
std::string activation_name(const Call& c) {
  const json& a = c.layer.config.value("activation", json("linear"));
  if (a.is_string()) return a;
  if (a.is_object() && a.contains("config") && a["config"].is_string()) return a["config"];
  if (a.is_object() && a.contains("class_name") && a["class_name"].is_string()) {
    return a["class_name"];
  }
  c.malformed("unreadable activation " + a.dump());
}

namespace {

void convert_input(Call& c) {
  const json& cfg = c.layer.config;
  const json shape =
      cfg.contains("batch_shape") ? cfg["batch_shape"] : cfg.value("batch_input_shape", json());
  if (!shape.is_array() || shape.size() < 2) c.malformed("the InputLayer has no shape");
  std::vector<std::int64_t> dims;
  for (std::size_t i = 1; i < shape.size(); ++i) {
    if (!shape[i].is_number_integer() || shape[i].get<std::int64_t>() <= 0) {
      c.refuse("dimension " + std::to_string(i) +
               " is dynamic or zero: give the input a fixed "
               "shape (keras.Input((16,)))");
      return;
    }
    dims.push_back(shape[i]);
  }
  ir::Node n;
  n.op = ir::OpKind::kInput;
  n.attrs.set("shape", dims);
  c.b.set_output(c.layer.name, c.add(std::move(n), c.layer.name));
}

void convert_dense(Call& c) {
  ir::Node n = dense_node(c);
  const std::string dense = c.add(std::move(n), c.layer.name);
  const std::string act = activation_name(c);
  // hls4ml's names: the fused activation becomes its own layer, <dense>_<activation>.
  const std::string out = activation(c, act, dense, c.layer.name + "_" + act);
  if (!out.empty()) c.b.set_output(c.layer.name, out);
}

void convert_activation(Call& c) {
  const std::string out = activation(c, activation_name(c), c.only_input(), c.layer.name);
  if (!out.empty()) c.b.set_output(c.layer.name, out);
}

void convert_relu(Call& c) {
  const double slope = c.config_or<double>("negative_slope", 0.0);
  const double threshold = c.config_or<double>("threshold", 0.0);
  const json& max = c.layer.config.value("max_value", json());
  if (threshold != 0.0) {
    return c.refuse_elementwise("a non-zero threshold is not supported", c.only_input());
  }
  if (!max.is_null() && slope != 0.0) {
    return c.refuse_elementwise("max_value together with negative_slope is not supported",
                                c.only_input());
  }
  ir::Node n = unary(ir::OpKind::kRelu, c.only_input());
  if (!max.is_null()) {
    if (!max.is_number()) c.malformed("max_value is not a number");
    n.op = ir::OpKind::kClip;
    n.attrs.set("min", 0.0);
    n.attrs.set("max", max.get<double>());
  } else if (slope != 0.0) {
    n.op = ir::OpKind::kLeakyRelu;
    n.attrs.set("alpha", slope);
  }
  c.b.set_output(c.layer.name, c.add(std::move(n), c.layer.name));
}

void convert_leaky_relu(Call& c) {
  // Keras 3 calls it negative_slope (default 0.3), Keras 2 alpha (default 0.3).
  const double alpha = c.config_or<double>("negative_slope", c.config_or<double>("alpha", 0.3));
  ir::Node n = unary(ir::OpKind::kLeakyRelu, c.only_input());
  n.attrs.set("alpha", alpha);
  c.b.set_output(c.layer.name, c.add(std::move(n), c.layer.name));
}

// The layer's axis is the last one: -1, or the positive index of the last axis.
bool on_last_axis(const Call& c, const json& axis, std::size_t rank) {
  if (axis.is_array()) return axis.size() == 1 && on_last_axis(c, axis[0], rank);
  if (!axis.is_number_integer()) return false;
  const std::int64_t a = axis;
  return a == -1 || a == static_cast<std::int64_t>(rank);  // rank counts the batch axis
}

void convert_softmax(Call& c) {
  const std::string& in = c.only_input();
  if (!on_last_axis(c, c.layer.config.value("axis", json(-1)), c.b.shape_of(in).size())) {
    return c.refuse_elementwise("softmax over an axis other than the last is not supported", in);
  }
  c.b.set_output(c.layer.name, c.add(unary(ir::OpKind::kSoftmax, in), c.layer.name));
}

}  // namespace

std::optional<Weights> batchnorm_weights(Call& c) {
  const std::string& in = c.only_input();
  const ir::Shape& shape = c.b.shape_of(in);
  if (!on_last_axis(c, c.layer.config.value("axis", json(-1)), shape.size())) {
    c.refuse_elementwise("normalization over an axis other than the last is not supported", in);
    return std::nullopt;
  }
  std::vector<std::string> order;
  if (c.config_or<bool>("scale", true)) order.push_back("gamma");
  if (c.config_or<bool>("center", true)) order.push_back("beta");
  order.insert(order.end(), {"moving_mean", "moving_variance"});
  Weights w = c.named(order);
  for (const auto& [name, t] : w) {
    if (t.shape != ir::Shape{shape.back()}) {
      c.malformed(name + " does not match the input's channels");
    }
  }
  return w;
}

ir::Node batchnorm_node(Call& c, const Weights& w) {
  const std::string& in = c.only_input();
  const ir::Shape& shape = c.b.shape_of(in);
  const double epsilon = c.config_or<double>("epsilon", 1e-3);
  const std::int64_t channels = shape.back();
  std::vector<double> s(static_cast<std::size_t>(channels));
  std::vector<double> b(static_cast<std::size_t>(channels));
  for (std::size_t i = 0; i < s.size(); ++i) {
    const double gamma = w.count("gamma") ? w.at("gamma").data[i] : 1.0;
    const double beta = w.count("beta") ? w.at("beta").data[i] : 0.0;
    s[i] = gamma / std::sqrt(w.at("moving_variance").data[i] + epsilon);
    b[i] = beta - w.at("moving_mean").data[i] * s[i];
  }
  ir::Node n = unary(ir::OpKind::kBatchNorm, in);
  // The IR's batchnorm is element-wise over the whole input: the per-channel values broadcast.
  n.params["scale"] = ir::broadcast_to(ir::make_tensor({channels}, s), shape);
  n.params["bias"] = ir::broadcast_to(ir::make_tensor({channels}, b), shape);
  return n;
}

namespace {

void convert_batchnorm(Call& c) {
  const std::optional<Weights> w = batchnorm_weights(c);
  if (!w) return;
  c.b.set_output(c.layer.name, c.add(batchnorm_node(c, *w), c.layer.name));
}

void convert_elu(Call& c) {
  ir::Node n = unary(ir::OpKind::kElu, c.only_input());
  n.attrs.set("alpha", c.config_or<double>("alpha", 1.0));
  c.b.set_output(c.layer.name, c.add(std::move(n), c.layer.name));
}

void convert_prelu(Call& c) {
  const std::string& in = c.only_input();
  const ir::Shape& shape = c.b.shape_of(in);
  Weights w = c.named({"alpha"});
  ir::Node n = unary(ir::OpKind::kPRelu, in);
  // alpha has the input's shape with the shared axes of size 1: broadcast, one value per element.
  try {
    n.params["alpha"] = ir::broadcast_to(w.at("alpha"), shape);
  } catch (const Error&) {
    c.malformed("alpha " + ir::to_string(w.at("alpha").shape) + " does not fit the input " +
                ir::to_string(shape));
  }
  c.b.set_output(c.layer.name, c.add(std::move(n), c.layer.name));
}

// Add, Subtract, Multiply, Average, Maximum, Minimum: the IR op of the same name.
void convert_merge(Call& c) {
  const ir::OpKind kind = *ir::op_kind_from_name(c.layer.class_name);
  const std::size_t n = c.inputs.size();
  if (n < 2) c.malformed(c.layer.class_name + " needs at least two inputs");
  if (kind == ir::OpKind::kAverage && !average_is_shift(n)) {
    const std::string sum = c.add(exact_sum_node(c.inputs), c.layer.name + "_sum");
    c.b.set_output(c.layer.name, c.add(reciprocal_scale_node(sum, n), c.layer.name));
    return;
  }
  ir::Node node;
  node.op = kind;
  node.inputs = c.inputs;
  c.b.set_output(c.layer.name, c.add(std::move(node), c.layer.name));
}

void convert_concatenate(Call& c) {
  if (c.inputs.empty()) c.malformed("Concatenate has no inputs");
  // Keras counts the batch axis as 0; the IR's axes start after it. Negative axes count from the
  // end in both.
  const auto rank = static_cast<std::int64_t>(c.b.shape_of(c.inputs.front()).size());
  const json& axis = c.layer.config.value("axis", json(-1));
  if (!axis.is_number_integer()) c.malformed("Concatenate's axis is not an integer");
  const std::int64_t a = axis;
  if (a == 0 || a < -rank || a > rank) {
    return c.refuse("concatenation on axis " + std::to_string(a) +
                    " (the batch axis, or none of the inputs' axes) is not supported");
  }
  ir::Node node;
  node.op = ir::OpKind::kConcatenate;
  node.inputs = c.inputs;
  // The last axis is the attribute's default: left unset, as before Concatenate had an axis.
  if (a != -1 && a != rank) node.attrs.set("axis", a < 0 ? a : a - 1);
  c.b.set_output(c.layer.name, c.add(std::move(node), c.layer.name));
}

void convert_passthrough(Call& c) {
  c.b.pass_through(c.layer.name, c.only_input());
}

void convert_flatten(Call& c) {
  c.b.set_output(c.layer.name, c.add(unary(ir::OpKind::kFlatten, c.only_input()), c.layer.name));
}

void convert_reshape(Call& c) {
  const json& target = c.layer.config.value("target_shape", json());
  if (!target.is_array()) c.malformed("Reshape has no target_shape");
  std::vector<std::int64_t> shape;
  for (const json& d : target) {
    if (!d.is_number_integer()) c.malformed("target_shape holds a non-integer");
    shape.push_back(d);
  }
  ir::Node n = unary(ir::OpKind::kReshape, c.only_input());
  n.attrs.set("shape", shape);
  c.b.set_output(c.layer.name, c.add(std::move(n), c.layer.name));
}

// Permute: dims counts the axes after the batch from 1; the IR's Transpose perm from 0.
void convert_permute(Call& c) {
  const json& dims = c.layer.config.value("dims", json());
  if (!dims.is_array()) c.malformed("Permute has no dims");
  std::vector<std::int64_t> perm;
  for (const json& d : dims) {
    if (!d.is_number_integer() || d.get<std::int64_t>() < 1) {
      c.malformed("Permute's dims holds an entry that is not an axis counted from 1");
    }
    perm.push_back(d.get<std::int64_t>() - 1);
  }
  ir::Node n = unary(ir::OpKind::kTranspose, c.only_input());
  n.attrs.set("perm", perm);
  c.b.set_output(c.layer.name, c.add(std::move(n), c.layer.name));
}

// QKeras and HGQ2 both call their dense layer QDense.
void convert_any_qdense(Call& c) {
  if (is_hgq2_layer(c.layer)) return convert_hgq2_dense(c);
  convert_qdense(c);
}

using Converter = void (*)(Call&);

// HGQ2's layers that QKeras 0.9.0 does not have: a layer of that name from another module is
// no layer nnfpga knows.
template <Converter hgq2>
void convert_hgq2_only(Call& c) {
  if (is_hgq2_layer(c.layer)) return hgq2(c);
  c.refuse(c.layer.class_name +
           " is read as HGQ2's layer (module hgq.layers), and this one is "
           "not HGQ2's (QKeras 0.9.0 has no " +
           c.layer.class_name + ")");
}

// QKeras and HGQ2 both call their convolutions QConv1D and QConv2D.
void convert_any_qconv(Call& c) {
  if (is_hgq2_layer(c.layer)) return convert_hgq2_conv(c);
  convert_qconv(c);
}

// ... and their 2-D average pools QAveragePooling2D and QGlobalAveragePooling2D.
void convert_any_qaverage_pool(Call& c) {
  if (is_hgq2_layer(c.layer)) return convert_hgq2_average_pool(c);
  convert_qaverage_pool(c);
}

const std::map<std::string, Converter>& converters() {
  static const std::map<std::string, Converter> table = {
      {"InputLayer", convert_input},
      {"Dense", convert_dense},
      {"Activation", convert_activation},
      {"ReLU", convert_relu},
      {"LeakyReLU", convert_leaky_relu},
      {"ELU", convert_elu},
      {"PReLU", convert_prelu},
      {"Add", convert_merge},
      {"Subtract", convert_merge},
      {"Multiply", convert_merge},
      {"Average", convert_merge},
      {"Maximum", convert_merge},
      {"Minimum", convert_merge},
      {"Concatenate", convert_concatenate},
      {"Softmax", convert_softmax},
      {"BatchNormalization", convert_batchnorm},
      {"Dropout", convert_passthrough},
      {"GaussianNoise", convert_passthrough},
      {"GaussianDropout", convert_passthrough},
      {"AlphaDropout", convert_passthrough},
      {"Flatten", convert_flatten},
      {"Reshape", convert_reshape},
      {"Permute", convert_permute},
      {"Conv1D", convert_conv},
      {"Conv2D", convert_conv},
      {"DepthwiseConv1D", convert_depthwise},
      {"DepthwiseConv2D", convert_depthwise},
      {"SeparableConv1D", convert_separable},
      {"SeparableConv2D", convert_separable},
      {"MaxPooling1D", convert_pool},
      {"MaxPooling2D", convert_pool},
      {"AveragePooling1D", convert_pool},
      {"AveragePooling2D", convert_pool},
      {"GlobalMaxPooling1D", convert_global_pool},
      {"GlobalMaxPooling2D", convert_global_pool},
      {"GlobalAveragePooling1D", convert_global_pool},
      {"GlobalAveragePooling2D", convert_global_pool},
      {"ZeroPadding1D", convert_zero_padding},
      {"ZeroPadding2D", convert_zero_padding},
      {"Cropping1D", convert_cropping},
      {"Cropping2D", convert_cropping},
      {"UpSampling1D", convert_upsampling},
      {"UpSampling2D", convert_upsampling},
      {"QDense", convert_any_qdense},
      {"QConv1D", convert_any_qconv},
      {"QConv2D", convert_any_qconv},
      {"QConv2DBatchnorm", convert_qconv_batchnorm},
      {"QDepthwiseConv2D", convert_qdepthwise},
      {"QDepthwiseConv2DBatchnorm", convert_qdepthwise_batchnorm},
      {"QSeparableConv1D", convert_qseparable},
      {"QSeparableConv2D", convert_qseparable},
      {"QAveragePooling1D", convert_hgq2_only<convert_hgq2_average_pool>},
      {"QAveragePooling2D", convert_any_qaverage_pool},
      {"QGlobalAveragePooling1D", convert_hgq2_only<convert_hgq2_average_pool>},
      {"QGlobalAveragePooling2D", convert_any_qaverage_pool},
      {"QGlobalMaxPooling1D", convert_hgq2_only<convert_hgq2_global_max_pool>},
      {"QGlobalMaxPooling2D", convert_hgq2_only<convert_hgq2_global_max_pool>},
      {"QMaxPooling1D", convert_hgq2_only<convert_hgq2_max_pool>},
      {"QMaxPooling2D", convert_hgq2_only<convert_hgq2_max_pool>},
      {"QActivation", convert_qactivation},
      {"QBatchNormalization", convert_qbatchnorm},
      {"FixedPointQuantizer", convert_fixed_point_quantizer},
      {"HGQ>FixedPointQuantizer", convert_fixed_point_quantizer},
      {"UnaryLUT", refuse_unary_lut},
      {"HGQ>UnaryLUT", refuse_unary_lut},
  };
  return table;
}

}  // namespace

void convert_layer(GraphBuilder& builder, const KerasLayer& layer,
                   const std::vector<std::string>& inputs, LayerWeights weights) {
  Call call{builder, layer, inputs, std::move(weights.own), std::move(weights.nested)};
  auto it = converters().find(layer.class_name);
  if (it == converters().end()) {
    // Element-wise layers keep their (first) input's shape, so the layers after them can still
    // be read and their own problems reported in the same error.
    static const std::set<std::string> elementwise = {"ThresholdedReLU"};
    // QKeras layers known but not read, with why (docs/quantized-models.md).
    static const std::map<std::string, std::string> not_yet = {
        {"QDenseBatchnorm",
         "QDenseBatchnorm is not part of QKeras 0.9.0, the last release (it exists only in "
         "QKeras's repository after it), and is not read; use QDense followed by "
         "QBatchNormalization"},
    };
    const auto known = not_yet.find(layer.class_name);
    const std::string why =
        known != not_yet.end() ? known->second : std::string("no converter for this layer class");
    if (elementwise.count(layer.class_name) && !inputs.empty()) {
      call.refuse_elementwise(why, inputs.front());
    } else {
      call.refuse(why);
    }
    return;
  }
  it->second(call);
}

std::vector<std::string> supported_layer_classes() {
  std::vector<std::string> names;
  for (const auto& [name, converter] : converters()) names.push_back(name);
  return names;
}

}  // namespace nnfpga::frontend::keras
