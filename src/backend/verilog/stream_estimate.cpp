// count_stream: a streaming design's resources and timing. The per-pixel netlists are counted by
// the rules of the parallel core (estimate_rtl.cpp); the parts around them by the rules below
// (docs/estimates.md, "Verilog backend, streaming"), not yet measured against Yosys (issue 18):
// - line buffer: its register taps one flip-flop per bit; its delay lines (line_buffer.hpp) LUT RAM
//   or block RAM by the same rule the RTL states to Yosys, as measured there, with the address
//   counter's flip-flops and ~1 LUT per address bit; a block RAM absorbs its read register;
// - window register: one flip-flop per bit;
// - window selection: per element bit, a LUT6 (a 4:1 multiplexer) per three further sources;
// - FIFO storage: LUT RAM, RAM32M-like, two thirds of a LUT per bit per 32 entries, and ~12 LUTs
//   and the pointers' flip-flops of control;
// - controller: counters (flip-flops) and ~2 LUTs per counter bit.
// Latency and interval are the schedule's (src/schedule/), the numbers the RTL keeps exactly.
#include <set>

#include "backend/verilog/estimate_rtl.hpp"
#include "backend/verilog/line_buffer.hpp"
#include "backend/verilog/stream_build.hpp"
#include "backend/verilog/stream_fold.hpp"

namespace nnfpga::backend::verilog {
namespace {

std::int64_t stream_ceil_div(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

int stream_bits_for(std::int64_t n) {
  int b = 1;
  while ((std::int64_t{1} << b) <= n) ++b;
  return b;
}

void count_surroundings(const StreamLayer& l, VerilogLayerEstimate& e) {
  const std::int64_t in_bits = l.in_channels * l.in_type.width;
  const std::int64_t out_bits = l.out_channels * l.out_type.width;
  const StreamReads& s = l.reads;
  if (!s.per_position) {
    e.ff += s.elements * in_bits;
    for (const LineSegment& g : plan_line_buffer(s, in_bits)) {
      if (g.storage == LineStorage::kRegisters) {
        e.ff += g.beats() * in_bits;
        continue;
      }
      const int address = stream_bits_for(g.beats() - 1);
      e.ff += address;
      e.lut += address;
      if (g.storage == LineStorage::kLutRam) {
        e.lut += line_lut_ram_luts(g.beats(), in_bits);
      } else {
        e.bram18 += line_block_ram18(g.beats(), in_bits);
        e.ff -= in_bits;  // the next segment's head is the block RAM's output register
      }
    }
    for (std::int64_t k = 0; k < s.elements; ++k) {
      std::set<std::int64_t> sources;
      for (const auto& taps : s.case_taps) {
        const std::int64_t t = taps[static_cast<std::size_t>(k)];
        sources.insert(t);
        if (t != kPadding) sources.insert(t + 1);
      }
      e.lut += in_bits * stream_ceil_div(static_cast<std::int64_t>(sources.size()) - 1, 3);
    }
    const int counters = stream_bits_for(s.in_beats) + stream_bits_for(s.out_beats + 1);
    e.ff += counters;
    e.lut += 2 * counters;
  }
  e.ff += l.latency;  // the valid pipeline
  for (const StreamOutput& o : l.outputs) {
    e.lut += stream_ceil_div(2 * out_bits * stream_ceil_div(o.depth, 32), 3) + 12;
    e.ff += 2 * stream_bits_for(o.depth) + stream_bits_for(o.depth + 1);
  }
  if (l.inputs.size() > 1) {
    // A join: per input a holding register, its flag and a multiplexer per bit.
    for (const StreamSource& in : l.inputs) {
      e.ff += in.channels * in.type.width + 1;
      e.lut += in.channels * in.type.width + 2;
    }
  }
}

}  // namespace

VerilogEstimate count_stream(const ir::Graph& graph, const StreamDesign& design) {
  VerilogEstimate e;
  e.clock_period_ns = graph.settings.clock_period_ns;
  const ir::Node& input = graph.at(graph.inputs.front());
  e.layers.push_back({.layer = input.name, .op = "Input"});
  for (const StreamLayer& l : design.layers) {
    VerilogLayerEstimate le = l.fold ? count_folded_product(graph, *l.node, *l.fold)
                                     : count_layer_netlist(graph, *l.node, l.pixel);
    if (l.clone) {
      le.layer += "_clone";
      le.op = "Clone";
    }
    count_surroundings(l, le);
    le.latency_cycles = l.latency;
    e.lut += le.lut;
    e.dsp += le.dsp;
    e.bram18 += le.bram18;
    e.ff += le.ff;
    e.layers.push_back(std::move(le));
  }
  e.latency_cycles = design.latency;
  e.interval_cycles = design.schedule.interval;
  return e;
}

}  // namespace nnfpga::backend::verilog
