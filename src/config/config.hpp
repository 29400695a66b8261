// The hardware configuration, with the keys hls4ml users know:
//
//   IOType: io_parallel            # or io_stream
//   ClockPeriod: 5                 # ns
//   Part: xcvu13p-flga2577-2-e
//   HLSConfig:                     # optional wrapper, as in hls4ml; Model/LayerType/LayerName
//     Model:                       # may also stand at the top level
//       Precision: ap_fixed<16,6>  # or {weight: ..., bias: ..., accum: ..., result: ..., table:
//       ...} ReuseFactor: 1 Strategy: Latency          # or Resource TableSize: 1024
//     LayerType:
//       Dense: {Precision: {weight: ap_fixed<8,3>}}
//     LayerName:
//       fc1: {ReuseFactor: 4}
//
// A layer's value comes from the most specific level that sets it: LayerName, then LayerType
// (op name, then its family such as "Activation"), then Model, then the defaults
// (config/README.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "ir/graph.hpp"

namespace nnfpga::config {

// The configuration as a JSON tree (YAML is read into the same form).
using Tree = nlohmann::json;

// Reads a .yml/.yaml or .json file. Throws nnfpga::Error (kConfig) naming the file.
Tree load_file(const std::string& path);
Tree parse_yaml(const std::string& text, const std::string& origin);
Tree parse_json(const std::string& text, const std::string& origin);
std::string to_yaml(const Tree& tree);

// Applies one command-line assignment "Model.ReuseFactor=4",
// "LayerName.fc1.Precision.weight=ap_fixed<8,3>", "IOType=io_stream". The value is read as a YAML
// scalar. Throws nnfpga::Error (kConfig) quoting the assignment when it is malformed.
void apply_assignment(Tree& tree, std::string_view assignment);

// Overlays `overlay` on `base`, key by key.
Tree merge(Tree base, const Tree& overlay);

enum class Granularity { kModel, kType, kName };
Granularity parse_granularity(std::string_view text);  // "model", "type", "name"

// A starting configuration for the model at the given granularity, holding the defaults written
// out, for the user to edit.
Tree starting_config(const ir::Graph& graph, Granularity granularity);

// Checks the configuration against the graph and resolves every layer: fills each node's types
// (every key the op table lists), settings and the graph's model settings. Throws nnfpga::Error
// (kConfig) naming the key and the layer for an unknown key, an unknown layer name, a reuse factor
// that does not fit the layer, or a type that cannot be represented.
void resolve(ir::Graph& graph, const Tree& tree);

// The keys that change no layer: LayerName entries of layers the passes removed (a BatchNorm
// folded into its Dense, a Dropout: ir::Graph::removed_layers; hls4ml's configurations name every
// layer of the source model), and Model and LayerType keys whose every layer takes that value
// from a more specific level (a LayerName entry, the model's own quantizer types, a LayerType
// entry), e.g. `--set Model.Precision=...` over a configuration with a LayerName entry per layer.
// One message per key, naming the keys that win; empty when there are none. Library code does not
// print: the CLI prints these as warnings, the Python package warns. Takes the canonical graph
// `resolve` takes; throws as `resolve` does for a bad configuration.
std::vector<std::string> shadowed_settings(const ir::Graph& graph, const Tree& tree);

// The resolved per-layer configuration of a configured graph, for printing.
Tree resolved_config(const ir::Graph& graph);

}  // namespace nnfpga::config
