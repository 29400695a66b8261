// fold_scale_shift: Add / Sub / Mul / Div by a constant are affine maps. Each is folded into the
// Dense before it when the map is per output channel and the Dense feeds only it; merged into the
// affine node before it (which keeps its name) when that node feeds only it; otherwise it becomes
// a BatchNorm of its own, with scale and bias broadcast to the input's shape. So x - c is
// x * 1 + (-c), c - x is x * (-1) + c, and x / c is x * (1/c) (refused when c contains 0).
#include "passes/affine.hpp"
#include "passes/graph_edit.hpp"
#include "passes/passes.hpp"

namespace nnfpga::passes {
namespace {

using ir::OpKind;

bool is_elementwise_constant_op(const ir::Node& n) {
  return n.op != OpKind::kBatchNorm && is_affine_node(n);
}

// Handles graph.nodes[i]; returns true when it was erased (merged into its producer).
bool fold_one(ir::Graph& graph, std::size_t i) {
  ir::Node& node = graph.nodes[i];
  if (!is_affine_node(node)) return false;
  ir::Node& producer = first_producer(graph, node);
  // BatchNorm into Dense is fold_batchnorm_into_dense's job; BatchNorm still merges with a
  // preceding affine node below.
  if (is_elementwise_constant_op(node) && try_fold_into_dense(graph, producer, node)) return true;
  const ir::Shape& shape = producer.output_shape;
  const bool declared = !producer.declared_types.empty() || !node.declared_types.empty();
  if (is_affine_node(producer) && sole_consumer(graph, producer.name) == &node && !declared) {
    const ir::Shape producer_shape = first_input_shape(graph, producer);
    make_batchnorm(producer, compose(affine_of(producer, producer_shape), affine_of(node, shape)));
    const std::string name = node.name;
    replace_uses(graph, name, producer.name);
    erase_node(graph, name, producer.name);
    return true;
  }
  if (is_elementwise_constant_op(node)) make_batchnorm(node, affine_of(node, shape));
  return false;
}

}  // namespace

void fold_scale_shift(ir::Graph& graph) {
  // Producers come first, so by the time a node is visited its producer is already a Dense, a
  // BatchNorm or something that is not affine; an erased node's successor takes its index.
  for (std::size_t i = 0; i < graph.nodes.size();) {
    if (!fold_one(graph, i)) ++i;
  }
  ir::infer_shapes(graph);
}

}  // namespace nnfpga::passes
