// How the IR holds a graph input of rank 3 or 4 (batch included). ONNX feature maps are
// channels-first and the IR's channels-last, but a rank-3 input may as well be a sequence that a
// MatMul multiplies on its last axis. The reader follows the input through the ops that keep its
// axes (element-wise ops, quantizers, Transposes, which it tracks) to the first op that needs one
// order: a Conv, pool, Pad or Resize wants its channel axis last in the IR, a QONNX channels-last
// op its ONNX order; anything else (MatMul, Flatten, ...) wants nothing.
#pragma once

#include <onnx/onnx_pb.h>

#include <optional>
#include <string>

#include "frontend/onnx/tensor_layout.hpp"

namespace nnfpga::frontend::onnx {

// The layout for graph input `input` of `rank` axes (batch excluded), or nullopt when no op
// downstream asks for one (the input is then held in its ONNX order).
std::optional<TensorLayout> demanded_input_layout(const ::onnx::GraphProto& graph,
                                                  const std::string& input, int rank);

// True for the domain of QONNX's channels-last ops.
bool is_channels_last_domain(const std::string& domain);

}  // namespace nnfpga::frontend::onnx
