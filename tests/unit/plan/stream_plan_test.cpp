// Dataflow plans of io_stream CNNs: every edge between layers a FIFO of one beat per position,
// clones for fan-outs (named, ordered and wired as the stream contract says), the convolutions'
// interval, multiplier limit and pipeline depth, FIFO depths from the schedule, the
// configuration's FifoDepth over them and its errors.
#include <gtest/gtest.h>

#include "../emulate/graph_builder.hpp"
#include "nnfpga/error.hpp"
#include "plan/plan.hpp"

namespace nnfpga::plan {
namespace {

using emulate::testing::GraphBuilder;
using fixed::make_fixed;

const fixed::FixedType kT = make_fixed(8, 3);

// x [6, 6, 2] -> conv 3x3 'same' to 4 channels (reuse factor rf) -> relu -> flatten -> dense(3)
ir::Graph small_cnn(int rf, ir::IOType io = ir::IOType::kStream) {
  GraphBuilder b({6, 6, 2}, kT);
  std::vector<double> w(72);
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = 0.125 * static_cast<double>(i % 5) + 0.3;
  b.conv(ir::OpKind::kConv2D, {3, 3, 2, 4}, w, {0, 0, 0, 0}, {1, 1}, {1, 1}, {1, 1, 1, 1}, kT, kT,
         make_fixed(20, 8), kT);
  b.last().settings.reuse_factor = rf;
  b.unary(ir::OpKind::kRelu, kT);
  b.reshape(ir::OpKind::kFlatten, {144}, kT);
  b.dense(3, std::vector<double>(432, 0.3), {0, 0, 0}, kT, kT, make_fixed(24, 10), kT);
  ir::Graph g = b.build();
  g.settings.io_type = io;
  return g;
}

// x [5, 5, 2] -> conv 3x3 'same' -> add(conv, x)
ir::Graph residual() {
  GraphBuilder b({5, 5, 2}, kT);
  b.conv(ir::OpKind::kConv2D, {3, 3, 2, 2}, std::vector<double>(36, 0.3), {}, {1, 1}, {1, 1},
         {1, 1, 1, 1}, kT, kT, make_fixed(20, 8), kT);
  b.merge(ir::OpKind::kAdd, {b.last().name, "x"}, kT);
  ir::Graph g = b.build();
  g.settings.io_type = ir::IOType::kStream;
  return g;
}

std::vector<std::string> edge_names(const Plan& p) {
  std::vector<std::string> names;
  for (const EdgePlan& e : p.edges) names.push_back(edge_name(e));
  return names;
}

TEST(StreamPlan, CnnEdgesAreStreamsOfOneBeatPerPosition) {
  const ir::Graph g = small_cnn(2);
  const Plan p = make_plan(g);
  ASSERT_TRUE(p.dataflow);
  const std::string conv = g.nodes.at(1).name, relu = g.nodes.at(2).name, flat = g.nodes.at(3).name,
                    dense = g.nodes.at(4).name;
  EXPECT_EQ(edge_names(p),
            (std::vector<std::string>{"<input> -> x", "x -> " + conv, conv + " -> " + relu,
                                      relu + " -> " + flat, flat + " -> " + dense,
                                      dense + " -> <output>"}));
  for (const EdgePlan& e : p.edges) EXPECT_EQ(e.transfer, Transfer::kStream) << edge_name(e);
  EXPECT_EQ(p.edges[0].beats, 36);
  EXPECT_EQ(p.edges[0].beat_width, 2);
  EXPECT_EQ(p.edges[2].beats, 36);
  EXPECT_EQ(p.edges[2].beat_width, 4);
  EXPECT_EQ(p.edges[4].beats, 1);  // Flatten writes one beat of every value
  EXPECT_EQ(p.edges[4].beat_width, 144);
  // Ports (and the input read straight from its port) have no FIFO; every other edge has one.
  EXPECT_EQ(p.edges[0].fifo_depth, 0);
  EXPECT_EQ(p.edges[1].fifo_depth, 0);
  EXPECT_EQ(p.edges[5].fifo_depth, 0);
  for (std::size_t i = 2; i < 5; ++i) EXPECT_GE(p.edges[i].fifo_depth, 1) << edge_name(p.edges[i]);
}

TEST(StreamPlan, ConvolutionIsADenseOverItsWindow) {
  const ir::Graph g = small_cnn(4);
  const Plan p = make_plan(g);
  const LayerPlan& conv = p.layers.at(0);
  EXPECT_EQ(conv.kind, LayerKind::kNode);
  EXPECT_EQ(conv.reuse_factor, 4);
  // A pixel every 4 cycles, then the 8 outputs that need the last pixel ((4,4), (4,5) and the
  // last row) one a cycle: the next sample's first pixel waits for the last write.
  EXPECT_EQ(conv.interval, 36 * 4 + 3);
  EXPECT_EQ(conv.multiplier_limit, 72 / 4);  // 18 inputs x 4 filters, no weight 0 or 2^k
  EXPECT_EQ(conv.latency, 4 + 1 + 5);        // reuse, products, a 5-level tree over 18 inputs
  EXPECT_EQ(p.layers.at(1).interval, 36);    // relu: a pixel a cycle
  EXPECT_EQ(p.layers.at(2).interval, 36);    // flatten reads 36 beats, writes one
  EXPECT_EQ(p.interval, 147);
  EXPECT_GT(p.latency, 144);
}

TEST(StreamPlan, FanOutGoesThroughACloneInConsumerOrder) {
  const ir::Graph g = residual();
  const Plan p = make_plan(g);
  const std::string conv = g.nodes.at(1).name, add = g.nodes.at(2).name;
  ASSERT_EQ(p.layers.size(), 3u);
  EXPECT_EQ(p.layers[0].layer, "x_clone");
  EXPECT_EQ(p.layers[0].kind, LayerKind::kClone);
  EXPECT_EQ(p.layers[0].op, ir::OpKind::kInput);
  EXPECT_EQ(p.layers[0].interval, 25);
  EXPECT_EQ(edge_names(p), (std::vector<std::string>{"<input> -> x", "x -> x_clone",
                                                     "x_clone -> " + conv, conv + " -> " + add,
                                                     "x_clone -> " + add, add + " -> <output>"}));
  EXPECT_EQ(p.edges[1].fifo_depth, 0);  // the clone reads the input port
  // The bypass holds what the convolution holds back: more than a row.
  EXPECT_GT(p.edges[4].fifo_depth, 5);
  const std::string text = to_text(p);
  EXPECT_NE(text.find("x_clone: {kind: clone, op: Input"), std::string::npos) << text;
  EXPECT_NE(text.find("dataflow: true"), std::string::npos) << text;
}

TEST(StreamPlan, AnOutputAlsoReadByALayerReachesItsPortThroughTheClone) {
  GraphBuilder b({4, 4, 2}, kT);
  b.unary(ir::OpKind::kRelu, kT);
  const std::string relu = b.last().name;
  b.unary(ir::OpKind::kSigmoid, kT);
  b.last().settings.table_size = 256;
  b.last().types["table"] = kT;
  ir::Graph g = b.build();
  g.outputs = {relu, g.nodes.back().name};
  g.settings.io_type = ir::IOType::kStream;
  const Plan p = make_plan(g);
  EXPECT_EQ(p.layers.at(1).layer, relu + "_clone");
  EXPECT_EQ(p.output_port(relu).producer, relu + "_clone");
  EXPECT_EQ(p.output_port(g.nodes.back().name).producer, g.nodes.back().name);
}

TEST(StreamPlan, CloneNamesAreUnique) {
  ir::Graph g = residual();
  g.nodes.back().name = "x_clone";  // the add takes the clone's natural name
  g.outputs = {"x_clone"};
  const Plan p = make_plan(g);
  EXPECT_EQ(p.layers.at(0).layer, "x_clone2");
}

TEST(StreamPlan, FifoDepthSettingOverridesTheSchedule) {
  ir::Graph g = residual();
  const std::string conv = g.nodes.at(1).name, add = g.nodes.at(2).name;
  g.nodes.at(0).settings.fifo_depth_by_consumer[add] = 40;  // the bypass
  g.nodes.at(1).settings.fifo_depth = 7;
  const Plan p = make_plan(g);
  EXPECT_EQ(p.edges[4].fifo_depth, 40);
  EXPECT_EQ(p.edges[3].fifo_depth, 7);
  EXPECT_EQ(p.edges[2].fifo_depth, make_plan(residual()).edges[2].fifo_depth);
}

TEST(StreamPlan, FifoDepthForAReaderWithoutAFifoNamesTheFifo) {
  ir::Graph g = residual();
  g.nodes.at(1).settings.fifo_depth_by_consumer["x"] = 3;
  try {
    make_plan(g);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConfig);
    EXPECT_EQ(e.where().node, g.nodes.at(1).name);
    EXPECT_EQ(e.where().key, "LayerName." + g.nodes.at(1).name + ".FifoDepth.x");
    EXPECT_NE(std::string(e.what()).find("no FIFO " + g.nodes.at(1).name + " -> x"),
              std::string::npos)
        << e.what();
  }
}

TEST(StreamPlan, FifoDepthOnAModelWithoutFifosIsAnError) {
  ir::Graph g = small_cnn(1, ir::IOType::kParallel);
  g.nodes.at(1).settings.fifo_depth = 4;
  try {
    make_plan(g);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConfig);
    EXPECT_NE(std::string(e.what()).find("has no FIFO to size"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("io_parallel"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nnfpga::plan
