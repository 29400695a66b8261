// Latency, initiation interval and resource estimates of the HLS firmware, per layer and for the
// model, from the typed graph and its implementation plan (src/plan/): the plan decides each
// layer's interval and parallelism, the estimate predicts what they cost. The formulas and their
// constants are in docs/estimates.md; each op family has its cost function (<family>_cost.cpp),
// found through one table by op kind.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "estimate/part_capacity.hpp"
#include "ir/graph.hpp"
#include "plan/plan.hpp"

namespace nnfpga::estimate {

// The DSP slice of a part family: the widths of its signed multiplier (a x b, a >= b).
struct DspFamily {
  std::string name;  // "7-series (DSP48E1)", ...
  int a_bits = 25;
  int b_bits = 18;
};

// From the part name (xc7..., xcku/xcvu/xczu..., xcv[cemp]...); throws kConfig for an unknown
// family, naming the part.
DspFamily dsp_family(const std::string& part);

struct LayerEstimate {
  std::string layer;
  std::string op;
  std::int64_t latency_cycles = 0;
  std::int64_t interval = 1;     // initiation interval in cycles
  std::int64_t multipliers = 0;  // physical multipliers after sharing by the reuse factor
  std::int64_t dsp = 0;          // DSP slices for the multipliers mapped to DSPs
  std::int64_t lut_multipliers = 0;
  std::int64_t lut = 0;     // LUTs of the LUT-mapped multipliers, comparators and muxes
  std::int64_t adders = 0;  // physical adders (accumulation, sums)
  std::int64_t bram18 = 0;  // BRAM18 blocks for weights in memory, lookup tables, line buffers
  std::int64_t ff = 0;      // flip-flops of the pipeline registers (and windows, clones)
};

// One FIFO of a dataflow plan: its depth (the plan's), width and where the tool puts it.
struct FifoEstimate {
  std::string name;  // "producer -> consumer"
  std::int64_t depth = 0;
  std::int64_t width_bits = 0;
  std::string storage;  // "SRL", "LUTRAM" or "BRAM"
  std::int64_t lut = 0;
  std::int64_t bram18 = 0;
};

struct ModelEstimate {
  std::string part;
  std::string dsp_family;
  double clock_period_ns = 0;
  std::vector<LayerEstimate> layers;
  // Dataflow plans: every FIFO between processes (their LUTs and BRAM18 are in `total`).
  bool dataflow = false;
  std::vector<FifoEstimate> fifos;
  // Latency summed along the chain (dataflow: the schedule's, first input beat to last output
  // beat), interval the largest, resources summed (FIFOs included).
  LayerEstimate total;
  // io_parallel layers too large for the full unroll (plan/parallel_size.hpp), one message each:
  // the HLS writer refuses them, the estimate still costs them.
  std::vector<std::string> too_large_for_io_parallel;
  // The part's resources when the part table knows it (part_capacity.hpp).
  std::optional<PartCapacity> capacity;
  double latency_ns() const { return static_cast<double>(total.latency_cycles) * clock_period_ns; }
  // The resources above the part's capacity ("LUT 120.3%", ...); empty when it fits or the part
  // is unknown.
  std::vector<std::string> over_capacity() const;
};

// Throws nnfpga::Error (kUnsupported) naming a node whose op has no cost model. A dataflow plan
// (plan::Plan::dataflow) is costed per process, one position at a time, with its FIFOs, its
// line buffers and the latency of its schedule (stream_estimate.cpp). `plan` is the
// graph's (plan::make_plan); the one-argument form makes it.
ModelEstimate estimate_hls(const ir::Graph& graph, const plan::Plan& plan);
ModelEstimate estimate_hls(const ir::Graph& graph);

nlohmann::json to_json(const ModelEstimate& e);
std::string format_table(const ModelEstimate& e);

}  // namespace nnfpga::estimate
