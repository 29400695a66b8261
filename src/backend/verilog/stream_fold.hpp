// A folded per-pixel product (docs/verilog.md, "Folding"): a convolution's window product, or a
// Dense, computed over R = ReuseFactor cycles on M = ceil(n_in * F / R) shared multipliers (Verilog
// `*`, which Yosys maps to DSP48E1 when the operands fit) instead of at full rate by the
// multiplier-free CMVM. Product p = i * F + j (input-major) is lane p mod M of cycle p / M, its
// weight read from a ROM indexed by the cycle. Each output's products thus arrive in input order,
// at most `slots` per cycle, and the accumulator applies the emulator's casts in that order:
// bit-exact for any accum_t. Where the linear core proves the order irrelevant (accum_t wraps, or
// no partial sum can leave it), a cycle's products are summed at once and wrapped instead.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backend/verilog/estimate_rtl.hpp"
#include "backend/verilog/netlist.hpp"
#include "backend/verilog/stream_window.hpp"
#include "ir/graph.hpp"

namespace nnfpga::backend::verilog {

struct FoldedProduct {
  std::int64_t reuse = 1;  // R: cycles per output beat
  std::int64_t n_in = 1, n_out = 1;
  std::int64_t lanes = 1;  // M: multipliers
  std::int64_t slots = 1;  // the most products one output takes in one cycle
  bool in_order = true;    // the emulator's cast after every product; false: order-free
  fixed::FixedType x_t, w_t, acc_t, y_t;
  std::vector<std::int64_t> weights;  // [n_in][n_out] codes of w_t
  std::vector<std::int64_t> bias;     // [n_out] codes of acc_t: the bias cast into accum_t
  // Module names: the folded product, its lane products, its accumulation step, its result cast.
  std::string module, lanes_module, step_module, result_module;
  // in_data0: every lane's x code, in_data1: every lane's w code; out_data: the products cast
  // into accum_t. Pipelined by the delay model.
  Netlist lane_products;
  // in_data0: every output's accumulator, in_data1: slots per output (0 where a slot is idle);
  // out_data: the accumulators after this cycle's products. Combinational: it closes the loop.
  Netlist step;
  // in_data0: the accumulators; out_data: cast to result_t. Pipelined.
  Netlist result;
  int lanes_latency = 1, result_latency = 1;
  double step_ns = 0;  // the loop's combinational delay, the acc_in multiplexer included

  // Cycles from the window register's load to the output beat: operand registers, the lane
  // products, the slot registers, R accumulation cycles, the result cast.
  int latency() const { return 2 + lanes_latency + static_cast<int>(reuse) + result_latency; }
};

// R when the node's per-pixel product folds (a convolution or Dense with ReuseFactor > 1), else 1.
std::int64_t folded_reuse(const ir::Node& node);

// The token order a folded per-position layer runs: a one-element window behind a one-beat line
// buffer, so it may read the next beat while its product is still busy, as the schedule's model
// (cycles_per_write) assumes. A window op's reads are returned unchanged.
StreamReads folded_reads(StreamReads reads);

// The folded product of `pixel` (the Dense of one window: n_in = its inputs), its input codes of
// type `x_t`. Module names from `ids`, made from `module`. Throws nnfpga::Error (kUnsupported)
// naming the node when one cycle's in-order accumulation cannot meet the clock's stage budget.
FoldedProduct build_folded_product(const ir::Graph& graph, const ir::Node& pixel,
                                   const fixed::FixedType& x_t, const std::string& module,
                                   IdentifierTable& ids);

// The text of every module of the folded product: `module` has clk, rst, ce, start (the window
// register loads this cycle), free (a start may come this cycle), in_data0 (the window, held for
// R cycles after the start), out_data (one output beat, latency() cycles after the start).
std::string folded_product_text(const FoldedProduct& f);

// Its resources: the three netlists by the parallel core's rules, plus the weight ROM, the operand
// and slot multiplexers, the accumulators and the phase control (docs/estimates.md).
VerilogLayerEstimate count_folded_product(const ir::Graph& graph, const ir::Node& node,
                                          const FoldedProduct& f);

}  // namespace nnfpga::backend::verilog
