// The public C++ API of nnfpga: read a model, configure it, emulate it.
//
//   nnfpga::ir::Graph graph = nnfpga::read_model("model.onnx");      // canonical, untyped
//   nnfpga::config::Tree cfg = nnfpga::config::load_file("config.yml");
//   nnfpga::configure(graph, cfg);                                    // typed and quantized
//   nnfpga::emulate::Emulator emu(graph);
//   auto outputs = emu.predict({inputs});
#pragma once

#include <string>

#include "config/config.hpp"
#include "emulate/emulator.hpp"
#include "ir/graph.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga {

// Reads a model file and canonicalizes it. The format is chosen by the extension: .onnx, or
// .json for nnfpga's own IR (as written by save_ir; loaded as is, typed or not).
ir::Graph read_model(const std::string& path);

// Resolves the configuration on a canonical graph (types, reuse factors, ...) and quantizes its
// parameters. An empty tree means all defaults.
void configure(ir::Graph& graph, const config::Tree& tree);

// read_model + configure.
ir::Graph load_configured(const std::string& path, const config::Tree& tree);

}  // namespace nnfpga
