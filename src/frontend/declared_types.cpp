#include "frontend/declared_types.hpp"

#include <optional>
#include <string>

namespace nnfpga::frontend {

void declare_quantized_inputs(ir::Graph& graph) {
  for (const std::string& input : graph.inputs) {
    ir::Node* node = graph.find(input);
    if (!node || !node->declared_types.empty()) continue;
    std::optional<std::string> type;
    bool all = true;
    for (const ir::Node* consumer : graph.consumers(input)) {
      auto it = consumer->declared_types.find("result");
      if (consumer->op != ir::OpKind::kQuantize || it == consumer->declared_types.end() ||
          it->second == "auto" || (type && *type != it->second)) {
        all = false;
        break;
      }
      type = it->second;
      node->declared_by = consumer->declared_by;
    }
    if (all && type) {
      node->declared_types["result"] = *type;
    } else {
      node->declared_by.clear();
    }
  }
}

}  // namespace nnfpga::frontend
