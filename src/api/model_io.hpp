// Reading and configuring a model: the pipeline's steps in order, for nnfpga's own front ends
// (the CLI, the Python binding, the public API in public_model.cpp) and its tests. Users call the
// public API (include/nnfpga/nnfpga.hpp), which hides the IR behind nnfpga::Model.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"
#include "ir/graph.hpp"
#include "passes/passes.hpp"

namespace nnfpga {

// Reads a model file and canonicalizes it. The format is chosen by the extension: .onnx; .keras
// (Keras 3) or .h5/.hdf5 (a whole Keras 2 model); .json for a Keras architecture (its weights
// from `weights`, else found beside it: weights_file_for) or nnfpga's own IR (as written by
// save_ir; loaded as is).
ir::Graph read_model(const std::string& path, const std::string& weights = "");

// Reads a model file as read_model does, but stops canonicalization right after the first run of
// `last` (a canonicalization pass) and does not check the result (nnfpga show --after).
ir::Graph read_model_through(const std::string& path, const passes::Pass& last,
                             const std::string& weights = "");

// The weights files beside a Keras architecture .json that read_model would take, in the order it
// tries them: <stem>_weights.h5 (the naming of hls4ml's example models), <stem>.weights.h5,
// <stem>.h5.
std::vector<std::string> keras_weights_candidates(const std::string& json_path);

// The file read_model takes the weights of the model file `path` from: `weights` when given,
// else the first of keras_weights_candidates for a Keras architecture .json, and "" for a model
// file that holds its own weights (so that a front end can say which file it read). Throws
// nnfpga::Error (kInput) for a Keras .json without weights, a `weights` file that does not
// exist, or `weights` given with a model file that holds its own.
std::string weights_file_for(const std::string& path, const std::string& weights = "");

// A Keras 2 architecture (model.to_json()) and the weights save_weights wrote.
ir::Graph read_keras_model(const std::string& json_path, const std::string& weights_path);

// Reads a serialized ONNX model held in memory (as torch.onnx exports it) and canonicalizes it.
// `origin` names it in error messages.
ir::Graph read_onnx_model(const std::string& bytes, const std::string& origin);

// Resolves the configuration on a canonical graph (types, reuse factors, ...) and quantizes its
// parameters. An empty tree means all defaults.
void configure(ir::Graph& graph, const config::Tree& tree);

// read_model + configure.
ir::Graph load_configured(const std::string& path, const config::Tree& tree);

// What `nnfpga <command> MODEL -c FILE --set KEY=VALUE` loads: the model, configured with the
// files merged in order and the assignments applied after them. An nnfpga .json IR that is
// already typed is taken as it is when neither is given. A setting that reaches no layer is not
// an error (hls4ml configurations carry Model keys under LayerName entries), but it is reported
// in `warnings` when given. `weights`: as for read_model.
ir::Graph load_model(const std::string& path, const std::vector<std::string>& config_files,
                     const std::vector<std::string>& assignments,
                     std::vector<std::string>* warnings = nullptr, const std::string& weights = "");

}  // namespace nnfpga
