// The framework layer an ONNX node came from, so that IR layers carry the names users gave them
// (`fc1`, `block_0`) rather than the exporter's (`node_linear`, `/fc1/Gemm`).
#pragma once

#include <onnx/onnx_pb.h>

#include <optional>
#include <string>

namespace nnfpga::frontend::onnx {

// The innermost module scope of a node exported by PyTorch, with '.' replaced by '_' (so that
// the name is also a config key path segment):
//   - torch.onnx dynamo: metadata "pkg.torch.onnx.name_scopes" = "['', 'block', 'block.0',
//     'linear_1']" gives "block_0" (the last entry is the op itself, not a module);
//   - torch.onnx TorchScript: node name "/block/block.0/Gemm" gives "block_0".
// A name that starts with a digit (the children of an nn.Sequential) gets the prefix "layer_":
// "/0/Gemm" gives "layer_0".
// Empty for nodes outside any module (a functional call in forward) and for other exporters.
std::optional<std::string> torch_module_name(const ::onnx::NodeProto& node);

}  // namespace nnfpga::frontend::onnx
