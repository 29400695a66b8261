// The Verilog column of the estimate: LUTs and latency of the RTL `nnfpga convert --backend
// verilog` writes, from the typed graph, predicted for the Yosys 7-series flow of `nnfpga
// rtlsynth` (docs/estimates.md, "Verilog backend", gives the formulas and their measured error).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ir/graph.hpp"

namespace nnfpga::estimate {

struct VerilogLayerEstimate {
  std::string layer;
  std::string op;
  std::int64_t adders = 0;      // two-input adders (constant multiplications, sums, bias)
  std::int64_t adder_bits = 0;  // their output bits: one LUT and one carry bit each
  std::int64_t lut = 0;
};

struct VerilogEstimate {
  double clock_period_ns = 0;
  std::vector<VerilogLayerEstimate> layers;
  std::int64_t lut = 0;
  std::int64_t latency_cycles = 0;  // in_valid to out_valid
};

// Throws nnfpga::Error (kUnsupported) naming a node whose op has no Verilog cost model.
VerilogEstimate estimate_verilog(const ir::Graph& graph);

nlohmann::json to_json(const VerilogEstimate& e);

}  // namespace nnfpga::estimate
