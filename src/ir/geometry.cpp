#include "ir/geometry.hpp"

#include <algorithm>

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
    case OpKind::kTranspose:
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
    case OpKind::kTranspose:
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

namespace {

[[noreturn]] void bad_shapes(const Node& node, const std::string& what) {
  throw Error(ErrorKind::kInput, std::string(op_name(node.op)) + ": " + what, {.node = node.name});
}

std::vector<std::int64_t> row_major_strides(const Shape& s) {
  std::vector<std::int64_t> out(s.size(), 1);
  for (std::size_t a = s.size(); a-- > 1;) out[a - 1] = out[a] * s[a];
  return out;
}

bool is_elementwise_merge(OpKind op) {
  return op_family(op) == OpFamily::kElementwiseMerge;
}

// The geometry of a node whose shapes have been inferred, from all its input shapes, checked
// against its output shape (as of_inferred_node, for the ops of several inputs).
template <typename G, typename F>
G of_inferred_inputs(const Node& node, F from) {
  if (node.input_shapes.empty() || node.input_shapes.size() != node.inputs.size()) {
    throw Error(ErrorKind::kInternal,
                std::string(op_name(node.op)) + " geometry asked of a node without inferred shapes",
                {.node = node.name});
  }
  G g;
  try {
    g = from(node, node.input_shapes);
  } catch (const Error& e) {
    throw Error(ErrorKind::kInternal, e.message(), {.node = node.name});
  }
  if (g.output != node.output_shape) {
    throw Error(ErrorKind::kInternal,
                "output " + to_string(node.output_shape) + " does not match the geometry's " +
                    to_string(g.output),
                {.node = node.name});
  }
  return g;
}

}  // namespace

bool MergeGeometry::broadcasts() const {
  const std::int64_t n = element_count(output);
  return std::any_of(input_sizes.begin(), input_sizes.end(),
                     [n](std::int64_t s) { return s != n; });
}

std::int64_t MergeGeometry::input_index(std::size_t input, std::int64_t k) const {
  const std::vector<std::int64_t>& s = strides.at(input);
  std::int64_t index = 0;
  for (std::size_t a = output.size(); a-- > 0;) {
    index += k % output[a] * s[a];
    k /= output[a];
  }
  return index;
}

MergeGeometry merge_geometry(const Node& node, const std::vector<Shape>& inputs) {
  if (!is_elementwise_merge(node.op)) {
    throw Error(ErrorKind::kInternal, std::string(op_name(node.op)) + " is not a merge layer",
                {.node = node.name});
  }
  const int arity = op_info(node.op).num_inputs;
  if (arity == kVariadic ? inputs.size() < 2 : static_cast<int>(inputs.size()) != arity) {
    // Worded as before broadcasting, which readers' tests match.
    throw Error(ErrorKind::kInput,
                std::string(op_name(node.op)) + " takes " +
                    (arity == kVariadic ? "two or more" : std::to_string(arity)) + " inputs, not " +
                    std::to_string(inputs.size()),
                {.node = node.name});
  }
  MergeGeometry g;
  std::size_t rank = 0;
  for (const Shape& s : inputs) rank = std::max(rank, s.size());
  g.output.assign(rank, 1);
  for (const Shape& s : inputs) {
    const std::size_t offset = rank - s.size();
    for (std::size_t a = 0; a < s.size(); ++a) {
      std::int64_t& out = g.output[offset + a];
      if (s[a] == 1 || s[a] == out) continue;
      if (out != 1) {
        bad_shapes(node, "inputs of shapes " + to_string(inputs.front()) + " and " + to_string(s) +
                             " do not broadcast: aligned on their last axes, each axis of an "
                             "input must have the output's size or 1");
      }
      out = s[a];
    }
  }
  for (const Shape& s : inputs) {
    const std::size_t offset = rank - s.size();
    const std::vector<std::int64_t> own = row_major_strides(s);
    std::vector<std::int64_t> st(rank, 0);
    for (std::size_t a = 0; a < s.size(); ++a) {
      st[offset + a] = s[a] == 1 ? 0 : own[a];
    }
    g.strides.push_back(std::move(st));
    g.input_sizes.push_back(element_count(s));
  }
  return g;
}

MergeGeometry merge_geometry(const Node& node) {
  return of_inferred_inputs<MergeGeometry>(
      node, [](const Node& n, const std::vector<Shape>& in) { return merge_geometry(n, in); });
}

std::int64_t ConcatGeometry::out_inner() const {
  std::int64_t sum = 0;
  for (std::int64_t i : inner) sum += i;
  return sum;
}

ConcatGeometry concat_geometry(const Node& node, const std::vector<Shape>& inputs) {
  if (node.op != OpKind::kConcatenate) {
    throw Error(ErrorKind::kInternal, std::string(op_name(node.op)) + " is not a concatenation",
                {.node = node.name});
  }
  if (inputs.size() < 2) {
    throw Error(ErrorKind::kInput, "Concatenate takes two or more inputs", {.node = node.name});
  }
  const Shape& first = inputs.front();
  if (first.empty()) bad_shapes(node, "cannot concatenate inputs without axes");
  const auto rank = static_cast<std::int64_t>(first.size());
  std::int64_t axis = node.attrs.get_int_or("axis", -1);
  if (axis < -rank || axis >= rank) {
    bad_shapes(node, "axis " + std::to_string(axis) + " is outside the inputs' " +
                         std::to_string(rank) + " axes (the batch axis is not one)");
  }
  if (axis < 0) axis += rank;
  ConcatGeometry g;
  g.axis = static_cast<std::size_t>(axis);
  g.output = first;
  g.output[g.axis] = 0;
  for (std::size_t a = 0; a < g.axis; ++a) g.outer *= first[a];
  for (const Shape& s : inputs) {
    if (s.size() != first.size()) {
      bad_shapes(node, "inputs of shapes " + to_string(first) + " and " + to_string(s) +
                           " have different ranks");
    }
    for (std::size_t a = 0; a < s.size(); ++a) {
      if (a != g.axis && s[a] != first[a]) {
        bad_shapes(node, "inputs of shapes " + to_string(first) + " and " + to_string(s) +
                             " differ on an axis other than the concatenation axis " +
                             std::to_string(g.axis));
      }
    }
    g.output[g.axis] += s[g.axis];
    std::int64_t inner = 1;
    for (std::size_t a = g.axis; a < s.size(); ++a) inner *= s[a];
    g.inner.push_back(inner);
  }
  return g;
}

ConcatGeometry concat_geometry(const Node& node) {
  return of_inferred_inputs<ConcatGeometry>(
      node, [](const Node& n, const std::vector<Shape>& in) { return concat_geometry(n, in); });
}

std::int64_t TransposeGeometry::input_index(std::int64_t k) const {
  std::int64_t index = 0;
  for (std::size_t a = output.size(); a-- > 0;) {
    index += k % output[a] * strides[a];
    k /= output[a];
  }
  return index;
}

TransposeGeometry transpose_geometry(const Node& node, const Shape& input) {
  if (node.op != OpKind::kTranspose) {
    throw Error(ErrorKind::kInternal, std::string(op_name(node.op)) + " is not a Transpose",
                {.node = node.name});
  }
  if (!node.attrs.has("perm")) bad_shapes(node, "has no perm attribute");
  TransposeGeometry g;
  g.input = input;
  g.perm = node.attrs.get_ints("perm");
  std::vector<bool> seen(input.size(), false);
  bool ok = g.perm.size() == input.size();
  for (std::size_t a = 0; ok && a < g.perm.size(); ++a) {
    const std::int64_t p = g.perm[a];
    ok =
        p >= 0 && p < static_cast<std::int64_t>(input.size()) && !seen[static_cast<std::size_t>(p)];
    if (ok) seen[static_cast<std::size_t>(p)] = true;
  }
  if (!ok) {
    bad_shapes(node, "perm " + to_string(g.perm) + " is not a permutation of the " +
                         std::to_string(input.size()) + " axes of the input " + to_string(input) +
                         " (the batch axis is not one)");
  }
  const std::vector<std::int64_t> in_strides = row_major_strides(input);
  for (std::int64_t p : g.perm) {
    g.output.push_back(input[static_cast<std::size_t>(p)]);
    g.strides.push_back(in_strides[static_cast<std::size_t>(p)]);
  }
  return g;
}

TransposeGeometry transpose_geometry(const Node& node) {
  return of_inferred_inputs<TransposeGeometry>(
      node,
      [](const Node& n, const std::vector<Shape>& in) { return transpose_geometry(n, in[0]); });
}

bool merge_is_plain(const Node& node) {
  if (is_elementwise_merge(node.op)) return !merge_geometry(node).broadcasts();
  if (node.op == OpKind::kConcatenate) {
    return concat_geometry(node).axis + 1 == node.output_shape.size();
  }
  return true;
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
