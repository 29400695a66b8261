// Reads Keras models into the IR (docs/keras.md): a Keras 2 .h5 written by model.save, a Keras 2
// architecture .json with its weights .h5 (save_weights), and a Keras 3 .keras archive, for
// Sequential and functional models. Layer names are the model's.
#pragma once

#include <string>

#include "frontend/keras/keras_model.hpp"
#include "frontend/keras/keras_weights.hpp"
#include "ir/graph.hpp"

namespace nnfpga::frontend::keras {

// By extension: .keras (Keras 3 archive) or .h5/.hdf5 (a whole Keras 2 model). Throws
// nnfpga::Error: kInput naming the file for anything malformed (not HDF5, truncated, no model
// config, weights missing); kUnsupported listing every layer nnfpga cannot read.
ir::Graph read_keras_file(const std::string& path);

// A Keras 2 architecture (model.to_json()) with the weights file save_weights wrote.
ir::Graph read_keras_json(const std::string& json_path, const std::string& weights_path);

// The graph of a parsed architecture with its weights (what the readers above end with; the
// fuzzer calls it directly on architectures it makes up).
ir::Graph graph_from_keras(const KerasModel& model, WeightsByLayer weights,
                           const std::string& origin);

// True when the JSON text is a Keras architecture rather than nnfpga's IR (both are .json).
bool looks_like_keras_json(const std::string& json_text);

}  // namespace nnfpga::frontend::keras
