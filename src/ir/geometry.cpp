#include "ir/geometry.hpp"

#include "ir/layout.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::ir {
namespace {

[[noreturn]] void bad_window(const Node& node, const std::string& what) {
  throw Error(ErrorKind::kInput, std::string(op_name(node.op)) + ": " + what, {.node = node.name});
}

// An attribute with one entry per spatial axis (`per_axis` = 1) or two (pads: begin, end), or its
// default when absent.
std::vector<std::int64_t> window_attribute(const Node& node, const std::string& key,
                                           std::size_t axes, std::size_t per_axis,
                                           std::int64_t fallback, std::int64_t least) {
  if (!node.attrs.has(key)) return std::vector<std::int64_t>(axes * per_axis, fallback);
  const std::vector<std::int64_t>& v = node.attrs.get_ints(key);
  if (v.size() != axes * per_axis) {
    bad_window(node, key + " has " + std::to_string(v.size()) + " entries, expected " +
                         std::to_string(axes * per_axis));
  }
  for (std::int64_t e : v) {
    if (e < least) bad_window(node, key + " has the entry " + std::to_string(e));
  }
  return v;
}

std::int64_t output_size(const Node& node, std::int64_t in, std::int64_t k, std::int64_t stride,
                         std::int64_t dilation, std::int64_t pad_begin, std::int64_t pad_end) {
  const std::int64_t span = dilation * (k - 1) + 1;
  const std::int64_t padded = in + pad_begin + pad_end;
  if (k < 1 || span > padded) {
    bad_window(node, "a window of " + std::to_string(k) + " (dilation " + std::to_string(dilation) +
                         ") does not fit " + std::to_string(in) + " positions padded by " +
                         std::to_string(pad_begin) + " and " + std::to_string(pad_end));
  }
  return (padded - span) / stride + 1;
}

// A geometry of a node whose shapes have been inferred: computed from its input shape by `from`
// and checked against its output shape. A refusal here is the compiler's own error (kInternal):
// the shape rule accepted these shapes before.
template <typename G, typename F>
G of_inferred_node(const Node& node, F from) {
  if (node.input_shapes.empty() || node.output_shape.empty()) {
    throw Error(ErrorKind::kInternal,
                std::string(op_name(node.op)) + " geometry asked of a node without inferred shapes",
                {.node = node.name});
  }
  G g;
  try {
    g = from(node, node.input_shapes[0]);
  } catch (const Error& e) {
    throw Error(ErrorKind::kInternal, e.message(), {.node = node.name});
  }
  if (g.output_shape() != node.output_shape) {
    throw Error(ErrorKind::kInternal,
                "output " + to_string(node.output_shape) + " does not match the geometry's " +
                    to_string(g.output_shape()),
                {.node = node.name});
  }
  return g;
}

}  // namespace

WindowGeometry window_geometry(const Node& node, const Shape& input, const Shape& kernel) {
  const std::size_t axes = kernel.size();
  if ((axes != 1 && axes != 2) || input.size() != axes + 1) {
    bad_window(node, "input " + to_string(input) + " is not channels-last with " +
                         std::to_string(axes) + " spatial axes");
  }
  const auto strides = window_attribute(node, "strides", axes, 1, 1, 1);
  const auto dilations = window_attribute(node, "dilations", axes, 1, 1, 1);
  const auto pads = window_attribute(node, "pads", axes, 2, 0, 0);
  WindowGeometry g;
  g.spatial_axes = static_cast<int>(axes);
  g.channels = input.back();
  g.in_w = input[axes - 1];
  g.k_w = kernel.back();
  g.stride_w = strides.back();
  g.dilation_w = dilations.back();
  g.pad_left = pads[2 * axes - 2];
  g.pad_right = pads[2 * axes - 1];
  if (axes == 2) {
    g.in_h = input[0];
    g.k_h = kernel[0];
    g.stride_h = strides[0];
    g.dilation_h = dilations[0];
    g.pad_top = pads[0];
    g.pad_bottom = pads[1];
  }
  g.out_h = output_size(node, g.in_h, g.k_h, g.stride_h, g.dilation_h, g.pad_top, g.pad_bottom);
  g.out_w = output_size(node, g.in_w, g.k_w, g.stride_w, g.dilation_w, g.pad_left, g.pad_right);
  return g;
}

Shape WindowGeometry::output_shape() const {
  if (!keeps_positions) return {channels};
  if (spatial_axes == 1) return {out_w, channels};
  return {out_h, out_w, channels};
}

WindowGeometry pool_geometry(const Node& node, const Shape& input) {
  int axes = 2;
  bool global = false;
  switch (node.op) {
    case OpKind::kMaxPool1D:
    case OpKind::kAveragePool1D:
      axes = 1;
      break;
    case OpKind::kMaxPool2D:
    case OpKind::kAveragePool2D:
      break;
    case OpKind::kGlobalMaxPool1D:
    case OpKind::kGlobalAveragePool1D:
      axes = 1;
      global = true;
      break;
    case OpKind::kGlobalMaxPool2D:
    case OpKind::kGlobalAveragePool2D:
      global = true;
      break;
    case OpKind::kInput:
    case OpKind::kConstant:
    case OpKind::kDense:
    case OpKind::kMatMul:
    case OpKind::kAddConstant:
    case OpKind::kSubConstant:
    case OpKind::kMulConstant:
    case OpKind::kDivConstant:
    case OpKind::kRelu:
    case OpKind::kLeakyRelu:
    case OpKind::kClip:
    case OpKind::kSigmoid:
    case OpKind::kTanh:
    case OpKind::kSoftmax:
    case OpKind::kBatchNorm:
    case OpKind::kFlatten:
    case OpKind::kReshape:
    case OpKind::kAdd:
    case OpKind::kSubtract:
    case OpKind::kMultiply:
    case OpKind::kAverage:
    case OpKind::kMaximum:
    case OpKind::kMinimum:
    case OpKind::kConcatenate:
    case OpKind::kPRelu:
    case OpKind::kElu:
    case OpKind::kSoftsign:
    case OpKind::kSoftplus:
    case OpKind::kHardSigmoid:
    case OpKind::kIdentity:
    case OpKind::kDropout:
    case OpKind::kQuantize:
    case OpKind::kThreshold:
    case OpKind::kConv1D:
    case OpKind::kConv2D:
    case OpKind::kZeroPadding1D:
    case OpKind::kZeroPadding2D:
    case OpKind::kCropping1D:
    case OpKind::kCropping2D:
    case OpKind::kUpSampling1D:
    case OpKind::kUpSampling2D:
    case OpKind::kDepthwiseConv1D:
    case OpKind::kDepthwiseConv2D:
      throw Error(ErrorKind::kInternal, std::string(op_name(node.op)) + " is not a pooling op",
                  {.node = node.name});
  }
  if (input.size() != static_cast<std::size_t>(axes) + 1) {
    bad_window(node, "input " + to_string(input) + " is not channels-last with " +
                         std::to_string(axes) + " spatial axes");
  }
  if (global) {
    WindowGeometry g;
    g.spatial_axes = axes;
    g.channels = input.back();
    g.in_w = g.k_w = input[static_cast<std::size_t>(axes) - 1];
    if (axes == 2) g.in_h = g.k_h = input[0];
    g.keeps_positions = false;
    return g;
  }
  const Shape& kernel = node.attrs.get_ints("pool_size");
  WindowGeometry g = window_geometry(node, input, kernel);
  if (g.dilation_h != 1 || g.dilation_w != 1) bad_window(node, "a pool has no dilations");
  if (g.pad_top >= g.k_h || g.pad_bottom >= g.k_h || g.pad_left >= g.k_w || g.pad_right >= g.k_w) {
    bad_window(node, "each pad must be smaller than the pool size " + to_string(kernel));
  }
  return g;
}

WindowGeometry pool_geometry(const Node& node) {
  return of_inferred_node<WindowGeometry>(
      node, [](const Node& n, const Shape& in) { return pool_geometry(n, in); });
}

Shape RelayoutGeometry::output_shape() const {
  if (spatial_axes == 1) return {out_w, channels};
  return {out_h, out_w, channels};
}

RelayoutGeometry relayout_geometry(const Node& node, const Shape& input) {
  int axes = 2;
  enum { kPad, kCrop, kUp } what = kPad;
  switch (node.op) {
    case OpKind::kZeroPadding1D:
      axes = 1;
      break;
    case OpKind::kZeroPadding2D:
      break;
    case OpKind::kCropping1D:
      axes = 1;
      what = kCrop;
      break;
    case OpKind::kCropping2D:
      what = kCrop;
      break;
    case OpKind::kUpSampling1D:
      axes = 1;
      what = kUp;
      break;
    case OpKind::kUpSampling2D:
      what = kUp;
      break;
    case OpKind::kInput:
    case OpKind::kConstant:
    case OpKind::kDense:
    case OpKind::kMatMul:
    case OpKind::kAddConstant:
    case OpKind::kSubConstant:
    case OpKind::kMulConstant:
    case OpKind::kDivConstant:
    case OpKind::kRelu:
    case OpKind::kLeakyRelu:
    case OpKind::kClip:
    case OpKind::kSigmoid:
    case OpKind::kTanh:
    case OpKind::kSoftmax:
    case OpKind::kBatchNorm:
    case OpKind::kFlatten:
    case OpKind::kReshape:
    case OpKind::kAdd:
    case OpKind::kSubtract:
    case OpKind::kMultiply:
    case OpKind::kAverage:
    case OpKind::kMaximum:
    case OpKind::kMinimum:
    case OpKind::kConcatenate:
    case OpKind::kPRelu:
    case OpKind::kElu:
    case OpKind::kSoftsign:
    case OpKind::kSoftplus:
    case OpKind::kHardSigmoid:
    case OpKind::kIdentity:
    case OpKind::kDropout:
    case OpKind::kQuantize:
    case OpKind::kThreshold:
    case OpKind::kConv1D:
    case OpKind::kConv2D:
    case OpKind::kMaxPool1D:
    case OpKind::kMaxPool2D:
    case OpKind::kAveragePool1D:
    case OpKind::kAveragePool2D:
    case OpKind::kGlobalMaxPool1D:
    case OpKind::kGlobalMaxPool2D:
    case OpKind::kGlobalAveragePool1D:
    case OpKind::kGlobalAveragePool2D:
    case OpKind::kDepthwiseConv1D:
    case OpKind::kDepthwiseConv2D:
      throw Error(ErrorKind::kInternal, std::string(op_name(node.op)) + " does not move positions",
                  {.node = node.name});
  }
  const auto n = static_cast<std::size_t>(axes);
  if (input.size() != n + 1) {
    bad_window(node, "input " + to_string(input) + " is not channels-last with " +
                         std::to_string(axes) + " spatial axes");
  }
  RelayoutGeometry g;
  g.spatial_axes = axes;
  g.channels = input.back();
  g.in_w = input[n - 1];
  if (axes == 2) g.in_h = input[0];
  const char* key = what == kPad ? "pads" : what == kCrop ? "crops" : "size";
  const std::vector<std::int64_t> v =
      window_attribute(node, key, n, what == kUp ? 1 : 2, what == kUp ? 1 : 0, what == kUp ? 1 : 0);
  const std::int64_t in[2] = {g.in_h, g.in_w};
  std::int64_t out[2] = {1, 1}, shift[2] = {0, 0}, div[2] = {1, 1};
  for (std::size_t a = 0; a < n; ++a) {
    const std::size_t k = 2 - n + a;  // 0 = H, 1 = W
    if (what == kUp) {
      div[k] = v[a];
      out[k] = in[k] * v[a];
    } else {
      const std::int64_t begin = v[2 * a], end = v[2 * a + 1];
      out[k] = what == kPad ? in[k] + begin + end : in[k] - begin - end;
      shift[k] = what == kPad ? -begin : begin;
      if (out[k] < 1) bad_window(node, "crops " + to_string(v) + " leave no position");
    }
  }
  g.out_h = out[0];
  g.out_w = out[1];
  g.shift_h = shift[0];
  g.shift_w = shift[1];
  g.div_h = div[0];
  g.div_w = div[1];
  return g;
}

RelayoutGeometry relayout_geometry(const Node& node) {
  return of_inferred_node<RelayoutGeometry>(
      node, [](const Node& n, const Shape& in) { return relayout_geometry(n, in); });
}

Shape ConvGeometry::output_shape() const {
  if (window.spatial_axes == 1) return {window.out_w, filters};
  return {window.out_h, window.out_w, filters};
}

ConvGeometry conv_geometry(const Node& node, const Shape& input, const Shape& weight) {
  const std::size_t axes = node.op == OpKind::kConv1D ? 1 : 2;
  if (weight.size() != axes + 2 || input.empty() || weight[axes] != input.back()) {
    bad_window(node, "input " + to_string(input) + " does not fit weight " + to_string(weight) +
                         " (expected [" + (axes == 2 ? "K_h, " : "") + "K_w, C_in, F])");
  }
  ConvGeometry g;
  g.window = window_geometry(node, input, Shape(weight.begin(), weight.begin() + axes));
  g.filters = weight.back();
  if (auto b = node.params.find("bias");
      b != node.params.end() && b->second.shape != Shape{g.filters}) {
    bad_window(node,
               "bias " + to_string(b->second.shape) + " does not fit weight " + to_string(weight));
  }
  return g;
}

ConvGeometry conv_geometry(const Node& node) {
  if ((node.op != OpKind::kConv1D && node.op != OpKind::kConv2D) || node.input_shapes.empty() ||
      node.output_shape.empty() || node.params.count("weight") == 0) {
    throw Error(ErrorKind::kInternal,
                "convolution geometry asked of a node without convolution shapes",
                {.node = node.name});
  }
  ConvGeometry g;
  try {
    g = conv_geometry(node, node.input_shapes[0], node.param("weight").shape);
  } catch (const Error& e) {
    throw Error(ErrorKind::kInternal, e.message(), {.node = node.name});
  }
  if (g.output_shape() != node.output_shape) {
    throw Error(ErrorKind::kInternal,
                "output " + to_string(node.output_shape) + " does not match the geometry's " +
                    to_string(g.output_shape()),
                {.node = node.name});
  }
  return g;
}

Shape DepthwiseGeometry::output_shape() const {
  if (window.spatial_axes == 1) return {window.out_w, out_channels()};
  return {window.out_h, window.out_w, out_channels()};
}

DepthwiseGeometry depthwise_geometry(const Node& node, const Shape& input, const Shape& weight) {
  const std::size_t axes = node.op == OpKind::kDepthwiseConv1D ? 1 : 2;
  if (weight.size() != axes + 2 || input.empty() || weight[axes] != input.back() ||
      weight.back() < 1) {
    bad_window(node, "input " + to_string(input) + " does not fit weight " + to_string(weight) +
                         " (expected [" + (axes == 2 ? "K_h, " : "") +
                         "K_w, C, M], M the depth multiplier)");
  }
  DepthwiseGeometry g;
  g.window = window_geometry(node, input, Shape(weight.begin(), weight.begin() + axes));
  g.multiplier = weight.back();
  if (auto b = node.params.find("bias");
      b != node.params.end() && b->second.shape != Shape{g.out_channels()}) {
    bad_window(node, "bias " + to_string(b->second.shape) + " does not fit weight " +
                         to_string(weight) + " (expected [C*M])");
  }
  return g;
}

DepthwiseGeometry depthwise_geometry(const Node& node) {
  if ((node.op != OpKind::kDepthwiseConv1D && node.op != OpKind::kDepthwiseConv2D) ||
      node.params.count("weight") == 0) {
    throw Error(ErrorKind::kInternal,
                "depthwise geometry asked of a node without a depthwise weight",
                {.node = node.name});
  }
  const Shape weight = node.param("weight").shape;
  return of_inferred_node<DepthwiseGeometry>(node, [&weight](const Node& n, const Shape& in) {
    return depthwise_geometry(n, in, weight);
  });
}

DenseGeometry dense_geometry(const Node& node) {
  if (node.op != OpKind::kDense || node.input_shapes.empty() || node.input_shapes[0].empty() ||
      node.output_shape.empty()) {
    throw Error(ErrorKind::kInternal, "Dense geometry asked of a node without Dense shapes",
                {.node = node.name});
  }
  const Shape& in = node.input_shapes[0];
  DenseGeometry g;
  g.n_in = channels(in);
  g.n_out = channels(node.output_shape);
  g.positions = positions(in);
  if (auto w = node.params.find("weight"); w != node.params.end()) {
    if (w->second.shape != Shape{g.n_in, g.n_out}) {
      throw Error(ErrorKind::kInternal,
                  "weight " + to_string(w->second.shape) + " does not match the shapes " +
                      to_string(in) + " -> " + to_string(node.output_shape),
                  {.node = node.name});
    }
  }
  return g;
}

DenseGeometry weighted_sum_geometry(const Node& node) {
  // The ops whose row says shares_multipliers; the accessors themselves refuse any other op.
  if (node.op == OpKind::kDense) return dense_geometry(node);
  if (node.op == OpKind::kDepthwiseConv1D || node.op == OpKind::kDepthwiseConv2D) {
    return depthwise_geometry(node).matrix();
  }
  return conv_geometry(node).matrix();
}

}  // namespace nnfpga::ir
