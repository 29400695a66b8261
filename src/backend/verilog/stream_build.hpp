// The streaming design of a CNN before it is text (docs/verilog.md, "Streaming CNNs"): one
// process per layer in a chain, each a controller that follows the layer's token order, a line
// buffer and window register for window ops, the per-pixel function as a pipelined netlist (the
// existing emitters: the CMVM of emit_dense.cpp for a convolution's window product), and an output
// FIFO whose depth is the schedule's (src/schedule/, the computation the HLS dataflow uses). What
// the project writer writes and the estimate counts, built once by one path.
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

struct StreamLayer {
  const ir::Node* node = nullptr;
  std::string module;   // the per-pixel function: <top>_<layer>
  std::string process;  // the process around it: <top>_<layer>_stream
  StreamReads reads;
  Netlist pixel;  // in_data0: the window's elements (or the one beat), out_data: one output beat
  int pixel_latency = 0;  // the netlist's register stages (its outputs are registered: >= 1)
  int latency = 0;        // write to the beat's arrival at the FIFO: + 1 for a window register
  fixed::FixedType in_type, out_type;
  std::int64_t in_channels = 1, out_channels = 1;
  fixed::i128 pad_code = 0;     // what a window element on padding holds
  std::int64_t fifo_depth = 0;  // the output FIFO's, in beats
  // Set when the per-pixel product is folded (ReuseFactor > 1, stream_fold.hpp): it replaces
  // `pixel`, and the layer writes at most one beat every fold->reuse cycles.
  std::shared_ptr<const FoldedProduct> fold;
};

struct StreamDesign {
  std::vector<StreamLayer> layers;  // graph order: each reads the one before (the first, the input)
  schedule::Schedule schedule;      // of the network the layers form, FIFOs included
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
// once, as check_supported does), or the first structural reason (fan-out, several inputs).
void check_stream_graph(const ir::Graph& graph);

// Builds the design; module names from `ids` (which holds the caller's). Throws nnfpga::Error as
// check_stream_graph does, and (kUnsupported) at a layer whose arithmetic the RTL cannot reproduce.
StreamDesign build_stream(const ir::Graph& graph, const std::string& top, IdentifierTable& ids);

}  // namespace nnfpga::backend::verilog
