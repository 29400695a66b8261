// The configuration's schema: which keys exist where, and the checked, typed form of a tree.
// Everything the user can misspell is caught here, with the full dotted key path.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "ir/graph.hpp"

namespace nnfpga::config::detail {

// A value with the dotted key path it was read from, for messages.
template <class T>
struct Sourced {
  T value;
  std::string path;
};

// What one level (Model, LayerType.<T>, LayerName.<N>) sets. Precision spellings are kept as
// text: they are parsed when a layer uses them, so that a bad one is reported with the layer.
// LayerName.<layer>.FifoDepth: one depth for every FIFO of the layer's output, or one per reader.
struct FifoDepthSetting {
  std::int64_t all = 0;
  std::map<std::string, std::int64_t> by_consumer;
};

struct Level {
  std::map<std::string, Sourced<std::string>> precision;  // "auto" only for accum
  std::optional<Sourced<int>> reuse_factor;
  std::optional<Sourced<ir::Strategy>> strategy;
  std::optional<Sourced<int>> table_size;
  std::optional<Sourced<int>> parallelization_factor;
  std::optional<Sourced<ir::ConvImplementation>> conv_implementation;
  std::optional<Sourced<FifoDepthSetting>> fifo_depth;  // LayerName levels only
};

struct ParsedConfig {
  Level model;
  std::map<std::string, Level> layer_type;  // canonical op names and families
  std::map<std::string, Level> layer_name;  // node names of the graph
  // LayerName entries naming a layer the passes removed (ir::Graph::removed_layers), by key path.
  // They change nothing (shadowed_settings says so).
  struct RemovedLayerEntry {
    std::string layer;
    std::string taken_in_by;  // empty: dropped
  };
  std::map<std::string, RemovedLayerEntry> removed_layer_entries;
  std::optional<Sourced<ir::IOType>> io_type;
  std::optional<Sourced<double>> clock_period;
  std::optional<Sourced<std::string>> part;
};

// The LayerType key of the ops whose row has activation_family set.
inline constexpr std::string_view kActivationFamily = "Activation";
inline constexpr std::string_view kAuto = "auto";

// Every precision key, and the ones a single type string sets (all but accum and table).
const std::vector<std::string>& precision_keys();
bool set_by_single_type(std::string_view key);

// Checks every key and value of `tree` against the schema and the graph's layer names.
// Throws nnfpga::Error (kConfig) with .key = the dotted path (and .node for LayerName entries).
ParsedConfig parse_config(const Tree& tree, const ir::Graph& graph);

}  // namespace nnfpga::config::detail
