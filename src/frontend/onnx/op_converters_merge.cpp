// Converters for the ops that combine activations element-wise or side by side: Add, Sub and Mul
// of two activations, Sum, Mean, Max, Min, Concat. The IR's merge layers take equal shapes only,
// so an ONNX broadcast between activations is refused.
#include "frontend/average.hpp"
#include "frontend/onnx/onnx_attributes.hpp"
#include "frontend/onnx/op_converters.hpp"

namespace nnfpga::frontend::onnx {
namespace {

// The activation inputs' IR nodes, or nothing after a refusal (a constant input, or shapes that
// differ where `same_shape` asks for equal ones).
std::optional<std::vector<std::string>> activations(ReaderContext& ctx,
                                                    const ::onnx::NodeProto& node,
                                                    bool same_shape) {
  std::vector<std::string> nodes;
  const Value* first = nullptr;
  for (int i = 0; i < node.input_size(); ++i) {
    const Value* v = activation_input(ctx, node, i);
    if (!v) return std::nullopt;
    if (!first) first = v;
    if (same_shape && v->shape && first->shape && *v->shape != *first->shape) {
      ctx.refuse(node, "inputs of shapes " + ir::to_string(*first->shape) + " and " +
                           ir::to_string(*v->shape) +
                           " differ: only equal shapes are merged (no broadcasting)");
      return std::nullopt;
    }
    if (v->layout != first->layout &&
        !(is_plain(v->layout, *v->shape) && is_plain(first->layout, *first->shape))) {
      ctx.refuse(node, "inputs '" + node.input(0) + "' and '" + node.input(i) +
                           "' are held in different axis orders (a transpose would move data)");
      return std::nullopt;
    }
    nodes.push_back(v->node);
  }
  if (nodes.empty()) throw_bad_node(node, "has no inputs");
  return nodes;
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
void add_mean_by_reciprocal(ReaderContext& ctx, const ::onnx::NodeProto& node,
                            std::vector<std::string> inputs) {
  const std::size_t n = inputs.size();
  const ir::Shape shape = *ctx.input(node, 0)->shape;
  ir::Node sum = frontend::exact_sum_node(std::move(inputs));
  sum.name = ctx.unique_name((node.name().empty() ? node.output(0) : node.name()) + "_sum");
  sum.source_op = node.op_type();
  ctx.register_shape(sum.name, shape);
  const std::string sum_name = sum.name;
  // add_node names the scale after the ONNX node; the sum goes in just before it.
  ctx.add_node(node, frontend::reciprocal_scale_node(sum_name, n), ctx.input(node, 0)->layout);
  auto& nodes = ctx.graph().nodes;
  nodes.insert(nodes.end() - 1, std::move(sum));
}

}  // namespace

void convert_binary_activations(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const std::string& op = node.op_type();
  if (op == "Div") {
    ctx.refuse(node, "division of one activation by another is not supported");
    return;
  }
  auto inputs = activations(ctx, node, true);
  if (!inputs) return;
  const ir::OpKind kind = op == "Add"   ? ir::OpKind::kAdd
                          : op == "Sub" ? ir::OpKind::kSubtract
                                        : ir::OpKind::kMultiply;
  add_merge(ctx, node, kind, std::move(*inputs), ctx.input(node, 0)->layout);
}

void convert_variadic(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const std::string& op = node.op_type();
  auto inputs = activations(ctx, node, true);
  if (!inputs) return;
  const std::size_t n = inputs->size();
  if (op == "Mean" && n > 1 && !average_is_shift(n)) {
    add_mean_by_reciprocal(ctx, node, std::move(*inputs));
    return;
  }
  const ir::OpKind kind = op == "Sum"    ? ir::OpKind::kAdd
                          : op == "Mean" ? ir::OpKind::kAverage
                          : op == "Max"  ? ir::OpKind::kMaximum
                                         : ir::OpKind::kMinimum;
  add_merge(ctx, node, kind, std::move(*inputs), ctx.input(node, 0)->layout);
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
  auto inputs = activations(ctx, node, false);
  if (!inputs) return;
  const Value* first = ctx.input(node, 0);
  if (!first->shape) throw_bad_node(node, "input 0 has no known shape");
  // The ONNX rank includes the batch axis.
  const auto rank = static_cast<std::int64_t>(onnx_shape(*first->shape, first->layout).size()) + 1;
  std::int64_t axis = int_attribute(node, "axis", 1);
  if (axis < -rank || axis >= rank) {
    throw_bad_node(node, "axis " + std::to_string(axis) + " is out of range");
  }
  if (axis < 0) axis += rank;
  // The ONNX axis is wherever the layout holds it (a feature map's channels: the IR's last).
  const TensorLayout& layout = first->layout;
  const bool reordered = !layout.order.empty();
  if (reordered || axis == 0 ||
      ir_axis(layout, static_cast<int>(axis) - 1) != static_cast<int>(first->shape->size()) - 1) {
    ctx.refuse(node, "concatenation on axis " + std::to_string(axis) + " of a rank-" +
                         std::to_string(rank) +
                         " tensor, which is not the last axis of the IR's channels-last tensor");
    return;
  }
  add_merge(ctx, node, ir::OpKind::kConcatenate, std::move(*inputs), layout);
}

}  // namespace nnfpga::frontend::onnx
