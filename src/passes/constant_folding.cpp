// fold_constants: evaluates nodes whose inputs are all constants, and moves the constant operand
// of MatMul / Add / Sub / Mul / Div into the node's parameters. A constant is a plain tensor: the
// shape ops (Flatten, Reshape) apply their IR shape rule to it as if it had no batch axis.
#include <optional>

#include "ir/float_eval.hpp"
#include "passes/graph_edit.hpp"
#include "passes/passes.hpp"

namespace nnfpga::passes {
namespace {

using ir::OpKind;

// x [..., k] @ w [k, n]; any other shapes are left for canonicalize() to refuse.
bool is_matrix_product(const ir::Tensor& x, const ir::Tensor& w) {
  return !x.shape.empty() && w.shape.size() == 2 && x.shape.back() == w.shape[0];
}

// The node's value when every input is a constant and the op is one folded here; nullopt
// otherwise. The arithmetic is the op's float meaning, ir::evaluate_float.
std::optional<ir::Tensor> evaluate(const ir::Graph& graph, const ir::Node& n) {
  if (n.inputs.empty()) return std::nullopt;
  std::vector<const ir::Tensor*> in;
  for (const std::string& name : n.inputs) {
    const ir::Node& p = graph.at(name);
    if (p.op != OpKind::kConstant) return std::nullopt;
    in.push_back(&p.param("value"));
  }
  switch (n.op) {
    case OpKind::kMatMul:
      if (!is_matrix_product(*in[0], in.size() >= 2 ? *in[1] : n.param("weight"))) {
        return std::nullopt;
      }
      [[fallthrough]];
    case OpKind::kIdentity:
    case OpKind::kDropout:
    case OpKind::kFlatten:
    case OpKind::kReshape:
    case OpKind::kTranspose:
    case OpKind::kAddConstant:
    case OpKind::kSubConstant:
    case OpKind::kMulConstant:
    case OpKind::kDivConstant:
      return ir::evaluate_float(n, in, /*batch_axes=*/0);
    case OpKind::kInput:
    case OpKind::kConstant:
    case OpKind::kDense:
    case OpKind::kRelu:
    case OpKind::kLeakyRelu:
    case OpKind::kClip:
    case OpKind::kSigmoid:
    case OpKind::kTanh:
    case OpKind::kSoftmax:
    case OpKind::kBatchNorm:
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
    case OpKind::kZeroPadding1D:
    case OpKind::kZeroPadding2D:
    case OpKind::kCropping1D:
    case OpKind::kCropping2D:
    case OpKind::kUpSampling1D:
    case OpKind::kUpSampling2D:
    case OpKind::kDepthwiseConv1D:
    case OpKind::kDepthwiseConv2D:
      break;  // layers of the canonical graph: kept even on constants
  }
  return std::nullopt;
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
