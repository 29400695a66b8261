// fold_batchnorm_into_dense: a BatchNorm whose scale and bias vary along the last axis only, right
// after a Dense that feeds nothing else and is not a graph output, is folded into the Dense's
// weight and bias. The Dense keeps its name; the BatchNorm's consumers and graph outputs are
// rewired to it.
#include "passes/affine.hpp"
#include "passes/graph_edit.hpp"
#include "passes/passes.hpp"

namespace nnfpga::passes {

void fold_batchnorm_into_dense(ir::Graph& graph) {
  for (std::size_t i = 0; i < graph.nodes.size();) {
    const ir::Node& node = graph.nodes[i];
    const bool folded = node.op == ir::OpKind::kBatchNorm && node.inputs.size() == 1 &&
                        try_fold_into_dense(graph, first_producer(graph, node), node);
    // An erased node's successor takes its index.
    if (!folded) ++i;
  }
  ir::infer_shapes(graph);
}

}  // namespace nnfpga::passes
