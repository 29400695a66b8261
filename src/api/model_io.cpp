// The pipeline's steps in order: read, canonicalize, configure.
#include "api/model_io.hpp"

#include <filesystem>
#include <fstream>
#include <string>

#include "frontend/keras/keras_reader.hpp"
#include "frontend/onnx/onnx_reader.hpp"
#include "ir/json_io.hpp"
#include "nnfpga/error.hpp"
#include "passes/passes.hpp"

namespace nnfpga {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Canonicalizes a graph just read, naming its origin in any error: all of canonicalization, or
// only through the first run of `through` when given.
ir::Graph canonical(ir::Graph graph, const std::string& origin,
                    const passes::Pass* through = nullptr) {
  try {
    if (through != nullptr) {
      passes::canonicalize_through(graph, *through);
    } else {
      passes::canonicalize(graph);
    }
  } catch (const Error& e) {
    throw e.located({.file = origin});
  }
  return graph;
}

std::string file_head(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kInput, "cannot read the file", {.file = path});
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

bool is_keras_json(const std::string& path) {
  return frontend::keras::looks_like_keras_json(file_head(path));
}

}  // namespace

std::vector<std::string> keras_weights_candidates(const std::string& json_path) {
  const std::filesystem::path p(json_path);
  std::vector<std::string> found;
  // hls4ml's example models name the file <stem>_weights.h5 (Keras 2's save_weights);
  // <stem>.weights.h5 is the name TensorFlow 2.13+ and Keras 3 ask for.
  for (const std::string suffix : {"_weights.h5", ".weights.h5", ".h5"}) {
    std::filesystem::path candidate = p.parent_path() / (p.stem().string() + suffix);
    if (std::filesystem::is_regular_file(candidate)) found.push_back(candidate.string());
  }
  return found;
}

std::string weights_file_for(const std::string& path, const std::string& weights) {
  if (!ends_with(path, ".json") || !is_keras_json(path)) {
    if (weights.empty()) return "";
    throw Error(ErrorKind::kInput,
                "--weights (weights=) goes with a Keras architecture .json; this model file "
                "holds its own weights (expected a Keras .json, found " +
                    std::filesystem::path(path).extension().string() + " file)",
                {.file = path});
  }
  if (!weights.empty()) {
    if (!std::filesystem::is_regular_file(weights)) {
      throw Error(ErrorKind::kInput, "no such weights file (--weights)", {.file = weights});
    }
    return weights;
  }
  const std::vector<std::string> found = keras_weights_candidates(path);
  if (found.empty()) {
    const std::string stem = std::filesystem::path(path).stem().string();
    throw Error(ErrorKind::kInput,
                "a Keras architecture without weights: expected " + stem + "_weights.h5, " + stem +
                    ".weights.h5 or " + stem +
                    ".h5 beside it, found none; give the weights file with --weights FILE "
                    "(weights= in Python)",
                {.file = path});
  }
  return found.front();
}

namespace {

// An nnfpga .json IR saved after configuration: every node has its types.
bool is_configured(const ir::Graph& graph) {
  if (graph.nodes.empty()) return false;
  for (const ir::Node& node : graph.nodes) {
    if (node.types.empty()) return false;
  }
  return true;
}

// read_model, with canonicalization stopped after `through` when given. nnfpga's .json IR is
// taken as it is: it was canonical when saved.
ir::Graph read_model_file(const std::string& path, const passes::Pass* through,
                          const std::string& weights) {
  const std::string weights_file = weights_file_for(path, weights);
  if (!weights_file.empty()) {
    return canonical(frontend::keras::read_keras_json(path, weights_file), path, through);
  }
  if (ends_with(path, ".json")) return ir::load_json(path);
  if (ends_with(path, ".onnx")) {
    return canonical(frontend::onnx::read_onnx_file(path), path, through);
  }
  if (ends_with(path, ".keras") || ends_with(path, ".h5") || ends_with(path, ".hdf5")) {
    return canonical(frontend::keras::read_keras_file(path), path, through);
  }
  throw Error(ErrorKind::kInput,
              "unknown model format: expected .onnx, .keras, .h5 (Keras) or .json (a Keras "
              "architecture, or nnfpga's IR)",
              {.file = path});
}

}  // namespace

ir::Graph read_model(const std::string& path, const std::string& weights) {
  return read_model_file(path, nullptr, weights);
}

ir::Graph read_model_through(const std::string& path, const passes::Pass& last,
                             const std::string& weights) {
  return read_model_file(path, &last, weights);
}

ir::Graph read_keras_model(const std::string& json_path, const std::string& weights_path) {
  return canonical(frontend::keras::read_keras_json(json_path, weights_path), json_path);
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

ir::Graph load_model(const std::string& path, const std::vector<std::string>& config_files,
                     const std::vector<std::string>& assignments,
                     std::vector<std::string>* warnings, const std::string& weights) {
  ir::Graph graph = read_model(path, weights);
  if (config_files.empty() && assignments.empty() && is_configured(graph)) return graph;
  config::Tree tree = config::Tree::object();
  for (const std::string& file : config_files) {
    tree = config::merge(std::move(tree), config::load_file(file));
  }
  for (const std::string& assignment : assignments) config::apply_assignment(tree, assignment);
  configure(graph, tree);
  if (warnings != nullptr) *warnings = config::shadowed_settings(graph, tree);
  return graph;
}

}  // namespace nnfpga
