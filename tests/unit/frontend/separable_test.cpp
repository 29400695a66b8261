// The SeparableConv split shared by the Keras readers (frontend/separable.hpp): the two nodes,
// their names, weights and window, shapes inferred through the op table, the float result of the
// pair against a separable convolution written here, and the refusals naming the layer.
#include "frontend/separable.hpp"

#include <gtest/gtest.h>

#include <random>

#include "ir/float_eval.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend {
namespace {

std::vector<double> normal(std::size_t n, std::mt19937_64& rng) {
  std::normal_distribution<double> d;
  std::vector<double> v(n);
  for (double& x : v) x = d(rng);
  return v;
}

ir::Graph with_input(const ir::Shape& shape, std::vector<ir::Node> nodes) {
  ir::Graph g{.name = "sep"};
  ir::Node x{.name = "x", .op = ir::OpKind::kInput};
  x.attrs.set("shape", std::vector<std::int64_t>(shape));
  g.nodes.push_back(x);
  for (ir::Node& n : nodes) g.nodes.push_back(std::move(n));
  g.inputs = {"x"};
  g.outputs = {g.nodes.back().name};
  ir::infer_shapes(g);
  return g;
}

TEST(Separable, SplitsIntoADepthwiseAndAPointwiseNodeNamedForTheLayer) {
  std::mt19937_64 rng(5);
  SeparableConv layer{.name = "sep", .input = "x", .spatial_axes = 2};
  layer.depthwise_weight = ir::Tensor{{3, 3, 2, 2}, normal(36, rng)};
  layer.pointwise_weight = ir::Tensor{{1, 1, 4, 5}, normal(20, rng)};
  layer.bias = ir::Tensor{{5}, normal(5, rng)};
  layer.strides = {2, 2};
  layer.pads = {1, 1, 1, 1};
  const std::vector<ir::Node> nodes = separable_conv_nodes(layer);
  ASSERT_EQ(nodes.size(), 2u);
  const ir::Node& dw = nodes[0];
  const ir::Node& pw = nodes[1];
  EXPECT_EQ(dw.name, "sep_depthwise");
  EXPECT_EQ(dw.op, ir::OpKind::kDepthwiseConv2D);
  EXPECT_EQ(dw.inputs, std::vector<std::string>{"x"});
  EXPECT_EQ(dw.params.count("bias"), 0u);  // the bias is the pointwise node's
  EXPECT_EQ(dw.attrs.get_ints("strides"), (std::vector<std::int64_t>{2, 2}));
  EXPECT_EQ(dw.attrs.get_ints("pads"), (std::vector<std::int64_t>{1, 1, 1, 1}));
  EXPECT_FALSE(dw.attrs.has("dilations"));
  EXPECT_EQ(pw.name, "sep");
  EXPECT_EQ(pw.op, ir::OpKind::kConv2D);
  EXPECT_EQ(pw.inputs, std::vector<std::string>{"sep_depthwise"});
  EXPECT_EQ(pw.param("weight").shape, (ir::Shape{1, 1, 4, 5}));
  EXPECT_EQ(pw.param("bias").data, layer.bias->data);
  EXPECT_FALSE(pw.attrs.has("strides"));  // 1x1, stride 1, no padding

  const ir::Graph g = with_input({7, 6, 2}, nodes);
  EXPECT_EQ(g.at("sep_depthwise").output_shape, (ir::Shape{4, 3, 4}));
  EXPECT_EQ(g.at("sep").output_shape, (ir::Shape{4, 3, 5}));
}

// The pair in real arithmetic is the separable convolution: per output position, the depthwise
// outputs d[c*M + m] = sum over the window of x[c] * dw[kh][kw][c][m], then
// y[f] = b[f] + sum_j d[j] * pw[j][f].
TEST(Separable, ThePairComputesTheSeparableConvolution) {
  std::mt19937_64 rng(6);
  const std::int64_t w = 7, c = 3, m = 2, k = 3, f = 4;
  SeparableConv layer{.name = "s1", .input = "x", .spatial_axes = 1};
  layer.depthwise_weight = ir::Tensor{{k, c, m}, normal(static_cast<std::size_t>(k * c * m), rng)};
  layer.pointwise_weight = ir::Tensor{{c * m, f}, normal(static_cast<std::size_t>(c * m * f), rng)};
  layer.bias = ir::Tensor{{f}, normal(static_cast<std::size_t>(f), rng)};
  layer.dilations = {2};
  const std::vector<ir::Node> nodes = separable_conv_nodes(layer);
  EXPECT_EQ(nodes[1].param("weight").shape, (ir::Shape{1, c * m, f}));
  const ir::Graph g = with_input({w, c}, nodes);
  const std::int64_t ow = w - 2 * (k - 1);
  ASSERT_EQ(g.at("s1").output_shape, (ir::Shape{ow, f}));

  const ir::Tensor x{{w, c}, normal(static_cast<std::size_t>(w * c), rng)};
  const ir::Tensor d = ir::evaluate_float(g.at("s1_depthwise"), {&x}, 0);
  const ir::Tensor y = ir::evaluate_float(g.at("s1"), {&d}, 0);
  ASSERT_EQ(y.shape, (ir::Shape{ow, f}));
  const std::vector<double>& dw = layer.depthwise_weight.data;
  const std::vector<double>& pw = layer.pointwise_weight.data;
  for (std::int64_t o = 0; o < ow; ++o) {
    std::vector<double> mid(static_cast<std::size_t>(c * m), 0.0);
    for (std::int64_t ch = 0; ch < c; ++ch) {
      for (std::int64_t q = 0; q < m; ++q) {
        for (std::int64_t t = 0; t < k; ++t) {
          mid[ch * m + q] += x.data[(o + 2 * t) * c + ch] * dw[(t * c + ch) * m + q];
        }
      }
    }
    for (std::int64_t j = 0; j < f; ++j) {
      double want = layer.bias->data[j];
      for (std::int64_t i = 0; i < c * m; ++i) want += mid[i] * pw[i * f + j];
      EXPECT_NEAR(y.data[o * f + j], want, 1e-12) << o << " " << j;
    }
  }
}

std::string refusal(const SeparableConv& layer) {
  try {
    separable_conv_nodes(layer);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where().node, layer.name);
    return e.message();
  }
  ADD_FAILURE() << "accepted";
  return "";
}

TEST(Separable, RefusesWeightsThatDoNotFitEachOther) {
  SeparableConv layer{.name = "bad", .input = "x", .spatial_axes = 2};
  layer.depthwise_weight = ir::Tensor{{3, 3, 2, 1}, std::vector<double>(18, 0.0)};
  layer.pointwise_weight = ir::Tensor{{1, 1, 3, 4}, std::vector<double>(12, 0.0)};
  EXPECT_EQ(refusal(layer),
            "SeparableConv2D: pointwise kernel [1, 1, 3, 4] after depthwise kernel [3, 3, 2, 1]; "
            "expected a depthwise kernel [K_h, K_w, C, M] and a pointwise kernel [1, 1, C*M, F]");
  layer.pointwise_weight = ir::Tensor{{2, 1, 2, 4}, std::vector<double>(16, 0.0)};  // not 1x1
  EXPECT_NE(refusal(layer).find("pointwise kernel [2, 1, 2, 4]"), std::string::npos);
  layer.pointwise_weight = ir::Tensor{{1, 1, 2, 4}, std::vector<double>(8, 0.0)};
  layer.bias = ir::Tensor{{2}, {0, 0}};
  EXPECT_NE(refusal(layer).find("bias [2] for 4 filters"), std::string::npos);
  layer.bias.reset();
  layer.depthwise_weight = ir::Tensor{{3, 2, 1}, std::vector<double>(6, 0.0)};  // a 1-D kernel
  EXPECT_NE(refusal(layer).find("SeparableConv2D: depthwise kernel [3, 2, 1]"), std::string::npos);
}

}  // namespace
}  // namespace nnfpga::frontend
