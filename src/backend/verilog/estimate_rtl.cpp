// estimate_verilog: build_core's netlists, counted net by net. Each net records its logic
// (net_logic.hpp); the rules below turn it into 7-series LUTs as Yosys maps it. The rules and
// their measured error: docs/estimates.md, "Verilog backend".
#include "backend/verilog/estimate_rtl.hpp"

#include <algorithm>

#include "backend/verilog/build_core.hpp"
#include "backend/verilog/stream_build.hpp"
#include "ir/op_table.hpp"

namespace nnfpga::backend::verilog {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

// The 1 bits of `c` (two's complement) in bits [from, to).
int ones(fixed::i128 c, int from, int to) {
  int n = 0;
  for (int i = from; i < to; ++i) n += static_cast<int>((c >> std::min(i, 126)) & 1);
  return n;
}

// DSP48E1 of an a × b multiplier, as Yosys's mul2dsp splits it (25 × 18 signed, one sign bit per
// part), or 0 when it is left to LUTs (an operand under 2 bits or a product under 9).
std::int64_t multiplier_dsps(int a, int b, int product) {
  if (std::min(a, b) < 2 || product < 9) return 0;
  if (a < b) std::swap(a, b);
  return ceil_div(std::max(1, a - 1), 24) * ceil_div(std::max(1, b - 1), 17);
}

// A ROM read: per output bit, one LUT6 for each 64 entries in which the bit is not constant
// (a constant block is wiring into the multiplexers); 4 blocks are joined by MUXF7/F8, more by a
// tree of LUT6 4:1 multiplexers.
std::int64_t rom_luts(const std::vector<fixed::i128>& codes, int bits) {
  const std::int64_t entries = static_cast<std::int64_t>(codes.size());
  const std::int64_t blocks = ceil_div(entries, 64);
  const std::int64_t groups = ceil_div(blocks, 4);
  std::int64_t luts = 0;
  for (int b = 0; b < bits; ++b) {
    auto bit = [&](std::int64_t i) { return (codes[static_cast<std::size_t>(i)] >> b) & 1; };
    bool varies = false;
    for (std::int64_t k = 0; k < blocks; ++k) {
      const std::int64_t first = k * 64, last = std::min(entries, first + 64);
      for (std::int64_t i = first + 1; i < last; ++i) {
        if (bit(i) != bit(first)) {
          ++luts;
          varies = true;
          break;
        }
      }
      varies = varies || bit(first) != bit(0);
    }
    if (varies && groups > 1) luts += ceil_div(groups - 1, 3);
  }
  return luts;
}

// Which nets read each net.
std::vector<std::vector<NetId>> readers_of(const Netlist& nl) {
  std::vector<std::vector<NetId>> readers(static_cast<std::size_t>(nl.size()));
  for (NetId n = 0; n < nl.size(); ++n) {
    for (NetId a : nl.args(n)) readers[static_cast<std::size_t>(a)].push_back(n);
  }
  return readers;
}

// The layer being counted: its netlist, who reads each net, and whether the layer's outputs go
// only to Dense layers.
struct LayerNets {
  const Netlist& nl;
  std::vector<std::vector<NetId>> readers;
  bool feeds_only_dense = false;
};

// Whether a multiplexer's output folds into the LUTs of what reads it. A sign-bit select folds
// into an adder's or a choice's LUTs, which have inputs to spare (Yosys/ABC merges them); a
// compared choice folds into a following choice only (two choices per bit are one LUT). Wiring is
// looked through; an output of the layer folds when the layer feeds Dense layers only.
bool folds(const LayerNets& layer, NetId n, bool sign_select) {
  const std::vector<NetId>& outs = layer.nl.outputs();
  if (std::find(outs.begin(), outs.end(), n) != outs.end() &&
      !(sign_select && layer.feeds_only_dense)) {
    return false;
  }
  for (NetId r : layer.readers[static_cast<std::size_t>(n)]) {
    using K = Logic::Kind;
    switch (layer.nl.logic(r).kind) {
      case K::kCompareSelect:
        continue;
      case K::kAdder:
      case K::kConstantAdder:
        if (sign_select) continue;
        return false;
      case K::kWiring:
        if (folds(layer, r, sign_select)) continue;
        return false;
      case K::kSelect:
      case K::kMultiply:
      case K::kRom:
        return false;
    }
  }
  return true;
}

// What one net costs.
void count_net(const LayerNets& layer, NetId n, VerilogLayerEstimate& e) {
  const Netlist& nl = layer.nl;
  const Logic& l = nl.logic(n);
  const int bits = nl.width(n);
  using K = Logic::Kind;
  switch (l.kind) {
    case K::kWiring:
      return;
    case K::kAdder:
      // One LUT per carried bit (the XOR into the CARRY4); bits one operand has are wiring.
      ++e.adders;
      e.adder_bits += bits;
      e.lut += std::max(1, bits - l.passed);
      return;
    case K::kConstantAdder: {
      // A carry-chain bit needs a LUT (an inverter) only where x's bit is inverted: the 1 bits
      // of the constant for x + c, its 0 bits for c - x; below x's lowest bit, none.
      const int carried = std::max(0, bits - l.passed);
      const int set = ones(l.constant, l.passed, bits);
      ++e.adders;
      e.adder_bits += bits;
      e.lut += std::max(1, l.negate ? carried - set : set);
      return;
    }
    case K::kSelect:
      e.lut += folds(layer, n, true) ? 0 : bits;
      return;
    case K::kCompareSelect: {
      // The choice: one LUT per output bit, unless it folds into the next. A comparison of two
      // variables: a carry chain over its bits. One with a constant: a LUT tree over the bits
      // that decide it, 5 of which the choice's own LUT takes, 6 per further LUT.
      const std::int64_t compare =
          l.against_constants ? ceil_div(std::max(0, l.operand_bits - 5), 6) : l.operand_bits;
      e.lut += l.compares * compare + (folds(layer, n, false) ? 0 : bits);
      return;
    }
    case K::kMultiply: {
      const std::int64_t dsps = multiplier_dsps(l.operand_bits, l.other_operand_bits, bits);
      e.dsp += dsps;
      if (dsps == 0) e.lut += static_cast<std::int64_t>(l.operand_bits) * l.other_operand_bits;
      return;
    }
    case K::kRom:
      e.lut += rom_luts(*l.table, bits);
      return;
  }
}

// Whether every consumer of `node` is a Dense (and the graph does not output it).
bool feeds_only_dense(const ir::Graph& graph, const ir::Node& node) {
  const std::vector<const ir::Node*> users = graph.consumers(node.name);
  return !users.empty() && !graph.is_output(node.name) &&
         std::all_of(users.begin(), users.end(),
                     [](const ir::Node* u) { return u->op == ir::OpKind::kDense; });
}

// The flip-flops of a register chain: Yosys maps a chain of 3 or more registers to SRL cells
// (xilinx_srl -minlen 3), which it counts apart from FFs.
std::int64_t chain_ffs(std::int64_t bits, int length) {
  return length < 3 ? bits * length : 0;
}

// The core's flip-flops: each tensor delayed to its latest reader, and the valid pipeline.
std::int64_t core_ffs(const CoreModule& core) {
  std::vector<int> extra(core.tensors.size(), 0);
  for (const CoreInstance& c : core.instances) {
    for (std::size_t k = 0; k < c.inputs.size(); ++k) {
      const auto t = static_cast<std::size_t>(c.inputs[k]);
      extra[t] = std::max(extra[t], c.input_stages[k] - core.tensors[t].stage);
    }
  }
  const auto out = static_cast<std::size_t>(core.output);
  extra[out] = std::max(extra[out], core.latency - core.tensors[out].stage);
  std::int64_t ffs = chain_ffs(1, core.latency);
  for (std::size_t t = 0; t < extra.size(); ++t) ffs += chain_ffs(core.tensors[t].bits, extra[t]);
  return ffs;
}

}  // namespace

VerilogEstimate estimate_verilog(const ir::Graph& graph) {
  IdentifierTable ids;
  if (is_streaming_graph(graph)) return count_stream(graph, build_stream(graph, "top", ids));
  return count_core(graph, build_core(graph, "top", ids));
}

VerilogLayerEstimate count_layer_netlist(const ir::Graph& graph, const ir::Node& node,
                                         const Netlist& netlist) {
  VerilogLayerEstimate l{.layer = node.name, .op = std::string(ir::op_name(node.op))};
  const LayerNets nets{netlist, readers_of(netlist), feeds_only_dense(graph, node)};
  for (NetId n = 0; n < nets.nl.size(); ++n) count_net(nets, n, l);
  for (const auto& [width, length] : netlist.register_chains()) l.ff += chain_ffs(width, length);
  return l;
}

VerilogEstimate count_core(const ir::Graph& graph, const BuiltCore& built) {
  VerilogEstimate e;
  e.clock_period_ns = graph.settings.clock_period_ns;
  auto layer = built.layers.begin();
  for (const ir::Node& node : graph.nodes) {
    VerilogLayerEstimate l{.layer = node.name, .op = std::string(ir::op_name(node.op))};
    if (layer != built.layers.end() && layer->node == &node) {
      l = count_layer_netlist(graph, node, layer->netlist);
      l.latency_cycles = layer->latency;
      ++layer;
    }
    e.lut += l.lut;
    e.dsp += l.dsp;
    e.ff += l.ff;
    e.layers.push_back(std::move(l));
  }
  e.ff += core_ffs(built.core);
  e.latency_cycles = built.core.latency;
  return e;
}

nlohmann::json to_json(const VerilogEstimate& e) {
  nlohmann::json layers = nlohmann::json::array();
  for (const VerilogLayerEstimate& l : e.layers) {
    layers.push_back({{"layer", l.layer},
                      {"op", l.op},
                      {"adders", l.adders},
                      {"adder_bits", l.adder_bits},
                      {"lut", l.lut},
                      {"dsp", l.dsp},
                      {"ff", l.ff},
                      {"latency_cycles", l.latency_cycles}});
  }
  nlohmann::json j = {
      {"clock_period_ns", e.clock_period_ns}, {"lut", e.lut},    {"dsp", e.dsp}, {"ff", e.ff},
      {"latency_cycles", e.latency_cycles},   {"layers", layers}};
  if (e.interval_cycles != 1) j["interval_cycles"] = e.interval_cycles;
  if (e.bram18 != 0) j["bram18"] = e.bram18;
  return j;
}

}  // namespace nnfpga::backend::verilog
