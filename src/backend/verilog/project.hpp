// Writing a Verilog-2005 project from a typed graph (`nnfpga convert --backend verilog`). The
// layout (README.md states the contract):
//   rtl/<top>_<layer>.v   one module per layer: clk, ce, in_data<k>, out_data
//   rtl/<top>_core.v      the layers wired together, tensors delayed to meet, the valid pipeline,
//                         and the clock enable the AXI-stream wrapper stalls it with
//   rtl/<top>.v           the top module with the contract's ports (the core, always enabled)
//   rtl/<top>_axis.v      the AXI-stream-style wrapper <top>_axis
//   nnfpga/model.json     the typed graph; nnfpga/rtl.json the project's facts
#pragma once

#include <string>
#include <vector>

#include "backend/verilog/estimate_rtl.hpp"
#include "ir/graph.hpp"

namespace nnfpga::backend::verilog {

struct ProjectOptions {
  std::string top;  // top module name; empty: from the graph's name, else "myproject"
};

// One side of the top module: `count` elements of `width` bits, element k at [k*width +: width].
struct PortFacts {
  std::int64_t count = 0;
  int width = 0;
  bool is_signed = true;
  std::string type;  // the HLS spelling
  // Streaming designs: beats per sample, each of `count` elements (1 for the parallel core).
  std::int64_t beats = 1;
};

// A FIFO of a streaming design: "producer -> consumer" and its depth in beats.
struct FifoFacts {
  std::string name;
  std::int64_t depth = 0;
};

struct Project {
  std::string dir;
  std::string top;                 // the top module's (sanitized) name
  std::vector<std::string> files;  // relative paths written, in order
  std::vector<std::string> rtl;    // the Verilog files, in dependency order (also in rtl.json)
  int latency_cycles = 0;          // in_valid to out_valid, in clock edges
  // "parallel": the fully unrolled core (a sample per clock); "stream": the streaming design of a
  // CNN (a beat per handshake), whose latency is from a sample's first input beat to its last
  // output beat, and which takes a new sample every interval_cycles.
  std::string io = "parallel";
  std::int64_t interval_cycles = 1;
  std::vector<FifoFacts> fifos;  // streaming designs: between layers, and the output port's
  double clock_period_ns = 0.0;
  PortFacts inputs, outputs;
  VerilogEstimate estimate;  // of the netlists written (estimate_rtl.hpp)
};

// Throws nnfpga::Error (kUnsupported) naming every node whose op the backend lacks (all at once),
// or when the graph has more than one input or output tensor.
// A CNN (a tensor with several positions) is checked for the streaming design.
void check_graph(const ir::Graph& graph);

// Writes the project into `dir` (created if needed). Throws nnfpga::Error: kUnsupported naming
// every node whose op the backend lacks (all at once), or a layer whose arithmetic the RTL cannot
// reproduce exactly; kInput when the directory cannot be written.
Project write_project(const ir::Graph& graph, const std::string& dir,
                      const ProjectOptions& options = {});

// write_project for a streaming graph (stream_project.cpp).
Project write_stream_project(const ir::Graph& graph, const std::string& dir,
                             const std::string& top);

// The project's facts as write_project wrote them to rtl.json. Throws nnfpga::Error (kInput)
// when `dir` holds no Verilog project.
Project read_project(const std::string& dir);

inline constexpr const char* kModelJson = "nnfpga/model.json";
inline constexpr const char* kRtlJson = "nnfpga/rtl.json";

}  // namespace nnfpga::backend::verilog
