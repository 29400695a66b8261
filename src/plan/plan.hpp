// The implementation plan: how each layer of a typed graph is built and how each tensor travels,
// decided once, between configuration and the consumers. The HLS writer builds what it says, the
// estimate predicts from it, and a tuner edits it. make_plan records what the HLS writer builds
// today; nothing here re-decides a configuration value.
//
// io_stream, as hls4ml users know it: every tensor is a stream of one beat per position
// (ir::positions, src/ir/layout.hpp), each beat carrying that position's channels (ir::channels),
// and every layer a dataflow process. Today's MLPs have one position per tensor, so a beat holds
// the whole vector, and that special case is what the HLS writer builds: the top function's ports
// are streams of one beat per sample, and the layers inside compute on arrays as io_parallel
// does, pipelined between one read and one write. The plan records exactly that (a tensor of
// several positions also crosses a port as one beat of all its values, until the writer streams
// positions).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ir/graph.hpp"

namespace nnfpga::plan {

// How one layer is built.
struct LayerPlan {
  std::string layer;  // the node's name
  ir::OpKind op = ir::OpKind::kIdentity;
  std::int64_t interval = 1;  // initiation interval in cycles (Dense: positions * reuse factor)
  int reuse_factor = 1;       // products sharing one multiplier
  // Physical multipliers the layer may use (the HLS ALLOCATION limit); 0 when the plan limits
  // none (every op but Dense).
  std::int64_t multiplier_limit = 0;
  ir::Strategy strategy = ir::Strategy::kLatency;
};

// How a tensor crosses an edge.
enum class Transfer {
  kArray,   // a whole array, every value at once (partitioned into registers)
  kPacked,  // one word packing every value (the Verilog core's buses; make_plan does not use it)
  kStream,  // a FIFO of beats, beat_width values each, `beats` per sample
};

std::string to_string(Transfer t);  // "array", "packed", "stream"

// One edge: producer -> consumer inside the graph, or a port of the top (the graph input's
// port has no producer, the graph output's no consumer).
struct EdgePlan {
  std::string producer;  // a node's name; empty for a graph input's port
  std::string consumer;  // a node's name; empty for a graph output's port
  Transfer transfer = Transfer::kArray;
  std::int64_t values = 0;      // values per sample
  std::int64_t beat_width = 0;  // values per beat (stream; 0 otherwise)
  std::int64_t beats = 0;       // beats per sample (stream; 0 otherwise)
  std::int64_t fifo_depth = 0;  // FIFO depth in beats (0: none, the stream is a port)
  bool is_input_port() const { return producer.empty(); }
  bool is_output_port() const { return consumer.empty(); }
};

struct Plan {
  ir::IOType io_type = ir::IOType::kParallel;
  std::int64_t interval = 1;      // the model's: the largest layer's
  std::vector<LayerPlan> layers;  // graph order, inputs excluded
  // Graph input ports (graph.inputs order), then every node's inputs (graph order, then input
  // order), then graph output ports (graph.outputs order).
  std::vector<EdgePlan> edges;

  // The layer named `name`, or nullptr (a graph input has none).
  const LayerPlan* find_layer(const std::string& name) const;
  // Throws nnfpga::Error (kInternal) naming the node when it has no layer plan.
  const LayerPlan& layer(const std::string& name) const;
  // The port of graph input `name`, or nullptr.
  const EdgePlan* find_input_port(const std::string& name) const;
  // The port of graph input `name`, or of graph output `name`; throws kInternal when absent.
  const EdgePlan& input_port(const std::string& name) const;
  const EdgePlan& output_port(const std::string& name) const;
};

// The plan of a configured graph (types resolved, parameters quantized: Dense's multiplier limit
// counts its weights). Throws nnfpga::Error (kInternal) for a Dense whose shapes do not match.
Plan make_plan(const ir::Graph& graph);

// Dense: the products that need a multiplier (a weight that is neither 0 nor +-2^k), and the
// multipliers left after sharing them by the reuse factor (at least 1).
std::int64_t dense_real_products(const ir::Node& dense);
std::int64_t dense_multiplier_limit(const ir::Node& dense);

nlohmann::json to_json(const Plan& plan);
// Readable YAML-like text, one line per layer and per edge (`nnfpga show --resolved`).
std::string to_text(const Plan& plan);

}  // namespace nnfpga::plan
