#include "passes/graph_edit.hpp"

#include <algorithm>

#include "nnfpga/error.hpp"

namespace nnfpga::passes {

ir::Node* sole_consumer(ir::Graph& graph, const std::string& name) {
  if (graph.is_output(name)) return nullptr;
  ir::Node* found = nullptr;
  for (ir::Node& n : graph.nodes) {
    const auto uses = std::count(n.inputs.begin(), n.inputs.end(), name);
    if (uses == 0) continue;
    if (uses > 1 || found) return nullptr;
    found = &n;
  }
  return found;
}

void replace_uses(ir::Graph& graph, const std::string& from, const std::string& to) {
  for (ir::Node& n : graph.nodes) std::replace(n.inputs.begin(), n.inputs.end(), from, to);
  std::replace(graph.outputs.begin(), graph.outputs.end(), from, to);
}

// `into` is taken by value: it may be the name of a node that the erase moves.
void erase_node(ir::Graph& graph, const std::string& name, std::string into) {
  std::erase_if(graph.nodes, [&](const ir::Node& n) { return n.name == name; });
  for (auto& [removed, taker] : graph.removed_layers) {
    if (taker == name) taker = into;
  }
  graph.removed_layers[name] = into;
}

ir::Node& first_producer(ir::Graph& graph, const ir::Node& node) {
  ir::Node* p = node.inputs.empty() ? nullptr : graph.find(node.inputs.front());
  if (!p)
    throw Error(ErrorKind::kInternal, "the node's input has no producer", {.node = node.name});
  return *p;
}

std::vector<double>& dense_bias(ir::Node& dense) {
  if (!dense.params.count("bias")) {
    const ir::Tensor& w = dense.param("weight");
    if (w.shape.size() != 2) {
      throw Error(ErrorKind::kInternal, "the weight is not a matrix", {.node = dense.name});
    }
    dense.params["bias"] = ir::Tensor{{w.shape[1]}, std::vector<double>(w.shape[1], 0.0)};
  }
  return dense.params["bias"].data;
}

const ir::Shape& first_input_shape(const ir::Graph& graph, const ir::Node& node) {
  if (node.inputs.empty()) {
    throw Error(ErrorKind::kInternal, "the node has no input", {.node = node.name});
  }
  return graph.at(node.inputs.front()).output_shape;
}

ir::Tensor drop_leading_unit_axes(ir::Tensor t, std::size_t rank) {
  while (t.shape.size() > rank && t.shape.front() == 1) t.shape.erase(t.shape.begin());
  return t;
}

std::optional<std::vector<double>> per_last_axis(const ir::Tensor& t, const ir::Shape& shape) {
  const ir::Tensor full = ir::broadcast_to(drop_leading_unit_axes(t, shape.size()), shape);
  const auto channels = static_cast<std::size_t>(shape.back());
  if (channels == 0) return std::nullopt;
  std::vector<double> row(full.data.begin(), full.data.begin() + channels);
  for (std::size_t i = channels; i < full.data.size(); ++i) {
    if (full.data[i] != row[i % channels]) return std::nullopt;
  }
  return row;
}

}  // namespace nnfpga::passes
