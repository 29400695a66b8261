// fuse_matmul_add_into_dense: MatMul with a constant weight becomes Dense (zero bias), and an Add
// of a per-channel constant right after a Dense is folded into its bias. The fused node keeps the
// MatMul's (Dense's) name; graph outputs that named the Add now name it.
#include "passes/graph_edit.hpp"
#include "passes/passes.hpp"

namespace nnfpga::passes {
namespace {

using ir::OpKind;

void matmul_to_dense(ir::Node& n) {
  const ir::Tensor& w = n.param("weight");
  if (w.shape.size() != 2) return;  // left for canonicalize() to refuse
  n.op = OpKind::kDense;
  dense_bias(n);
}

// Folds the Add consuming `dense` into its bias; false when there is none to fold.
bool fold_following_add(ir::Graph& graph, ir::Node& dense) {
  ir::Node* add = sole_consumer(graph, dense.name);
  if (!add || add->op != OpKind::kAddConstant || add->inputs.size() != 1 ||
      !add->params.count("value")) {
    return false;
  }
  const auto shift = per_last_axis(add->param("value"), dense.output_shape);
  if (!shift) return false;
  std::vector<double>& bias = dense_bias(dense);
  for (std::size_t j = 0; j < bias.size(); ++j) bias[j] += (*shift)[j];
  const std::string add_name = add->name;
  const std::string dense_name = dense.name;
  replace_uses(graph, add_name, dense_name);
  erase_node(graph, add_name, dense_name);
  return true;
}

}  // namespace

void fuse_matmul_add_into_dense(ir::Graph& graph) {
  for (ir::Node& n : graph.nodes) {
    if (n.op == OpKind::kMatMul && n.inputs.size() == 1 && n.params.count("weight")) {
      matmul_to_dense(n);
    }
  }
  // Erasing a node invalidates references, so restart the scan after each fold.
  for (bool changed = true; changed;) {
    changed = false;
    for (ir::Node& n : graph.nodes) {
      if (n.op == OpKind::kDense && fold_following_add(graph, n)) {
        changed = true;
        break;
      }
    }
  }
  ir::infer_shapes(graph);
}

}  // namespace nnfpga::passes
