// The Verilog text of a streaming design (stream_build.hpp): each layer's process module (its
// controller, line buffer, window register, per-pixel instance, valid pipeline and output FIFO),
// the FIFO module they share, the top module with the stream contract's ports, and the
// AXI-stream wrapper. docs/verilog.md ("Streaming CNNs") states the contract.
#pragma once

#include <string>

#include "backend/verilog/stream_build.hpp"

namespace nnfpga::backend::verilog {

// module <fifo>: a FIFO of WIDTH-bit beats, DEPTH deep; a beat pushed at an edge is readable from
// the next cycle, and a pop in the cycle of a push frees no room for it (the schedule's model).
std::string stream_fifo_text(const std::string& fifo);

// The process module of layer `l`, its output FIFO an instance of module `fifo`.
std::string stream_process_text(const StreamLayer& l, const std::string& fifo);

// module <top>: clk, rst, in_valid, in_ready, in_data (one input beat), out_valid, out_ready,
// out_data (one output beat): the processes wired, one stream per FIFO.
std::string stream_top_text(const StreamDesign& d, const std::string& top);

// module <top>_axis: the same with AXI-stream names (s_axis_*, m_axis_*).
std::string stream_axis_text(const StreamDesign& d, const std::string& top);

}  // namespace nnfpga::backend::verilog
