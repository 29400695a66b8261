// estimate_verilog: the Verilog backend's adders counted from the same adder graphs the writer
// builds, LUTs and CARRY4s from their widths, and the latency from packing the adder levels into
// clock stages with the HLS estimate's delay model. The formulas: docs/estimates.md.
#include "estimate/verilog_cost.hpp"

#include <algorithm>
#include <map>

#include "backend/verilog/adder_graph.hpp"
#include "backend/verilog/value_ranges.hpp"
#include "estimate/delay_model.hpp"
#include "fixed/fixed_type.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::estimate {
namespace {

namespace rtl = backend::verilog;

// A multiplexer or an AND level of one LUT, with its routing (as the writer's delay model).
constexpr double kLutLevelNs = 0.3;

// Where a tensor becomes ready: after `stage` registers and `ns` into the next stage.
struct Ready {
  std::int64_t stage = 0;
  double ns = 0;
};

// A layer's path as a sequence of levels, each of which a register may follow.
struct LayerPath {
  VerilogLayerEstimate e;
  std::vector<double> levels;
};

std::int64_t carry4_of(int width) {
  return (width + 3) / 4;
}

rtl::IntRange type_range(const fixed::FixedType& t) {
  return {fixed::min_mantissa(t), fixed::max_mantissa(t)};
}

LayerPath dense_path(const ir::Graph& graph, const ir::Node& node) {
  LayerPath p;
  const std::int64_t n_in = node.input_shapes.at(0).back();
  const std::int64_t n_out = node.output_shape.back();
  const std::int64_t rows = ir::element_count(node.input_shapes.at(0)) / n_in;
  const std::vector<std::int64_t>& w = node.qparam("weight").mantissa;
  rtl::ConstantMatrix m(static_cast<std::size_t>(n_in));
  for (std::int64_t i = 0; i < n_in; ++i) {
    m[i].assign(w.begin() + i * n_out, w.begin() + (i + 1) * n_out);
  }
  const rtl::AdderGraph g = rtl::csd_adder_graph(m);
  const std::vector<rtl::IntRange> inputs(static_cast<std::size_t>(n_in),
                                          type_range(graph.at(node.inputs.at(0)).type("result")));
  const rtl::GraphRanges ranges = rtl::value_ranges(g, inputs);
  for (std::size_t k = 0; k < g.adders.size(); ++k) {
    const int width = rtl::bits_for(ranges.sources.at(static_cast<std::size_t>(n_in) + k));
    p.e.adder_bits += width;
    p.e.carry4 += carry4_of(width);
  }
  p.e.adders = static_cast<std::int64_t>(g.adders.size());
  // The bias: one adder at the accumulator's width per output that has one.
  const int acc_bits = node.type("accum").width;
  int depth = 0;
  for (int d : rtl::output_depths(g)) depth = std::max(depth, d);
  if (node.qparams.count("bias") != 0) {
    const std::vector<std::int64_t>& b = node.qparam("bias").mantissa;
    const auto with_bias = std::count_if(b.begin(), b.end(), [](std::int64_t v) { return v != 0; });
    p.e.adders += with_bias;
    p.e.adder_bits += with_bias * acc_bits;
    p.e.carry4 += with_bias * carry4_of(acc_bits);
    if (with_bias > 0) ++depth;
  }
  p.e.adders *= rows;
  p.e.adder_bits *= rows;
  p.e.carry4 *= rows;
  p.e.lut = p.e.adder_bits;  // one LUT per adder bit: the XOR feeding the carry chain
  p.levels.assign(static_cast<std::size_t>(depth), add_ns(acc_bits));
  return p;
}

// ReLU, Clip and a rounding or saturating Quantize: one LUT level per output bit.
LayerPath elementwise_path(const ir::Node& node, bool needs_logic) {
  LayerPath p;
  if (!needs_logic) return p;
  p.e.lut = ir::element_count(node.output_shape) * node.type("result").width;
  p.levels.push_back(kLutLevelNs);
  return p;
}

bool quantize_needs_logic(const ir::Graph& graph, const ir::Node& node) {
  const fixed::FixedType& in = graph.at(node.inputs.at(0)).type("result");
  const fixed::FixedType& out = node.type("result");
  const bool truncates = out.quant == fixed::Quantization::kTrn;
  const bool wraps = out.overflow == fixed::Overflow::kWrap && out.sat_bits == 0;
  return !(truncates || out.frac() >= in.frac()) || !wraps;
}

LayerPath layer_path(const ir::Graph& graph, const ir::Node& node) {
  using K = ir::OpKind;
  switch (node.op) {
    case K::kInput:
    case K::kFlatten:
    case K::kReshape:
      return {};
    case K::kDense:
      return dense_path(graph, node);
    case K::kRelu:
    case K::kClip:
      return elementwise_path(node, true);
    case K::kQuantize:
      return elementwise_path(node, quantize_needs_logic(graph, node));
    default:
      throw Error(ErrorKind::kUnsupported,
                  "no Verilog cost model for " + std::string(ir::op_name(node.op)),
                  {.node = node.name});
  }
}

// Packs `levels` after `start` into stages of `budget` ns: a register goes where the next level
// would overrun the stage, as the writer's pipeliner places them.
Ready pack(Ready at, const std::vector<double>& levels, double budget) {
  for (double d : levels) {
    if (at.ns > 0 && at.ns + d > budget) {
      ++at.stage;
      at.ns = 0;
    }
    at.ns += d;
  }
  return at;
}

}  // namespace

VerilogEstimate estimate_verilog(const ir::Graph& graph) {
  VerilogEstimate e;
  e.clock_period_ns = graph.settings.clock_period_ns;
  const double budget = e.clock_period_ns * (1.0 - kUncertainty);
  std::map<std::string, Ready> ready;
  Ready last;
  for (const ir::Node& node : graph.nodes) {
    LayerPath p = layer_path(graph, node);
    Ready start;
    for (const std::string& input : node.inputs) {
      const Ready& r = ready.at(input);
      if (r.stage > start.stage || (r.stage == start.stage && r.ns > start.ns)) start = r;
    }
    for (double d : p.levels) p.e.delay_ns += d;
    ready[node.name] = pack(start, p.levels, budget);
    if (graph.is_output(node.name) && ready[node.name].stage >= last.stage) last = ready[node.name];
    p.e.layer = node.name;
    p.e.op = ir::op_name(node.op);
    e.lut += p.e.lut;
    e.carry4 += p.e.carry4;
    e.layers.push_back(std::move(p.e));
  }
  // The output register closes the last stage.
  e.latency_cycles = last.stage + 1;
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
                      {"carry4", l.carry4},
                      {"delay_ns", l.delay_ns}});
  }
  return {{"clock_period_ns", e.clock_period_ns},
          {"lut", e.lut},
          {"carry4", e.carry4},
          {"latency_cycles", e.latency_cycles},
          {"layers", layers}};
}

}  // namespace nnfpga::estimate
