// The Verilog estimate: LUTs, adders and latency of the RTL `nnfpga convert --backend verilog`
// writes, predicted for the Yosys 7-series flow of `nnfpga rtlsynth`. It builds the netlists the
// writer builds (build_core.hpp) and counts them, net by net, from the logic each records
// (net_logic.hpp): every op the writer supports has an estimate, and the latency is the writer's
// own. docs/estimates.md ("Verilog backend") gives the counting rules and their measured error.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ir/graph.hpp"

namespace nnfpga::backend::verilog {

struct VerilogLayerEstimate {
  std::string layer;
  std::string op;
  std::int64_t adders = 0;      // two-input carry chains (constant multiplications, sums, casts)
  std::int64_t adder_bits = 0;  // their output bits
  std::int64_t lut = 0;
  std::int64_t dsp = 0;             // multipliers of two variables that Yosys maps to DSP48E1
  std::int64_t ff = 0;              // pipeline flip-flops inside the layer's module (not SRLs)
  std::int64_t bram18 = 0;          // block RAM in 18 Kb units (a streaming line buffer's)
  std::int64_t latency_cycles = 0;  // the layer's own register stages
};

struct VerilogEstimate {
  double clock_period_ns = 0;
  std::vector<VerilogLayerEstimate> layers;  // in graph order, the input included
  std::int64_t lut = 0;
  std::int64_t dsp = 0;
  // Flip-flops: the layers' registers, the core's delay chains and the valid pipeline, less the
  // chains Yosys maps to SRLs.
  std::int64_t ff = 0;
  // Block RAM in 18 Kb units (streaming line buffers). LUT RAM counts in `lut`, as Vivado counts
  // LUTs as memory (Yosys's stat lists it apart: YosysStat::lutram).
  std::int64_t bram18 = 0;
  std::int64_t latency_cycles = 0;  // in_valid to out_valid
  // Cycles between samples: 1 for the parallel core; a streaming design's from its schedule.
  std::int64_t interval_cycles = 1;
};

// Throws nnfpga::Error as write_project does: kUnsupported at a node the backend cannot write.
VerilogEstimate estimate_verilog(const ir::Graph& graph);

// The count of a core already built from `graph` (what write_project does with the core it
// writes, so that the netlists are built once).
struct BuiltCore;
VerilogEstimate count_core(const ir::Graph& graph, const BuiltCore& built);

// One layer's netlist counted (LUTs, DSPs, adders, its pipeline's flip-flops), `node` the layer it
// computes; the layer's latency is the caller's.
class Netlist;
VerilogLayerEstimate count_layer_netlist(const ir::Graph& graph, const ir::Node& node,
                                         const Netlist& netlist);

// The count of a streaming design (stream_estimate.cpp): its per-pixel netlists as above, plus the
// line buffers, window registers and FIFOs; latency and interval from its schedule.
struct StreamDesign;
VerilogEstimate count_stream(const ir::Graph& graph, const StreamDesign& design);

nlohmann::json to_json(const VerilogEstimate& e);

}  // namespace nnfpga::backend::verilog
