#include "frontend/onnx/op_converters.hpp"

#include <cmath>
#include <limits>
#include <map>

#include "frontend/onnx/layout_moves.hpp"
#include "frontend/onnx/onnx_attributes.hpp"

namespace nnfpga::frontend::onnx {
namespace {

// An IR node of `kind` on the activation input 0, or nothing after a refusal.
void unary(ReaderContext& ctx, const ::onnx::NodeProto& node, ir::OpKind kind,
           ir::Attributes attrs = {}) {
  const Value* x = activation_input(ctx, node, 0);
  if (!x) return;
  ir::Node n;
  n.op = kind;
  n.inputs = {x->node};
  n.attrs = std::move(attrs);
  // Element-wise: the output's axes sit where the input's do.
  ctx.add_node(node, std::move(n), x->layout);
}

// A Clip bound given as an optional constant input (opset >= 11); nullopt after a refusal.
std::optional<double> clip_bound(ReaderContext& ctx, const ::onnx::NodeProto& node, int i,
                                 double fallback) {
  const Value* v = ctx.input(node, i);
  if (!v) return fallback;
  if (!v->is_constant()) {
    ctx.refuse(node, std::string(i == 1 ? "min" : "max") + " is not a constant");
    return std::nullopt;
  }
  if (v->constant->size() != 1) {
    throw_bad_node(node, std::string(i == 1 ? "min" : "max") + " is not a scalar");
  }
  return v->constant->data[0];
}

}  // namespace

const Value* activation_input(ReaderContext& ctx, const ::onnx::NodeProto& node, int i) {
  const Value* v = ctx.input(node, i);
  if (!v) throw_bad_node(node, "input " + std::to_string(i) + " is missing");
  if (v->is_constant()) {
    ctx.refuse(node, "input '" + node.input(i) + "' is a constant, not an activation");
    return nullptr;
  }
  return v;
}

void convert_relu(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  unary(ctx, node, ir::OpKind::kRelu);
}

void convert_leaky_relu(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  ir::Attributes a;
  a.set("alpha", float_attribute(node, "alpha", 0.01));
  unary(ctx, node, ir::OpKind::kLeakyRelu, std::move(a));
}

void convert_sigmoid(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  unary(ctx, node, ir::OpKind::kSigmoid);
}

void convert_tanh(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  unary(ctx, node, ir::OpKind::kTanh);
}

void convert_elu(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  ir::Attributes a;
  a.set("alpha", float_attribute(node, "alpha", 1.0));
  unary(ctx, node, ir::OpKind::kElu, std::move(a));
}

void convert_softsign(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  unary(ctx, node, ir::OpKind::kSoftsign);
}

void convert_softplus(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  unary(ctx, node, ir::OpKind::kSoftplus);
}

void convert_hard_sigmoid(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  ir::Attributes a;
  a.set("slope", float_attribute(node, "alpha", 0.2));
  a.set("offset", float_attribute(node, "beta", 0.5));
  unary(ctx, node, ir::OpKind::kHardSigmoid, std::move(a));
}

void convert_softmax(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Value* x = activation_input(ctx, node, 0);
  if (!x) return;
  // The ONNX rank includes the batch axis. From opset 13 Softmax runs along one axis: any axis
  // the IR holds last (the channels of a feature map held channels-last, say). Before 13 it
  // flattened the input to 2-D at `axis` (default 1), which is that only for the last axis.
  const auto rank = static_cast<std::int64_t>(onnx_shape(*x->shape, x->layout).size()) + 1;
  std::int64_t axis = int_attribute(node, "axis", ctx.opset() >= 13 ? -1 : 1);
  if (axis < -rank || axis >= rank)
    throw_bad_node(node, "axis " + std::to_string(axis) + " is out of range");
  if (axis < 0) axis += rank;
  // A reordered vector is still one vector.
  const bool last_in_ir =
      axis >= 1 && (!x->layout.order.empty() || ir_axis(x->layout, static_cast<int>(axis) - 1) ==
                                                    static_cast<int>(x->shape->size()) - 1);
  if (axis < 1 || (ctx.opset() < 13 && axis != rank - 1)) {
    ctx.refuse(node, "softmax over axis " + std::to_string(axis) + " of a rank-" +
                         std::to_string(rank) +
                         " tensor; before opset 13 only the last axis is supported (a flatten "
                         "from the axis on), and never the batch");
    return;
  }
  if (last_in_ir) return unary(ctx, node, ir::OpKind::kSoftmax);
  // The IR's Softmax runs along its last axis: the tensor is transposed so that the ONNX axis
  // sits last (a softmax over the width of an NCHW map held channels-last).
  const auto onnx_rank = static_cast<int>(rank) - 1;
  const TensorLayout full = complete_layout(x->layout, x->shape->size(), onnx_rank);
  std::vector<int> by_ir(static_cast<std::size_t>(onnx_rank));
  for (int k = 0; k < onnx_rank; ++k)
    by_ir[static_cast<std::size_t>(full.axes[static_cast<std::size_t>(k)])] = k;
  std::erase(by_ir, static_cast<int>(axis) - 1);
  by_ir.push_back(static_cast<int>(axis) - 1);
  TensorLayout target;
  target.axes.resize(static_cast<std::size_t>(onnx_rank));
  for (int j = 0; j < onnx_rank; ++j)
    target.axes[static_cast<std::size_t>(by_ir[static_cast<std::size_t>(j)])] = j;
  const std::optional<std::string> moved = rearranged(ctx, node, *x, target);
  if (!moved) return;
  ir::Node n;
  n.op = ir::OpKind::kSoftmax;
  n.inputs = {*moved};
  ctx.add_node(node, std::move(n), normalized(target));
}

void convert_clip(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double lo = -kInf;
  double hi = kInf;
  if (ctx.opset() >= 11) {
    const auto l = clip_bound(ctx, node, 1, -kInf);
    if (!l) return;
    const auto h = clip_bound(ctx, node, 2, kInf);
    if (!h) return;
    lo = *l;
    hi = *h;
  } else {
    lo = float_attribute(node, "min", -kInf);
    hi = float_attribute(node, "max", kInf);
  }
  ir::Attributes a;
  a.set("min", lo);
  a.set("max", hi);
  unary(ctx, node, ir::OpKind::kClip, std::move(a));
}

void convert_identity(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Value* v = ctx.input(node, 0);
  if (!v) throw_bad_node(node, "input 0 is missing");
  if (v->is_constant()) {
    ctx.define_constant_output(node, *v->constant);
    return;
  }
  unary(ctx, node, ir::OpKind::kIdentity);
}

void convert_dropout(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  if (node.output_size() > 1 && !node.output(1).empty() && ctx.is_used(node.output(1))) {
    ctx.refuse(node, "its mask output is used");
    return;
  }
  // Opset >= 12 takes training_mode as input 2; only a constant false is inference.
  if (const Value* mode = ctx.input(node, 2)) {
    if (!mode->is_constant()) {
      ctx.refuse(node, "training_mode is not a constant");
      return;
    }
    if (mode->constant->size() != 1) throw_bad_node(node, "training_mode is not a scalar");
    if (mode->constant->data[0] != 0.0) {
      ctx.refuse(node, "training_mode is true (model exported for training)");
      return;
    }
  }
  unary(ctx, node, ir::OpKind::kDropout);
}

Converter find_converter(const std::string& op_type) {
  static const std::map<std::string, Converter> table = {
      {"Relu", convert_relu},
      {"LeakyRelu", convert_leaky_relu},
      {"Sigmoid", convert_sigmoid},
      {"Tanh", convert_tanh},
      {"Softmax", convert_softmax},
      {"Clip", convert_clip},
      {"Identity", convert_identity},
      {"Dropout", convert_dropout},
      {"Gemm", convert_gemm},
      {"MatMul", convert_matmul},
      {"Add", convert_binary},
      {"Sub", convert_binary},
      {"Mul", convert_binary},
      {"Div", convert_binary},
      {"BatchNormalization", convert_batchnorm},
      {"PRelu", convert_prelu},
      {"Elu", convert_elu},
      {"Softsign", convert_softsign},
      {"Softplus", convert_softplus},
      {"HardSigmoid", convert_hard_sigmoid},
      {"Sum", convert_variadic},
      {"Mean", convert_variadic},
      {"Max", convert_variadic},
      {"Min", convert_variadic},
      {"Concat", convert_concat},
      {"Flatten", convert_flatten},
      {"Reshape", convert_reshape},
      {"Constant", convert_constant},
      {"Shape", convert_shape},
      {"Gather", convert_gather},
      {"Slice", convert_slice},
      {"ConstantOfShape", convert_constant_of_shape},
      {"Cast", convert_cast},
      {"Transpose", convert_transpose},
      {"Squeeze", convert_squeeze},
      {"Unsqueeze", convert_unsqueeze},
      {"Conv", convert_conv},
      {"MaxPool", convert_pool},
      {"AveragePool", convert_pool},
      {"GlobalAveragePool", convert_global_pool},
      {"GlobalMaxPool", convert_global_pool},
      {"ReduceMean", convert_reduce},
      {"ReduceMax", convert_reduce},
      {"Pad", convert_pad},
      {"Resize", convert_resize},
      {"Upsample", convert_resize},
  };
  auto it = table.find(op_type);
  return it == table.end() ? nullptr : it->second;
}

}  // namespace nnfpga::frontend::onnx
