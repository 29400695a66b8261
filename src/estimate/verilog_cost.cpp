// estimate_verilog: the adders of the graphs the Verilog writer builds (optimize_cmvm), each one
// LUT per output bit, scheduled into clock stages by the rule the writer's pipeliner follows (a net
// joins the stage of its latest operand unless its delay would overrun the stage). The formulas and
// their measured error against Yosys: docs/estimates.md, "Verilog backend".
#include "estimate/verilog_cost.hpp"

#include <algorithm>
#include <map>

#include "backend/verilog/adder_graph.hpp"
#include "backend/verilog/cmvm.hpp"
#include "backend/verilog/delay.hpp"
#include "backend/verilog/value_ranges.hpp"
#include "fixed/fixed_type.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::estimate {
namespace {

namespace rtl = backend::verilog;

// Where a value becomes ready: after `stage` registers and `ns` into the next stage.
struct Ready {
  std::int64_t stage = 0;
  double ns = 0;
};

Ready later(Ready a, Ready b) {
  if (a.stage != b.stage) return a.stage > b.stage ? a : b;
  return {a.stage, std::max(a.ns, b.ns)};
}

// A net of `delay` after `at`: into the next stage when it would overrun this one (netlist.cpp).
Ready after(Ready at, double delay, double budget) {
  if (at.ns > 0 && at.ns + delay > budget) at = {at.stage + 1, 0.0};
  at.ns += delay;
  return at;
}

// The signed width the writer gives a sum in [lo, hi] (arith.cpp's signed_bits).
int signed_width(rtl::IntRange r) {
  int w = 1;
  while (r.lo < -(static_cast<__int128>(1) << (w - 1)) ||
         r.hi > (static_cast<__int128>(1) << (w - 1)) - 1) {
    ++w;
  }
  return w;
}

struct Scheduled {
  VerilogLayerEstimate e;
  Ready ready;
};

// A cast that rounds is an adder of the result's width; one that saturates, a mux level after
// it; one that does neither is wiring (cast_rtl.cpp). Per element of `count`.
Scheduled cast_cost(const fixed::FixedType& from, const fixed::FixedType& to, std::int64_t count,
                    Ready start, double budget) {
  Scheduled s{{}, start};
  const bool rounds = to.frac() < from.frac() && to.quant != fixed::Quantization::kTrn;
  const bool saturates = to.overflow != fixed::Overflow::kWrap || to.sat_bits != 0;
  if (rounds) {
    s.ready = after(s.ready, rtl::adder_ns(to.width + 1), budget);
    s.e.adders = count;
    s.e.adder_bits = count * (to.width + 1);
  }
  if (saturates) s.ready = after(s.ready, rtl::kMuxNs, budget);
  s.e.lut = s.e.adder_bits + (saturates ? count * to.width : 0);
  return s;
}

void add_cast(Scheduled& s, const fixed::FixedType& from, const fixed::FixedType& to,
              std::int64_t count, double budget) {
  if (from == to) return;
  const Scheduled c = cast_cost(from, to, count, s.ready, budget);
  s.e.adders += c.e.adders;
  s.e.adder_bits += c.e.adder_bits;
  s.e.lut += c.e.lut;
  s.ready = c.ready;
}

// Bias j as a code of accum_t (exact when accum_t has the bias's fraction bits, as the
// accumulator rule gives).
__int128 bias_in_accum(const ir::Node& node, std::int64_t j) {
  const ir::QuantizedTensor& bias = node.qparam("bias");
  const int shift = node.type("accum").frac() - bias.type.frac();
  const __int128 m = bias.mantissa.at(static_cast<std::size_t>(j));
  return shift >= 0 ? m * (static_cast<__int128>(1) << shift) : m >> -shift;
}

rtl::ConstantMatrix weight_matrix(const ir::Node& node, std::int64_t n_in, std::int64_t n_out) {
  const std::vector<std::int64_t>& w = node.qparam("weight").mantissa;
  rtl::ConstantMatrix m(static_cast<std::size_t>(n_in));
  for (std::int64_t i = 0; i < n_in; ++i) {
    m[i].assign(w.begin() + i * n_out, w.begin() + (i + 1) * n_out);
  }
  return m;
}

// One row of a Dense: the adder graph of the weights, then per output its shift into accum_t
// and the bias, as emit_dense writes them.
Scheduled dense_row(const ir::Graph& graph, const ir::Node& node, Ready start, double budget) {
  Scheduled s;
  const std::int64_t n_in = node.input_shapes.at(0).back();
  const std::int64_t n_out = node.output_shape.back();
  const fixed::FixedType& x_t = graph.at(node.inputs.at(0)).type("result");
  // Ranges by interval arithmetic, as the writer sizes its wires (arith.cpp), not the exact
  // ranges of value_ranges: the widths, and so the delays, are the writer's.
  std::vector<rtl::IntRange> range(static_cast<std::size_t>(n_in),
                                   {fixed::min_mantissa(x_t), fixed::max_mantissa(x_t)});
  // The writer's graph: optimize_cmvm with the inputs' ranges (emit_dense.cpp).
  rtl::CmvmOptions options;
  options.input_ranges = range;
  const rtl::AdderGraph g = rtl::optimize_cmvm(weight_matrix(node, n_in, n_out), options);
  std::vector<Ready> ready(static_cast<std::size_t>(n_in), start);
  for (std::size_t k = 0; k < g.adders.size(); ++k) {
    const rtl::Adder& add = g.adders[k];
    const rtl::IntRange a = rtl::term_range(add.a, range.at(add.a.source));
    const rtl::IntRange b = rtl::term_range(add.b, range.at(add.b.source));
    range.push_back({a.lo + b.lo, a.hi + b.hi});
    const int width = signed_width(range.back());
    const Ready operands = later(ready.at(add.a.source), ready.at(add.b.source));
    ready.push_back(after(operands, rtl::adder_ns(width), budget));
    s.e.adder_bits += width;
  }
  s.e.adders = static_cast<std::int64_t>(g.adders.size());
  const fixed::FixedType& acc = node.type("accum");
  const int k = x_t.frac() + node.type("weight").frac() - acc.frac();
  const bool has_bias = node.qparams.count("bias") != 0;
  s.ready = start;
  for (std::int64_t j = 0; j < n_out; ++j) {
    const std::optional<rtl::Term>& t = g.outputs.at(static_cast<std::size_t>(j));
    if (!t) continue;
    // The output in accum_t's units (k < 0: a shift left), plus the bias there.
    rtl::IntRange r = rtl::term_range(*t, range.at(t->source));
    if (k < 0)
      r = {r.lo * (static_cast<__int128>(1) << -k), r.hi * (static_cast<__int128>(1) << -k)};
    const __int128 b = has_bias ? bias_in_accum(node, j) : 0;
    r = {r.lo + std::min<__int128>(b, 0), r.hi + std::max<__int128>(b, 0)};
    const int width = signed_width(r);
    Ready out = ready.at(t->source);
    // A bias, a negation or a shift is one more net (arith.cpp's sum_terms).
    if (b != 0 || t->negate || t->shift != k) {
      out = after(out, rtl::adder_ns(width), budget);
      if (b != 0 || t->negate) {
        ++s.e.adders;
        s.e.adder_bits += width;
      }
    }
    s.ready = later(s.ready, out);
  }
  s.e.lut = s.e.adder_bits;  // one LUT per adder bit: the XOR feeding the carry chain
  return s;
}

Scheduled dense_layer(const ir::Graph& graph, const ir::Node& node, Ready start, double budget) {
  const std::int64_t rows =
      ir::element_count(node.input_shapes.at(0)) / node.input_shapes.at(0).back();
  Scheduled s = dense_row(graph, node, start, budget);
  s.e.adders *= rows;
  s.e.adder_bits *= rows;
  s.e.lut *= rows;
  add_cast(s, node.type("accum"), node.type("result"), ir::element_count(node.output_shape),
           budget);
  return s;
}

// ReLU: one LUT per output bit (the sign selects the value or 0).
// The comparison with 0 spans the input's width (emit_activation.cpp's clamp_one).
Scheduled relu_layer(const ir::Node& node, int input_width, Ready start, double budget) {
  Scheduled s;
  s.e.lut = ir::element_count(node.output_shape) * node.type("result").width;
  s.ready = after(start, rtl::adder_ns(input_width) + rtl::kMuxNs, budget);
  return s;
}

Scheduled schedule_layer(const ir::Graph& graph, const ir::Node& node, Ready start, int input_width,
                         double budget) {
  using K = ir::OpKind;
  switch (node.op) {
    case K::kInput:
    case K::kFlatten:
    case K::kReshape:
      return {{}, start};
    case K::kDense:
      return dense_layer(graph, node, start, budget);
    case K::kRelu:
      return relu_layer(node, input_width, start, budget);
    case K::kQuantize: {
      Scheduled s{{}, start};
      add_cast(s, graph.at(node.inputs.at(0)).type("result"), node.type("result"),
               ir::element_count(node.output_shape), budget);
      return s;
    }
    default:
      throw Error(ErrorKind::kUnsupported,
                  "no Verilog cost model for " + std::string(ir::op_name(node.op)),
                  {.node = node.name});
  }
}

}  // namespace

VerilogEstimate estimate_verilog(const ir::Graph& graph) {
  VerilogEstimate e;
  e.clock_period_ns = graph.settings.clock_period_ns;
  const double budget = rtl::stage_budget_ns(e.clock_period_ns);
  std::map<std::string, Ready> ready;
  std::int64_t last_stage = 0;
  for (const ir::Node& node : graph.nodes) {
    Ready start;
    for (const std::string& input : node.inputs) start = later(start, ready.at(input));
    // A layer reads its input from a port as wide as the input's type (project_writer.cpp).
    const int input_width =
        node.inputs.empty() ? 0 : graph.at(node.inputs.front()).type("result").width;
    Scheduled s = schedule_layer(graph, node, start, input_width, budget);
    // The writer registers the graph's outputs (project_writer.cpp).
    if (graph.is_output(node.name)) last_stage = std::max(last_stage, s.ready.stage + 1);
    ready[node.name] = s.ready;
    s.e.layer = node.name;
    s.e.op = ir::op_name(node.op);
    e.lut += s.e.lut;
    e.layers.push_back(std::move(s.e));
  }
  e.latency_cycles = last_stage;
  return e;
}

nlohmann::json to_json(const VerilogEstimate& e) {
  nlohmann::json layers = nlohmann::json::array();
  for (const VerilogLayerEstimate& l : e.layers) {
    layers.push_back({{"layer", l.layer},
                      {"op", l.op},
                      {"adders", l.adders},
                      {"adder_bits", l.adder_bits},
                      {"lut", l.lut}});
  }
  return {{"clock_period_ns", e.clock_period_ns},
          {"lut", e.lut},
          {"latency_cycles", e.latency_cycles},
          {"layers", layers}};
}

}  // namespace nnfpga::estimate
