// The JSON form of a graph: everything the IR holds, so that save then load gives an equal graph.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ir/graph.hpp"

namespace nnfpga::ir {

nlohmann::json to_json(const Graph& graph);
Graph graph_from_json(const nlohmann::json& j);  // throws nnfpga::Error (kInput) on bad JSON

void save_json(const Graph& graph, const std::string& path);
Graph load_json(const std::string& path);

}  // namespace nnfpga::ir
