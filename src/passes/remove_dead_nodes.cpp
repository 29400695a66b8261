// remove_dead_nodes: drops every node whose tensor does not reach a graph output (constants left
// behind by fold_constants, branches nobody reads). Input nodes always stay, so the graph keeps its
// interface even when an input is unused.
#include <set>

#include "passes/passes.hpp"

namespace nnfpga::passes {

void remove_dead_nodes(ir::Graph& graph) {
  std::set<std::string> live(graph.outputs.begin(), graph.outputs.end());
  // Consumers come after producers, so one backward sweep marks everything that feeds an output.
  for (auto it = graph.nodes.rbegin(); it != graph.nodes.rend(); ++it) {
    if (live.count(it->name)) live.insert(it->inputs.begin(), it->inputs.end());
  }
  std::erase_if(graph.nodes, [&](const ir::Node& n) {
    const bool dead = n.op != ir::OpKind::kInput && live.count(n.name) == 0;
    if (dead) graph.removed_layers[n.name] = "";
    return dead;
  });
}

}  // namespace nnfpga::passes
