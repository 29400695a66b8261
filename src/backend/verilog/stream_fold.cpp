// build_folded_product and its text (stream_fold.hpp). The pipeline from the window register's
// load (cycle 0) on: cycle 1 + c reads phase c's weights from the ROM and its operands from the
// window into registers; the lane products (a netlist, pipelined by the delay model) cast each
// product into accum_t as the emulator does; a slot register gives each output its products of
// the phase in input order (0 for an idle slot: cast(acc + 0) = acc); the accumulators take
// acc_in = (phase 0 ? bias : acc) through the step netlist once per phase; after the last phase
// the result netlist casts them to result_t.
#include "backend/verilog/stream_fold.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>

#include "arith/delay.hpp"
#include "backend/verilog/arith.hpp"
#include "backend/verilog/cast_rtl.hpp"
#include "backend/verilog/emitter.hpp"
#include "linear/dense_operands.hpp"
#include "linear/sum_ranges.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

// Bits to hold every value in [0, n].
int fold_bits_for(std::int64_t n) {
  int b = 1;
  while ((std::int64_t{1} << b) <= n) ++b;
  return b;
}

std::int64_t fold_ceil_div(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

// Product p = i * F + j of the window runs on lane p mod M in phase p / M. The lane of slot s of
// output j in phase c, or -1 when that slot is idle.
std::int64_t slot_lane(const FoldedProduct& f, std::int64_t c, std::int64_t j, std::int64_t s) {
  const std::int64_t first = c * f.lanes;
  const std::int64_t offset = ((j - first) % f.n_out + f.n_out) % f.n_out;
  const std::int64_t lane = offset + s * f.n_out;
  if (lane >= f.lanes || first + lane >= f.n_in * f.n_out) return -1;
  return lane;
}

// The window element lane m multiplies in phase c, or -1 past the last product.
std::int64_t lane_input(const FoldedProduct& f, std::int64_t c, std::int64_t m) {
  const std::int64_t p = c * f.lanes + m;
  return p < f.n_in * f.n_out ? p / f.n_out : -1;
}

std::int64_t lane_weight(const FoldedProduct& f, std::int64_t c, std::int64_t m) {
  const std::int64_t p = c * f.lanes + m;
  return p < f.n_in * f.n_out ? f.weights[static_cast<std::size_t>(p)] : 0;
}

// The lanes grouped by the sequence of window elements they read, phase by phase.
struct OperandGroups {
  std::int64_t sources = 0;
  std::vector<std::int64_t> of_lane;     // [lane]: its group
  std::vector<std::int64_t> first_lane;  // [group]: a lane of it
};

OperandGroups operand_groups(const FoldedProduct& f) {
  OperandGroups g;
  std::map<std::vector<std::int64_t>, std::int64_t> seen;
  for (std::int64_t k = 0; k < f.lanes; ++k) {
    std::vector<std::int64_t> sequence;
    for (std::int64_t c = 0; c < f.reuse; ++c) sequence.push_back(lane_input(f, c, k));
    const auto [it, added] = seen.emplace(std::move(sequence), g.sources);
    if (added) {
      g.first_lane.push_back(k);
      ++g.sources;
    }
    g.of_lane.push_back(it->second);
  }
  return g;
}

void build_lane_products(FoldedProduct& f) {
  Netlist& nl = f.lane_products;
  const auto m = static_cast<int>(f.lanes);
  nl.add_input_port("in_data0", m * f.x_t.width);
  nl.add_input_port("in_data1", m * f.w_t.width);
  const int fp = f.x_t.frac() + f.w_t.frac();
  std::vector<NetId> outs;
  for (int k = 0; k < m; ++k) {
    const Signal x =
        code_signal(nl.slice("in_data0", k * f.x_t.width, f.x_t.width, f.x_t.is_signed), f.x_t);
    const Signal w =
        code_signal(nl.slice("in_data1", k * f.w_t.width, f.w_t.width, f.w_t.is_signed), f.w_t);
    const Signal p = multiply_signals(nl, x, w);
    outs.push_back(emit_cast(nl, {p.net, fp}, f.acc_t, "pacc"));
  }
  f.lanes_latency = nl.set_outputs(outs, f.acc_t.width, true).stage;
}

// The loop: acc_in and the slots to the accumulators after one phase. In order, one cast per
// product; order-free, one sum and a wrap into accum_t's bits (exact: see stream_fold.hpp).
void build_step(FoldedProduct& f) {
  Netlist& nl = f.step;
  const int aw = f.acc_t.width;
  const int fa = f.acc_t.frac();
  nl.add_input_port("in_data0", static_cast<int>(f.n_out) * aw);
  nl.add_input_port("in_data1", static_cast<int>(f.n_out * f.slots) * aw);
  const fixed::FixedType wrap_t =
      fixed::make_fixed(f.acc_t.width, f.acc_t.integer, f.acc_t.is_signed);
  std::vector<NetId> outs;
  for (std::int64_t j = 0; j < f.n_out; ++j) {
    Signal acc =
        code_signal(nl.slice("in_data0", static_cast<int>(j) * aw, aw, f.acc_t.is_signed), f.acc_t);
    std::vector<ShiftedTerm> terms{{acc, 0, false}};
    for (std::int64_t s = 0; s < f.slots; ++s) {
      const Signal p = code_signal(
          nl.slice("in_data1", static_cast<int>(j * f.slots + s) * aw, aw, f.acc_t.is_signed),
          f.acc_t);
      if (!f.in_order) {
        terms.push_back({p, 0, false});
        continue;
      }
      const Signal sum = sum_terms(nl, {{acc, 0, false}, {p, 0, false}}, "sum");
      acc = code_signal(emit_cast(nl, {sum.net, fa}, f.acc_t, "acc"), f.acc_t);
    }
    if (f.in_order) {
      outs.push_back(acc.net);
    } else {
      const Signal sum = sum_terms(nl, terms, "sum");
      outs.push_back(emit_cast(nl, {sum.net, fa}, wrap_t, "acc"));
    }
  }
  f.step_ns = nl.set_outputs(outs, aw, false).time + arith::kMuxNs;
}

void build_result(FoldedProduct& f) {
  Netlist& nl = f.result;
  const int aw = f.acc_t.width;
  nl.add_input_port("in_data0", static_cast<int>(f.n_out) * aw);
  std::vector<NetId> outs;
  for (std::int64_t j = 0; j < f.n_out; ++j) {
    const NetId a = nl.slice("in_data0", static_cast<int>(j) * aw, aw, f.acc_t.is_signed);
    outs.push_back(emit_cast(nl, {a, f.acc_t.frac()}, f.y_t, "y"));
  }
  f.result_latency = nl.set_outputs(outs, f.y_t.width, true).stage;
}

// "c0, c3" for the phases of one case arm.
std::string phase_list(const std::vector<std::int64_t>& phases, int bits) {
  std::string t;
  for (std::int64_t c : phases) t += fmt::format("{}{}'d{}", t.empty() ? "" : ", ", bits, c);
  return t;
}

// A register `target` loaded (while ce) with one source per phase of `ph` (-1: zero), as a case
// whose arms group the phases that read one source.
std::string phase_mux(const std::string& ph, int ph_bits, std::int64_t phases,
                      const std::string& target, int bits,
                      const std::function<std::int64_t(std::int64_t)>& source_of,
                      const std::function<std::string(std::int64_t)>& source_text) {
  std::map<std::int64_t, std::vector<std::int64_t>> arms;
  for (std::int64_t c = 0; c < phases; ++c) {
    const std::int64_t s = source_of(c);
    if (s >= 0) arms[s].push_back(c);
  }
  std::string t = fmt::format("      case ({})\n", ph);
  for (const auto& [s, cs] : arms) {
    t += fmt::format("        {}: {} <= {};\n", phase_list(cs, ph_bits), target, source_text(s));
  }
  return t + fmt::format("        default: {} <= {}'d0;\n      endcase\n", target, bits);
}

}  // namespace

std::int64_t folded_reuse(const ir::Node& node) {
  using K = ir::OpKind;
  if (node.op != K::kConv1D && node.op != K::kConv2D && node.op != K::kDense) return 1;
  return std::max(1, node.settings.reuse_factor);
}

StreamReads folded_reads(StreamReads reads) {
  if (!reads.per_position) return reads;
  reads.per_position = false;
  reads.elements = 1;
  reads.case_taps = {{0}};
  reads.case_of.assign(static_cast<std::size_t>(reads.out_beats), 0);
  reads.case_real = {1};
  reads.buffer_beats = 1;
  return reads;
}

FoldedProduct build_folded_product(const ir::Graph& graph, const ir::Node& pixel,
                                   const fixed::FixedType& x_t, const std::string& module,
                                   IdentifierTable& ids) {
  const double budget = arith::stage_budget_ns(graph.settings.clock_period_ns);
  // The step closes a loop: it cannot be pipelined, so it is built in one stage and checked.
  constexpr double kOneStage = 1e12;
  FoldedProduct f{.lane_products = Netlist(budget, 0.0),
                  .step = Netlist(kOneStage, 0.0),
                  .result = Netlist(budget, 0.0)};
  const linear::DenseOperands ops = linear::dense_operands(pixel, x_t);
  f.reuse = folded_reuse(pixel);
  f.n_in = ops.geometry.n_in;
  f.n_out = ops.geometry.n_out;
  f.lanes = fold_ceil_div(f.n_in * f.n_out, f.reuse);
  f.slots = fold_ceil_div(f.lanes, f.n_out);
  f.x_t = ops.x;
  f.w_t = ops.weight;
  f.acc_t = ops.accum;
  f.y_t = ops.result;
  f.weights.assign(ops.weights.mantissa.begin(), ops.weights.mantissa.end());
  f.bias = ops.bias_in_accum;
  // The linear core's proof (the same as the unrolled Dense's, emit_dense.cpp): order-free when
  // every cast into accum_t is modular or no partial sum can leave it.
  f.in_order = !(linear::is_modular(f.acc_t) || linear::accumulation_is_exact(ops));
  f.module = module;
  f.lanes_module = ids.take(module + "_lanes");
  f.step_module = ids.take(module + "_step");
  f.result_module = ids.take(module + "_result");
  if (f.reuse > f.n_in * f.n_out) {
    throw Error(ErrorKind::kConfig,
                fmt::format("ReuseFactor {} is more than the {} products of one output beat "
                            "({} inputs x {} outputs); at most {} folds it onto one multiplier",
                            f.reuse, f.n_in * f.n_out, f.n_in, f.n_out, f.n_in * f.n_out),
                {.node = pixel.name, .key = "LayerName." + pixel.name + ".ReuseFactor"});
  }
  build_lane_products(f);
  build_step(f);
  build_result(f);
  const std::string key = "LayerName." + pixel.name + ".ReuseFactor";
  if (f.step_ns > budget) {
    throw Error(
        ErrorKind::kUnsupported,
        fmt::format("with ReuseFactor {}, one cycle {} up to {} products per output{}, which takes "
                    "{:.2f} ns where a stage holds {:.2f} ns; raise ReuseFactor, {}or slow the "
                    "clock",
                    f.reuse, f.in_order ? "adds" : "sums", f.slots,
                    f.in_order ? fmt::format(" in order, each cast into accum_t {} (it saturates "
                                             "or rounds, so the order matters)",
                                             fixed::to_string(f.acc_t))
                               : std::string(),
                    f.step_ns, budget, f.in_order ? "make accum_t AP_WRAP or wide enough, " : ""),
        {.node = pixel.name, .key = key});
  }
  // The phase's selections (the weight ROM's word, each operand's and slot's multiplexer over at
  // most R sources) are one stage each: a LUT level per 6 bits of the phase, as a ROM read.
  const double select_ns = arith::rom_ns(fold_bits_for(f.reuse));
  if (select_ns > budget) {
    throw Error(ErrorKind::kUnsupported,
                fmt::format("with ReuseFactor {}, selecting a phase's weights and operands takes "
                            "{:.2f} ns where a stage holds {:.2f} ns; lower ReuseFactor or slow "
                            "the clock",
                            f.reuse, select_ns, budget),
                {.node = pixel.name, .key = key});
  }
  return f;
}

std::string folded_product_text(const FoldedProduct& f) {
  const std::int64_t r = f.reuse, m = f.lanes, n = f.n_out;
  const OperandGroups groups = operand_groups(f);
  const int xw = f.x_t.width, ww = f.w_t.width, aw = f.acc_t.width, yw = f.y_t.width;
  const int pb = fold_bits_for(r);
  const int delays = f.lanes_latency + 2;  // ph_d<k>: the phase k + 1 cycles after ph
  std::string t = f.lane_products.module_text(f.lanes_module, false);
  t += f.step.module_text(f.step_module, false);
  t += f.result.module_text(f.result_module, false);
  t += fmt::format(
      "// The folded product: {} inputs x {} outputs over {} cycles on {} multipliers, weights in\n"
      "// a ROM indexed by the phase; {}.\n",
      f.n_in, n, r, m,
      f.in_order ? "each output's products accumulated in input order, cast by cast"
                 : "order-free (accum_t wraps or holds every partial sum): one sum a cycle");
  t += fmt::format(
      "module {} (\n  input wire clk,\n  input wire rst,\n  input wire ce,\n"
      "  input wire start,\n  output wire free,\n  input wire [{}:0] in_data0,\n"
      "  output wire [{}:0] out_data\n);\n",
      f.module, f.n_in * xw - 1, n * yw - 1);
  // The phase: 0 .. R-1 while computing, R when idle.
  t += fmt::format(
      "  reg [{3}:0] ph;\n  always @(posedge clk) begin\n    if (rst) ph <= {0}'d{1};\n"
      "    else if (ce) begin\n      if (start) ph <= {0}'d0;\n"
      "      else if (ph != {0}'d{1}) ph <= ph + 1'b1;\n    end\n  end\n"
      "  // A new window may start in the last phase of this one.\n"
      "  assign free = ph >= {0}'d{2};\n",
      pb, r, r - 1, pb - 1);
  // The phase and its activity, delayed to each stage.
  for (int k = 0; k < delays; ++k) {
    t += fmt::format("  reg [{}:0] ph_d{};\n  reg act_d{};\n", pb - 1, k, k);
  }
  t += "  always @(posedge clk) begin\n    if (rst) begin\n";
  for (int k = 0; k < delays; ++k) t += fmt::format("      act_d{} <= 1'b0;\n", k);
  t += "    end else if (ce) begin\n";
  for (int k = 0; k < delays; ++k) {
    const std::string from = k == 0 ? "ph" : fmt::format("ph_d{}", k - 1);
    t += fmt::format("      ph_d{} <= {};\n", k, from);
    t += fmt::format("      act_d{} <= {};\n", k,
                     k == 0 ? fmt::format("ph != {}'d{}", pb, r) : fmt::format("act_d{}", k - 1));
  }
  t += "    end\n  end\n";
  // The weight ROM: one word of every lane's weight per phase.
  t += fmt::format("  reg [{}:0] wrom [0:{}];\n  initial begin\n", m * ww - 1, r - 1);
  for (std::int64_t c = 0; c < r; ++c) {
    std::string word;
    for (std::int64_t k = m - 1; k >= 0; --k) {
      word += signed_literal(lane_weight(f, c, k), ww);
      if (k > 0) word += ", ";
    }
    t += fmt::format("    wrom[{}] = {{{}}};\n", c, word);
  }
  t += "  end\n";
  t += fmt::format(
      "  wire [{0}:0] ph_rom = ph == {5}'d{1} ? {5}'d0 : ph;\n"
      "  reg [{2}:0] w_op;\n  wire [{3}:0] x_op;\n  reg [{4}:0] x_src;\n"
      "  always @(posedge clk) begin\n    if (ce) begin\n      w_op <= wrom[ph_rom];\n",
      pb - 1, r, m * ww - 1, m * xw - 1, groups.sources * xw - 1, pb);
  // One multiplexer per distinct sequence of window elements: lanes that read the same element
  // in every phase (every lane when M is a multiple of F, in groups of F) share it.
  for (std::int64_t g = 0; g < groups.sources; ++g) {
    const std::int64_t k = groups.first_lane[static_cast<std::size_t>(g)];
    t += phase_mux(
        "ph", pb, r, fmt::format("x_src[{} +: {}]", g * xw, xw), xw,
        [&](std::int64_t c) { return lane_input(f, c, k); },
        [&](std::int64_t i) { return fmt::format("in_data0[{} +: {}]", i * xw, xw); });
  }
  t += "    end\n  end\n";
  for (std::int64_t k = 0; k < m; ++k) {
    t += fmt::format("  assign x_op[{} +: {}] = x_src[{} +: {}];\n", k * xw, xw,
                     groups.of_lane[static_cast<std::size_t>(k)] * xw, xw);
  }
  t += fmt::format(
      "  wire [{0}:0] prod;\n  {1} lanes (\n    .clk(clk),\n    .ce(ce),\n"
      "    .in_data0(x_op),\n    .in_data1(w_op),\n    .out_data(prod)\n  );\n",
      m * aw - 1, f.lanes_module);
  // Each output's products of the phase, in input order.
  const std::string ph_prod = fmt::format("ph_d{}", f.lanes_latency);
  t += fmt::format("  reg [{}:0] slot;\n  always @(posedge clk) begin\n    if (ce) begin\n",
                   n * f.slots * aw - 1);
  for (std::int64_t j = 0; j < n; ++j) {
    for (std::int64_t s = 0; s < f.slots; ++s) {
      t += phase_mux(
          ph_prod, pb, r, fmt::format("slot[{} +: {}]", (j * f.slots + s) * aw, aw), aw,
          [&](std::int64_t c) { return slot_lane(f, c, j, s); },
          [&](std::int64_t lane) { return fmt::format("prod[{} +: {}]", lane * aw, aw); });
    }
  }
  t += "    end\n  end\n";
  std::string bias;
  for (std::int64_t j = n - 1; j >= 0; --j) {
    bias += signed_literal(f.bias[static_cast<std::size_t>(j)], aw);
    if (j > 0) bias += ", ";
  }
  const std::string ph_acc = fmt::format("ph_d{}", f.lanes_latency + 1);
  t += fmt::format(
      "  // The accumulators: the bias cast into accum_t at phase 0, then one step a phase.\n"
      "  reg [{0}:0] acc;\n  wire [{0}:0] acc_in = {1} == {2}'d0 ? {{{3}}} : acc;\n"
      "  wire [{0}:0] acc_next;\n  {4} step (\n    .clk(clk),\n    .ce(ce),\n"
      "    .in_data0(acc_in),\n    .in_data1(slot),\n    .out_data(acc_next)\n  );\n"
      "  always @(posedge clk) begin\n    if (ce & act_d{5}) acc <= acc_next;\n  end\n"
      "  {6} result (\n    .clk(clk),\n    .ce(ce),\n    .in_data0(acc),\n"
      "    .out_data(out_data)\n  );\nendmodule\n",
      n * aw - 1, ph_acc, pb, bias, f.step_module, f.lanes_latency + 1, f.result_module);
  return t;
}

VerilogLayerEstimate count_folded_product(const ir::Graph& graph, const ir::Node& node,
                                          const FoldedProduct& f) {
  VerilogLayerEstimate e = count_layer_netlist(graph, node, f.lane_products);
  for (const Netlist* nl : {&f.step, &f.result}) {
    const VerilogLayerEstimate part = count_layer_netlist(graph, node, *nl);
    e.adders += part.adders;
    e.adder_bits += part.adder_bits;
    e.lut += part.lut;
    e.dsp += part.dsp;
    e.ff += part.ff;
  }
  const std::int64_t r = f.reuse, m = f.lanes, n = f.n_out;
  const int aw = f.acc_t.width, pb = fold_bits_for(r);
  // The weight ROM: per word bit, a LUT6 per 64 phases (a LUT ROM; Yosys's choice is measured in
  // docs/verilog.md), and the word's register.
  e.lut += m * f.w_t.width * fold_ceil_div(r, 64);
  const OperandGroups groups = operand_groups(f);
  e.ff += m * f.w_t.width + groups.sources * f.x_t.width;
  // Operand and slot multiplexers: a LUT6 per bit per three further sources (a 4:1 multiplexer).
  for (const std::int64_t k : groups.first_lane) {
    std::map<std::int64_t, int> sources;
    for (std::int64_t c = 0; c < r; ++c) sources[lane_input(f, c, k)] = 1;
    e.lut += f.x_t.width * fold_ceil_div(static_cast<std::int64_t>(sources.size()) - 1, 3);
  }
  for (std::int64_t j = 0; j < n; ++j) {
    for (std::int64_t s = 0; s < f.slots; ++s) {
      std::map<std::int64_t, int> sources;
      for (std::int64_t c = 0; c < r; ++c) sources[slot_lane(f, c, j, s)] = 1;
      e.lut += aw * fold_ceil_div(static_cast<std::int64_t>(sources.size()) - 1, 3);
    }
  }
  e.ff += n * f.slots * aw;
  // The accumulators and their phase-0 multiplexer; the phase counter and its delays.
  e.ff += n * aw;
  e.lut += n * aw;
  e.ff += pb * (1 + f.lanes_latency + 2) + f.lanes_latency + 2;
  e.lut += 2 * pb;
  return e;
}

}  // namespace nnfpga::backend::verilog
