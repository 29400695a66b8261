// Converters for the ops that only rename axes: Transpose, Squeeze, Unsqueeze. On an activation
// they change how the ONNX tensor's axes sit in the IR tensor (tensor_layout.hpp) and move no
// data: the NHWC <-> NCHW pairs of tf2onnx, the Transpose before a Flatten and PyTorch's
// Unsqueeze/BatchNormalization/Squeeze around a BatchNorm1d cost nothing. A size-1 axis that
// the IR holds and Squeeze removes becomes a Reshape. On a constant they are computed. Data moves
// later, and only when a consumer needs an order the IR does not hold (layout_moves.hpp).
#include <algorithm>
#include <numeric>

#include "frontend/onnx/onnx_attributes.hpp"
#include "frontend/onnx/op_converters.hpp"
#include "ir/layout.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend::onnx {
namespace {

// The layout with its axes spelled out (an empty one is the identity over `ir_rank` axes).
std::vector<int> explicit_axes(const TensorLayout& layout, std::size_t ir_rank) {
  if (!layout.axes.empty()) return layout.axes;
  std::vector<int> axes(ir_rank);
  std::iota(axes.begin(), axes.end(), 0);
  return axes;
}

// The `axes` of Squeeze/Unsqueeze: an attribute before opset 13, input 1 after. Normalized to
// [0, rank) and sorted; nullopt when absent (Squeeze: every size-1 axis) or after a refusal.
std::optional<std::vector<std::int64_t>> axes_operand(ReaderContext& ctx,
                                                      const ::onnx::NodeProto& node,
                                                      std::int64_t rank, bool& refused) {
  std::vector<std::int64_t> axes;
  if (const ::onnx::AttributeProto* a = find_attribute(node, "axes")) {
    axes.assign(a->ints().begin(), a->ints().end());
  } else if (const Value* v = ctx.input(node, 1)) {
    if (!v->is_constant()) {
      ctx.refuse(node, "the axes are not a constant");
      refused = true;
      return std::nullopt;
    }
    axes = integer_values(node, *v->constant, "the axes input");
  } else {
    return std::nullopt;
  }
  for (std::int64_t& a : axes) {
    if (a < -rank || a >= rank)
      throw_bad_node(node, "axis " + std::to_string(a) + " is out of range");
    if (a < 0) a += rank;
  }
  std::sort(axes.begin(), axes.end());
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end()) {
    throw_bad_node(node, "an axis is listed twice");
  }
  return axes;
}

}  // namespace

void convert_transpose(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Value* x = ctx.input(node, 0);
  if (!x) throw_bad_node(node, "input 0 is missing");
  const std::size_t rank =
      x->is_constant() ? x->constant->shape.size() : onnx_shape(*x->shape, x->layout).size() + 1;
  std::vector<std::int64_t> perm(rank);
  if (const ::onnx::AttributeProto* a = find_attribute(node, "perm")) {
    perm.assign(a->ints().begin(), a->ints().end());
  } else {
    for (std::size_t k = 0; k < rank; ++k) perm[k] = static_cast<std::int64_t>(rank - 1 - k);
  }
  std::vector<std::int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t k = 0; k < rank; ++k) {
    if (sorted.size() != rank || sorted[k] != static_cast<std::int64_t>(k)) {
      throw_bad_node(node,
                     "perm is not a permutation of the input's " + std::to_string(rank) + " axes");
    }
  }
  if (x->is_constant()) {
    ctx.define_constant_output(node, transposed_tensor(*x->constant, perm));
    return;
  }
  if (perm[0] != 0) {
    ctx.refuse(node, "perm moves the batch axis");
    return;
  }
  if (!x->layout.order.empty()) {  // a vector: nothing to transpose
    ctx.alias_outputs(node, *x);
    return;
  }
  Value out = *x;
  out.layout = transposed(TensorLayout{explicit_axes(x->layout, x->shape->size())},
                          static_cast<int>(rank - 1), perm);
  ctx.alias_outputs(node, out);
}

void convert_unsqueeze(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Value* x = ctx.input(node, 0);
  if (!x) throw_bad_node(node, "input 0 is missing");
  const ir::Shape in = x->is_constant() ? x->constant->shape : onnx_shape(*x->shape, x->layout);
  const auto batch = static_cast<std::int64_t>(x->is_constant() ? 0 : 1);
  const auto out_rank = static_cast<std::int64_t>(in.size()) + batch;
  bool refused = false;
  std::int64_t count = 0;
  {
    const ::onnx::AttributeProto* a = find_attribute(node, "axes");
    const Value* v = a ? nullptr : ctx.input(node, 1);
    count = a ? a->ints_size()
              : (v && v->is_constant() ? static_cast<std::int64_t>(v->constant->size()) : 0);
  }
  auto axes = axes_operand(ctx, node, out_rank + count, refused);
  if (refused) return;
  if (!axes) throw_bad_node(node, "has no axes");
  if (x->is_constant()) {
    ir::Tensor t = *x->constant;
    for (std::int64_t a : *axes) t.shape.insert(t.shape.begin() + a, 1);
    ctx.define_constant_output(node, std::move(t));
    return;
  }
  if (axes->front() == 0) {
    ctx.refuse(node, "a new axis before the batch axis");
    return;
  }
  Value out = *x;
  std::vector<int> layout = explicit_axes(x->layout, x->shape->size());
  for (std::int64_t a : *axes) layout.insert(layout.begin() + (a - 1), TensorLayout::kAbsent);
  out.layout.axes = std::move(layout);
  ctx.alias_outputs(node, out);
}

void convert_squeeze(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Value* x = ctx.input(node, 0);
  if (!x) throw_bad_node(node, "input 0 is missing");
  const ir::Shape in = x->is_constant() ? x->constant->shape : onnx_shape(*x->shape, x->layout);
  const auto batch = static_cast<std::int64_t>(x->is_constant() ? 0 : 1);
  bool refused = false;
  auto axes = axes_operand(ctx, node, static_cast<std::int64_t>(in.size()) + batch, refused);
  if (refused) return;
  std::vector<std::int64_t> squeezed;  // indices into `in`
  for (std::size_t k = 0; k < in.size(); ++k) {
    const auto onnx_axis = static_cast<std::int64_t>(k) + batch;
    const bool listed =
        axes ? std::binary_search(axes->begin(), axes->end(), onnx_axis) : in[k] == 1;
    if (!listed) continue;
    if (in[k] != 1)
      throw_bad_node(node, "axis " + std::to_string(onnx_axis) + " has size " +
                               std::to_string(in[k]) + ", not 1");
    squeezed.push_back(static_cast<std::int64_t>(k));
  }
  if (axes && batch == 1 && !axes->empty() && axes->front() == 0) {
    ctx.refuse(node, "it removes the batch axis");
    return;
  }
  if (x->is_constant()) {
    ir::Tensor t = *x->constant;
    for (auto it = squeezed.rbegin(); it != squeezed.rend(); ++it)
      t.shape.erase(t.shape.begin() + *it);
    ctx.define_constant_output(node, std::move(t));
    return;
  }
  std::vector<int> layout = explicit_axes(x->layout, x->shape->size());
  std::vector<int> dropped_ir;  // IR axes (of size 1) that go too
  for (auto it = squeezed.rbegin(); it != squeezed.rend(); ++it) {
    const int a = layout[static_cast<std::size_t>(*it)];
    if (a != TensorLayout::kAbsent) dropped_ir.push_back(a);
    layout.erase(layout.begin() + *it);
  }
  Value out = *x;
  if (!dropped_ir.empty()) {
    // The IR tensor loses those axes too: a Reshape (no data moves), and the layout renumbered.
    ir::Shape shape;
    for (std::size_t a = 0; a < x->shape->size(); ++a) {
      if (std::find(dropped_ir.begin(), dropped_ir.end(), static_cast<int>(a)) ==
          dropped_ir.end()) {
        shape.push_back((*x->shape)[a]);
      }
    }
    for (int& a : layout) {
      if (a == TensorLayout::kAbsent) continue;
      a -= static_cast<int>(
          std::count_if(dropped_ir.begin(), dropped_ir.end(), [&](int d) { return d < a; }));
    }
    if (shape.empty()) {
      ctx.refuse(node, "it leaves only the batch axis");
      return;
    }
    ir::Node n;
    n.op = ir::OpKind::kReshape;
    n.inputs = {x->node};
    n.attrs.set("shape", shape);
    ctx.add_node(node, std::move(n), TensorLayout{.axes = std::move(layout)});
    return;
  }
  out.layout.axes = std::move(layout);
  ctx.alias_outputs(node, out);
}

}  // namespace nnfpga::frontend::onnx
