// Renaming layers after reading, for frontends that learn the user's layer names from a source
// other than the exported file (a Keras model object whose ONNX export lost them).
#pragma once

#include <map>
#include <string>

#include "ir/graph.hpp"

namespace nnfpga::ir {

// Renames nodes old -> new everywhere they are referred to (consumers' inputs, graph inputs and
// outputs). Names not in the map are kept. Throws nnfpga::Error (kInput) naming the entry for an
// old name that is not a node, an empty new name, or a result with two nodes of one name; the
// graph is unchanged then.
void rename_nodes(Graph& graph, const std::map<std::string, std::string>& renames);

}  // namespace nnfpga::ir
