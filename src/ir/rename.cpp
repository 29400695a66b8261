#include "ir/rename.hpp"

#include <set>

#include "nnfpga/error.hpp"

namespace nnfpga::ir {

void rename_nodes(Graph& graph, const std::map<std::string, std::string>& renames) {
  for (const auto& [from, to] : renames) {
    if (graph.find(from) == nullptr) {
      throw Error(ErrorKind::kInput, "cannot rename '" + from + "': there is no such layer");
    }
    if (to.empty()) throw Error(ErrorKind::kInput, "cannot rename '" + from + "' to ''");
  }
  auto renamed = [&](const std::string& name) {
    auto it = renames.find(name);
    return it == renames.end() ? name : it->second;
  };
  std::set<std::string> taken;
  for (const Node& node : graph.nodes) {
    if (!taken.insert(renamed(node.name)).second) {
      throw Error(ErrorKind::kInput,
                  "renaming would give two layers the name '" + renamed(node.name) + "'");
    }
  }
  for (Node& node : graph.nodes) {
    node.name = renamed(node.name);
    for (std::string& in : node.inputs) in = renamed(in);
  }
  for (std::string& in : graph.inputs) in = renamed(in);
  for (std::string& out : graph.outputs) out = renamed(out);
}

}  // namespace nnfpga::ir
