// Converters for the ops that combine activations element-wise or side by side: Add, Sub and Mul
// of two activations, Sum, Mean, Max, Min, Concat. ONNX broadcasts element-wise operands numpy
// style (a squeeze-and-excitation's (N, C, 1, 1) against (N, C, H, W)); the IR's merges do too,
// aligned on their last axes, so each operand is given the axis order of the largest one
// (layout_moves.hpp): a Reshape when only size-1 axes move, a Transpose when data must. Concat
// does the same for inputs held in different orders and runs on any axis but the batch.
#include <algorithm>

#include "frontend/average.hpp"
#include "frontend/onnx/layout_moves.hpp"
#include "frontend/onnx/onnx_attributes.hpp"
#include "frontend/onnx/op_converters.hpp"

namespace nnfpga::frontend::onnx {
namespace {

// A merge's inputs as the IR takes them: their IR nodes, all in one axis order, and the layout
// of the result.
struct MergeInputs {
  std::vector<std::string> nodes;
  TensorLayout layout;
};

// The ONNX shape the broadcast of `shapes` gives (numpy's rule); throws when they do not.
ir::Shape broadcast_shape(const ::onnx::NodeProto& node, const std::vector<ir::Shape>& shapes) {
  std::size_t rank = 0;
  for (const ir::Shape& s : shapes) rank = std::max(rank, s.size());
  ir::Shape out(rank, 1);
  for (const ir::Shape& s : shapes) {
    for (std::size_t k = 0; k < s.size(); ++k) {
      std::int64_t& o = out[rank - s.size() + k];
      if (s[k] != 1 && o != 1 && s[k] != o) {
        std::string list;
        for (const ir::Shape& t : shapes) list += (list.empty() ? "" : ", ") + ir::to_string(t);
        throw_bad_node(node, "inputs of shapes " + list +
                                 " (without the batch) do not broadcast: aligned on their last "
                                 "axes, each axis must have one size or 1");
      }
      if (s[k] != 1) o = s[k];
    }
  }
  return out;
}

// The activation inputs arranged in one axis order, or nothing after a refusal (a constant
// input; a flattened feature map against a tensor of another element order). `broadcast`: the
// element-wise ops' numpy rule; otherwise (Concat) the ranks are equal. `complete`: every ONNX
// axis gets an IR axis (Concat runs on one), not only those of size above 1.
std::optional<MergeInputs> merge_inputs(ReaderContext& ctx, const ::onnx::NodeProto& node,
                                        bool broadcast, bool complete) {
  std::vector<const Value*> values;
  for (int i = 0; i < node.input_size(); ++i) {
    const Value* v = activation_input(ctx, node, i);
    if (!v) return std::nullopt;
    values.push_back(v);
  }
  if (values.empty()) throw_bad_node(node, "has no inputs");
  const Value& first = *values.front();
  MergeInputs out;
  bool same = !(complete && std::count(first.layout.axes.begin(), first.layout.axes.end(),
                                       TensorLayout::kAbsent) > 0);
  std::vector<ir::Shape> onnx;
  for (const Value* v : values) {
    const bool same_layout = v->layout == first.layout || (is_plain(v->layout, *v->shape) &&
                                                           is_plain(first.layout, *first.shape));
    same = same && same_layout &&
           (broadcast ? *v->shape == *first.shape : v->shape->size() == first.shape->size());
    onnx.push_back(onnx_shape(*v->shape, v->layout));
    out.nodes.push_back(v->node);
  }
  // The common case (a residual Add, a channel Concat): one layout, nothing to arrange.
  if (same) {
    out.layout = first.layout;
    return out;
  }
  if (broadcast) {
    broadcast_shape(node, onnx);
  } else {
    for (const ir::Shape& s : onnx) {
      if (s.size() != onnx.front().size()) {
        throw_bad_node(node, "inputs of shapes " + ir::to_string(onnx.front()) + " and " +
                                 ir::to_string(s) + " have different ranks");
      }
    }
  }
  // The reference: the first input of the highest rank and the most elements. The others take
  // its axis order, which leaves it (often the feature map) where it is.
  std::size_t ref_index = 0;
  for (std::size_t i = 1; i < values.size(); ++i) {
    const Value& v = *values[i];
    const Value& r = *values[ref_index];
    const ir::Shape a = onnx_shape(*v.shape, v.layout), b = onnx_shape(*r.shape, r.layout);
    if (a.size() > b.size() ||
        (a.size() == b.size() && ir::element_count(a) > ir::element_count(b))) {
      ref_index = i;
    }
  }
  const Value* ref = values[ref_index];
  TensorLayout target;
  if (!ref->layout.order.empty()) {
    // A flattened feature map in the IR's element order: only single elements and tensors in
    // that same order merge with it.
    target.axes = {0};
    out.layout = ref->layout;
  } else {
    const auto rank = static_cast<int>(onnx_shape(*ref->shape, ref->layout).size());
    target = complete_layout(ref->layout, ref->shape->size(), rank);
    out.layout = normalized(target);
  }
  out.nodes.clear();
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Value* v = values[i];
    if (!ref->layout.order.empty() && ir::element_count(*v->shape) > 1) {
      if (v->layout != ref->layout || *v->shape != *ref->shape) {
        ctx.refuse(node, "inputs '" + node.input(static_cast<int>(ref_index)) + "' and '" +
                             node.input(static_cast<int>(i)) +
                             "' hold their elements in different orders (a flattened feature map "
                             "is held in the IR's channels-last order, which no IR op undoes)");
        return std::nullopt;
      }
      out.nodes.push_back(v->node);
      continue;
    }
    auto n = rearranged(ctx, node, *v, target);
    if (!n) return std::nullopt;
    out.nodes.push_back(*n);
  }
  return out;
}

void add_merge(ReaderContext& ctx, const ::onnx::NodeProto& node, ir::OpKind kind,
               std::vector<std::string> inputs, TensorLayout layout) {
  ir::Node n;
  // One input: Sum, Mean, Max and Min of one tensor are that tensor.
  n.op = inputs.size() == 1 ? ir::OpKind::kIdentity : kind;
  n.inputs = std::move(inputs);
  ctx.add_node(node, std::move(n), std::move(layout));
}

// A Mean of a count that is not a power of two: the exact sum, then a multiplication by 1/n
// (frontend/average.hpp) that keeps the ONNX node's name and output.
void add_mean_by_reciprocal(ReaderContext& ctx, const ::onnx::NodeProto& node, MergeInputs in) {
  const std::size_t n = in.nodes.size();
  ir::Node sum = frontend::exact_sum_node(std::move(in.nodes));
  sum.name = ctx.unique_name((node.name().empty() ? node.output(0) : node.name()) + "_sum");
  sum.source_op = node.op_type();
  const std::string sum_name = sum.name;
  ctx.append_node(std::move(sum));
  ctx.add_node(node, frontend::reciprocal_scale_node(sum_name, n), std::move(in.layout));
}

}  // namespace

void convert_binary_activations(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const std::string& op = node.op_type();
  if (op == "Div") {
    ctx.refuse(node, "division of one activation by another is not supported");
    return;
  }
  auto in = merge_inputs(ctx, node, true, false);
  if (!in) return;
  const ir::OpKind kind = op == "Add"   ? ir::OpKind::kAdd
                          : op == "Sub" ? ir::OpKind::kSubtract
                                        : ir::OpKind::kMultiply;
  add_merge(ctx, node, kind, std::move(in->nodes), std::move(in->layout));
}

void convert_variadic(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const std::string& op = node.op_type();
  auto in = merge_inputs(ctx, node, true, false);
  if (!in) return;
  const std::size_t n = in->nodes.size();
  if (op == "Mean" && n > 1 && !average_is_shift(n)) {
    add_mean_by_reciprocal(ctx, node, std::move(*in));
    return;
  }
  const ir::OpKind kind = op == "Sum"    ? ir::OpKind::kAdd
                          : op == "Mean" ? ir::OpKind::kAverage
                          : op == "Max"  ? ir::OpKind::kMaximum
                                         : ir::OpKind::kMinimum;
  add_merge(ctx, node, kind, std::move(in->nodes), std::move(in->layout));
}

namespace {

// A Concat of constants (shape arithmetic: Resize's sizes from Shape and a constant), computed.
void concat_constants(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  std::vector<double> out;
  for (int i = 0; i < node.input_size(); ++i) {
    const Value* v = ctx.input(node, i);
    if (!v) continue;
    if (v->constant->shape.size() > 1) {
      return ctx.refuse(node, "a concatenation of constants of more than one axis");
    }
    out.insert(out.end(), v->constant->data.begin(), v->constant->data.end());
  }
  const auto n = static_cast<std::int64_t>(out.size());
  ctx.define_constant_output(node, ir::Tensor{{n}, std::move(out)});
}

// A Concat of vectors (flattened feature maps, each maybe in HWC order): the IR's vector is
// their concatenation, its element order theirs one after the other. False when an input is not
// a vector (the general rule applies).
bool concat_vectors(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  std::vector<std::string> nodes;
  std::vector<std::int64_t> order;
  bool reordered = false;
  std::int64_t offset = 0;
  for (int i = 0; i < node.input_size(); ++i) {
    const Value* v = ctx.input(node, i);
    if (!v || !v->is_activation() || v->shape->size() != 1 ||
        onnx_shape(*v->shape, v->layout).size() != 1) {
      return false;
    }
    const std::int64_t n = v->shape->front();
    for (std::int64_t k = 0; k < n; ++k) {
      const std::int64_t from =
          v->layout.order.empty() ? k : v->layout.order[static_cast<std::size_t>(k)];
      order.push_back(offset + from);
      reordered = reordered || from != k;
    }
    offset += n;
    nodes.push_back(v->node);
  }
  if (nodes.empty()) return false;
  const std::int64_t axis = int_attribute(node, "axis", 1);
  if (axis != 1 && axis != -1) return false;
  if (!reordered) order.clear();
  add_merge(ctx, node, ir::OpKind::kConcatenate, std::move(nodes), TensorLayout{.order = order});
  return true;
}

}  // namespace

void convert_concat(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  bool all_constant = node.input_size() > 0;
  for (int i = 0; i < node.input_size(); ++i) {
    const Value* v = ctx.input(node, i);
    all_constant = all_constant && (!v || v->is_constant());
  }
  if (all_constant) return concat_constants(ctx, node);
  if (concat_vectors(ctx, node)) return;
  const Value* first = activation_input(ctx, node, 0);
  if (!first) return;
  // The ONNX rank includes the batch axis.
  const auto rank = static_cast<std::int64_t>(onnx_shape(*first->shape, first->layout).size()) + 1;
  std::int64_t axis = int_attribute(node, "axis", 1);
  if (axis < -rank || axis >= rank) {
    throw_bad_node(node, "axis " + std::to_string(axis) + " is out of range");
  }
  if (axis < 0) axis += rank;
  if (axis == 0) return ctx.refuse(node, "concatenation on the batch axis");
  auto in = merge_inputs(ctx, node, false, true);
  if (!in) return;
  if (!in->layout.order.empty()) {
    return ctx.refuse(node,
                      "concatenation of a flattened feature map (held in the IR's "
                      "channels-last element order) with a tensor of more than one axis");
  }
  // The ONNX axis is wherever the layout holds it (a feature map's channels: the IR's last, its
  // rows and columns the first ones).
  const int ir_rank = static_cast<int>(rank) - 1;
  const int at = ir_axis(in->layout, static_cast<int>(axis) - 1);
  ir::Node n;
  n.op = ir::OpKind::kConcatenate;
  n.inputs = std::move(in->nodes);
  if (at != ir_rank - 1) n.attrs.set("axis", std::int64_t{at});
  ctx.add_node(node, std::move(n), std::move(in->layout));
}

}  // namespace nnfpga::frontend::onnx
