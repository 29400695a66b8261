// remove_identity: Identity and (inference) Dropout forward their first input, so their consumers
// read the producer directly and a graph output naming one names the producer instead. So a model
// returning y and Identity(y) ends with graph.outputs naming y twice (consumers must accept a
// repeated output). One degenerate case keeps the node: an Identity of a graph Input that is
// itself a graph output, which has nothing to compute; canonicalize() then refuses it.
#include <algorithm>

#include "passes/graph_edit.hpp"
#include "passes/passes.hpp"

namespace nnfpga::passes {
namespace {

using ir::OpKind;

bool must_keep(const ir::Graph& graph, const ir::Node& node, const ir::Node& producer) {
  return graph.is_output(node.name) && producer.op == OpKind::kInput;
}

void rewire_consumers(ir::Graph& graph, const std::string& from, const std::string& to) {
  for (ir::Node& n : graph.nodes) std::replace(n.inputs.begin(), n.inputs.end(), from, to);
}

}  // namespace

void remove_identity(ir::Graph& graph) {
  for (std::size_t i = 0; i < graph.nodes.size();) {
    const ir::Node& node = graph.nodes[i];
    if ((node.op != OpKind::kIdentity && node.op != OpKind::kDropout) || node.inputs.empty()) {
      ++i;
      continue;
    }
    const std::string name = node.name;
    const std::string producer = node.inputs.front();
    if (must_keep(graph, node, graph.at(producer))) {
      rewire_consumers(graph, name, producer);
      ++i;
      continue;
    }
    replace_uses(graph, name, producer);
    erase_node(graph, name, "");
  }
  ir::infer_shapes(graph);
}

}  // namespace nnfpga::passes
