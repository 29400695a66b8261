// fold_constants: evaluates nodes whose inputs are all constants, and moves the constant operand
// of MatMul / Add / Sub / Mul / Div into the node's parameters. A constant is a plain tensor: the
// shape ops (Flatten, Reshape) apply their IR shape rule to it as if it had no batch axis.
#include <optional>

#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"
#include "passes/graph_edit.hpp"
#include "passes/passes.hpp"

namespace nnfpga::passes {
namespace {

using ir::OpKind;

ir::Shape broadcast_shapes(const ir::Shape& a, const ir::Shape& b, const std::string& node) {
  ir::Shape out(std::max(a.size(), b.size()), 1);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::int64_t da = i < out.size() - a.size() ? 1 : a[i - (out.size() - a.size())];
    const std::int64_t db = i < out.size() - b.size() ? 1 : b[i - (out.size() - b.size())];
    if (da != db && da != 1 && db != 1) {
      throw Error(
          ErrorKind::kInput,
          "constants " + ir::to_string(a) + " and " + ir::to_string(b) + " do not broadcast",
          {.node = node});
    }
    out[i] = da == 1 ? db : da;
  }
  return out;
}

double apply(OpKind op, double a, double b) {
  switch (op) {
    case OpKind::kAddConstant:
      return a + b;
    case OpKind::kSubConstant:
      return a - b;
    case OpKind::kMulConstant:
      return a * b;
    default:
      return a / b;
  }
}

ir::Tensor elementwise(const ir::Node& n, const ir::Tensor& x, const ir::Tensor& c) {
  const ir::Shape shape = broadcast_shapes(x.shape, c.shape, n.name);
  const ir::Tensor bx = ir::broadcast_to(x, shape);
  const ir::Tensor bc = ir::broadcast_to(c, shape);
  const bool swapped = n.op == OpKind::kSubConstant && n.attrs.get_int_or("constant_first", 0) == 1;
  ir::Tensor out{shape, std::vector<double>(bx.data.size())};
  for (std::size_t i = 0; i < out.data.size(); ++i) {
    out.data[i] =
        swapped ? apply(n.op, bc.data[i], bx.data[i]) : apply(n.op, bx.data[i], bc.data[i]);
  }
  return out;
}

// x [..., k] @ w [k, n]; any other shapes are left for canonicalize() to refuse.
std::optional<ir::Tensor> matmul(const ir::Tensor& x, const ir::Tensor& w) {
  if (x.shape.empty() || w.shape.size() != 2 || x.shape.back() != w.shape[0]) return std::nullopt;
  const std::int64_t k = w.shape[0];
  const std::int64_t n = w.shape[1];
  const std::int64_t rows = x.size() / k;
  ir::Shape shape = x.shape;
  shape.back() = n;
  ir::Tensor out{shape, std::vector<double>(static_cast<std::size_t>(rows * n), 0.0)};
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t j = 0; j < n; ++j) {
      double acc = 0.0;
      for (std::int64_t i = 0; i < k; ++i) acc += x.data[r * k + i] * w.data[i * n + j];
      out.data[r * n + j] = acc;
    }
  }
  return out;
}

// The constant operand: the second input when present, else the already folded parameter.
const ir::Tensor& operand(const ir::Node& n, const std::vector<const ir::Tensor*>& in,
                          const char* param) {
  return in.size() >= 2 ? *in[1] : n.param(param);
}

// The node's value when every input is a constant and the op is computable; nullopt otherwise.
std::optional<ir::Tensor> evaluate(const ir::Graph& graph, const ir::Node& n) {
  if (n.inputs.empty()) return std::nullopt;
  std::vector<const ir::Tensor*> in;
  for (const std::string& name : n.inputs) {
    const ir::Node& p = graph.at(name);
    if (p.op != OpKind::kConstant) return std::nullopt;
    in.push_back(&p.param("value"));
  }
  switch (n.op) {
    case OpKind::kIdentity:
    case OpKind::kDropout:
    case OpKind::kFlatten:
    case OpKind::kReshape:
      try {
        return ir::Tensor{ir::op_info(n.op).shape_rule(n, {in[0]->shape}), in[0]->data};
      } catch (const Error& e) {
        throw e.located({.node = n.name});
      }
    case OpKind::kMatMul:
      return matmul(*in[0], operand(n, in, "weight"));
    case OpKind::kAddConstant:
    case OpKind::kSubConstant:
    case OpKind::kMulConstant:
    case OpKind::kDivConstant:
      return elementwise(n, *in[0], operand(n, in, "value"));
    default:
      return std::nullopt;
  }
}

void make_constant(ir::Node& n, ir::Tensor value) {
  n.op = OpKind::kConstant;
  n.inputs.clear();
  n.attrs = {};
  n.params = {{"value", std::move(value)}};
  n.source_op = "Constant";
}

bool is_binary_constant_op(OpKind op) {
  return op == OpKind::kMatMul || op == OpKind::kAddConstant || op == OpKind::kSubConstant ||
         op == OpKind::kMulConstant || op == OpKind::kDivConstant;
}

// Frontends put the activation first; a commutative op given (constant, x) is reordered.
void put_activation_first(const ir::Graph& graph, ir::Node& n) {
  if (graph.at(n.inputs[0]).op != OpKind::kConstant) return;
  if (n.op == OpKind::kAddConstant || n.op == OpKind::kMulConstant) {
    std::swap(n.inputs[0], n.inputs[1]);
  } else if (n.op == OpKind::kSubConstant) {
    std::swap(n.inputs[0], n.inputs[1]);
    n.attrs.set("constant_first", std::int64_t{1 - n.attrs.get_int_or("constant_first", 0)});
  }
}

void move_constant_into_param(const ir::Graph& graph, ir::Node& n) {
  put_activation_first(graph, n);
  const ir::Node& c = graph.at(n.inputs[1]);
  if (c.op != OpKind::kConstant || graph.at(n.inputs[0]).op == OpKind::kConstant) return;
  if (n.op == OpKind::kMatMul) {
    n.params["weight"] = c.param("value");
  } else {
    const std::size_t rank = graph.at(n.inputs[0]).output_shape.size();
    n.params["value"] = drop_leading_unit_axes(c.param("value"), rank);
  }
  n.inputs.pop_back();
}

}  // namespace

void fold_constants(ir::Graph& graph) {
  // Nodes are in topological order, so a node folded here is already a constant when its
  // consumers are visited.
  for (ir::Node& n : graph.nodes) {
    if (std::optional<ir::Tensor> value = evaluate(graph, n)) {
      make_constant(n, std::move(*value));
    } else if (is_binary_constant_op(n.op) && n.inputs.size() == 2) {
      move_constant_into_param(graph, n);
    }
  }
  ir::infer_shapes(graph);
}

}  // namespace nnfpga::passes
