#include <string>

#include "config/config.hpp"
#include "frontend/onnx/onnx_reader.hpp"
#include "ir/json_io.hpp"
#include "nnfpga/nnfpga.hpp"
#include "passes/passes.hpp"

namespace nnfpga {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Canonicalizes a graph just read, naming its origin in any error.
ir::Graph canonical(ir::Graph graph, const std::string& origin) {
  try {
    passes::canonicalize(graph);
  } catch (const Error& e) {
    throw e.located({.file = origin});
  }
  return graph;
}

}  // namespace

ir::Graph read_model(const std::string& path) {
  if (ends_with(path, ".json")) return ir::load_json(path);
  if (ends_with(path, ".onnx")) return canonical(frontend::onnx::read_onnx_file(path), path);
  throw Error(ErrorKind::kInput, "unknown model format: expected a .onnx or .json file",
              {.file = path});
}

ir::Graph read_onnx_model(const std::string& bytes, const std::string& origin) {
  return canonical(frontend::onnx::read_onnx_bytes(bytes, origin), origin);
}

void configure(ir::Graph& graph, const config::Tree& tree) {
  config::resolve(graph, tree);
  passes::quantize_parameters(graph);
}

ir::Graph load_configured(const std::string& path, const config::Tree& tree) {
  ir::Graph graph = read_model(path);
  configure(graph, tree);
  return graph;
}

Project convert(const ir::Graph& graph, const std::string& dir, const ProjectOptions& options) {
  return backend::hls::write_project(graph, dir, options);
}

CsimReport csim(const std::string& dir, const CsimOptions& options) {
  return backend::hls::run_csim(dir, options);
}

}  // namespace nnfpga
