// Verilator equivalence of the table functions (ROMs) and the merge layers: each model branches
// one input into several layers and concatenates them, so one build covers a whole family.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "../emulate/graph_builder.hpp"
#include "backend/verilog/project.hpp"
#include "backend/verilog/rtlsim.hpp"
#include "bench_util.hpp"

namespace nnfpga::backend::verilog {
namespace {

using emulate::testing::GraphBuilder;
using emulate::testing::normal;
using fixed::make_fixed;
using fixed::Overflow;
using fixed::Quantization;

ir::Node layer(const std::string& name, ir::OpKind op, std::vector<std::string> inputs,
               const ir::Graph& g, fixed::FixedType result) {
  ir::Node n;
  n.name = name;
  n.op = op;
  for (const std::string& in : inputs) n.input_shapes.push_back(g.at(in).output_shape);
  n.inputs = std::move(inputs);
  n.output_shape = n.input_shapes.front();
  n.types["result"] = result;
  return n;
}

// Concatenates `parts` (each of shape {n}) into the graph's output.
void concatenate(ir::Graph& g, const std::vector<std::string>& parts, fixed::FixedType result) {
  ir::Node c = layer("concat", ir::OpKind::kConcatenate, parts, g, result);
  c.output_shape = {0};
  for (const ir::Shape& s : c.input_shapes) c.output_shape[0] += s.back();
  g.nodes.push_back(c);
  g.outputs = {"concat"};
}

void expect_equivalent(ir::Graph g, const std::string& name) {
  g.name = name;
  const std::filesystem::path dir = testing::scratch_dir(name);
  const Project p = write_project(g, dir.string());
  const RtlsimReport r = run_rtlsim(dir.string(), {.samples = 2000, .seed = 9});
  EXPECT_EQ(r.differing, 0) << r.first_difference;
  EXPECT_EQ(r.late_or_early, 0);
  EXPECT_EQ(r.missing, 0);
  EXPECT_EQ(r.latency_cycles, p.latency_cycles);
}

TEST(TableRtl, EveryTableFunctionHoldsTheEmulatorsEntries) {
  NNFPGA_REQUIRE_VERILATOR();
  ir::Graph g =
      GraphBuilder({4}, make_fixed(12, 5, true, Quantization::kRnd, Overflow::kSat)).build();
  const auto result = make_fixed(10, 3, true, Quantization::kRnd, Overflow::kSat);
  std::vector<std::string> parts;
  int size_log2 = 3;  // 8, 16, ... 128 entries: small ROMs keep the build short
  for (ir::OpKind op : {ir::OpKind::kSigmoid, ir::OpKind::kTanh, ir::OpKind::kSoftsign,
                        ir::OpKind::kSoftplus, ir::OpKind::kElu}) {
    ir::Node n = layer(fmt::format("f{}", parts.size()), op, {"x"}, g, result);
    n.settings.table_size = 1 << size_log2;
    size_log2 += 1;
    n.types["table"] = make_fixed(9, 2, true, Quantization::kRndConv, Overflow::kSat);
    if (op == ir::OpKind::kElu) n.attrs.set("alpha", 0.7);
    parts.push_back(n.name);
    g.nodes.push_back(n);
  }
  concatenate(g, parts, make_fixed(8, 2, true, Quantization::kTrn, Overflow::kSat));
  expect_equivalent(g, "tables");
}

TEST(MergeRtl, EveryMergeOfTwoDenseBranches) {
  NNFPGA_REQUIRE_VERILATOR();
  std::mt19937_64 rng(12);
  const auto t = make_fixed(8, 3);
  ir::Graph g = GraphBuilder({3}, t)
                    .dense(3, normal(9, 1.0, rng), normal(3, 0.5, rng), make_fixed(6, 1),
                           make_fixed(6, 2), make_fixed(20, 8), make_fixed(8, 3))
                    .build();
  GraphBuilder b({3}, t);
  ir::Graph g2 =
      b.dense(3, normal(9, 1.0, rng), normal(3, 0.5, rng), make_fixed(6, 1), make_fixed(6, 2),
              make_fixed(20, 8), make_fixed(7, 2, false, Quantization::kRnd, Overflow::kSat))
          .build();
  ir::Node second = g2.nodes.back();
  second.name = "dense_b";
  g.nodes.push_back(second);
  const auto result = make_fixed(9, 4, true, Quantization::kRndConv, Overflow::kSat);
  std::vector<std::string> parts;
  for (ir::OpKind op : {ir::OpKind::kAdd, ir::OpKind::kSubtract, ir::OpKind::kMultiply,
                        ir::OpKind::kAverage, ir::OpKind::kMaximum, ir::OpKind::kMinimum}) {
    const ir::Node n =
        layer(fmt::format("m{}", parts.size()), op, {"dense1", "dense_b"}, g, result);
    parts.push_back(n.name);
    g.nodes.push_back(n);
  }
  concatenate(g, parts, make_fixed(10, 4, true, Quantization::kTrn, Overflow::kWrap));
  expect_equivalent(g, "merges");
}

TEST(SoftmaxRtl, SoftmaxPReluHardSigmoidAndThresholdBranches) {
  NNFPGA_REQUIRE_VERILATOR();
  ir::Graph g =
      GraphBuilder({5}, make_fixed(10, 4, true, Quantization::kRnd, Overflow::kSat)).build();
  const auto param = make_fixed(8, 1, true, Quantization::kRnd);
  ir::Node sm = layer("soft", ir::OpKind::kSoftmax, {"x"}, g,
                      make_fixed(10, 1, false, Quantization::kRnd, Overflow::kSat));
  sm.settings.table_size = 64;
  sm.types["table"] = make_fixed(12, 2, false, Quantization::kRnd, Overflow::kSat);
  // A narrow, rounding, saturating accum_t: the chain of casts must follow index order.
  sm.types["accum"] = make_fixed(9, 3, false, Quantization::kRndConv, Overflow::kSat);
  g.nodes.push_back(sm);
  ir::Node pr = layer("prelu", ir::OpKind::kPRelu, {"x"}, g,
                      make_fixed(9, 3, true, Quantization::kRnd, Overflow::kSat));
  pr.params["alpha"] = ir::Tensor{{5}, {0.25, -0.5, 0.3, 0.0, 1.7}};
  pr.types["param"] = param;
  pr.qparams["alpha"] = emulate::testing::quantize({0.25, -0.5, 0.3, 0.0, 1.7}, param);
  g.nodes.push_back(pr);
  ir::Node hs = layer("hsig", ir::OpKind::kHardSigmoid, {"x"}, g,
                      make_fixed(8, 1, false, Quantization::kRndZero, Overflow::kSat));
  hs.attrs.set("slope", 0.2);
  hs.attrs.set("offset", 0.5);
  hs.types["param"] = param;
  hs.qparams["slope"] = emulate::testing::quantize({0.2}, param);
  hs.qparams["offset"] = emulate::testing::quantize({0.5}, param);
  g.nodes.push_back(hs);
  ir::Node th = layer("thr", ir::OpKind::kThreshold, {"x"}, g, make_fixed(4, 3));
  th.attrs.set("thresholds", std::vector<double>{-100, -0.5, -0.5, 0.33, 20});
  th.attrs.set("strict", std::vector<std::int64_t>{0, 0, 1, 0, 0});
  th.attrs.set("values", std::vector<double>{-3, -2, -1, 0, 1, 2});
  g.nodes.push_back(th);
  concatenate(g, {"soft", "prelu", "hsig", "thr"},
              make_fixed(10, 3, true, Quantization::kTrn, Overflow::kWrap));
  expect_equivalent(g, "softmax_param");
}

}  // namespace
}  // namespace nnfpga::backend::verilog
