// A readable text form of a graph, for `nnfpga show` and for error reports.
#pragma once

#include <string>

#include "ir/graph.hpp"

namespace nnfpga::ir {

std::string print(const Graph& graph);

}  // namespace nnfpga::ir
