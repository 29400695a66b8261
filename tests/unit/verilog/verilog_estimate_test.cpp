// The Verilog estimate against Yosys: small models written by write_project and synthesized by
// rtlsynth's flow; the estimate's LUTs must stay within a stated relative error of Yosys's count
// and its latency must equal the writer's. docs/estimates.md ("Verilog backend") quotes the
// errors this test prints.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

#include "../emulate/graph_builder.hpp"
#include "backend/verilog/project.hpp"
#include "backend/verilog/yosys_synth.hpp"
#include "bench_util.hpp"
#include "estimate/verilog_cost.hpp"

namespace nnfpga::backend::verilog {
namespace {

using emulate::testing::GraphBuilder;
using emulate::testing::normal;
using fixed::make_fixed;
using fixed::Overflow;
using fixed::Quantization;

bool have_yosys() {
  return std::system("yosys -V > /dev/null 2>&1") == 0;
}

// A Dense(n_hidden) -> ReLU -> Dense(n_out) model with `bits`-bit weights and activations.
ir::Graph mlp(int n_in, int n_hidden, int n_out, int bits, unsigned seed) {
  std::mt19937_64 rng(seed);
  const auto w_t = make_fixed(bits, 1);
  const auto acc = make_fixed(24, 10);  // wraps, and no sum reaches it: the products are exact
  ir::Graph g =
      GraphBuilder({n_in}, make_fixed(bits, 3))
          .dense(n_hidden, normal(n_in * n_hidden, 0.4, rng), normal(n_hidden, 0.1, rng), w_t, w_t,
                 acc, acc)
          .unary(ir::OpKind::kRelu, make_fixed(bits, 3, false, Quantization::kTrn, Overflow::kWrap))
          .dense(n_out, normal(n_hidden * n_out, 0.4, rng), normal(n_out, 0.1, rng), w_t, w_t, acc,
                 acc)
          .build();
  g.settings.clock_period_ns = 5.0;
  return g;
}

// `tolerance`: the largest relative LUT error accepted; the measured errors, and why narrow
// models come out high, are in docs/estimates.md.
void expect_close_to_yosys(const ir::Graph& graph, const std::string& name, double tolerance) {
  const std::filesystem::path dir = testing::scratch_dir("estimate_" + name);
  ir::Graph g = graph;
  g.name = name;
  const Project p = write_project(g, dir.string());
  const YosysSynthesis s = synthesize_with_yosys(dir);
  const estimate::VerilogEstimate e = estimate::estimate_verilog(g);
  const double error = static_cast<double>(e.lut - s.stat.lut) / static_cast<double>(s.stat.lut);
  std::cout << name << ": LUT estimate " << e.lut << ", Yosys " << s.stat.lut << " (error "
            << std::lround(100 * error) << " %); latency " << e.latency_cycles
            << " vs the writer's " << p.latency_cycles << " cycles\n";
  EXPECT_LE(std::abs(error), tolerance) << name;
  EXPECT_EQ(e.latency_cycles, p.latency_cycles) << name;
  std::filesystem::remove_all(dir);
}

// The latency needs no synthesis: the writer states it. Many shapes, widths and clocks.
TEST(VerilogEstimate, LatencyEqualsTheWritersOnManyModels) {
  int checked = 0;
  for (unsigned seed = 0; seed < 12; ++seed) {
    const int bits = 4 + static_cast<int>(seed % 5);
    ir::Graph g = mlp(4 + static_cast<int>(seed * 3 % 13), 3 + static_cast<int>(seed * 5 % 11),
                      2 + static_cast<int>(seed % 4), bits, seed);
    g.settings.clock_period_ns = 1.0 + seed * 0.75;
    g.name = "latency" + std::to_string(seed);
    const std::filesystem::path dir = testing::scratch_dir(g.name);
    const Project p = write_project(g, dir.string());
    EXPECT_EQ(estimate::estimate_verilog(g).latency_cycles, p.latency_cycles)
        << g.name << " at " << g.settings.clock_period_ns << " ns";
    std::filesystem::remove_all(dir);
    ++checked;
  }
  EXPECT_EQ(checked, 12);
}

TEST(VerilogEstimate, LutsWithinToleranceOfYosysAndLatencyExact) {
  if (!have_yosys()) GTEST_SKIP() << "yosys is not installed (tools/setup.sh installs it)";
  expect_close_to_yosys(mlp(8, 8, 4, 8, 1), "mlp_8_8_4_w8", 0.15);
  expect_close_to_yosys(mlp(12, 6, 3, 6, 2), "mlp_12_6_3_w6", 0.15);
  // 4-bit: Yosys packs the narrow adders tighter than one LUT per bit.
  expect_close_to_yosys(mlp(6, 10, 2, 4, 3), "mlp_6_10_2_w4", 0.4);
}

}  // namespace
}  // namespace nnfpga::backend::verilog
