// Reads an ONNX model (as written by torch.onnx.export and tf2onnx) into an ir::Graph that
// mirrors it closely: initializers become Constant nodes, MatMul stays MatMul, Identity stays.
// Canonicalization (passes/) turns that into the graph the consumers expect.
#pragma once

#include <string>

#include "ir/graph.hpp"

namespace nnfpga::frontend::onnx {

// Throws nnfpga::Error: kInput for an unreadable, truncated or corrupt file (naming the file);
// kUnsupported, once, listing every node whose op or shape nnfpga does not handle.
ir::Graph read_onnx_file(const std::string& path);

// The same from bytes in memory; `origin` names the source in messages (and the fuzzer uses it).
ir::Graph read_onnx_bytes(const std::string& bytes, const std::string& origin);

}  // namespace nnfpga::frontend::onnx
