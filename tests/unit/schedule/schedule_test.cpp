// The schedule's FIFO depths against a brute-force token-level simulation (token_sim.hpp): on
// chains, a residual block and a Concatenate of two branches of different latency, every FIFO at
// its computed depth runs without deadlock and is no smaller than the smallest deadlock-free
// depth the search finds; the token orders of the window ops; the schedule of the benchmark-sized
// CNN in milliseconds.
#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "../emulate/graph_builder.hpp"
#include "api/model_io.hpp"
#include "nnfpga/error.hpp"
#include "plan/plan.hpp"
#include "schedule/schedule.hpp"
#include "schedule/token_order.hpp"
#include "timed_sim.hpp"
#include "token_sim.hpp"

namespace nnfpga::schedule {
namespace {

using emulate::testing::GraphBuilder;
using fixed::make_fixed;
using testing::simulate_tokens;
using testing::smallest_deadlock_free_depth;

const fixed::FixedType kT = make_fixed(8, 3);
const fixed::FixedType kAcc = make_fixed(24, 10);

std::vector<double> ramp(std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = 0.25 * static_cast<double>(i % 7) - 0.6;
  return v;
}

// A k x k convolution of the builder's last tensor [H, W, C] to f channels, 'same' padding
// (k odd or even: the odd pixel after) or valid, and the given stride.
void conv2d(GraphBuilder& b, std::int64_t k, std::int64_t f, bool same, std::int64_t stride = 1,
            int rf = 1) {
  const std::int64_t c = b.last().output_shape.back();
  const std::int64_t before = same ? (k - 1) / 2 : 0, after = same ? k / 2 : 0;
  b.conv(ir::OpKind::kConv2D, {k, k, c, f}, ramp(static_cast<std::size_t>(k * k * c * f)),
         std::vector<double>(static_cast<std::size_t>(f), 0.125), {stride, stride}, {1, 1},
         {before, after, before, after}, kT, kT, kAcc, kT);
  b.last().settings.reuse_factor = rf;
}

ir::Graph streamed(ir::Graph g) {
  g.settings.io_type = ir::IOType::kStream;
  return g;
}

std::size_t edge_index(const plan::Plan& p, const std::string& producer,
                       const std::string& consumer) {
  for (std::size_t i = 0; i < p.edges.size(); ++i) {
    if (p.edges[i].producer == producer && p.edges[i].consumer == consumer) return i;
  }
  ADD_FAILURE() << "no edge " << producer << " -> " << consumer;
  return 0;
}

std::vector<std::int64_t> depths_of(const plan::Plan& p) {
  std::vector<std::int64_t> d;
  for (const plan::EdgePlan& e : p.edges) d.push_back(e.fifo_depth);
  return d;
}

// Every FIFO at its computed depth runs two samples without deadlock, and each is at least the
// smallest deadlock-free depth of the search (the others at their computed depths).
void expect_depths_hold(const ir::Graph& g) {
  const plan::Plan p = plan::make_plan(g);
  ASSERT_TRUE(p.dataflow);
  const Network net = plan::dataflow_network(g, p);
  const std::vector<std::int64_t> depth = depths_of(p);
  const testing::TokenSimResult run = simulate_tokens(net, depth);
  EXPECT_FALSE(run.deadlock) << (run.blocked.empty() ? "" : run.blocked.front());
  for (std::size_t i = 0; i < net.streams.size(); ++i) {
    if (net.streams[i].producer == kPort || net.streams[i].consumer == kPort) {
      EXPECT_EQ(depth[i], 0) << net.streams[i].name;
      continue;
    }
    const std::int64_t least = smallest_deadlock_free_depth(net, depth, i);
    EXPECT_GE(depth[i], least) << net.streams[i].name;
    EXPECT_GE(least, 1) << net.streams[i].name;
  }
}

TEST(TokenOrder, SameConvWritesAfterTheLastInputItsWindowTouches) {
  GraphBuilder b({4, 4, 1}, kT);
  conv2d(b, 3, 1, true);
  const TokenOrder t = token_order(b.last());
  ASSERT_EQ(t.need.size(), 1u);
  ASSERT_EQ(t.out_beats, 16);
  // (0,0) needs input (1,1) = beat 5; (0,3) needs (1,3) = beat 7; (2,0) needs (3,1) = beat 13;
  // (2,3) needs the last beat, and so does every output after it (the order is raster).
  EXPECT_EQ(t.need[0][0], 6);
  EXPECT_EQ(t.need[0][3], 8);
  EXPECT_EQ(t.need[0][4], 10);
  EXPECT_EQ(t.need[0][8], 14);
  EXPECT_EQ(t.need[0][11], 16);
  EXPECT_EQ(t.need[0][12], 16);
  EXPECT_EQ(t.need[0][15], 16);
}

TEST(TokenOrder, StridedValidConvAndGlobalPool) {
  GraphBuilder b({4, 4, 1}, kT);
  conv2d(b, 2, 1, false, 2);  // 2x2 outputs, each a disjoint 2x2 block
  const TokenOrder t = token_order(b.last());
  EXPECT_EQ(t.need[0], (std::vector<std::int64_t>{6, 8, 14, 16}));
}

TEST(TokenOrder, CloneAndMergeReadInStep) {
  EXPECT_EQ(clone_order(3).need[0], (std::vector<std::int64_t>{1, 2, 3}));
  GraphBuilder b({2, 2, 3}, kT);
  b.unary(ir::OpKind::kRelu, kT);
  b.merge(ir::OpKind::kAdd, {"x", b.last().name}, kT);
  const TokenOrder t = token_order(b.last());
  EXPECT_EQ(t.read_order, (std::vector<int>{0, 1}));
  EXPECT_EQ(t.need[1], (std::vector<std::int64_t>{1, 2, 3, 4}));
}

TEST(Schedule, ChainOfRateOneProcessesNeedsTwoBeats) {
  // x -> a -> b -> out, one beat in, one beat out: the FIFO between a and b holds the beat being
  // read and the next one written in the same cycle.
  Network net;
  net.streams = {{"x -> a", kPort, 0, 8}, {"a -> b", 0, 1, 8}, {"b -> out", 1, kPort, 8}};
  std::vector<std::int64_t> one(8);
  for (std::size_t i = 0; i < 8; ++i) one[i] = static_cast<std::int64_t>(i) + 1;
  net.processes = {{"a", {0}, {1}, 8, {one}, 1, 3}, {"b", {1}, {2}, 8, {one}, 1, 1}};
  const Schedule s = compute_schedule(net);
  EXPECT_EQ(s.interval, 8);
  EXPECT_EQ(s.fifo_depth[1], 2);
  EXPECT_EQ(s.fifo_depth[0], 0);
  // The last input beat is read at cycle 7, a's write is visible at 10, b reads it at 11 and its
  // write is visible at 12: 13 cycles.
  EXPECT_EQ(s.latency, 13);
}

TEST(Schedule, FastProducerBeforeASlowConsumerIsPacedNotBuffered) {
  // b reads one beat every 4 cycles: the input is paced at b's interval, so the FIFO stays short
  // instead of holding the whole tensor.
  Network net;
  net.streams = {{"x -> a", kPort, 0, 64}, {"a -> b", 0, 1, 64}, {"b -> out", 1, kPort, 64}};
  std::vector<std::int64_t> one(64);
  for (std::size_t i = 0; i < 64; ++i) one[i] = static_cast<std::int64_t>(i) + 1;
  net.processes = {{"a", {0}, {1}, 64, {one}, 1, 1}, {"b", {1}, {2}, 64, {one}, 4, 6}};
  const Schedule s = compute_schedule(net);
  EXPECT_EQ(s.interval, 256);
  EXPECT_LE(s.fifo_depth[1], 3);
  EXPECT_EQ(s.processes[1].interval, 256);
}

TEST(Schedule, BadTokenOrderIsAnInternalErrorNamingTheProcess) {
  Network net;
  net.streams = {{"x -> a", kPort, 0, 2}, {"a -> out", 0, kPort, 2}};
  net.processes = {{"a", {0}, {1}, 2, {{2, 1}}, 1, 1}};
  try {
    compute_schedule(net);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInternal);
    EXPECT_EQ(e.where().node, "a");
    EXPECT_NE(std::string(e.what()).find("not a count"), std::string::npos) << e.what();
  }
}

TEST(Schedule, ChainsOfConvolutionsHoldAgainstTheSearch) {
  GraphBuilder b({8, 8, 2}, kT);
  conv2d(b, 3, 3, true);
  b.unary(ir::OpKind::kRelu, kT);
  conv2d(b, 2, 2, false, 2, 2);
  b.unary(ir::OpKind::kRelu, kT);
  conv2d(b, 3, 2, true, 1, 3);
  expect_depths_hold(streamed(b.build()));
}

// x [w, w, 2] -> conv 3x3 same -> add(conv, x): the clone's bypass FIFO to the add must hold the
// beats the convolution reads before its first output (a row and two), and then some.
ir::Graph residual(std::int64_t w, int rf) {
  GraphBuilder b({w, w, 2}, kT);
  conv2d(b, 3, 2, true, 1, rf);
  b.merge(ir::OpKind::kAdd, {b.last().name, "x"}, kT);
  return streamed(b.build());
}

TEST(Schedule, ResidualBypassHoldsWhatTheLongPathHoldsBack) {
  for (std::int64_t w : {4, 8}) {
    const ir::Graph g = residual(w, 1);
    expect_depths_hold(g);
    const plan::Plan p = plan::make_plan(g);
    ASSERT_EQ(p.layers.at(0).kind, plan::LayerKind::kClone);
    EXPECT_EQ(p.layers.at(0).layer, "x_clone");
    const Network net = plan::dataflow_network(g, p);
    const std::size_t bypass = edge_index(p, "x_clone", g.nodes.back().name);
    const std::int64_t least = smallest_deadlock_free_depth(net, depths_of(p), bypass);
    EXPECT_GE(least, w + 1) << "width " << w;
    EXPECT_GE(p.edges[bypass].fifo_depth, least);
    // One beat less deadlocks, and the simulation names the bypass FIFO.
    std::vector<std::int64_t> small = depths_of(p);
    small[bypass] = least - 1;
    const testing::TokenSimResult r = simulate_tokens(net, small);
    ASSERT_TRUE(r.deadlock);
    bool named = false;
    for (const std::string& s : r.blocked)
      named = named || s.find(net.streams[bypass].name) != std::string::npos;
    EXPECT_TRUE(named);
  }
}

TEST(Schedule, WiderRowsNeedADeeperBypassAndASlowPathPacesTheInput) {
  // The convolution holds back a row and two pixels: the bypass grows with the row.
  std::vector<std::int64_t> bypass;
  for (std::int64_t w : {4, 8, 16}) {
    const ir::Graph g = residual(w, 1);
    const plan::Plan p = plan::make_plan(g);
    bypass.push_back(p.edges[edge_index(p, "x_clone", g.nodes.back().name)].fifo_depth);
  }
  EXPECT_LT(bypass[0], bypass[1]);
  EXPECT_LT(bypass[1], bypass[2]);
  // A convolution reading a pixel every 6 cycles sets the interval (64 pixels, then the outputs
  // that follow the last one); the input is paced to it, so its latency spans fewer beats and the
  // bypass needs no more than at full rate.
  const ir::Graph fast = residual(8, 1), slow = residual(8, 6);
  const plan::Plan pf = plan::make_plan(fast), ps = plan::make_plan(slow);
  EXPECT_GE(ps.interval, 64 * 6);
  EXPECT_LE(ps.interval, 64 * 6 + 9);
  const std::string add = fast.nodes.back().name;
  EXPECT_LE(ps.edges[edge_index(ps, "x_clone", add)].fifo_depth,
            pf.edges[edge_index(pf, "x_clone", add)].fifo_depth);
  expect_depths_hold(slow);
}

TEST(Schedule, ConcatenateOfBranchesOfDifferentLatency) {
  // x -> conv 3x3 same (latency and a row of look-ahead) and x -> relu (one cycle), concatenated:
  // the relu's FIFO waits for the convolution.
  GraphBuilder b({6, 6, 2}, kT);
  conv2d(b, 3, 2, true, 1, 2);
  ir::Graph g = b.build();
  ir::Node relu;
  relu.name = "relu";
  relu.op = ir::OpKind::kRelu;
  relu.inputs = {"x"};
  relu.input_shapes = {g.at("x").output_shape};
  relu.output_shape = relu.input_shapes[0];
  relu.types["result"] = kT;
  ir::Node cat;
  cat.name = "cat";
  cat.op = ir::OpKind::kConcatenate;
  cat.inputs = {g.nodes.back().name, "relu"};
  cat.input_shapes = {g.nodes.back().output_shape, relu.output_shape};
  cat.output_shape = {6, 6, 4};
  cat.types["result"] = kT;
  g.nodes.push_back(relu);
  g.nodes.push_back(cat);
  g.outputs = {"cat"};
  g = streamed(g);
  expect_depths_hold(g);
  const plan::Plan p = plan::make_plan(g);
  EXPECT_GE(p.edges[edge_index(p, "relu", "cat")].fifo_depth, 6 + 2);
}

TEST(Schedule, RealResidualModelHoldsAgainstTheSearch) {
  // The Keras fixture: a residual block, a Concatenate of it with a 1x1 branch, pools and their
  // fan-out into two global pools (clones everywhere).
  const ir::Graph g = load_model(std::string(NNFPGA_FIXTURES_DIR) + "/keras3/cnn_residual.keras",
                                 {}, {"IOType=io_stream"});
  const plan::Plan p = plan::make_plan(g);
  int clones = 0;
  for (const plan::LayerPlan& l : p.layers) clones += l.kind == plan::LayerKind::kClone;
  EXPECT_GE(clones, 3);
  expect_depths_hold(g);
  // The residual bypass: computed, and the least the token order allows (docs/hls.md quotes both).
  const std::size_t bypass = edge_index(p, "conv_a_relu_clone", "add");
  const std::int64_t least =
      smallest_deadlock_free_depth(plan::dataflow_network(g, p), depths_of(p), bypass);
  RecordProperty("bypass_computed", static_cast<int>(p.edges[bypass].fifo_depth));
  RecordProperty("bypass_least", static_cast<int>(least));
  EXPECT_EQ(p.edges[bypass].fifo_depth, 19);
  EXPECT_LT(least, p.edges[bypass].fifo_depth);
}

// With every FIFO at its computed depth and the input as fast as it is taken, a timed simulation
// with back-pressure (timed_sim.hpp) reaches the schedule's interval; the residual bypass at the
// depth the token order alone needs slows the model down.
TEST(Schedule, ComputedDepthsSustainTheInterval) {
  std::vector<ir::Graph> graphs = {residual(8, 1), residual(8, 4)};
  graphs.push_back(load_model(std::string(NNFPGA_FIXTURES_DIR) + "/keras3/cnn_residual.keras", {},
                              {"IOType=io_stream"}));
  for (const ir::Graph& g : graphs) {
    const plan::Plan p = plan::make_plan(g);
    const Network net = plan::dataflow_network(g, p);
    const testing::TimedRun run = testing::simulate_timed(net, depths_of(p), 6);
    ASSERT_TRUE(run.settled) << g.nodes.back().name;
    EXPECT_LE(testing::measured_interval(net, run), p.interval) << g.nodes.back().name;
  }
  const ir::Graph g = residual(8, 1);
  const plan::Plan p = plan::make_plan(g);
  const Network net = plan::dataflow_network(g, p);
  const Schedule s = compute_schedule(net);
  const std::size_t bypass = edge_index(p, "x_clone", g.nodes.back().name);
  ASSERT_LT(s.order_depth[bypass], s.fifo_depth[bypass]);
  std::vector<std::int64_t> shallow = depths_of(p);
  shallow[bypass] = s.order_depth[bypass];
  const testing::TimedRun slow = testing::simulate_timed(net, shallow, 6);
  ASSERT_TRUE(slow.settled);
  EXPECT_GT(testing::measured_interval(net, slow), p.interval);
}

TEST(Schedule, BenchmarkSizedCnnInMilliseconds) {
  // The benchmark CNN's shape (bench/models/make_cnn_bench.py): 32x32x3, five 'same' convs.
  GraphBuilder b({32, 32, 3}, kT);
  conv2d(b, 1, 32, true);
  b.unary(ir::OpKind::kRelu, kT);
  conv2d(b, 4, 4, true, 1, 8);
  b.unary(ir::OpKind::kRelu, kT);
  conv2d(b, 4, 32, true, 1, 8);
  b.unary(ir::OpKind::kRelu, kT);
  conv2d(b, 4, 32, true, 4, 8);  // a new pixel every 8 cycles, as the two before it
  b.unary(ir::OpKind::kRelu, kT);
  conv2d(b, 4, 32, true, 1, 64);  // 64 pixels, 64 cycles each
  const ir::Graph g = streamed(b.build());
  const auto start = std::chrono::steady_clock::now();
  const plan::Plan p = plan::make_plan(g);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(ms, 200.0);  // a few milliseconds on one core; generous for a loaded CI machine
  // 1024 pixels, 8 cycles each, and the outputs of the 4x4 'same' convolutions' last two rows
  // that follow their last input, one a cycle.
  EXPECT_GE(p.interval, 1024 * 8);
  EXPECT_LE(p.interval, 1024 * 8 + 2 * 32);
  for (const plan::EdgePlan& e : p.edges) {
    if (!e.is_input_port() && !e.is_output_port() && e.producer != "x") {
      EXPECT_GE(e.fifo_depth, 1);
      EXPECT_LE(e.fifo_depth, e.beats) << e.producer << " -> " << e.consumer;
    }
  }
}

TEST(Schedule, AFoldedProcessWritesEveryCyclesPerWrite) {
  // A folded product (the Verilog backend's ReuseFactor) takes 3 cycles per output: its writes
  // are 3 apart, also the last two, which follow the last read (a 'same' convolution's bottom
  // row), while its reads run ahead up to the next window.
  Network net;
  net.streams = {{"x -> p", kPort, 0, 4}, {"p -> out", 0, kPort, 6}};
  net.processes = {{.name = "p",
                    .inputs = {0},
                    .outputs = {1},
                    .out_beats = 6,
                    .need = {{1, 2, 3, 4, 4, 4}},
                    .latency = 2,
                    .cycles_per_write = 3}};
  const Schedule s = compute_schedule(net);
  // Writes at 0, 3, ..., 15; the next sample's first read shares the last write's cycle.
  EXPECT_EQ(s.processes[0].interval, 18);
  EXPECT_EQ(s.interval, 18);
  EXPECT_EQ(s.processes[0].last_write, 17);
  EXPECT_EQ(s.latency, 18);
  net.processes[0].cycles_per_write = 1;
  EXPECT_EQ(compute_schedule(net).interval, 6);
}

}  // namespace
}  // namespace nnfpga::schedule
