// LayerName.<layer>.FifoDepth: one depth for every FIFO of the layer's output, or one per reader;
// a bad value is an error naming the FIFO and the key; the key belongs to LayerName entries only.
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "graphs.hpp"
#include "ir/json_io.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::config {
namespace {

using testing::finish;
using testing::input_node;
using testing::unary_node;

// x[4,4,2] -> relu -> sigmoid, relu also a graph output
ir::Graph fan_out() {
  ir::Graph g{.name = "fan"};
  g.nodes = {input_node("x", {4, 4, 2}), unary_node("relu", ir::OpKind::kRelu, "x"),
             unary_node("act", ir::OpKind::kSigmoid, "relu")};
  return finish(std::move(g));
}

void expect_config_error(const Tree& tree, const std::string& key, const std::string& text) {
  ir::Graph g = fan_out();
  try {
    resolve(g, tree);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConfig);
    EXPECT_EQ(e.where().key, key);
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}

TEST(FifoDepthConfig, OneDepthOrOnePerReader) {
  ir::Graph g = fan_out();
  resolve(g, Tree{{"IOType", "io_stream"},
                  {"LayerName",
                   {{"relu", {{"FifoDepth", 12}}}, {"x", {{"FifoDepth", {{"relu", 5}}}}}}}});
  EXPECT_EQ(g.at("relu").settings.fifo_depth, 12);
  EXPECT_TRUE(g.at("relu").settings.fifo_depth_by_consumer.empty());
  EXPECT_EQ(g.at("x").settings.fifo_depth_by_consumer.at("relu"), 5);
  EXPECT_EQ(g.at("act").settings.fifo_depth, 0);
  // The settings survive the graph's JSON round trip.
  EXPECT_EQ(ir::graph_from_json(ir::to_json(g)).at("x").settings, g.at("x").settings);
}

TEST(FifoDepthConfig, BadDepthNamesTheFifo) {
  expect_config_error(Tree{{"LayerName", {{"relu", {{"FifoDepth", 0}}}}}},
                      "LayerName.relu.FifoDepth",
                      "the depth of FIFO out of relu must be an integer from 1 to 16777216 "
                      "beats, got 0");
  expect_config_error(Tree{{"LayerName", {{"x", {{"FifoDepth", {{"relu", "deep"}}}}}}}},
                      "LayerName.x.FifoDepth.relu", "the depth of FIFO x -> relu must be");
}

TEST(FifoDepthConfig, OnlyUnderLayerName) {
  expect_config_error(Tree{{"Model", {{"FifoDepth", 8}}}}, "Model.FifoDepth",
                      "set it under LayerName.<layer>");
}

}  // namespace
}  // namespace nnfpga::config
