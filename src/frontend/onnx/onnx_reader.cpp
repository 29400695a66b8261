#include "frontend/onnx/onnx_reader.hpp"

#include <onnx/onnx_pb.h>

#include <fstream>
#include <limits>
#include <sstream>

#include "frontend/onnx/graph_walk.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend::onnx {

ir::Graph read_onnx_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kInput, "cannot open the file", {.file = path});
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw Error(ErrorKind::kInput, "cannot read the file", {.file = path});
  return read_onnx_bytes(bytes.str(), path);
}

ir::Graph read_onnx_bytes(const std::string& bytes, const std::string& origin) {
  // Protobuf refuses messages of 2 GiB and more; saying so is clearer than a parse failure.
  if (bytes.size() >= static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw Error(ErrorKind::kInput,
                "the model is larger than 2 GiB (external data is not supported)",
                {.file = origin});
  }
  if (bytes.empty()) throw Error(ErrorKind::kInput, "the file is empty", {.file = origin});
  ::onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) {
    throw Error(ErrorKind::kInput, "not a valid ONNX model (the protobuf is truncated or corrupt)",
                {.file = origin});
  }
  return build_graph(model, origin);
}

}  // namespace nnfpga::frontend::onnx
