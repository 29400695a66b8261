// Converters for the ops that slide a window over a feature map: Conv, MaxPool, AveragePool and
// the global pools. ONNX lays a feature map out (C, [H,] W) and the IR ([H,] W, C): the input must
// be held channels-last (tensor_layout.hpp), kernels are reordered from [F, C, [kh,] kw] to the
// IR's [[kh,] kw, C, F], ONNX's pads [begin..., end...] become the IR's per-axis (begin, end),
// and auto_pad is resolved here to explicit pads.
#include <algorithm>

#include "frontend/onnx/layout_moves.hpp"
#include "frontend/onnx/onnx_attributes.hpp"
#include "frontend/onnx/op_converters.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend::onnx {
namespace {

std::vector<std::int64_t> ints_attribute(const ::onnx::NodeProto& node, const std::string& name,
                                         std::size_t n, std::int64_t fallback) {
  const ::onnx::AttributeProto* a = find_attribute(node, name);
  if (!a) return std::vector<std::int64_t>(n, fallback);
  std::vector<std::int64_t> v(a->ints().begin(), a->ints().end());
  if (v.size() != n) {
    throw_bad_node(node, name + " has " + std::to_string(v.size()) + " entries, expected " +
                             std::to_string(n));
  }
  return v;
}

// The window of one node in ONNX's terms, per spatial axis.
struct Window {
  std::vector<std::int64_t> kernel, strides, dilations;
  std::vector<std::int64_t> pads;  // ONNX's order: every begin, then every end
};

// The explicit pads of `w` for input sizes `in`, resolving auto_pad; nullopt after a refusal.
std::optional<std::vector<std::int64_t>> explicit_pads(ReaderContext& ctx,
                                                       const ::onnx::NodeProto& node,
                                                       const Window& w,
                                                       const std::vector<std::int64_t>& in) {
  const std::size_t n = in.size();
  const std::string mode = string_attribute(node, "auto_pad", "NOTSET");
  if (mode == "NOTSET") return ints_attribute(node, "pads", 2 * n, 0);
  if (mode == "VALID") return std::vector<std::int64_t>(2 * n, 0);
  if (mode != "SAME_UPPER" && mode != "SAME_LOWER") {
    ctx.refuse(node, "auto_pad '" + mode + "' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
    return std::nullopt;
  }
  std::vector<std::int64_t> pads(2 * n);
  for (std::size_t a = 0; a < n; ++a) {
    const std::int64_t out = (in[a] + w.strides[a] - 1) / w.strides[a];
    const std::int64_t span = (w.kernel[a] - 1) * w.dilations[a] + 1;
    const std::int64_t total = std::max<std::int64_t>(0, (out - 1) * w.strides[a] + span - in[a]);
    const std::int64_t small = total / 2, large = total - total / 2;
    pads[a] = mode == "SAME_UPPER" ? small : large;
    pads[a + n] = mode == "SAME_UPPER" ? large : small;
  }
  return pads;
}

// ONNX's [b_1..b_n, e_1..e_n] as the IR's [b_1, e_1, ..., b_n, e_n].
std::vector<std::int64_t> ir_pads(const std::vector<std::int64_t>& pads) {
  const std::size_t n = pads.size() / 2;
  std::vector<std::int64_t> out;
  for (std::size_t a = 0; a < n; ++a) {
    out.push_back(pads[a]);
    out.push_back(pads[a + n]);
  }
  return out;
}

// Output size of one axis with floor (ceil_mode 0) or ceil division.
std::int64_t window_output(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d,
                           std::int64_t pad_begin, std::int64_t pad_end, bool ceil) {
  const std::int64_t room = in + pad_begin + pad_end - ((k - 1) * d + 1);
  return (ceil ? (room + s - 1) / s : room / s) + 1;
}

// The spatial sizes of a channels-last IR feature map ([H,] W, C).
std::vector<std::int64_t> spatial_sizes(const ir::Shape& shape) {
  return {shape.begin(), shape.end() - 1};
}

// Conv's kernel [F, C/group, [kh,] kw] as the IR's [[kh,] kw, C, F].
ir::Tensor conv_kernel(const ir::Tensor& w) {
  const std::size_t n = w.shape.size() - 2;
  const std::int64_t f_count = w.shape[0], c_count = w.shape[1];
  const std::int64_t k_h = n == 2 ? w.shape[2] : 1, k_w = w.shape.back();
  ir::Shape shape(w.shape.begin() + 2, w.shape.end());
  shape.push_back(c_count);
  shape.push_back(f_count);
  ir::Tensor out{shape, std::vector<double>(w.data.size())};
  for (std::int64_t f = 0; f < f_count; ++f) {
    for (std::int64_t c = 0; c < c_count; ++c) {
      for (std::int64_t kh = 0; kh < k_h; ++kh) {
        for (std::int64_t kw = 0; kw < k_w; ++kw) {
          const std::int64_t src = ((f * c_count + c) * k_h + kh) * k_w + kw;
          const std::int64_t dst = ((kh * k_w + kw) * c_count + c) * f_count + f;
          out.data[static_cast<std::size_t>(dst)] = w.data[static_cast<std::size_t>(src)];
        }
      }
    }
  }
  return out;
}

// A depthwise Conv's kernel [C*M, 1, [kh,] kw] (output channel c*M + m) as the IR's
// [[kh,] kw, C, M].
ir::Tensor depthwise_kernel(const ir::Tensor& w, std::int64_t channels) {
  const std::int64_t m_count = w.shape[0] / channels;
  const std::int64_t taps = static_cast<std::int64_t>(w.data.size()) / w.shape[0];
  ir::Shape shape(w.shape.begin() + 2, w.shape.end());
  shape.push_back(channels);
  shape.push_back(m_count);
  ir::Tensor out{shape, std::vector<double>(w.data.size())};
  for (std::int64_t o = 0; o < w.shape[0]; ++o) {
    for (std::int64_t t = 0; t < taps; ++t) {
      // Output channel o = c*M + m is position o of the IR's [C, M] for every tap.
      out.data[static_cast<std::size_t>(t * w.shape[0] + o)] =
          w.data[static_cast<std::size_t>(o * taps + t)];
    }
  }
  return out;
}

ir::OpKind pool_kind(const std::string& op, std::size_t axes) {
  if (op == "MaxPool") return axes == 1 ? ir::OpKind::kMaxPool1D : ir::OpKind::kMaxPool2D;
  return axes == 1 ? ir::OpKind::kAveragePool1D : ir::OpKind::kAveragePool2D;
}

}  // namespace

const Value* channels_last_input(ReaderContext& ctx, const ::onnx::NodeProto& node,
                                 std::size_t min_axes) {
  const Value* x = activation_input(ctx, node, 0);
  if (!x) return nullptr;
  const ir::Shape onnx = onnx_shape(*x->shape, x->layout);
  if (onnx.size() < min_axes + 1 || onnx.size() > 3) {
    ctx.refuse(node, "input of shape " + ir::to_string(onnx) + " (without the batch) is not a " +
                         "(C, W) or (C, H, W) feature map");
    return nullptr;
  }
  if (is_channels_first_as_last(x->layout, *x->shape)) return x;
  // Otherwise the data is brought channels-last: a Reshape when the layout only lacks size-1
  // axes (an Unsqueeze made the channel axis), a Transpose when it holds the channels elsewhere
  // (a Reshape of a Dense's output to (C, H, W), a permute that really moves data).
  const TensorLayout target = channels_first_as_last(static_cast<int>(onnx.size()));
  const std::optional<std::string> moved = rearranged(ctx, node, *x, target);
  if (!moved) return nullptr;
  const std::string key = node.input(0) + "#channels_last";
  ctx.define(key, Value{.node = *moved, .shape = shape_in_layout(onnx, target), .layout = target});
  return &ctx.value(key);
}

void convert_conv(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Value* x = channels_last_input(ctx, node, 1);
  if (!x) return;
  const Value* w = ctx.input(node, 1);
  if (!w) throw_bad_node(node, "the weight W is missing");
  if (!w->is_constant()) return ctx.refuse(node, "the weight W is not a constant (initializer)");
  const Value* b = ctx.input(node, 2);
  if (b && !b->is_constant()) return ctx.refuse(node, "the bias B is not a constant");
  const ir::Tensor& weight = *w->constant;
  const std::vector<std::int64_t> in = spatial_sizes(*x->shape);
  const std::size_t n = in.size();
  const std::int64_t channels = x->shape->back();
  if (weight.shape.size() != n + 2) {
    throw_bad_node(node, "W " + ir::to_string(weight.shape) + " does not fit a " +
                             std::to_string(n) + "-D convolution");
  }
  // group = C with one input channel per group is a depthwise convolution: W [C*M, 1, k...],
  // output channel c*M + m, the IR's DepthwiseConv order.
  const std::int64_t group = int_attribute(node, "group", 1);
  const bool depthwise =
      group != 1 && group == channels && weight.shape[1] == 1 && weight.shape[0] % channels == 0;
  if (group != 1 && !depthwise) {
    return ctx.refuse(node, "group = " + std::to_string(group) + " of " + std::to_string(channels) +
                                " channels: only group = 1 and depthwise convolutions (group = "
                                "channels, one input channel per group) are supported");
  }
  if (!depthwise && weight.shape[1] != channels) {
    throw_bad_node(node, "W " + ir::to_string(weight.shape) + " does not fit " +
                             std::to_string(channels) + " input channels");
  }
  Window win;
  win.kernel.assign(weight.shape.begin() + 2, weight.shape.end());
  if (find_attribute(node, "kernel_shape") &&
      ints_attribute(node, "kernel_shape", n, 0) != win.kernel) {
    throw_bad_node(node, "kernel_shape does not match W " + ir::to_string(weight.shape));
  }
  win.strides = ints_attribute(node, "strides", n, 1);
  win.dilations = ints_attribute(node, "dilations", n, 1);
  auto pads = explicit_pads(ctx, node, win, in);
  if (!pads) return;
  ir::Node c;
  if (depthwise) {
    c.op = n == 1 ? ir::OpKind::kDepthwiseConv1D : ir::OpKind::kDepthwiseConv2D;
    c.params["weight"] = depthwise_kernel(weight, channels);
  } else {
    c.op = n == 1 ? ir::OpKind::kConv1D : ir::OpKind::kConv2D;
    c.params["weight"] = conv_kernel(weight);
  }
  c.inputs = {x->node};
  if (b) {
    if (b->constant->shape != ir::Shape{weight.shape[0]}) {
      throw_bad_node(node, "B " + ir::to_string(b->constant->shape) + " does not fit " +
                               std::to_string(weight.shape[0]) + " filters");
    }
    c.params["bias"] = *b->constant;
  }
  c.attrs.set("strides", win.strides);
  c.attrs.set("dilations", win.dilations);
  c.attrs.set("pads", ir_pads(*pads));
  if (!declare_quantized_parameters(ctx, node, c)) return;
  ctx.add_node(node, std::move(c), channels_first_as_last(static_cast<int>(n) + 1));
}

void convert_pool(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Value* x = channels_last_input(ctx, node, 1);
  if (!x) return;
  if (node.output_size() > 1 && !node.output(1).empty() && ctx.is_used(node.output(1))) {
    return ctx.refuse(node, "its Indices output is used");
  }
  const std::vector<std::int64_t> in = spatial_sizes(*x->shape);
  const std::size_t n = in.size();
  if (!find_attribute(node, "kernel_shape")) throw_bad_node(node, "kernel_shape is missing");
  Window win;
  win.kernel = ints_attribute(node, "kernel_shape", n, 1);
  win.strides = ints_attribute(node, "strides", n, 1);
  win.dilations = ints_attribute(node, "dilations", n, 1);
  for (std::int64_t d : win.dilations) {
    if (d != 1) return ctx.refuse(node, "dilations " + std::to_string(d) + ": pools have none");
  }
  auto pads = explicit_pads(ctx, node, win, in);
  if (!pads) return;
  if (int_attribute(node, "ceil_mode", 0) != 0) {
    // ceil_mode changes the output only when a last window would start inside the padding.
    for (std::size_t a = 0; a < n; ++a) {
      auto out = [&](bool ceil) {
        return window_output(in[a], win.kernel[a], win.strides[a], 1, (*pads)[a], (*pads)[a + n],
                             ceil);
      };
      if (out(true) != out(false)) {
        return ctx.refuse(node, "ceil_mode = 1 adds a partial window at the end of axis " +
                                    std::to_string(a + 2) +
                                    " (only windows inside the padded input "
                                    "are supported)");
      }
    }
  }
  ir::Node p;
  p.op = pool_kind(node.op_type(), n);
  p.inputs = {x->node};
  p.attrs.set("pool_size", win.kernel);
  p.attrs.set("strides", win.strides);
  p.attrs.set("pads", ir_pads(*pads));
  if (node.op_type() == "AveragePool") {
    p.attrs.set("count_include_pad", int_attribute(node, "count_include_pad", 0) != 0
                                         ? std::int64_t{1}
                                         : std::int64_t{0});
  }
  ctx.add_node(node, std::move(p), channels_first_as_last(static_cast<int>(n) + 1));
}

void convert_global_pool(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Value* x = channels_last_input(ctx, node, 1);
  if (!x) return;
  const std::size_t n = x->shape->size() - 1;
  const bool max = node.op_type() == "GlobalMaxPool";
  ir::Node p;
  p.op = max ? (n == 1 ? ir::OpKind::kGlobalMaxPool1D : ir::OpKind::kGlobalMaxPool2D)
             : (n == 1 ? ir::OpKind::kGlobalAveragePool1D : ir::OpKind::kGlobalAveragePool2D);
  p.inputs = {x->node};
  // ONNX keeps the spatial axes with size 1: (C, 1[, 1]); the IR's result is [C].
  TensorLayout layout{.axes = std::vector<int>(n + 1, TensorLayout::kAbsent)};
  layout.axes[0] = 0;
  ctx.add_node(node, std::move(p), std::move(layout));
}

}  // namespace nnfpga::frontend::onnx

namespace nnfpga::frontend::onnx {

void convert_reduce(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  // PyTorch writes adaptive_avg_pool2d(x, 1) and x.mean((2, 3)) as a ReduceMean over the spatial
  // axes: a global pool. Any other reduction is refused.
  const Value* in = ctx.input(node, 0);
  if (!in) throw_bad_node(node, "input 0 is missing");
  if (in->is_constant()) return ctx.refuse(node, "its input is a constant");
  const auto rank = static_cast<std::int64_t>(onnx_shape(*in->shape, in->layout).size()) + 1;
  std::vector<std::int64_t> axes;
  if (const ::onnx::AttributeProto* a = find_attribute(node, "axes")) {
    axes.assign(a->ints().begin(), a->ints().end());
  } else if (const Value* v = ctx.input(node, 1)) {
    if (!v->is_constant()) return ctx.refuse(node, "the axes are not a constant");
    axes = integer_values(node, *v->constant, "the axes input");
  }
  for (std::int64_t& a : axes) {
    if (a < -rank || a >= rank)
      throw_bad_node(node, "axis " + std::to_string(a) + " is out of range");
    if (a < 0) a += rank;
  }
  std::sort(axes.begin(), axes.end());
  std::vector<std::int64_t> spatial;
  for (std::int64_t a = 2; a < rank; ++a) spatial.push_back(a);
  if (axes != spatial || spatial.empty()) {
    return ctx.refuse(node, "a reduction over axes other than exactly the spatial ones (2 to " +
                                std::to_string(rank - 1) + "): only a global pool is supported");
  }
  const Value* x = channels_last_input(ctx, node, 1);
  if (!x) return;
  const std::size_t n = x->shape->size() - 1;
  const bool max = node.op_type() == "ReduceMax";
  ir::Node p;
  p.op = max ? (n == 1 ? ir::OpKind::kGlobalMaxPool1D : ir::OpKind::kGlobalMaxPool2D)
             : (n == 1 ? ir::OpKind::kGlobalAveragePool1D : ir::OpKind::kGlobalAveragePool2D);
  p.inputs = {x->node};
  TensorLayout layout;
  if (int_attribute(node, "keepdims", 1) != 0) {
    layout.axes.assign(n + 1, TensorLayout::kAbsent);
    layout.axes[0] = 0;
  }
  ctx.add_node(node, std::move(p), std::move(layout));
}

}  // namespace nnfpga::frontend::onnx
