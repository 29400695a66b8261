// The public C++ API of nnfpga: read a model, configure it, emulate it, write its firmware.
//
//   nnfpga::ir::Graph graph = nnfpga::read_model("model.onnx");      // canonical, untyped
//   nnfpga::config::Tree cfg = nnfpga::config::load_file("config.yml");
//   nnfpga::configure(graph, cfg);                                    // typed and quantized
//   nnfpga::emulate::Emulator emu(graph);
//   auto outputs = emu.predict({inputs});
//   nnfpga::Project prj = nnfpga::convert(graph, "prj/");            // HLS project + estimate
//   nnfpga::CsimReport check = nnfpga::csim("prj/");                  // g++ C sim vs emulator
#pragma once

#include <string>

#include "backend/hls/csim.hpp"
#include "backend/hls/project.hpp"
#include "config/config.hpp"
#include "emulate/emulator.hpp"
#include "ir/graph.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga {

// Reads a model file and canonicalizes it. The format is chosen by the extension: .onnx; .keras
// (Keras 3) or .h5/.hdf5 (a whole Keras 2 model); .json for a Keras architecture (its weights
// <name>.weights.h5 beside it) or nnfpga's own IR (as written by save_ir; loaded as is).
ir::Graph read_model(const std::string& path);

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

using Project = backend::hls::Project;
using ProjectOptions = backend::hls::ProjectOptions;
using CsimOptions = backend::hls::CsimOptions;
using CsimReport = backend::hls::CsimReport;

// Writes the HLS project of a configured graph into `dir` (docs/hls.md); the estimate is in
// the result and in dir/estimate.json. Same as `nnfpga convert`.
Project convert(const ir::Graph& graph, const std::string& dir, const ProjectOptions& options = {});

// Builds a written project's C simulation with g++ and compares it with the emulator. Same as
// `nnfpga csim`.
CsimReport csim(const std::string& dir, const CsimOptions& options = {});

}  // namespace nnfpga
