// The graph's inputs (those that are not initializers) and its initializers, turned into IR Input
// nodes and read-time constants.
#pragma once

#include <onnx/onnx_pb.h>

#include "frontend/onnx/reader_context.hpp"

namespace nnfpga::frontend::onnx {

// Defines every initializer as a constant value. Throws Error (kInput) for a corrupt tensor.
void define_initializers(ReaderContext& ctx, const ::onnx::GraphProto& graph);

// Adds a kInput node per non-initializer graph input, with attr "shape" the ONNX shape without
// its first (batch) axis. A dynamic non-batch dim is recorded as unsupported.
void define_graph_inputs(ReaderContext& ctx, const ::onnx::GraphProto& graph);

// The static ONNX dims of a value's declared type after the batch axis, or nullopt when the type
// has no shape or any of those dims is symbolic.
std::optional<ir::Shape> declared_shape(const ::onnx::ValueInfoProto& info);

}  // namespace nnfpga::frontend::onnx
