// Folded per-pixel products in the streaming Verilog backend (issue 18, item 2): convolutions and
// Dense layers with ReuseFactor > 1 computed over R cycles on shared multipliers, their weights in
// a ROM. Small CNNs with R dividing and not dividing the products, down to one multiplier, and a
// saturating, rounding accum_t (so the order of additions matters) run under Verilator with
// randomized handshakes: every output code equals the emulator's, and the interval and latency
// measured equal rtl.json's and the estimate's (one schedule, with the folded layers writing one
// beat every R cycles). Plus the refusals, and Yosys mapping the multipliers to DSP48E1.
#include <gtest/gtest.h>

#include <filesystem>

#include "../emulate/graph_builder.hpp"
#include "backend/verilog/estimate_rtl.hpp"
#include "backend/verilog/project.hpp"
#include "backend/verilog/rtlsim.hpp"
#include "backend/verilog/yosys_synth.hpp"
#include "bench_util.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

using emulate::testing::GraphBuilder;
using emulate::testing::normal;
using fixed::make_fixed;

const fixed::FixedType kFoldX = make_fixed(8, 3);
const fixed::FixedType kFoldW = make_fixed(6, 1);
// Products have 10 fraction bits: this accumulator rounds each of them to 6 (AP_RND) and saturates
// (AP_SAT) at +-8, well inside the sums' range, so any other order of additions than the
// emulator's gives other codes.
const fixed::FixedType kSatAcc =
    make_fixed(10, 4, true, fixed::Quantization::kRnd, fixed::Overflow::kSat);
const fixed::FixedType kWideAcc = make_fixed(24, 10);
const fixed::FixedType kFoldY = make_fixed(10, 4);

// 8x8x2: Conv 3x3 'same' (3 filters: 18 inputs, 54 products a window) -> ReLU -> MaxPool 2x2 ->
// Flatten (48) -> Dense 4 (192 products). The 'same' convolution's last row writes without reads.
ir::Graph folded_cnn(const std::string& name, int conv_reuse, int dense_reuse,
                     const fixed::FixedType& acc, double clock_ns) {
  std::mt19937_64 rng(118);
  GraphBuilder b({8, 8, 2}, kFoldX);
  b.conv(ir::OpKind::kConv2D, {3, 3, 2, 3}, normal(54, 0.6, rng), normal(3, 0.5, rng), {1, 1},
         {1, 1}, {1, 1, 1, 1}, kFoldW, kFoldW, acc, kFoldY);
  b.unary(ir::OpKind::kRelu, make_fixed(8, 3, false));
  b.pool(ir::OpKind::kMaxPool2D, {2, 2}, {2, 2}, {0, 0, 0, 0});
  b.reshape(ir::OpKind::kFlatten, {48}, make_fixed(8, 3, false));
  b.dense(4, normal(192, 0.5, rng), normal(4, 0.5, rng), kFoldW, kFoldW, acc, kFoldY);
  ir::Graph g = b.build();
  g.name = name;
  g.settings.clock_period_ns = clock_ns;
  g.nodes[1].settings.reuse_factor = conv_reuse;
  g.nodes.back().settings.reuse_factor = dense_reuse;
  return g;
}

// 6x6x2: a folded 1x1 Conv (per position, 4 filters) -> a folded Conv 3x3 'valid' (3 filters,
// 36 inputs) whose accum_t holds every partial sum (the order-free sum) -> Flatten -> Dense at
// full rate.
ir::Graph folded_pointwise_cnn() {
  std::mt19937_64 rng(218);
  GraphBuilder b({6, 6, 2}, kFoldX);
  b.conv(ir::OpKind::kConv2D, {1, 1, 2, 4}, normal(8, 0.6, rng), normal(4, 0.5, rng), {1, 1},
         {1, 1}, {0, 0, 0, 0}, kFoldW, kFoldW, kSatAcc, kFoldY);
  b.conv(ir::OpKind::kConv2D, {3, 3, 4, 3}, normal(108, 0.6, rng), normal(3, 0.5, rng), {1, 1},
         {1, 1}, {0, 0, 0, 0}, kFoldW, kFoldW, kWideAcc, kFoldY);
  b.reshape(ir::OpKind::kFlatten, {48}, kFoldY);
  b.dense(2, normal(96, 0.5, rng), normal(2, 0.5, rng), kFoldW, kFoldW, kWideAcc, kFoldY);
  ir::Graph g = b.build();
  g.name = "fold_pointwise";
  g.settings.clock_period_ns = 10;
  g.nodes[1].settings.reuse_factor = 3;  // 8 products on 3 multipliers
  g.nodes[2].settings.reuse_factor = 5;  // 324 products on 65 multipliers
  return g;
}

// 16x3: a folded Conv1D k=3 stride 2 'same' (4 filters, 36 products on 9 multipliers: reads
// between the writes) -> GlobalMaxPool1D -> a folded Dense (12 products on 2 multipliers).
ir::Graph folded_cnn1d() {
  std::mt19937_64 rng(318);
  GraphBuilder b({16, 3}, kFoldX);
  b.conv(ir::OpKind::kConv1D, {3, 3, 4}, normal(36, 0.6, rng), normal(4, 0.5, rng), {2}, {1},
         {1, 1}, kFoldW, kFoldW, kSatAcc, kFoldY);
  b.unary(ir::OpKind::kGlobalMaxPool1D, kFoldY);
  b.last().output_shape = ir::op_info(b.last().op).shape_rule(b.last(), b.last().input_shapes);
  b.dense(3, normal(12, 0.5, rng), normal(3, 0.5, rng), kFoldW, kFoldW, kSatAcc, kFoldY);
  ir::Graph g = b.build();
  g.name = "fold_conv1d";
  g.settings.clock_period_ns = 10;
  g.nodes[1].settings.reuse_factor = 4;
  g.nodes.back().settings.reuse_factor = 6;
  return g;
}

// 6x6x2 residual block with folded convolutions: Conv 3x3 'same' (R = 4) -> ReLU -> Conv 3x3
// 'same' (R = 9) + the input -> Add; the bypass FIFO holds what the slower path delays.
ir::Graph folded_residual() {
  std::mt19937_64 rng(418);
  GraphBuilder b({6, 6, 2}, kFoldX);
  b.conv(ir::OpKind::kConv2D, {3, 3, 2, 3}, normal(54, 0.6, rng), normal(3, 0.5, rng), {1, 1},
         {1, 1}, {1, 1, 1, 1}, kFoldW, kFoldW, kSatAcc, kFoldY);
  b.unary(ir::OpKind::kRelu, make_fixed(8, 3, false));
  b.conv(ir::OpKind::kConv2D, {3, 3, 3, 2}, normal(54, 0.6, rng), normal(2, 0.5, rng), {1, 1},
         {1, 1}, {1, 1, 1, 1}, kFoldW, kFoldW, kWideAcc, kFoldY);
  b.merge(ir::OpKind::kAdd, {"x", b.last().name}, make_fixed(11, 5));
  ir::Graph g = b.build();
  g.name = "fold_residual";
  g.settings.clock_period_ns = 10;
  g.nodes[1].settings.reuse_factor = 4;
  g.nodes[3].settings.reuse_factor = 9;
  return g;
}

RtlsimReport expect_folded_exact(const ir::Graph& g, std::int64_t samples) {
  const std::filesystem::path dir = testing::scratch_dir(g.name);
  const Project p = write_project(g, dir.string());
  EXPECT_EQ(p.io, "stream");
  const VerilogEstimate e = estimate_verilog(g);
  EXPECT_EQ(e.interval_cycles, p.interval_cycles);
  EXPECT_EQ(e.latency_cycles, p.latency_cycles);
  EXPECT_EQ(read_project(dir.string()).interval_cycles, p.interval_cycles);
  const RtlsimReport r = run_rtlsim(dir.string(), {.samples = samples, .seed = 11});
  EXPECT_TRUE(r.stream);
  EXPECT_EQ(r.differing, 0) << r.first_difference;
  EXPECT_EQ(r.missing, 0);
  EXPECT_EQ(r.measured_latency, p.latency_cycles);
  EXPECT_EQ(r.measured_interval, p.interval_cycles);
  EXPECT_TRUE(r.ok());
  EXPECT_GT(r.outputs, 0);
  return r;
}

TEST(StreamFold, TwoAndFiveCyclesInOrderSaturatingAccumulatorIsBitExact) {
  NNFPGA_REQUIRE_VERILATOR();
  // R = 2: 27 multipliers, 9 in-order casts per output a cycle (hence the slow clock); R = 5 does
  // not divide the Dense's 192 products (39 multipliers, lanes change outputs between phases).
  const ir::Graph g = folded_cnn("fold_r2_r5", 2, 5, kSatAcc, 25);
  // The conv writes its 64 beats at most every 2 cycles, the Dense its one beat over 5.
  const Project p = write_project(g, testing::scratch_dir("fold_r2_r5_facts").string());
  EXPECT_GE(p.interval_cycles, 128);
  expect_folded_exact(g, 1000);
}

TEST(StreamFold, OneMultiplierPerLayerIsBitExact) {
  NNFPGA_REQUIRE_VERILATOR();
  // R = 54 and 192: every product of a window on one multiplier, the output changing every cycle.
  const ir::Graph g = folded_cnn("fold_one_multiplier", 54, 192, kSatAcc, 5);
  const Project p = write_project(g, testing::scratch_dir("fold_one_facts").string());
  // The conv's 64 windows, 54 cycles each, bound the interval.
  EXPECT_GE(p.interval_cycles, 64 * 54);
  EXPECT_LT(p.interval_cycles, 64 * 54 + 64);
  expect_folded_exact(g, 1000);
}

TEST(StreamFold, PerPositionAndOrderFreeFoldsAreBitExact) {
  NNFPGA_REQUIRE_VERILATOR();
  expect_folded_exact(folded_pointwise_cnn(), 1000);
}

TEST(StreamFold, StridedConv1dAndDenseAreBitExact) {
  NNFPGA_REQUIRE_VERILATOR();
  expect_folded_exact(folded_cnn1d(), 1000);
}

TEST(StreamFold, FoldedConvolutionsInAResidualBlockAreBitExact) {
  NNFPGA_REQUIRE_VERILATOR();
  expect_folded_exact(folded_residual(), 1000);
}

TEST(StreamFold, ReuseFactorOneKeepsTheFullRateProduct) {
  const ir::Graph folded = folded_cnn("fold_facts_r3", 3, 16, kSatAcc, 25);
  const ir::Graph full = folded_cnn("fold_facts_r1", 1, 1, kWideAcc, 25);
  const Project a = write_project(folded, testing::scratch_dir("fold_facts_r3").string());
  const Project b = write_project(full, testing::scratch_dir("fold_facts_r1").string());
  // At full rate, the 'same' conv reads a beat a cycle and writes its bottom row's 8 beats after
  // the last read; folded, its 64 writes are 3 cycles apart, and the next sample's first window
  // (10 reads) takes 9 cycles where 3 would do.
  EXPECT_EQ(b.interval_cycles, 64 + 8);
  EXPECT_EQ(a.interval_cycles, 64 * 3 + 6);
  const VerilogEstimate ea = estimate_verilog(folded), eb = estimate_verilog(full);
  // 18 multipliers (8 x 6 bits: DSP48E1) instead of shift-and-add networks.
  EXPECT_EQ(ea.layers.at(1).dsp, 18);
  EXPECT_EQ(eb.layers.at(1).dsp, 0);
}

void expect_fold_refused(const ir::Graph& g, ErrorKind kind,
                         const std::vector<std::string>& needles) {
  try {
    write_project(g, testing::scratch_dir(g.name).string());
    FAIL() << "accepted " << g.name;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    for (const std::string& n : needles)
      EXPECT_NE(std::string(e.what()).find(n), std::string::npos) << e.what();
  }
}

TEST(StreamFold, RefusesWhatTheClockOrTheProductsCannotHold) {
  const ir::Graph slow = folded_cnn("fold_too_deep", 2, 1, kSatAcc, 5);
  expect_fold_refused(
      slow, ErrorKind::kUnsupported,
      {slow.nodes[1].name, "ReuseFactor 2", "9 products per output in order", "raise ReuseFactor"});
  const ir::Graph many = folded_cnn("fold_too_many", 55, 1, kSatAcc, 5);
  expect_fold_refused(many, ErrorKind::kConfig,
                      {many.nodes[1].name, "ReuseFactor 55", "54 products", "ReuseFactor"});
}

TEST(StreamFold, YosysMapsTheFoldedMultipliersToDsp48) {
  if (std::system("yosys -V > /dev/null 2>&1") != 0) GTEST_SKIP() << "yosys is not installed";
  const std::filesystem::path dir = testing::scratch_dir("fold_yosys");
  ir::Graph g = folded_cnn("fold_yosys", 9, 48, kSatAcc, 5);
  write_project(g, dir.string());
  const YosysSynthesis s = synthesize_with_yosys(dir);
  const VerilogEstimate e = estimate_verilog(g);
  // 6 + 4 multipliers of 8 x 6 bits.
  EXPECT_EQ(e.dsp, 10);
  EXPECT_EQ(s.stat.dsp, e.dsp);
  EXPECT_EQ(s.stat.latch, 0);
  EXPECT_GT(s.stat.lut, 50);
  // Measured (Yosys 0.23): 2,732 LUT and 3,190 FF against the estimate's 3,027 and 3,470.
  EXPECT_NEAR(static_cast<double>(e.lut), static_cast<double>(s.stat.lut), 0.25 * s.stat.lut);
  EXPECT_NEAR(static_cast<double>(e.ff), static_cast<double>(s.stat.ff), 0.25 * s.stat.ff);
}

}  // namespace
}  // namespace nnfpga::backend::verilog
