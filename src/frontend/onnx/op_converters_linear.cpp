// Converters for the ops that carry weights or constant operands.
#include <cmath>

#include "fixed/exact_type.hpp"
#include "frontend/onnx/layout_moves.hpp"
#include "frontend/onnx/onnx_attributes.hpp"
#include "frontend/onnx/op_converters.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend::onnx {
namespace {

// The constant input `i`, or nullptr after refusing the node when it is not a constant.
const ir::Tensor* constant_input(ReaderContext& ctx, const ::onnx::NodeProto& node, int i,
                                 const char* role) {
  const Value* v = ctx.input(node, i);
  if (!v) throw_bad_node(node, std::string(role) + " is missing");
  if (!v->is_constant()) {
    ctx.refuse(node, std::string(role) + " is not a constant (initializer)");
    return nullptr;
  }
  return &*v->constant;
}

// Gemm's bias: beta * C broadcast to [n_out]. C of shape [1, n_out] (or [1, 1]) is accepted since
// its leading axis is the batch; a C that varies along the batch is not a bias.
std::optional<ir::Tensor> gemm_bias(ReaderContext& ctx, const ::onnx::NodeProto& node,
                                    std::int64_t n_out) {
  const Value* c = ctx.input(node, 2);
  if (!c) return ir::Tensor{{n_out}, std::vector<double>(static_cast<std::size_t>(n_out), 0.0)};
  if (!c->is_constant()) {
    ctx.refuse(node, "C is not a constant (initializer)");
    return std::nullopt;
  }
  ir::Tensor t = *c->constant;
  if (t.shape.size() == 2 && t.shape[0] == 1) t.shape.erase(t.shape.begin());
  if (t.shape.size() > 1) {
    ctx.refuse(node, "C of shape " + ir::to_string(c->constant->shape) + " varies along the batch");
    return std::nullopt;
  }
  ir::Tensor out;
  try {
    out = ir::broadcast_to(t, {n_out});
  } catch (const Error&) {
    throw_bad_node(node, "C " + ir::to_string(c->constant->shape) + " does not fit " +
                             std::to_string(n_out) + " outputs");
  }
  const double beta = float_attribute(node, "beta", 1.0);
  for (double& v : out.data) v *= beta;
  return out;
}

// A constant operand fitted to the IR's batch-less activation: a constant of the activation's full
// ONNX rank has the batch as its leading axis, which must be 1 and is dropped.
std::optional<ir::Tensor> fit_constant(ReaderContext& ctx, const ::onnx::NodeProto& node,
                                       const ir::Tensor& c, const Value& x) {
  const std::size_t full_rank = x.shape->size() + 1;
  if (c.shape.size() > full_rank) {
    ctx.refuse(node,
               "constant of shape " + ir::to_string(c.shape) + " has more axes than the input");
    return std::nullopt;
  }
  if (c.shape.size() < full_rank) return c;
  if (c.shape[0] != 1) {
    ctx.refuse(node, "constant of shape " + ir::to_string(c.shape) + " varies along the batch");
    return std::nullopt;
  }
  return ir::Tensor{ir::Shape(c.shape.begin() + 1, c.shape.end()), c.data};
}

// A constant fitted by fit_constant, broadcast to the activation's ONNX shape and reordered into
// the IR's order of the activation; nullopt after a refusal.
std::optional<ir::Tensor> in_ir_order(ReaderContext& ctx, const ::onnx::NodeProto& node,
                                      const ir::Tensor& fitted, const Value& x) {
  const ir::Shape onnx = onnx_shape(*x.shape, x.layout);
  ir::Tensor full;
  try {
    full = ir::broadcast_to(fitted, onnx);
  } catch (const Error&) {
    ctx.refuse(node, "constant of shape " + ir::to_string(fitted.shape) +
                         " does not broadcast to the input " + ir::to_string(onnx));
    return std::nullopt;
  }
  return to_ir_order(full, *x.shape, x.layout);
}

// The ONNX channel (index on the first non-batch axis) of each element of an IR tensor.
std::vector<std::int64_t> channel_of_elements(const ir::Shape& ir_shape,
                                              const TensorLayout& layout) {
  const ir::Shape onnx = onnx_shape(ir_shape, layout);
  const std::int64_t n = ir::element_count(ir_shape);
  const std::int64_t inner = n / onnx.front();
  ir::Tensor channel_of_onnx{onnx, std::vector<double>(static_cast<std::size_t>(n))};
  for (std::int64_t k = 0; k < n; ++k) {
    channel_of_onnx.data[static_cast<std::size_t>(k)] = static_cast<double>(k / inner);
  }
  const ir::Tensor in_ir = to_ir_order(channel_of_onnx, ir_shape, layout);
  std::vector<std::int64_t> out;
  for (double c : in_ir.data) out.push_back(static_cast<std::int64_t>(c));
  return out;
}

ir::OpKind binary_kind(const std::string& op) {
  if (op == "Add") return ir::OpKind::kAddConstant;
  if (op == "Sub") return ir::OpKind::kSubConstant;
  if (op == "Mul") return ir::OpKind::kMulConstant;
  return ir::OpKind::kDivConstant;
}

}  // namespace

// A Gemm whose B or C a QONNX quantizer computed holds exactly quantized values: it declares the
// exact types of its weight and bias (the narrowest that hold them without rounding) and an
// exact sum, as the framework computes it. False after refusing the node.
bool declare_quantized_parameters(ReaderContext& ctx, const ::onnx::NodeProto& node, ir::Node& n) {
  std::string by;
  for (int i : {1, 2}) {
    const Value* v = ctx.input(node, i);
    if (v && !v->quantized_by.empty()) by += (by.empty() ? "" : " and ") + v->quantized_by;
  }
  if (by.empty()) return true;
  for (const char* key : {"weight", "bias"}) {
    if (!n.params.count(key)) continue;  // a convolution without bias
    const std::optional<fixed::FixedType> t = fixed::exact_type_of(n.params.at(key).data);
    if (!t) {
      ctx.refuse(node, std::string("its ") + key +
                           " has values no fixed-point type of at most 64 bits holds exactly");
      return false;
    }
    n.declared_types[key] = fixed::to_string(*t);
  }
  n.declared_types["accum"] = "auto";
  n.declared_types["result"] = "auto";
  n.declared_by = "the exact values of " + by;
  return true;
}

void convert_gemm(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Value* a = activation_input(ctx, node, 0);
  if (!a) return;
  const ir::Tensor* b = constant_input(ctx, node, 1, "B");
  if (!b) return;
  if (int_attribute(node, "transA", 0) != 0) {
    ctx.refuse(node, "transA = 1 (the activation would be transposed)");
    return;
  }
  if (a->shape->size() != 1) throw_bad_node(node, "A is not 2-D");
  if (b->shape.size() != 2) throw_bad_node(node, "B is not 2-D");
  const bool trans_b = int_attribute(node, "transB", 0) != 0;
  const std::int64_t n_in = trans_b ? b->shape[1] : b->shape[0];
  const std::int64_t n_out = trans_b ? b->shape[0] : b->shape[1];
  if (n_in != a->shape->front()) {
    throw_bad_node(node,
                   "B " + ir::to_string(b->shape) + " does not fit A " + ir::to_string(*a->shape));
  }
  auto bias = gemm_bias(ctx, node, n_out);
  if (!bias) return;
  const double alpha = float_attribute(node, "alpha", 1.0);
  ir::Tensor w{{n_in, n_out}, std::vector<double>(b->data.size())};
  // After a Flatten of a feature map the IR's vector is in HWC order: row i of the IR's weight
  // is the file's row for that element.
  const std::vector<std::int64_t>& order = a->layout.order;
  for (std::int64_t i = 0; i < n_in; ++i) {
    const std::int64_t row = order.empty() ? i : order[static_cast<std::size_t>(i)];
    for (std::int64_t o = 0; o < n_out; ++o) {
      const std::int64_t src = trans_b ? o * n_in + row : row * n_out + o;
      w.data[static_cast<std::size_t>(i * n_out + o)] =
          alpha * b->data[static_cast<std::size_t>(src)];
    }
  }
  ir::Node n;
  n.op = ir::OpKind::kDense;
  n.inputs = {a->node};
  n.params["weight"] = std::move(w);
  n.params["bias"] = std::move(*bias);
  if (!declare_quantized_parameters(ctx, node, n)) return;
  ctx.add_node(node, std::move(n));
}

void convert_matmul(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Value* a = ctx.input(node, 0);
  const Value* b = ctx.input(node, 1);
  if (!a || !b) throw_bad_node(node, "needs two inputs");
  if (a->is_constant()) {
    ctx.refuse(node, "the constant is the left operand (only activation @ constant is supported)");
    return;
  }
  if (!b->is_constant()) {
    ctx.refuse(node, "both operands are activations");
    return;
  }
  if (b->constant->shape.size() != 2) {
    ctx.refuse(node, "the constant operand has shape " + ir::to_string(b->constant->shape) +
                         "; only 2-D weights are supported");
    return;
  }
  if (a->shape->empty()) throw_bad_node(node, "the activation has only the batch axis");
  const auto rank = static_cast<int>(onnx_shape(*a->shape, a->layout).size());
  std::optional<Value> moved;
  if (a->layout.order.empty() &&
      ir_axis(a->layout, rank - 1) != static_cast<int>(a->shape->size()) - 1) {
    // The multiplied axis is not the IR's last (a permuted sequence, say): the activation is
    // brought to the file's order, which a MatMul multiplies on its last axis.
    const TensorLayout plain = plain_layout(static_cast<std::size_t>(rank));
    std::optional<std::string> node_name = rearranged(ctx, node, *a, plain);
    if (!node_name) return;
    moved = Value{.node = *node_name,
                  .shape = shape_in_layout(onnx_shape(*a->shape, a->layout), plain)};
    a = &*moved;
  }
  ir::Node n;
  n.op = ir::OpKind::kMatMul;
  TensorLayout out_layout = a->layout;
  if (a->layout.order.empty()) {
    n.inputs = {a->node, ctx.constant_node(*b, *b->constant)};
  } else {
    // A flattened feature map: the weight's rows in the IR's element order.
    Value rows = *b;
    rows.constant_name += "_rows_in_ir_order";
    const std::int64_t cols = b->constant->shape[1];
    for (std::size_t i = 0; i < a->layout.order.size(); ++i) {
      for (std::int64_t c = 0; c < cols; ++c) {
        rows.constant->data[i * static_cast<std::size_t>(cols) + static_cast<std::size_t>(c)] =
            b->constant->data[static_cast<std::size_t>(a->layout.order[i] * cols + c)];
      }
    }
    n.inputs = {a->node, ctx.constant_node(rows, *rows.constant)};
    out_layout = {};
  }
  ctx.add_node(node, std::move(n), std::move(out_layout));
}

void convert_binary(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Value* a = ctx.input(node, 0);
  const Value* b = ctx.input(node, 1);
  if (!a || !b) throw_bad_node(node, "needs two inputs");
  if (!a->is_constant() && !b->is_constant()) return convert_binary_activations(ctx, node);
  if (a->is_constant() && b->is_constant()) {
    ctx.refuse(node, "both operands are constants");
    return;
  }
  const bool constant_first = a->is_constant();
  const Value& x = constant_first ? *b : *a;
  const Value& c = constant_first ? *a : *b;
  const ir::OpKind kind = binary_kind(node.op_type());
  if (constant_first && kind == ir::OpKind::kDivConstant) {
    ctx.refuse(node, "the constant is the numerator (constant / x)");
    return;
  }
  auto fitted = fit_constant(ctx, node, *c.constant, x);
  if (!fitted) return;
  Value constant = c;
  if (fitted->size() > 1 && !is_plain(x.layout, *x.shape)) {
    // Broadcast in the file's axis order, then laid out as the IR holds the activation.
    auto in_ir = in_ir_order(ctx, node, *fitted, x);
    if (!in_ir) return;
    fitted = std::move(in_ir);
    constant.constant_name += "_in_ir_order";
  }
  ir::Node n;
  n.op = kind;
  n.inputs = {x.node, ctx.constant_node(constant, *fitted)};
  if (constant_first && kind == ir::OpKind::kSubConstant)
    n.attrs.set("constant_first", std::int64_t{1});
  ctx.add_node(node, std::move(n), x.layout);
}

void convert_prelu(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Value* x = activation_input(ctx, node, 0);
  if (!x) return;
  const ir::Tensor* slope = constant_input(ctx, node, 1, "slope");
  if (!slope) return;
  auto fitted = fit_constant(ctx, node, *slope, *x);
  if (!fitted) return;
  ir::Node n;
  n.op = ir::OpKind::kPRelu;
  n.inputs = {x->node};
  const ir::Shape onnx = onnx_shape(*x->shape, x->layout);
  try {
    // Unidirectional broadcast: one alpha per element of the input.
    n.params["alpha"] = to_ir_order(ir::broadcast_to(*fitted, onnx), *x->shape, x->layout);
  } catch (const Error&) {
    throw_bad_node(node, "slope " + ir::to_string(slope->shape) + " does not broadcast to " +
                             ir::to_string(onnx));
  }
  ctx.add_node(node, std::move(n), x->layout);
}

void convert_batchnorm(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Value* x = activation_input(ctx, node, 0);
  if (!x) return;
  if (int_attribute(node, "training_mode", 0) != 0) {
    ctx.refuse(node, "training_mode = 1");
    return;
  }
  for (int o = 1; o < node.output_size(); ++o) {
    if (!node.output(o).empty() && ctx.is_used(node.output(o))) {
      ctx.refuse(node, "its running statistics outputs are used (training mode)");
      return;
    }
  }
  const char* roles[] = {"scale", "B", "mean", "var"};
  const ir::Tensor* p[4];
  for (int i = 0; i < 4; ++i) {
    p[i] = constant_input(ctx, node, i + 1, roles[i]);
    if (!p[i]) return;
  }
  if (x->shape->empty()) throw_bad_node(node, "the input has no channel axis");
  // ONNX's channel axis 1 (the first without the batch) is wherever the layout holds it: the
  // IR's last axis for a feature map read channels-last.
  const std::int64_t channels = onnx_shape(*x->shape, x->layout).front();
  for (const ir::Tensor* t : p) {
    if (t->shape != ir::Shape{channels}) {
      throw_bad_node(node, "a parameter of shape " + ir::to_string(t->shape) + " does not fit " +
                               std::to_string(channels) + " channels");
    }
  }
  const double eps = float_attribute(node, "epsilon", 1e-5);
  const std::vector<std::int64_t> channel = channel_of_elements(*x->shape, x->layout);
  ir::Tensor scale{*x->shape, std::vector<double>(channel.size())};
  ir::Tensor bias = scale;
  for (std::size_t i = 0; i < channel.size(); ++i) {
    const auto c = static_cast<std::size_t>(channel[i]);
    const double var = p[3]->data[c] + eps;
    if (!(var > 0)) throw_bad_node(node, "variance + epsilon is not positive");
    const double s = p[0]->data[c] / std::sqrt(var);
    scale.data[i] = s;
    bias.data[i] = p[1]->data[c] - p[2]->data[c] * s;
  }
  ir::Node n;
  n.op = ir::OpKind::kBatchNorm;
  n.inputs = {x->node};
  n.params["scale"] = std::move(scale);
  n.params["bias"] = std::move(bias);
  ctx.add_node(node, std::move(n), x->layout);
}

}  // namespace nnfpga::frontend::onnx
