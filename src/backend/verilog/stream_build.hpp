// The streaming design of a CNN before it is text (docs/verilog.md, "Streaming CNNs"): one
// process per layer of a DAG (fan-out: one FIFO per reader; merges: joins of several streams), each
// a controller that follows the layer's token order, a line buffer and window register for window
// ops, the per-pixel function as a pipelined netlist (the existing emitters: the CMVM of
// emit_dense.cpp for a convolution's window product), and output FIFOs whose depths are the
// schedule's (src/schedule/, the computation the HLS dataflow uses). What the project writer writes
// and the estimate counts, built once by one path.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backend/verilog/netlist.hpp"
#include "backend/verilog/stream_window.hpp"
#include "ir/graph.hpp"
#include "schedule/schedule.hpp"

namespace nnfpga::backend::verilog {

struct FoldedProduct;  // stream_fold.hpp

// Where a layer's input comes from: output FIFO `output` of layer `layer`, or the input port.
struct StreamSource {
  static constexpr int kInputPort = -1;
  int layer = kInputPort;
  int output = 0;
  fixed::FixedType type;  // of its beats' elements
  std::int64_t channels = 1;
};

// One output FIFO of a layer: one per reader of its tensor (a fan-out writes each beat into all of
// them in one cycle, as the schedule's process writes all its output streams), the output port's
// included.
struct StreamOutput {
  std::string reader;      // the reading layer's name, or "<output>"
  std::string name;        // "<producer> -> <reader>": its stream's name in the schedule
  int stream = 0;          // its stream in the schedule's network
  std::int64_t depth = 0;  // in beats: the schedule's (kOutputFifoDepth for the output port)
};

struct StreamLayer {
  // The node computed; for a clone of the graph's input (read by several layers), the Input node.
  const ir::Node* node = nullptr;
  bool clone = false;
  std::string module;   // the per-pixel function: <top>_<layer>
  std::string process;  // the process around it: <top>_<layer>_stream
  StreamReads reads;
  // in_data<k>: input k's window (or its one beat); out_data: one output beat. A layer with several
  // inputs (a merge) reads one beat of each per output (a join).
  Netlist pixel;
  int pixel_latency = 0;  // the netlist's register stages (its outputs are registered: >= 1)
  int latency = 0;        // write to the beat's arrival at the FIFO: + 1 for a window register
  fixed::FixedType in_type, out_type;  // in_type: input 0's
  std::int64_t in_channels = 1, out_channels = 1;
  std::vector<StreamSource> inputs;   // per node input, in the node's order
  std::vector<StreamOutput> outputs;  // its FIFOs
  fixed::i128 pad_code = 0;           // what a window element on padding holds
  // AveragePool: the counts it divides by; per case of its window, the index of its count, which
  // the window carries in divisor_bits above its elements when there are several.
  std::vector<std::int64_t> divisors;
  std::vector<int> divisor_of_case;
  int divisor_bits = 0;
  // Set when the per-pixel product is folded (ReuseFactor > 1, stream_fold.hpp): it replaces
  // `pixel`, and the layer writes at most one beat every fold->reuse cycles.
  std::shared_ptr<const FoldedProduct> fold;
};

struct StreamDesign {
  // A topological order (graph order, a clone of the input first): each reads earlier layers' FIFOs
  // or the input port.
  std::vector<StreamLayer> layers;
  schedule::Schedule schedule;  // of the network the layers form, FIFOs included
  // Cycles from the acceptance of a sample's first input beat to its last output beat, the input
  // at one beat per cycle: the schedule's latency less the cycles before the first read.
  std::int64_t latency = 0;
  int output_layer = 0;  // the layer whose FIFO "<output>" feeds the output port
  int output_fifo = 0;   // its index in that layer's outputs
  std::int64_t in_beats = 1, out_beats = 1;
  int in_beat_bits = 1, out_beat_bits = 1;
  fixed::FixedType in_type, out_type;
  std::int64_t in_channels = 1, out_channels = 1;
};

// Depth of the FIFO on the output port (not in the schedule's network, whose ports have none): a
// beat is offered to m_axis the cycle after the last layer writes it, and the FIFO absorbs
// m_axis_tready stalls.
inline constexpr std::int64_t kOutputFifoDepth = 2;

// Whether the graph gets the streaming design: it has a convolution or a pool (which only the
// streaming design writes), or it is configured io_stream and has a tensor of several positions.
// The others get the fully unrolled core (build_core.hpp), as before.
bool is_streaming_graph(const ir::Graph& graph);

// Throws nnfpga::Error (kUnsupported) naming every node the streaming design cannot write (all at
// once, as check_supported does), or the first structural reason (several inputs or outputs).
void check_stream_graph(const ir::Graph& graph);

// Builds the design; module names from `ids` (which holds the caller's). Throws nnfpga::Error as
// check_stream_graph does, and (kUnsupported) at a layer whose arithmetic the RTL cannot reproduce.
StreamDesign build_stream(const ir::Graph& graph, const std::string& top, IdentifierTable& ids);

}  // namespace nnfpga::backend::verilog
