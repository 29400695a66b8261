// Configuration of convolution layers: the reuse factor divides the per-position matrix product
// (k_h*k_w*c_in inputs by F filters, ir::ConvGeometry; k_h*k_w taps by C*M outputs for a
// depthwise one, ir::DepthwiseGeometry), and the accumulator rule sums over the same matrix as
// Dense's.
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

// x[6,6,2] -> conv (3x3, 2 -> 4 filters, stride 2, pads 1) -> relu -> flat [36] -> dense [2]
ir::Graph cnn() {
  ir::Graph g{.name = "cnn"};
  ir::Node conv{.name = "conv", .op = ir::OpKind::kConv2D, .inputs = {"x"}};
  std::vector<double> w;
  for (int i = 0; i < 72; ++i) w.push_back(0.01 * static_cast<double>(i % 13) - 0.05);
  conv.params["weight"] = ir::make_tensor({3, 3, 2, 4}, w);
  conv.params["bias"] = ir::make_tensor({4}, {0.5, -0.5, 0.25, 0});
  conv.attrs.set("strides", std::vector<std::int64_t>{2, 2});
  conv.attrs.set("pads", std::vector<std::int64_t>{1, 1, 1, 1});
  g.nodes = {input_node("x", {6, 6, 2}), conv, unary_node("relu", ir::OpKind::kRelu, "conv"),
             unary_node("flat", ir::OpKind::kFlatten, "relu"),
             testing::dense_node("dense", "flat", 36, 2)};
  return finish(std::move(g));
}

TEST(CnnConfig, ReuseFactorDividesThePerPositionProduct) {
  ir::Graph g = cnn();
  EXPECT_EQ(g.at("conv").output_shape, (ir::Shape{3, 3, 4}));
  resolve(g, Tree{{"Model", {{"ReuseFactor", 8}}}});
  EXPECT_EQ(g.at("conv").settings.reuse_factor, 8);
  EXPECT_EQ(g.at("relu").settings.reuse_factor, 1);
  for (const char* key : {"weight", "bias", "accum", "result"}) {
    EXPECT_NO_THROW(g.at("conv").type(key)) << key;
  }
}

TEST(CnnConfig, AReuseFactorThatDoesNotDivideNamesTheConvolution) {
  ir::Graph g = cnn();
  try {
    resolve(g, Tree{{"LayerName", {{"conv", {{"ReuseFactor", 5}}}}}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConfig);
    EXPECT_EQ(e.where().node, "conv");
    EXPECT_NE(std::string(e.what()).find("does not fit Conv2D layer 'conv' (18 inputs x 4 "
                                         "outputs = 72 multiplications)"),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("nearest valid: 3, 4, 6, 8"), std::string::npos)
        << e.what();
  }
}

TEST(CnnConfig, AutoAccumulatorHoldsEveryWindowSum) {
  ir::Graph g = cnn();
  resolve(g, Tree{{"Model",
                   {{"Precision",
                     {{"weight", "ap_fixed<8,1>"},
                      {"bias", "ap_fixed<8,1>"},
                      {"accum", "auto"},
                      {"result", "ap_fixed<16,6>"}}}}}});
  // Per filter, 18 products of ap_fixed<16,6> inputs (|x| <= 32) by the quantized weights, whose
  // magnitudes sum to 0.609375 at most (filter 0), plus |b| = 0.5: |sum| <= 20. The inferred
  // accumulator keeps the products' 10 + 7 fraction bits and six integer bits, the sign's included.
  const fixed::FixedType acc = g.at("conv").type("accum");
  EXPECT_EQ(acc.frac(), 10 + 7);
  EXPECT_EQ(acc.integer, 6);
}

// x[5,5,3] -> dw (DepthwiseConv2D 3x3, 3 channels, multiplier 2, pads 1) -> flat [150] -> dense
ir::Graph depthwise_cnn() {
  ir::Graph g{.name = "dw_cnn"};
  ir::Node dw{.name = "dw", .op = ir::OpKind::kDepthwiseConv2D, .inputs = {"x"}};
  std::vector<double> w;
  for (int i = 0; i < 54; ++i) w.push_back(0.01 * static_cast<double>(i % 7) - 0.03);
  dw.params["weight"] = ir::make_tensor({3, 3, 3, 2}, w);
  dw.attrs.set("pads", std::vector<std::int64_t>{1, 1, 1, 1});
  g.nodes = {input_node("x", {5, 5, 3}), dw, unary_node("flat", ir::OpKind::kFlatten, "dw"),
             testing::dense_node("dense", "flat", 150, 2)};
  return finish(std::move(g));
}

TEST(CnnConfig, DepthwiseReuseFactorDividesItsProductsPerPosition) {
  ir::Graph g = depthwise_cnn();
  EXPECT_EQ(g.at("dw").output_shape, (ir::Shape{5, 5, 6}));
  // 3*3 taps by 3*2 outputs = 54 products per position.
  resolve(g, Tree{{"LayerType", {{"DepthwiseConv2D", {{"ReuseFactor", 27}}}}}});
  EXPECT_EQ(g.at("dw").settings.reuse_factor, 27);
  EXPECT_EQ(g.at("dense").settings.reuse_factor, 1);
  ir::Graph fresh = depthwise_cnn();
  try {
    resolve(fresh, Tree{{"LayerName", {{"dw", {{"ReuseFactor", 5}}}}}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConfig);
    EXPECT_EQ(e.where().node, "dw");
    EXPECT_NE(std::string(e.what()).find("does not fit DepthwiseConv2D layer 'dw' (9 inputs x 6 "
                                         "outputs = 54 multiplications)"),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("nearest valid: 2, 3, 6, 9"), std::string::npos)
        << e.what();
  }
}

TEST(CnnConfig, DepthwiseAutoAccumulatorSumsOneChannelsWindow) {
  // x[4,2] -> dw (DepthwiseConv1D, kernel 2, 2 channels, multiplier 2, every weight 0.25): each
  // output sums two taps, |w| 0.5 per output, times |x| <= 32 (ap_fixed<16,6>): 16, six integer
  // bits. Summing a whole window of 2 taps x 2 channels (as a Conv would) would give 32: seven.
  ir::Graph g{.name = "dw1"};
  ir::Node dw{.name = "dw", .op = ir::OpKind::kDepthwiseConv1D, .inputs = {"x"}};
  dw.params["weight"] = ir::make_tensor({2, 2, 2}, std::vector<double>(8, 0.25));
  g.nodes = {input_node("x", {4, 2}), dw};
  g = finish(std::move(g));
  EXPECT_EQ(g.at("dw").output_shape, (ir::Shape{3, 4}));
  resolve(
      g,
      Tree{{"Model",
            {{"Precision",
              {{"weight", "ap_fixed<8,1>"}, {"accum", "auto"}, {"result", "ap_fixed<16,6>"}}}}}});
  const fixed::FixedType acc = g.at("dw").type("accum");
  EXPECT_EQ(acc.frac(), 10 + 7);
  EXPECT_EQ(acc.integer, 6);
}

// x[5,5,2] -> avg (AveragePool2D 3x3, stride 2) -> max (MaxPool2D 2x2) -> gap (GlobalAveragePool2D)
TEST(CnnConfig, AveragePoolAccumulatorHoldsTheExactWindowSum) {
  ir::Graph g{.name = "pools"};
  ir::Node avg = unary_node("avg", ir::OpKind::kAveragePool2D, "x");
  avg.attrs.set("pool_size", std::vector<std::int64_t>{3, 3});
  avg.attrs.set("strides", std::vector<std::int64_t>{2, 2});
  ir::Node max = unary_node("max", ir::OpKind::kMaxPool2D, "avg");
  max.attrs.set("pool_size", std::vector<std::int64_t>{2, 2});
  g.nodes = {input_node("x", {5, 5, 2}), avg, max,
             unary_node("gap", ir::OpKind::kGlobalAveragePool2D, "max")};
  g = finish(std::move(g));
  EXPECT_EQ(g.at("avg").output_shape, (ir::Shape{2, 2, 2}));
  EXPECT_EQ(g.at("gap").output_shape, (ir::Shape{2}));
  resolve(g, Tree{{"Model", {{"Precision", "ap_fixed<12,4>"}}}});
  // Nine terms: four more integer bits than the input's (12 - 4 = 8 fraction bits kept).
  EXPECT_EQ(fixed::to_string(g.at("avg").type("accum")), "ap_fixed<16,8>");
  // The global pool's window is the max pool's whole 1x1 output: no more bits.
  EXPECT_EQ(fixed::to_string(g.at("gap").type("accum")), "ap_fixed<12,4>");
}

TEST(CnnConfig, ParallelizationFactorDividesTheOutputPositions) {
  ir::Graph g = cnn();  // conv: 3x3 output positions
  resolve(g, Tree{{"Model", {{"ParallelizationFactor", 3}}}});
  EXPECT_EQ(g.at("conv").settings.parallelization_factor, 3);
  EXPECT_EQ(g.at("dense").settings.parallelization_factor, 1);  // no positions: not reached
  ir::Graph bad = cnn();
  try {
    resolve(bad, Tree{{"LayerType", {{"Conv2D", {{"ParallelizationFactor", 2}}}}}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConfig);
    EXPECT_EQ(e.where().node, "conv");
    EXPECT_EQ(e.where().key, "LayerType.Conv2D.ParallelizationFactor");
    EXPECT_EQ(e.message(),
              "parallelization factor 2 does not fit Conv2D layer 'conv' (9 output positions): it "
              "must divide 9; nearest valid: 1, 3, 9");
  }
  ir::Graph dense = cnn();
  try {
    resolve(dense, Tree{{"LayerName", {{"dense", {{"ParallelizationFactor", 2}}}}}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConfig);
    EXPECT_NE(std::string(e.what()).find("a parallelization factor applies to convolution layers "
                                         "only; "),
              std::string::npos)
        << e.what();
  }
}

TEST(CnnConfig, ConvImplementationIsLineBufferOnly) {
  ir::Graph g = cnn();
  resolve(g, Tree{{"LayerName", {{"conv", {{"ConvImplementation", "linebuffer"}}}}}});
  EXPECT_EQ(g.at("conv").settings.conv_implementation, ir::ConvImplementation::kLineBuffer);
  ir::Graph bad = cnn();
  try {
    resolve(bad, Tree{{"Model", {{"ConvImplementation", "Encoded"}}}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConfig);
    EXPECT_EQ(e.where().key, "Model.ConvImplementation");
    EXPECT_NE(std::string(e.what()).find("expected LineBuffer (the one convolution implementation "
                                         "nnfpga has; hls4ml's Encoded is not implemented), got "
                                         "\"Encoded\""),
              std::string::npos)
        << e.what();
  }
}

TEST(CnnConfig, StartingAndResolvedConfigurationsShowTheConvolutionKeys) {
  ir::Graph g = cnn();
  const Tree start = starting_config(g, Granularity::kType);
  EXPECT_EQ(start["LayerType"]["Conv2D"]["ParallelizationFactor"], Tree(1));
  EXPECT_EQ(start["LayerType"]["Conv2D"]["ConvImplementation"], Tree("LineBuffer"));
  EXPECT_FALSE(start["LayerType"]["Dense"].contains("ParallelizationFactor"));
  resolve(g, Tree{{"LayerName", {{"conv", {{"ParallelizationFactor", 9}, {"ReuseFactor", 4}}}}}});
  const Tree resolved = resolved_config(g);
  const Tree& conv = resolved["LayerName"]["conv"];
  EXPECT_EQ(conv["ParallelizationFactor"], Tree(9));
  EXPECT_EQ(conv["ReuseFactor"], Tree(4));
  EXPECT_EQ(conv["ConvImplementation"], Tree("LineBuffer"));
  EXPECT_FALSE(resolved["LayerName"]["dense"].contains("ConvImplementation"));
  // The IR's JSON keeps them, for the convolutions only (an MLP's text is as before).
  const nlohmann::json j = ir::to_json(g);
  EXPECT_EQ(ir::graph_from_json(j), g);
  for (const nlohmann::json& node : j.at("nodes")) {
    EXPECT_EQ(node.at("settings").contains("parallelization_factor"), node.at("op") == "Conv2D")
        << node.at("name");
  }
  // A starting configuration resolves like the defaults, convolution keys included.
  ir::Graph by_default = cnn(), from_start = cnn();
  resolve(by_default, Tree());
  resolve(from_start, starting_config(from_start, Granularity::kName));
  EXPECT_EQ(from_start, by_default);
}

}  // namespace
}  // namespace nnfpga::config
