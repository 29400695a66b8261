// Streaming CNNs in the Verilog backend (issue 18): small CNNs written as streaming designs and
// run by `nnfpga rtlsim` under Verilator with randomized tvalid/tready, every output code compared
// with the emulator's, and the interval and latency measured with the handshakes held high equal
// to rtl.json's and the estimate's (one schedule, src/schedule/, serves all three). Plus what the
// streaming design refuses, by name and reason, and a Yosys synthesis of one design.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "../emulate/graph_builder.hpp"
#include "backend/verilog/estimate_rtl.hpp"
#include "backend/verilog/project.hpp"
#include "backend/verilog/rtlsim.hpp"
#include "backend/verilog/stream_build.hpp"
#include "backend/verilog/yosys_synth.hpp"
#include "bench_util.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

using emulate::testing::GraphBuilder;
using emulate::testing::normal;
using fixed::make_fixed;

const fixed::FixedType kX = make_fixed(8, 3);
const fixed::FixedType kW = make_fixed(6, 1);
const fixed::FixedType kAcc = make_fixed(24, 10);
const fixed::FixedType kY = make_fixed(10, 4);

// Batch norm over the channels of a feature map: one scale and bias per channel, given for every
// element as the IR holds them.
GraphBuilder& channel_batchnorm(GraphBuilder& b, std::mt19937_64& rng) {
  const auto c = static_cast<std::size_t>(b.last().output_shape.back());
  const std::vector<double> scale = normal(c, 0.5, rng), bias = normal(c, 0.5, rng);
  std::vector<double> s, t;
  for (std::int64_t k = 0; k < ir::element_count(b.last().output_shape); ++k) {
    s.push_back(scale[static_cast<std::size_t>(k) % c]);
    t.push_back(bias[static_cast<std::size_t>(k) % c]);
  }
  return b.batchnorm(s, t, kW, kW, kY);
}

GraphBuilder& conv2d(GraphBuilder& b, std::int64_t k, std::int64_t filters, std::int64_t stride,
                     std::int64_t pad, std::mt19937_64& rng) {
  const std::int64_t c = b.last().output_shape.back();
  const auto n = static_cast<std::size_t>(k * k * c * filters);
  return b.conv(ir::OpKind::kConv2D, {k, k, c, filters}, normal(n, 0.5, rng),
                normal(static_cast<std::size_t>(filters), 0.3, rng), {stride, stride}, {1, 1},
                {pad, pad, pad, pad}, kW, kW, kAcc, kY);
}

// 8x8x2: Conv 3x3 'same' -> ReLU -> MaxPool 2x2 -> Conv 2x2 stride 2 -> BatchNorm -> Flatten ->
// Dense: the window cases of padding, stride and pooling, and a gather into one vector.
ir::Graph small_cnn2d() {
  std::mt19937_64 rng(18);
  GraphBuilder b({8, 8, 2}, kX);
  conv2d(b, 3, 3, 1, 1, rng).unary(ir::OpKind::kRelu, make_fixed(8, 3, false));
  b.pool(ir::OpKind::kMaxPool2D, {2, 2}, {2, 2}, {0, 0, 0, 0});
  conv2d(b, 2, 4, 2, 0, rng);
  channel_batchnorm(b, rng);
  b.reshape(ir::OpKind::kFlatten, {16}, kY);
  b.dense(5, normal(80, 0.4, rng), normal(5, 0.2, rng), kW, kW, kAcc, kY);
  ir::Graph g = b.build();
  g.name = "stream_cnn2d";
  return g;
}

// 16x3: Conv1D k=3 'same' stride 2 -> MaxPool1D k=3 stride 1 with padding -> GlobalMaxPool1D ->
// Dense.
ir::Graph small_cnn1d() {
  std::mt19937_64 rng(19);
  GraphBuilder b({16, 3}, kX);
  b.conv(ir::OpKind::kConv1D, {3, 3, 4}, normal(36, 0.5, rng), normal(4, 0.3, rng), {2}, {1},
         {1, 1}, kW, kW, kAcc, kY);
  b.pool(ir::OpKind::kMaxPool1D, {3}, {1}, {1, 1});
  b.pool(ir::OpKind::kGlobalMaxPool1D, {}, {}, {});
  b.dense(3, normal(12, 0.4, rng), normal(3, 0.2, rng), kW, kW, kAcc, kY);
  ir::Graph g = b.build();
  g.name = "stream_cnn1d";
  return g;
}

// 6x6x2 with per-position layers only (1x1 Conv, a table activation, batch norm), configured
// io_stream (without it the unrolled core takes such a model): the output is a stream of 36 beats.
ir::Graph per_position_cnn() {
  std::mt19937_64 rng(20);
  GraphBuilder b({6, 6, 2}, kX);
  conv2d(b, 1, 3, 1, 0, rng);
  b.table(ir::OpKind::kTanh, 256, make_fixed(10, 1), make_fixed(10, 1));
  channel_batchnorm(b, rng);
  ir::Graph g = b.build();
  g.name = "stream_pointwise";
  g.settings.io_type = ir::IOType::kStream;
  return g;
}

// An average pool with its accum_t and result_t: the counts it divides by and the roundings of its
// quotient are what these tests vary.
GraphBuilder& average(GraphBuilder& b, ir::OpKind op, const std::vector<std::int64_t>& size,
                      const std::vector<std::int64_t>& strides,
                      const std::vector<std::int64_t>& pads, bool count_pad,
                      const fixed::FixedType& accum_t, const fixed::FixedType& result_t) {
  b.pool(op, size, strides, pads);
  ir::Node& n = b.last();
  n.types["accum"] = accum_t;
  n.types["result"] = result_t;
  if (count_pad) n.attrs.set("count_include_pad", std::int64_t{1});
  return b;
}

// 6x6x2: AveragePool 3x3 'same' without the padding in its count (9, 6 or 4 real elements: three
// divisors chosen per output), rounding to nearest with saturation, its accum_t with fewer
// fraction bits than result_t + 1 (the quotient's extra shift) -> AveragePool 2x2 stride 2 (a
// power of two) -> GlobalAveragePool 3x3 (9, truncating and wrapping).
ir::Graph average_cnn2d() {
  GraphBuilder b({6, 6, 2}, kX);
  using Q = fixed::Quantization;
  using O = fixed::Overflow;
  average(b, ir::OpKind::kAveragePool2D, {3, 3}, {1, 1}, {1, 1, 1, 1}, false, make_fixed(12, 8),
          make_fixed(7, 3, true, Q::kRnd, O::kSat));
  average(b, ir::OpKind::kAveragePool2D, {2, 2}, {2, 2}, {0, 0, 0, 0}, false, kAcc,
          make_fixed(8, 3, true, Q::kRndConv, O::kWrap));
  average(b, ir::OpKind::kGlobalAveragePool2D, {}, {}, {}, false, kAcc, make_fixed(6, 1));
  ir::Graph g = b.build();
  g.name = "stream_average2d";
  return g;
}

// 9x3: AveragePool1D k=3 stride 2 with padding counted (one divisor, 3), unsigned result rounding
// to nearest-even -> GlobalAveragePool1D over 5 positions.
ir::Graph average_cnn1d() {
  GraphBuilder b({9, 3}, kX);
  using Q = fixed::Quantization;
  average(b, ir::OpKind::kAveragePool1D, {3}, {2}, {1, 1}, true, kAcc,
          make_fixed(8, 3, false, Q::kRndConv, fixed::Overflow::kSat));
  average(b, ir::OpKind::kGlobalAveragePool1D, {}, {}, {}, false, make_fixed(16, 6),
          make_fixed(9, 2, true, Q::kRndMinInf));
  ir::Graph g = b.build();
  g.name = "stream_average1d";
  return g;
}

// 6x6x2 residual block: the input is read by Conv 3x3 'same' -> ReLU -> Conv 3x3 'same' and by the
// Add (a clone of the input, one FIFO per reader); the bypass FIFO holds what the convolutions'
// line buffers delay.
ir::Graph residual_cnn() {
  std::mt19937_64 rng(21);
  GraphBuilder b({6, 6, 2}, kX);
  conv2d(b, 3, 3, 1, 1, rng).unary(ir::OpKind::kRelu, make_fixed(8, 3, false));
  conv2d(b, 3, 2, 1, 1, rng);
  b.merge(ir::OpKind::kAdd, {"x", b.last().name}, make_fixed(11, 5));
  ir::Graph g = b.build();
  g.name = "stream_residual";
  return g;
}

// 5x5x2: a layer read by five (Conv 1x1 -> t; ReLU(t), MaxPool 3x3 stride 1 'same'(t) and t
// itself), every element-wise merge, and a channel Concatenate of three streams as the output.
ir::Graph merges_cnn() {
  std::mt19937_64 rng(22);
  GraphBuilder b({5, 5, 2}, kX);
  conv2d(b, 1, 3, 1, 0, rng);
  const std::string t = b.last().name;
  b.unary(ir::OpKind::kRelu, make_fixed(8, 3, false));
  const std::string a = b.last().name;
  b.merge(ir::OpKind::kAdd, {t, t}, kY);  // a node reading one tensor twice: two FIFOs
  const std::string twice = b.last().name;
  b.merge(ir::OpKind::kSubtract, {twice, a}, kY);
  b.pool(ir::OpKind::kMaxPool2D, {3, 3}, {1, 1}, {1, 1, 1, 1});
  const std::string p = b.last().name;
  b.merge(ir::OpKind::kMultiply, {a, p}, make_fixed(12, 6));
  const std::string m = b.last().name;
  b.merge(ir::OpKind::kMaximum, {p, t}, kY);
  const std::string mx = b.last().name;
  b.merge(ir::OpKind::kMinimum, {m, mx}, make_fixed(9, 5, true, fixed::Quantization::kRnd));
  const std::string mn = b.last().name;
  b.merge(ir::OpKind::kAverage, {mn, p}, make_fixed(8, 4));
  const std::string av = b.last().name;
  b.merge(ir::OpKind::kConcatenate, {av, t, mx}, kY);
  ir::Node& c = b.last();
  c.attrs.set("axis", std::int64_t{-1});
  c.output_shape = {5, 5, 9};
  ir::Graph g = b.build();
  g.name = "stream_merges";
  return g;
}

// A relayout (ZeroPadding, Cropping, UpSampling) with its attribute and result type.
GraphBuilder& relayout(GraphBuilder& b, ir::OpKind op, const char* key,
                       const std::vector<std::int64_t>& v, const fixed::FixedType& result_t) {
  b.unary(op, result_t);
  ir::Node& n = b.last();
  n.attrs.set(key, v);
  n.output_shape = ir::op_info(op).shape_rule(n, n.input_shapes);
  return b;
}

// 4x5x2: ZeroPadding2D (uneven, into a narrower rounding, saturating type) -> Conv 3x3 'valid' ->
// UpSampling2D 2x3 (rows repeated from a row buffer) -> Cropping2D (uneven: beats dropped at
// the start, in each row and at the end).
ir::Graph relayout_cnn2d() {
  std::mt19937_64 rng(23);
  using Q = fixed::Quantization;
  GraphBuilder b({4, 5, 2}, kX);
  relayout(b, ir::OpKind::kZeroPadding2D, "pads", {1, 2, 0, 1},
           make_fixed(6, 2, true, Q::kRnd, fixed::Overflow::kSat));
  conv2d(b, 3, 2, 1, 0, rng);
  relayout(b, ir::OpKind::kUpSampling2D, "size", {2, 3}, kY);
  relayout(b, ir::OpKind::kCropping2D, "crops", {1, 2, 0, 3}, make_fixed(8, 3));
  ir::Graph g = b.build();
  g.name = "stream_relayout2d";
  return g;
}

// 7x3: UpSampling1D x3 -> Cropping1D -> ZeroPadding1D.
ir::Graph relayout_cnn1d() {
  GraphBuilder b({7, 3}, kX);
  relayout(b, ir::OpKind::kUpSampling1D, "size", {3}, kX);
  relayout(b, ir::OpKind::kCropping1D, "crops", {2, 4}, make_fixed(7, 2));
  relayout(b, ir::OpKind::kZeroPadding1D, "pads", {2, 1}, make_fixed(7, 2));
  ir::Graph g = b.build();
  g.name = "stream_relayout1d";
  return g;
}

void expect_bit_exact_and_on_schedule(const ir::Graph& g, std::int64_t samples) {
  const std::filesystem::path dir = testing::scratch_dir(g.name);
  const Project p = write_project(g, dir.string());
  EXPECT_EQ(p.io, "stream");
  const Project read = read_project(dir.string());
  EXPECT_EQ(read.interval_cycles, p.interval_cycles);
  EXPECT_EQ(read.inputs.beats, p.inputs.beats);
  // The estimate's interval and latency are the project's: one schedule.
  const VerilogEstimate e = estimate_verilog(g);
  EXPECT_EQ(e.interval_cycles, p.interval_cycles);
  EXPECT_EQ(e.latency_cycles, p.latency_cycles);
  const RtlsimReport r = run_rtlsim(dir.string(), {.samples = samples, .seed = 7});
  EXPECT_TRUE(r.stream);
  EXPECT_EQ(r.differing, 0) << r.first_difference;
  EXPECT_EQ(r.missing, 0);
  EXPECT_EQ(r.measured_latency, p.latency_cycles) << g.name;
  EXPECT_EQ(r.measured_interval, p.interval_cycles) << g.name;
  EXPECT_TRUE(r.ok());
  EXPECT_GT(r.outputs, 0);
}

TEST(StreamRtl, Conv2dPoolFlattenDenseIsBitExactAndOnSchedule) {
  NNFPGA_REQUIRE_VERILATOR();
  const ir::Graph g = small_cnn2d();
  expect_bit_exact_and_on_schedule(g, 400);
}

TEST(StreamRtl, Conv1dStridePaddedPoolsAndGlobalPoolAreBitExactAndOnSchedule) {
  NNFPGA_REQUIRE_VERILATOR();
  expect_bit_exact_and_on_schedule(small_cnn1d(), 400);
}

TEST(StreamRtl, AveragePoolsDivideAsTheEmulatorAtEveryBorderAndRounding) {
  NNFPGA_REQUIRE_VERILATOR();
  expect_bit_exact_and_on_schedule(average_cnn2d(), 1000);
  expect_bit_exact_and_on_schedule(average_cnn1d(), 1000);
}

TEST(StreamRtl, APaddedAverageDividesByEachBordersCount) {
  const ir::Graph g = average_cnn2d();
  IdentifierTable ids;
  const StreamDesign d = build_stream(g, "top", ids);
  EXPECT_EQ(d.layers[0].divisors, (std::vector<std::int64_t>{4, 6, 9}));
  EXPECT_EQ(d.layers[0].divisor_bits, 2);
  EXPECT_EQ(d.layers[1].divisors, (std::vector<std::int64_t>{4}));
  EXPECT_EQ(d.layers[2].divisors, (std::vector<std::int64_t>{9}));
  EXPECT_EQ(d.layers[2].divisor_bits, 0);
}

TEST(StreamRtl, AResidualBlockIsBitExactAndOnSchedule) {
  NNFPGA_REQUIRE_VERILATOR();
  expect_bit_exact_and_on_schedule(residual_cnn(), 1000);
}

TEST(StreamRtl, FanOutAndEveryMergeAreBitExactAndOnSchedule) {
  NNFPGA_REQUIRE_VERILATOR();
  expect_bit_exact_and_on_schedule(merges_cnn(), 1000);
}

TEST(StreamRtl, TheResidualBypassFifoIsTheSchedules) {
  const ir::Graph g = residual_cnn();
  const Project p = write_project(g, testing::scratch_dir("stream_residual_fifos").string());
  IdentifierTable ids;
  const StreamDesign d = build_stream(g, "top", ids);
  // The clone of the input, the two convolutions, the ReLU and the Add.
  ASSERT_EQ(d.layers.size(), 5u);
  EXPECT_TRUE(d.layers[0].clone);
  ASSERT_EQ(d.layers[0].outputs.size(), 2u);
  const StreamOutput& bypass = d.layers[0].outputs[1];
  EXPECT_EQ(bypass.name, "x_clone -> " + g.nodes.back().name);
  // Every FIFO in rtl.json is the schedule's depth of its stream.
  std::map<std::string, std::int64_t> written;
  for (const FifoFacts& f : read_project(p.dir).fifos) written[f.name] = f.depth;
  for (const StreamLayer& l : d.layers) {
    for (const StreamOutput& o : l.outputs) {
      ASSERT_EQ(written.count(o.name), 1u) << o.name;
      EXPECT_EQ(written[o.name], o.reader == "<output>"
                                     ? kOutputFifoDepth
                                     : d.schedule.fifo_depth.at(static_cast<std::size_t>(o.stream)))
          << o.name;
    }
  }
  // The bypass holds the beats the two 3x3 convolutions hold back: more than a row of the input.
  EXPECT_GT(written[bypass.name], 6);
  EXPECT_EQ(written.size(), 6u);
}

TEST(StreamRtl, PaddingCroppingAndUpSamplingAreBitExactAndOnSchedule) {
  NNFPGA_REQUIRE_VERILATOR();
  expect_bit_exact_and_on_schedule(relayout_cnn2d(), 1000);
  expect_bit_exact_and_on_schedule(relayout_cnn1d(), 1000);
}

TEST(StreamRtl, PerPositionLayersStreamOneBeatPerCycle) {
  NNFPGA_REQUIRE_VERILATOR();
  const ir::Graph g = per_position_cnn();
  const Project p = write_project(g, testing::scratch_dir("stream_pointwise_facts").string());
  // Every layer takes a beat per cycle: the interval is the input's 36 beats.
  EXPECT_EQ(p.interval_cycles, 36);
  EXPECT_EQ(p.outputs.beats, 36);
  expect_bit_exact_and_on_schedule(g, 300);
}

TEST(StreamRtl, TheFifoDepthsAreTheSchedules) {
  const ir::Graph g = small_cnn2d();
  const Project p = write_project(g, testing::scratch_dir("stream_fifos").string());
  ASSERT_EQ(p.fifos.size(), 7u);
  EXPECT_EQ(p.fifos.front().name, g.nodes[1].name + " -> " + g.nodes[2].name);
  EXPECT_EQ(p.fifos.back().name, g.nodes.back().name + " -> <output>");
  for (const FifoFacts& f : p.fifos) EXPECT_GE(f.depth, 2) << f.name;
}

void expect_refused(ir::Graph g, const std::vector<std::string>& needles) {
  g.settings.io_type = ir::IOType::kStream;  // a streaming design, also without a window op
  try {
    check_graph(g);
    FAIL() << "accepted " << g.name;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
    for (const std::string& n : needles)
      EXPECT_NE(std::string(e.what()).find(n), std::string::npos) << e.what();
  }
}

TEST(StreamRtl, RefusesWhatItCannotStreamByNameAndReason) {
  std::mt19937_64 rng(3);
  {
    // A merge broadcasting an operand of one position over the positions of the other.
    GraphBuilder b({4, 4, 2}, kX);
    conv2d(b, 1, 2, 1, 0, rng);
    const std::string c = b.last().name;
    b.pool(ir::OpKind::kGlobalMaxPool2D, {}, {}, {});
    b.merge(ir::OpKind::kAdd, {c, b.last().name}, kY);
    b.last().output_shape = {4, 4, 2};
    ir::Graph g = b.build();
    expect_refused(g, {"\n  " + g.nodes.back().name + " (Add)"});
  }
  {
    GraphBuilder b({4, 4, 2}, kX);
    b.batchnorm(normal(32, 0.5, rng), normal(32, 0.5, rng), kW, kW, kY);
    expect_refused(b.build(), {"BatchNorm", "differ between positions"});
  }
  {
    GraphBuilder b({4, 4, 2}, kX);
    b.reshape(ir::OpKind::kReshape, {2, 8, 2}, kX);
    expect_refused(b.build(), {"Reshape", "regroups values between positions"});
  }
}

TEST(StreamRtl, YosysSynthesizesASmallStreamingDesign) {
  if (std::system("yosys -V > /dev/null 2>&1") != 0) GTEST_SKIP() << "yosys is not installed";
  const std::filesystem::path dir = testing::scratch_dir("stream_yosys");
  write_project(small_cnn1d(), dir.string());
  const YosysSynthesis s = synthesize_with_yosys(dir);
  EXPECT_GT(s.stat.lut, 50);
  EXPECT_GT(s.stat.ff, 50);
  EXPECT_EQ(s.stat.latch, 0);
  EXPECT_GE(s.logic_depth, 2);
  EXPECT_EQ(to_json(s)["latency_cycles"], read_project(dir.string()).latency_cycles);
}

}  // namespace
}  // namespace nnfpga::backend::verilog
