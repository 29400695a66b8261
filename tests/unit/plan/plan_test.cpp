// The plan of small hand-built graphs: Dense's interval is positions * reuse factor and its
// multiplier limit the real products shared by the reuse factor; io_parallel edges are arrays,
// io_stream ports are streams of one beat per sample (the whole vector) with arrays inside.
#include <gtest/gtest.h>

#include "../emulate/graph_builder.hpp"
#include "nnfpga/error.hpp"
#include "plan/plan.hpp"

namespace nnfpga::plan {
namespace {

using emulate::testing::GraphBuilder;
using fixed::make_fixed;

const fixed::FixedType kT = make_fixed(16, 6);
const fixed::FixedType kW = make_fixed(8, 3);  // 5 fractional bits

// 4 x 3 weights: 0.5 and -0.25 are powers of two (shifts), 0 vanishes, the other 7 need a
// multiplier each.
const std::vector<double> kWeights = {0.3,  0.5, 0.0,  -0.25, 0.75, 0.6,
                                      -0.9, 0.0, 1.25, 0.4,   0.5,  -0.7};
constexpr std::int64_t kRealProducts = 7;

// x [shape] -> Dense(3, reuse factor rf) -> ReLU
ir::Graph mlp(const ir::Shape& shape, int rf, ir::IOType io) {
  GraphBuilder b(shape, kT);
  b.dense(3, kWeights, {0.1, 0.2, 0.3}, kW, kT, make_fixed(24, 10), kT);
  b.last().settings.reuse_factor = rf;
  b.unary(ir::OpKind::kRelu, kT);
  ir::Graph g = b.build();
  g.settings.io_type = io;
  return g;
}

TEST(Plan, DenseIntervalIsItsReuseFactorAndItsMultipliersAreShared) {
  const ir::Graph g = mlp({4}, 3, ir::IOType::kParallel);
  const ir::Node& dense = g.nodes.at(1);
  EXPECT_EQ(dense_real_products(dense), kRealProducts);
  EXPECT_EQ(dense_multiplier_limit(dense), 3);  // ceil(7 / 3)
  const Plan p = make_plan(g);
  ASSERT_EQ(p.layers.size(), 2u);  // the input is a port, not a layer
  const LayerPlan& d = p.layer(dense.name);
  EXPECT_EQ(d.op, ir::OpKind::kDense);
  EXPECT_EQ(d.interval, 3);
  EXPECT_EQ(d.reuse_factor, 3);
  EXPECT_EQ(d.multiplier_limit, 3);
  EXPECT_EQ(d.strategy, ir::Strategy::kLatency);
  const LayerPlan& relu = p.layers.at(1);
  EXPECT_EQ(relu.interval, 1);
  EXPECT_EQ(relu.multiplier_limit, 0);
  EXPECT_EQ(p.interval, 3);
}

TEST(Plan, DenseIntervalIsPositionsTimesReuseFactor) {
  // [5, 4]: five positions of four channels, each multiplied by the whole matrix.
  const Plan p = make_plan(mlp({5, 4}, 2, ir::IOType::kParallel));
  EXPECT_EQ(p.layers.at(0).interval, 10);
  EXPECT_EQ(p.layers.at(0).multiplier_limit, 4);  // ceil(7 / 2)
  EXPECT_EQ(p.interval, 10);
}

TEST(Plan, MultiplierLimitIsAtLeastOne) {
  GraphBuilder b({2}, kT);
  b.dense(2, {0.5, 0.0, -1.0, 0.25}, {0.0, 0.0}, kW, kT, make_fixed(24, 10), kT);
  const ir::Graph g = b.build();
  EXPECT_EQ(dense_real_products(g.nodes.at(1)), 0);
  EXPECT_EQ(make_plan(g).layers.at(0).multiplier_limit, 1);
}

TEST(Plan, IoParallelEdgesAreArrays) {
  const ir::Graph g = mlp({4}, 1, ir::IOType::kParallel);
  const Plan p = make_plan(g);
  EXPECT_EQ(p.io_type, ir::IOType::kParallel);
  ASSERT_EQ(p.edges.size(), 4u);  // input port, x -> dense, dense -> relu, output port
  for (const EdgePlan& e : p.edges) {
    EXPECT_EQ(e.transfer, Transfer::kArray);
    EXPECT_EQ(e.beats, 0);
    EXPECT_EQ(e.fifo_depth, 0);
  }
  EXPECT_TRUE(p.edges.front().is_input_port());
  EXPECT_EQ(p.edges.front().consumer, "x");
  EXPECT_EQ(p.edges.front().values, 4);
  EXPECT_EQ(p.edges.at(1).producer, "x");
  EXPECT_EQ(p.edges.at(1).consumer, g.nodes.at(1).name);
  EXPECT_TRUE(p.edges.back().is_output_port());
  EXPECT_EQ(p.edges.back().producer, g.outputs.front());
  EXPECT_EQ(p.edges.back().values, 3);
}

TEST(Plan, IoStreamPortsAreStreamsOfOneBeatAndTheInsideArrays) {
  const ir::Graph g = mlp({4}, 1, ir::IOType::kStream);
  const Plan p = make_plan(g);
  EXPECT_EQ(p.io_type, ir::IOType::kStream);
  const EdgePlan& in = p.input_port("x");
  EXPECT_EQ(in.transfer, Transfer::kStream);
  EXPECT_EQ(in.beat_width, 4);  // one position: the beat is the whole vector
  EXPECT_EQ(in.beats, 1);
  EXPECT_EQ(in.fifo_depth, 0);
  const EdgePlan& out = p.output_port(g.outputs.front());
  EXPECT_EQ(out.transfer, Transfer::kStream);
  EXPECT_EQ(out.beat_width, 3);
  EXPECT_EQ(out.beats, 1);
  for (const EdgePlan& e : p.edges) {
    if (!e.is_input_port() && !e.is_output_port()) {
      EXPECT_EQ(e.transfer, Transfer::kArray);
    }
  }
}

TEST(Plan, IoStreamPortOfSeveralPositionsStreamsOneBeatPerPosition) {
  // Several positions make a dataflow plan (stream_plan_test.cpp): a beat per position.
  const Plan p = make_plan(mlp({5, 4}, 1, ir::IOType::kStream));
  EXPECT_TRUE(p.dataflow);
  const EdgePlan& in = p.input_port("x");
  EXPECT_EQ(in.values, 20);
  EXPECT_EQ(in.beat_width, 4);
  EXPECT_EQ(in.beats, 5);
}

TEST(Plan, JsonAndText) {
  const ir::Graph g = mlp({4}, 2, ir::IOType::kStream);
  const Plan p = make_plan(g);
  const nlohmann::json j = to_json(p);
  EXPECT_EQ(j.at("io_type"), "io_stream");
  EXPECT_EQ(j.at("interval"), 2);
  EXPECT_EQ(j.at("layers").at(0).at("multiplier_limit"), 4);
  EXPECT_FALSE(j.at("layers").at(1).contains("multiplier_limit"));
  EXPECT_TRUE(j.at("edges").at(0).at("producer").is_null());
  EXPECT_EQ(j.at("edges").at(0).at("transfer"), "stream");
  EXPECT_EQ(j.at("edges").at(0).at("beat_width"), 4);
  EXPECT_FALSE(j.at("edges").at(1).contains("beats"));
  const std::string text = to_text(p);
  EXPECT_NE(text.find("io_type: io_stream\ninterval: 2\nlayers:\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  " + g.nodes.at(1).name +
                      ": {op: Dense, interval: 2, reuse_factor: 2, multiplier_limit: 4, "
                      "strategy: Latency}\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  <input> -> x: {transfer: stream, values: 4, beat_width: 4, beats: 1, "
                      "fifo_depth: 0}\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  x -> " + g.nodes.at(1).name + ": {transfer: array, values: 4}\n"),
            std::string::npos)
      << text;
}

TEST(Plan, UnknownLayerIsAnInternalErrorNamingIt) {
  const Plan p = make_plan(mlp({4}, 1, ir::IOType::kParallel));
  EXPECT_EQ(p.find_layer("x"), nullptr);
  try {
    (void)p.layer("nowhere");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInternal);
    EXPECT_EQ(e.where().node, "nowhere");
  }
}

}  // namespace
}  // namespace nnfpga::plan
