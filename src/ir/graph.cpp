#include "ir/graph.hpp"

#include <algorithm>
#include <set>

#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::ir {

std::string to_string(Strategy s) {
  return s == Strategy::kLatency ? "Latency" : "Resource";
}
std::string to_string(IOType t) {
  return t == IOType::kParallel ? "io_parallel" : "io_stream";
}

std::string to_string(ConvImplementation c) {
  switch (c) {
    case ConvImplementation::kLineBuffer:
      return "LineBuffer";
  }
  return "LineBuffer";  // not reached: the switch names every value (-Wswitch)
}

const fixed::FixedType& Node::type(const std::string& key) const {
  auto it = types.find(key);
  if (it == types.end()) {
    throw Error(ErrorKind::kInternal, "no '" + key + "' type has been resolved", {.node = name});
  }
  return it->second;
}

const Tensor& Node::param(const std::string& key) const {
  auto it = params.find(key);
  if (it == params.end()) {
    throw Error(ErrorKind::kInternal, "parameter '" + key + "' is missing", {.node = name});
  }
  return it->second;
}

const QuantizedTensor& Node::qparam(const std::string& key) const {
  auto it = qparams.find(key);
  if (it == qparams.end()) {
    throw Error(ErrorKind::kInternal, "parameter '" + key + "' has not been quantized",
                {.node = name});
  }
  return it->second;
}

Node* Graph::find(const std::string& node_name) {
  for (Node& n : nodes) {
    if (n.name == node_name) return &n;
  }
  return nullptr;
}

const Node* Graph::find(const std::string& node_name) const {
  return const_cast<Graph*>(this)->find(node_name);
}

const Node& Graph::at(const std::string& node_name) const {
  const Node* n = find(node_name);
  if (!n) throw Error(ErrorKind::kInternal, "no node named '" + node_name + "'");
  return *n;
}

std::vector<const Node*> Graph::consumers(const std::string& node_name) const {
  std::vector<const Node*> out;
  for (const Node& n : nodes) {
    if (std::find(n.inputs.begin(), n.inputs.end(), node_name) != n.inputs.end()) {
      out.push_back(&n);
    }
  }
  return out;
}

bool Graph::is_output(const std::string& node_name) const {
  return std::find(outputs.begin(), outputs.end(), node_name) != outputs.end();
}

void validate(const Graph& graph) {
  std::set<std::string> defined;
  for (const Node& n : graph.nodes) {
    if (n.name.empty()) throw Error(ErrorKind::kInternal, "a node has no name");
    if (!defined.insert(n.name).second) {
      throw Error(ErrorKind::kInput, "two nodes share this name", {.node = n.name});
    }
    for (const std::string& in : n.inputs) {
      if (!defined.count(in)) {
        throw Error(ErrorKind::kInput, "input '" + in + "' is not produced by an earlier node",
                    {.node = n.name});
      }
    }
  }
  for (const std::string& in : graph.inputs) {
    const Node* n = graph.find(in);
    if (!n || n->op != OpKind::kInput) {
      throw Error(ErrorKind::kInput, "graph input '" + in + "' is not an Input node");
    }
  }
  if (graph.outputs.empty()) throw Error(ErrorKind::kInput, "the graph has no outputs");
  for (const std::string& out : graph.outputs) {
    if (!defined.count(out)) {
      throw Error(ErrorKind::kInput, "graph output '" + out + "' is not produced by any node");
    }
  }
  for (const auto& [tensor, axes] : graph.source_axes) {
    const bool port =
        std::find(graph.inputs.begin(), graph.inputs.end(), tensor) != graph.inputs.end() ||
        std::find(graph.outputs.begin(), graph.outputs.end(), tensor) != graph.outputs.end();
    if (!port) {
      throw Error(ErrorKind::kInput, "a source layout is recorded for '" + tensor +
                                         "', which is neither a graph input nor a graph output");
    }
    std::vector<int> sorted = axes;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t k = 0; k < sorted.size(); ++k) {
      if (sorted[k] != static_cast<int>(k)) {
        throw Error(ErrorKind::kInput,
                    "the source layout of '" + tensor + "' is not a permutation of its axes");
      }
    }
  }
}

void infer_shapes(Graph& graph) {
  std::map<std::string, Shape> shapes;
  for (Node& n : graph.nodes) {
    n.input_shapes.clear();
    for (const std::string& in : n.inputs) {
      auto it = shapes.find(in);
      if (it == shapes.end()) {
        throw Error(ErrorKind::kInput, "input '" + in + "' has no shape yet", {.node = n.name});
      }
      n.input_shapes.push_back(it->second);
    }
    try {
      n.output_shape = op_info(n.op).shape_rule(n, n.input_shapes);
    } catch (const Error& e) {
      throw e.located({.node = n.name});
    }
    shapes[n.name] = n.output_shape;
  }
}

void sort_topologically(Graph& graph) {
  std::set<std::string> placed;
  std::vector<Node> sorted;
  std::vector<bool> done(graph.nodes.size(), false);
  sorted.reserve(graph.nodes.size());
  bool progress = true;
  while (sorted.size() < graph.nodes.size() && progress) {
    progress = false;
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
      if (done[i]) continue;
      const Node& n = graph.nodes[i];
      bool ready = std::all_of(n.inputs.begin(), n.inputs.end(),
                               [&](const std::string& in) { return placed.count(in) != 0; });
      if (!ready) continue;
      placed.insert(n.name);
      sorted.push_back(n);
      done[i] = true;
      progress = true;
    }
  }
  if (sorted.size() != graph.nodes.size()) {
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
      if (!done[i]) {
        throw Error(ErrorKind::kInput, "the graph has a cycle or an undefined input",
                    {.node = graph.nodes[i].name});
      }
    }
  }
  graph.nodes = std::move(sorted);
}

}  // namespace nnfpga::ir
