// The implementation plan: how each layer of a typed graph is built and how each tensor travels,
// decided once, between configuration and the consumers. The HLS writer builds what it says, the
// estimate predicts from it, and a tuner edits it. make_plan records what the HLS writer builds
// today; nothing here re-decides a configuration value.
//
// io_stream, as hls4ml users know it: every tensor is a stream of one beat per position
// (ir::positions, src/ir/layout.hpp), each beat carrying that position's channels (ir::channels),
// and every layer a dataflow process. MLPs have one position per tensor, so a beat holds the whole
// vector: their top function's ports are streams of one beat per sample, and the layers inside
// compute on arrays as io_parallel does, pipelined between one read and one write. A model with a
// tensor of several positions (a CNN) gets a dataflow plan (make_dataflow_plan): every edge
// between layers a FIFO, clones for fan-outs, FIFO depths from src/schedule/.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ir/graph.hpp"
#include "schedule/network.hpp"

namespace nnfpga::plan {

// What a layer plan builds: a graph node, or (dataflow plans only) a clone process that copies
// a tensor read by several layers (or by a layer and an output port) into one stream per reader.
enum class LayerKind {
  kNode,
  kClone,
};

// How one layer is built.
struct LayerPlan {
  std::string layer;  // the node's name; a clone's is "<producer>_clone" (made unique)
  LayerKind kind = LayerKind::kNode;
  ir::OpKind op = ir::OpKind::kIdentity;  // a clone's is its producer's (unused)
  std::int64_t interval = 1;  // initiation interval in cycles (Dense: positions * reuse factor)
  int reuse_factor = 1;       // products sharing one multiplier
  // Physical multipliers the layer may use (the HLS ALLOCATION limit); 0 when the plan limits
  // none (every op but Dense).
  std::int64_t multiplier_limit = 0;
  ir::Strategy strategy = ir::Strategy::kLatency;
  // Dataflow plans: the process's pipeline depth in cycles, from the read that completes an
  // output beat's inputs to that beat in the output FIFO (the timing model of docs/hls.md); 0
  // in other plans.
  std::int64_t latency = 0;
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
  // io_stream with a tensor of several positions: every layer is a dataflow process, every edge
  // between two of them a FIFO of one beat per position (fifo_depth from src/schedule/), fan-outs
  // through clone layers. False for io_parallel and for io_stream MLPs (arrays inside the top).
  bool dataflow = false;
  std::int64_t interval = 1;      // the model's: the largest layer's
  std::int64_t latency = 0;       // dataflow plans: cycles from the first input beat to the last
                                  // output beat of a sample (src/schedule/); 0 otherwise
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
  // The port of graph input `name`, or of graph output `name` (written by its clone when the
  // tensor is also read by layers); throws kInternal when absent.
  const EdgePlan& input_port(const std::string& name) const;
  const EdgePlan& output_port(const std::string& name) const;
};

// The plan of a configured graph (types resolved, parameters quantized: Dense's multiplier limit
// counts its weights). Throws nnfpga::Error (kInternal) for a Dense whose shapes do not match,
// (kUnsupported) naming the node for a layer that cannot stream in a dataflow plan.
Plan make_plan(const ir::Graph& graph);

// Whether make_plan gives the graph a dataflow plan: io_stream with a tensor of several positions.
bool streams_positions(const ir::Graph& graph);

// The dataflow plan of an io_stream graph with tensors of several positions (make_plan's choice;
// stream_plan.cpp). FIFO depths are the schedule's unless the configuration sets them
// (ir::LayerSettings::fifo_depth); throws nnfpga::Error (kConfig) naming the layer and the FIFO
// for a setting that sizes no FIFO of the plan.
Plan make_dataflow_plan(const ir::Graph& graph);
// Throws the kConfig error of a FIFO depth set on a model that has no FIFOs between layers.
void check_no_fifo_settings(const ir::Graph& graph);

// The dataflow network a dataflow plan describes, for src/schedule/: process p is layer p (its
// token order from the node's geometry, its reuse factor and pipeline depth from the plan),
// stream i is edge i. The estimate schedules a (possibly tuned) plan through it.
schedule::Network dataflow_network(const ir::Graph& graph, const Plan& plan);

// "producer -> consumer", a port's end written <input> or <output> (no node can be so named in
// generated code): how messages and `nnfpga show` name an edge and its FIFO.
std::string edge_name(const EdgePlan& e);

// Dense and the convolutions (ops that share multipliers): the products of the per-position
// weight matrix that need a multiplier (a weight that is neither 0 nor +-2^k), and the
// multipliers left after sharing them by the reuse factor (at least 1).
std::int64_t dense_real_products(const ir::Node& dense);
std::int64_t dense_multiplier_limit(const ir::Node& dense);

nlohmann::json to_json(const Plan& plan);
// Readable YAML-like text, one line per layer and per edge (`nnfpga show --resolved`).
std::string to_text(const Plan& plan);

}  // namespace nnfpga::plan
