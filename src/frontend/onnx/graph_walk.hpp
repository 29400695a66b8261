// ModelProto -> ir::Graph: initializers and graph inputs first, then every node in topological
// order through its converter, then the graph outputs and the final checks.
#pragma once

#include <onnx/onnx_pb.h>

#include <string>

#include "ir/graph.hpp"

namespace nnfpga::frontend::onnx {

ir::Graph build_graph(const ::onnx::ModelProto& model, const std::string& origin);

}  // namespace nnfpga::frontend::onnx
