#include "frontend/keras/cnn_layers.hpp"

#include <algorithm>

#include "frontend/separable.hpp"

namespace nnfpga::frontend::keras {
namespace {

using Ints = std::vector<std::int64_t>;

// 1 for the *1D classes, 2 for the *2D ones (the last "1D" or "2D" in the class name: QKeras's
// QConv2DBatchnorm has a suffix after it).
int spatial_axes(const Call& c) {
  const std::string& cls = c.layer.class_name;
  const std::size_t one = cls.rfind("1D"), two = cls.rfind("2D");
  if (one != std::string::npos && (two == std::string::npos || one > two)) return 1;
  if (two != std::string::npos) return 2;
  c.malformed("a layer class without 1D or 2D in its name");
}

// The IR's feature maps are channels-last: a channels_first layer would read its axes in
// another order. False after refusing the layer.
bool channels_last(const Call& c) {
  const std::string format = c.config_or<std::string>("data_format", "channels_last");
  if (format == "channels_last") return true;
  c.refuse("data_format='" + format +
           "' is not supported: nnfpga's feature maps are channels-last; build the model with "
           "data_format='channels_last' (Keras's default)");
  return false;
}

// A per-axis setting: one integer for every axis, or a list of `axes` integers (Keras writes
// tuples as lists; Keras 2 sometimes a single integer).
Ints per_axis(const Call& c, const std::string& key, int axes, std::int64_t fallback) {
  const json& v = c.layer.config.value(key, json());
  if (v.is_null()) return Ints(static_cast<std::size_t>(axes), fallback);
  if (v.is_number_integer()) return Ints(static_cast<std::size_t>(axes), v.get<std::int64_t>());
  if (!v.is_array() || v.size() != static_cast<std::size_t>(axes)) {
    c.malformed("config key '" + key + "' is not " + std::to_string(axes) +
                " integer(s): " + v.dump());
  }
  Ints out;
  for (const json& e : v) {
    if (!e.is_number_integer()) c.malformed("config key '" + key + "' holds " + e.dump());
    out.push_back(e);
  }
  return out;
}

// Per axis (before, after): [[t, b], [l, r]] for 2-D, [l, r] for 1-D, or one integer (or one
// per axis) for both sides, as ZeroPadding and Cropping accept them.
Ints per_side(const Call& c, const std::string& key, int axes) {
  const json& v = c.layer.config.value(key, json());
  auto bad = [&]() { c.malformed("config key '" + key + "' is unreadable: " + v.dump()); };
  Ints out;
  auto pair = [&](const json& p) {
    if (p.is_number_integer()) {
      out.insert(out.end(), 2, p.get<std::int64_t>());
    } else if (p.is_array() && p.size() == 2 && p[0].is_number_integer() &&
               p[1].is_number_integer()) {
      out.push_back(p[0]);
      out.push_back(p[1]);
    } else {
      bad();
    }
  };
  if (v.is_number_integer()) {
    for (int a = 0; a < axes; ++a) pair(v);
  } else if (axes == 1) {
    pair(v);
  } else if (v.is_array() && v.size() == 2) {
    pair(v[0]);
    pair(v[1]);
  } else {
    bad();
  }
  return out;
}

// The input's spatial sizes ([H,] W), checking its rank against the layer's axes.
Ints spatial_sizes(const Call& c, const std::string& input, int axes) {
  const ir::Shape& shape = c.b.shape_of(input);
  if (shape.size() != static_cast<std::size_t>(axes) + 1) {
    c.malformed("expects a [" + std::string(axes == 2 ? "H, " : "") + "W, C] feature map, has " +
                ir::to_string(shape));
  }
  return Ints(shape.begin(), shape.end() - 1);
}

// Keras's `padding` as explicit pads [before, after] per axis: 'valid' none, 'same' TensorFlow's
// (the total that makes out = ceil(in / s), its odd extra at the end), 'causal' (Conv1D) all of
// d * (k - 1) before. nullopt after refusing another value.
std::optional<Ints> pads(const Call& c, const Ints& in, const Ints& kernel, const Ints& strides,
                         const Ints& dilations) {
  const std::string padding = c.config_or<std::string>("padding", "valid");
  Ints out;
  for (std::size_t a = 0; a < in.size(); ++a) {
    const std::int64_t span = dilations[a] * (kernel[a] - 1) + 1;
    if (padding == "valid") {
      out.insert(out.end(), {0, 0});
    } else if (padding == "same") {
      const std::int64_t positions = (in[a] + strides[a] - 1) / strides[a];
      const std::int64_t total =
          std::max<std::int64_t>((positions - 1) * strides[a] + span - in[a], 0);
      out.insert(out.end(), {total / 2, total - total / 2});
    } else if (padding == "causal" && in.size() == 1) {
      out.insert(out.end(), {span - 1, 0});
    } else {
      c.refuse("padding='" + padding + "' is not supported (valid, same" +
               std::string(in.size() == 1 ? ", causal" : "") + ")");
      return std::nullopt;
    }
  }
  return out;
}

// The fused activation of a Conv layer, named as hls4ml names Dense's: <layer>_<activation>.
void finish_with_activation(Call& c, const std::string& node) {
  const std::string act = activation_name(c);
  const std::string out = activation(c, act, node, c.layer.name + "_" + act);
  if (!out.empty()) c.b.set_output(c.layer.name, out);
}

}  // namespace

std::optional<ConvWindow> conv_window(Call& c, const std::string& input, const ir::Shape& kernel) {
  const int axes = spatial_axes(c);
  if (!channels_last(c)) return std::nullopt;
  if (kernel.size() != static_cast<std::size_t>(axes) + 2) {
    c.malformed("the kernel " + ir::to_string(kernel) + " is not [" + (axes == 2 ? "K_h, " : "") +
                "K_w, C_in, F]");
  }
  ConvWindow w;
  w.strides = per_axis(c, "strides", axes, 1);
  w.dilations = per_axis(c, "dilation_rate", axes, 1);
  const std::optional<Ints> p =
      pads(c, spatial_sizes(c, input, axes), Ints(kernel.begin(), kernel.begin() + axes), w.strides,
           w.dilations);
  if (!p) return std::nullopt;
  w.pads = *p;
  return w;
}

std::optional<ir::Node> conv_node(Call& c, const std::string& input, const ir::Tensor& kernel,
                                  const std::optional<ir::Tensor>& bias) {
  const int axes = spatial_axes(c);
  if (c.config_or<std::int64_t>("groups", 1) != 1) {
    c.refuse("groups > 1 is not supported (a depthwise layer is DepthwiseConv" +
             std::to_string(axes) + "D)");
    return std::nullopt;
  }
  const std::optional<ConvWindow> w = conv_window(c, input, kernel.shape);
  if (!w) return std::nullopt;
  ir::Node n = unary(axes == 2 ? ir::OpKind::kConv2D : ir::OpKind::kConv1D, input);
  n.params["weight"] = kernel;
  if (bias) n.params["bias"] = *bias;
  n.attrs.set("strides", w->strides);
  n.attrs.set("dilations", w->dilations);
  n.attrs.set("pads", w->pads);
  return n;
}

std::optional<ir::Node> pool_node(Call& c, const std::string& input) {
  const int axes = spatial_axes(c);
  if (!channels_last(c)) return std::nullopt;
  const Ints size = per_axis(c, "pool_size", axes, 2);
  // Keras: strides=None means the pool size.
  const Ints strides = per_axis(c, "strides", axes, 0);
  Ints s = strides;
  for (std::size_t a = 0; a < s.size(); ++a) {
    if (s[a] == 0) s[a] = size[a];
  }
  const std::optional<Ints> p =
      pads(c, spatial_sizes(c, input, axes), size, s, Ints(static_cast<std::size_t>(axes), 1));
  if (!p) return std::nullopt;
  const bool max = c.layer.class_name.find("MaxPooling") != std::string::npos;
  ir::Node n = unary(max ? (axes == 2 ? ir::OpKind::kMaxPool2D : ir::OpKind::kMaxPool1D)
                         : (axes == 2 ? ir::OpKind::kAveragePool2D : ir::OpKind::kAveragePool1D),
                     input);
  n.attrs.set("pool_size", size);
  n.attrs.set("strides", s);
  n.attrs.set("pads", *p);
  // Keras averages a 'same'-padded window over its input elements only.
  if (!max) n.attrs.set("count_include_pad", std::int64_t{0});
  return n;
}

void convert_conv(Call& c) {
  const bool use_bias = c.config_or<bool>("use_bias", true);
  Weights w = c.named(use_bias ? std::vector<std::string>{"kernel", "bias"}
                               : std::vector<std::string>{"kernel"});
  std::optional<ir::Tensor> bias;
  if (use_bias) bias = w.at("bias");
  std::optional<ir::Node> n = conv_node(c, c.only_input(), w.at("kernel"), bias);
  if (!n) return;
  finish_with_activation(c, c.add(std::move(*n), c.layer.name));
}

std::optional<ir::Node> depthwise_node(Call& c, const std::string& input, const ir::Tensor& kernel,
                                       const std::optional<ir::Tensor>& bias) {
  const std::optional<ConvWindow> window = conv_window(c, input, kernel.shape);
  if (!window) return std::nullopt;
  const int axes = spatial_axes(c);
  ir::Node n =
      unary(axes == 2 ? ir::OpKind::kDepthwiseConv2D : ir::OpKind::kDepthwiseConv1D, input);
  n.params["weight"] = kernel;
  if (bias) n.params["bias"] = *bias;
  n.attrs.set("strides", window->strides);
  n.attrs.set("dilations", window->dilations);
  n.attrs.set("pads", window->pads);
  return n;
}

std::optional<SeparableNodes> separable_nodes(Call& c, const ir::Tensor& depthwise_kernel,
                                              const ir::Tensor& pointwise_kernel,
                                              const std::optional<ir::Tensor>& bias) {
  const std::string& input = c.only_input();
  const std::optional<ConvWindow> window = conv_window(c, input, depthwise_kernel.shape);
  if (!window) return std::nullopt;
  SeparableConv layer;
  layer.name = c.layer.name;
  layer.input = input;
  layer.spatial_axes = spatial_axes(c);
  layer.depthwise_weight = depthwise_kernel;
  layer.pointwise_weight = pointwise_kernel;
  layer.bias = bias;
  layer.strides = window->strides;
  layer.dilations = window->dilations;
  layer.pads = window->pads;
  std::vector<ir::Node> nodes;
  try {
    nodes = separable_conv_nodes(layer);
  } catch (const Error& e) {
    throw e.located({.file = c.b.origin(), .node = c.layer.name});
  }
  return SeparableNodes{std::move(nodes.at(0)), std::move(nodes.at(1))};
}

std::string add_separable(Call& c, SeparableNodes nodes) {
  // The name first: a node is moved into the graph while its name is read.
  const std::string depthwise_name = nodes.depthwise.name;
  const std::string depthwise = c.add(std::move(nodes.depthwise), depthwise_name);
  nodes.pointwise.inputs = {depthwise};
  return c.add(std::move(nodes.pointwise), c.layer.name);
}

void convert_depthwise(Call& c) {
  const bool use_bias = c.config_or<bool>("use_bias", true);
  Weights w = c.named(use_bias ? std::vector<std::string>{"depthwise_kernel", "bias"}
                               : std::vector<std::string>{"depthwise_kernel"});
  std::optional<ir::Tensor> bias;
  if (use_bias) bias = w.at("bias");
  std::optional<ir::Node> n = depthwise_node(c, c.only_input(), w.at("depthwise_kernel"), bias);
  if (!n) return;
  finish_with_activation(c, c.add(std::move(*n), c.layer.name));
}

void convert_separable(Call& c) {
  const bool use_bias = c.config_or<bool>("use_bias", true);
  std::vector<std::string> order = {"depthwise_kernel", "pointwise_kernel"};
  if (use_bias) order.push_back("bias");
  Weights w = c.named(order);
  std::optional<ir::Tensor> bias;
  if (use_bias) bias = w.at("bias");
  std::optional<SeparableNodes> nodes =
      separable_nodes(c, w.at("depthwise_kernel"), w.at("pointwise_kernel"), bias);
  if (!nodes) return;
  finish_with_activation(c, add_separable(c, std::move(*nodes)));
}

void convert_pool(Call& c) {
  std::optional<ir::Node> n = pool_node(c, c.only_input());
  if (!n) return;
  c.b.set_output(c.layer.name, c.add(std::move(*n), c.layer.name));
}

void convert_global_pool(Call& c) {
  const int axes = spatial_axes(c);
  if (!channels_last(c)) return;
  const std::string& in = c.only_input();
  spatial_sizes(c, in, axes);
  const bool max = c.layer.class_name.rfind("GlobalMax", 0) == 0;
  const ir::OpKind kind =
      max ? (axes == 2 ? ir::OpKind::kGlobalMaxPool2D : ir::OpKind::kGlobalMaxPool1D)
          : (axes == 2 ? ir::OpKind::kGlobalAveragePool2D : ir::OpKind::kGlobalAveragePool1D);
  const bool keepdims = c.config_or<bool>("keepdims", false);
  const std::string pooled =
      c.add(unary(kind, in), keepdims ? c.layer.name + "_pool" : c.layer.name);
  if (!keepdims) return c.b.set_output(c.layer.name, pooled);
  // keepdims=True keeps the position axes, of size 1: [1, 1, C] / [1, C].
  ir::Node r = unary(ir::OpKind::kReshape, pooled);
  Ints shape(static_cast<std::size_t>(axes), 1);
  shape.push_back(c.b.shape_of(pooled).back());
  r.attrs.set("shape", shape);
  c.b.set_output(c.layer.name, c.add(std::move(r), c.layer.name));
}

void convert_zero_padding(Call& c) {
  const int axes = spatial_axes(c);
  if (!channels_last(c)) return;
  ir::Node n =
      unary(axes == 2 ? ir::OpKind::kZeroPadding2D : ir::OpKind::kZeroPadding1D, c.only_input());
  n.attrs.set("pads", per_side(c, "padding", axes));
  c.b.set_output(c.layer.name, c.add(std::move(n), c.layer.name));
}

void convert_cropping(Call& c) {
  const int axes = spatial_axes(c);
  if (!channels_last(c)) return;
  ir::Node n = unary(axes == 2 ? ir::OpKind::kCropping2D : ir::OpKind::kCropping1D, c.only_input());
  n.attrs.set("crops", per_side(c, "cropping", axes));
  c.b.set_output(c.layer.name, c.add(std::move(n), c.layer.name));
}

void convert_upsampling(Call& c) {
  const int axes = spatial_axes(c);
  if (!channels_last(c)) return;
  const std::string interpolation = c.config_or<std::string>("interpolation", "nearest");
  if (interpolation != "nearest") {
    return c.refuse("interpolation='" + interpolation +
                    "' is not supported (only 'nearest', a repetition of positions)");
  }
  ir::Node n =
      unary(axes == 2 ? ir::OpKind::kUpSampling2D : ir::OpKind::kUpSampling1D, c.only_input());
  n.attrs.set("size", per_axis(c, "size", axes, 2));
  c.b.set_output(c.layer.name, c.add(std::move(n), c.layer.name));
}

}  // namespace nnfpga::frontend::keras
