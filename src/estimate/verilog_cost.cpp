// estimate_verilog: the adders of the graphs the Verilog writer builds (optimize_cmvm), each one
// LUT per output bit, scheduled into clock stages by the rule the writer's pipeliner follows (a net
// joins the stage of its latest operand unless its delay would overrun the stage). The formulas and
// their measured error against Yosys: docs/estimates.md, "Verilog backend".
#include "estimate/verilog_cost.hpp"

#include <algorithm>
#include <map>

#include "arith/adder_graph.hpp"
#include "arith/cmvm.hpp"
#include "arith/delay.hpp"
#include "arith/value_ranges.hpp"
#include "fixed/fixed_type.hpp"
#include "ir/geometry.hpp"
#include "ir/op_table.hpp"
#include "linear/dense_operands.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::estimate {
namespace {

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
int signed_width(arith::IntRange r) {
  int w = 1;
  while (r.lo < -(static_cast<__int128>(1) << (w - 1)) ||
         r.hi > (static_cast<__int128>(1) << (w - 1)) - 1) {
    ++w;
  }
  return w;
}

// An adder's LUTs: one per output bit (the XOR feeding the carry chain), except the low
// `passed` bits, which only one operand has (the other is shifted past them): those are wiring.
std::int64_t adder_luts(int width, int passed) {
  return std::max(1, width - passed);
}

// ±x + b: a carry-chain bit needs a LUT (an inverter) only where x's bit is inverted, which is
// where b's bit is 1 for x + b and 0 for b - x; elsewhere the chain takes x's bit directly.
std::int64_t constant_adder_luts(int width, __int128 b, bool negate) {
  int ones = 0;
  for (int i = 0; i < width; ++i) ones += static_cast<int>((b >> std::min(i, 126)) & 1);
  return std::max(1, negate ? width - ones : ones);
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
    s.ready = after(s.ready, arith::adder_ns(to.width + 1), budget);
    s.e.adders = count;
    s.e.adder_bits = count * (to.width + 1);
  }
  if (saturates) s.ready = after(s.ready, arith::kMuxNs, budget);
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

arith::ConstantMatrix weight_matrix(const ir::Node& node, std::int64_t n_in, std::int64_t n_out) {
  const std::vector<std::int64_t>& w = node.qparam("weight").mantissa;
  arith::ConstantMatrix m(static_cast<std::size_t>(n_in));
  for (std::int64_t i = 0; i < n_in; ++i) {
    m[i].assign(w.begin() + i * n_out, w.begin() + (i + 1) * n_out);
  }
  return m;
}

// One row of a Dense: the adder graph of the weights, then per output its shift into accum_t
// and the bias, as emit_dense writes them.
Scheduled dense_row(const ir::Graph& graph, const ir::Node& node, Ready start, double budget) {
  Scheduled s;
  const ir::DenseGeometry geometry = ir::dense_geometry(node);
  const std::int64_t n_in = geometry.n_in;
  const std::int64_t n_out = geometry.n_out;
  const fixed::FixedType& x_t = graph.at(node.inputs.at(0)).type("result");
  // The writer's graph: optimize_cmvm with the inputs' ranges (emit_dense.cpp), its wires sized
  // by the exact ranges of value_ranges (arith.cpp): the widths, and so the delays, are the
  // writer's.
  const std::vector<arith::IntRange> inputs(static_cast<std::size_t>(n_in),
                                            {fixed::min_mantissa(x_t), fixed::max_mantissa(x_t)});
  arith::CmvmOptions options;
  options.input_ranges = inputs;
  const arith::AdderGraph g = arith::optimize_cmvm(weight_matrix(node, n_in, n_out), options);
  const std::vector<arith::IntRange> range = arith::value_ranges(g, inputs).sources;
  std::vector<Ready> ready(static_cast<std::size_t>(n_in), start);
  for (std::size_t k = 0; k < g.adders.size(); ++k) {
    const arith::Adder& add = g.adders[k];
    const int width = signed_width(range.at(static_cast<std::size_t>(n_in) + k));
    const Ready operands = later(ready.at(add.a.source), ready.at(add.b.source));
    ready.push_back(after(operands, arith::adder_ns(width), budget));
    s.e.adder_bits += width;
    s.e.lut += adder_luts(width, std::abs(add.b.shift - add.a.shift));
  }
  s.e.adders = static_cast<std::int64_t>(g.adders.size());
  const fixed::FixedType& acc = node.type("accum");
  const int k = x_t.frac() + node.type("weight").frac() - acc.frac();
  const linear::DenseOperands ops = linear::dense_operands(node, x_t);
  s.ready = start;
  for (std::int64_t j = 0; j < n_out; ++j) {
    const std::optional<arith::Term>& t = g.outputs.at(static_cast<std::size_t>(j));
    if (!t) continue;
    // The output in accum_t's units (k < 0: a shift left), plus the bias there.
    arith::IntRange r = arith::term_range(*t, range.at(t->source));
    if (k < 0)
      r = {r.lo * (static_cast<__int128>(1) << -k), r.hi * (static_cast<__int128>(1) << -k)};
    // The bias as the writer adds it: cast into accum_t (the linear core's operands).
    const __int128 b = fixed::mantissa_value(ops.bias_in_accum[static_cast<std::size_t>(j)], acc);
    r = {r.lo + std::min<__int128>(b, 0), r.hi + std::max<__int128>(b, 0)};
    const int width = signed_width(r);
    Ready out = ready.at(t->source);
    // A bias, a negation or a shift is one more net (arith.cpp's sum_terms).
    if (b != 0 || t->negate || t->shift != k) {
      out = after(out, arith::adder_ns(width), budget);
      if (b != 0 || t->negate) {
        ++s.e.adders;
        s.e.adder_bits += width;
        s.e.lut += constant_adder_luts(width, b, t->negate);
      }
    }
    s.ready = later(s.ready, out);
  }
  return s;
}

Scheduled dense_layer(const ir::Graph& graph, const ir::Node& node, Ready start, double budget) {
  const std::int64_t positions = ir::dense_geometry(node).positions;
  Scheduled s = dense_row(graph, node, start, budget);
  s.e.adders *= positions;
  s.e.adder_bits *= positions;
  s.e.lut *= positions;
  add_cast(s, node.type("accum"), node.type("result"), ir::element_count(node.output_shape),
           budget);
  return s;
}

// ReLU: a multiplexer level (the input's sign bit selects the value or 0; arith.cpp's
// clamp_signal), one LUT per output bit, except when every consumer is a Dense: then each bit's
// select is one more input of the consumer's adder LUTs (Yosys/ABC merge them), and costs none.
Scheduled relu_layer(const ir::Graph& graph, const ir::Node& node, Ready start, double budget) {
  Scheduled s;
  const std::vector<const ir::Node*> users = graph.consumers(node.name);
  const bool absorbed = !users.empty() && !graph.is_output(node.name) &&
                        std::all_of(users.begin(), users.end(),
                                    [](const ir::Node* u) { return u->op == ir::OpKind::kDense; });
  s.e.lut = absorbed ? 0 : ir::element_count(node.output_shape) * node.type("result").width;
  s.ready = after(start, arith::kMuxNs, budget);
  return s;
}

Scheduled schedule_layer(const ir::Graph& graph, const ir::Node& node, Ready start, double budget) {
  using K = ir::OpKind;
  switch (node.op) {
    case K::kInput:
    case K::kFlatten:
    case K::kReshape:
      return {{}, start};
    case K::kDense:
      return dense_layer(graph, node, start, budget);
    case K::kRelu:
      return relu_layer(graph, node, start, budget);
    case K::kQuantize: {
      Scheduled s{{}, start};
      add_cast(s, graph.at(node.inputs.at(0)).type("result"), node.type("result"),
               ir::element_count(node.output_shape), budget);
      return s;
    }
    // No Verilog cost model yet: the estimate says so by name.
    case K::kConstant:
    case K::kMatMul:
    case K::kAddConstant:
    case K::kSubConstant:
    case K::kMulConstant:
    case K::kDivConstant:
    case K::kLeakyRelu:
    case K::kClip:
    case K::kSigmoid:
    case K::kTanh:
    case K::kSoftmax:
    case K::kBatchNorm:
    case K::kAdd:
    case K::kSubtract:
    case K::kMultiply:
    case K::kAverage:
    case K::kMaximum:
    case K::kMinimum:
    case K::kConcatenate:
    case K::kPRelu:
    case K::kElu:
    case K::kSoftsign:
    case K::kSoftplus:
    case K::kHardSigmoid:
    case K::kIdentity:
    case K::kDropout:
    case K::kThreshold:
      break;
  }
  throw Error(ErrorKind::kUnsupported,
              "no Verilog cost model for " + std::string(ir::op_name(node.op)),
              {.node = node.name});
}

}  // namespace

VerilogEstimate estimate_verilog(const ir::Graph& graph) {
  VerilogEstimate e;
  e.clock_period_ns = graph.settings.clock_period_ns;
  const double budget = arith::stage_budget_ns(e.clock_period_ns);
  std::map<std::string, Ready> ready;
  std::int64_t last_stage = 0;
  for (const ir::Node& node : graph.nodes) {
    Ready start;
    for (const std::string& input : node.inputs) start = later(start, ready.at(input));
    Scheduled s = schedule_layer(graph, node, start, budget);
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
