// DepthwiseConv1D and DepthwiseConv2D in the IR: the shape rule and geometry (ir/geometry.hpp)
// against the textbook output size on fuzzed shapes, the matrix a reuse factor and the
// accumulator rule see, the refusals, and the float meaning against a direct evaluation written
// here (output channel c*M + m, Keras's and ONNX's group = C order).
#include <gtest/gtest.h>

#include <random>

#include "ir/float_eval.hpp"
#include "ir/geometry.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::ir {
namespace {

Node depthwise(OpKind op, const Shape& weight, std::vector<std::int64_t> strides,
               std::vector<std::int64_t> dilations, std::vector<std::int64_t> pads) {
  Node n;
  n.name = "dw";
  n.op = op;
  n.params["weight"] =
      Tensor{weight, std::vector<double>(static_cast<std::size_t>(element_count(weight)), 0.0)};
  n.attrs.set("strides", std::move(strides));
  n.attrs.set("dilations", std::move(dilations));
  n.attrs.set("pads", std::move(pads));
  return n;
}

std::string shape_error(const Node& n, const Shape& x) {
  try {
    op_info(n.op).shape_rule(n, {x});
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where().node, "dw");
    return e.message();
  }
  return "";
}

TEST(DepthwiseShape, FuzzedShapesGiveTheTextbookSizeAndMatrix) {
  std::mt19937_64 rng(1616);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int fitted = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const bool two = trial % 2 == 1;
    const std::int64_t h = two ? pick(1, 12) : 1, w = pick(1, 12), c = pick(1, 5), m = pick(1, 3);
    const std::int64_t kh = two ? pick(1, 4) : 1, kw = pick(1, 4);
    const std::int64_t sh = pick(1, 3), sw = pick(1, 3), dh = pick(1, 3), dw = pick(1, 3);
    const std::int64_t pt = pick(0, 3), pb = pick(0, 3), pl = pick(0, 3), pr = pick(0, 3);
    const Node n = two ? depthwise(OpKind::kDepthwiseConv2D, {kh, kw, c, m}, {sh, sw}, {dh, dw},
                                   {pt, pb, pl, pr})
                       : depthwise(OpKind::kDepthwiseConv1D, {kw, c, m}, {sw}, {dw}, {pl, pr});
    const Shape x = two ? Shape{h, w, c} : Shape{w, c};
    const std::int64_t span_h = dh * (kh - 1) + 1, span_w = dw * (kw - 1) + 1;
    const std::int64_t padded_h = two ? h + pt + pb : 1, padded_w = w + pl + pr;
    if (span_h > padded_h || span_w > padded_w) {
      EXPECT_NE(shape_error(n, x).find("does not fit"), std::string::npos);
      continue;
    }
    ++fitted;
    const std::int64_t oh = (padded_h - span_h) / (two ? sh : 1) + 1;
    const std::int64_t ow = (padded_w - span_w) / sw + 1;
    const Shape out = op_info(n.op).shape_rule(n, {x});
    EXPECT_EQ(out, two ? Shape({oh, ow, c * m}) : Shape({ow, c * m}));
    Node typed = n;
    typed.input_shapes = {x};
    typed.output_shape = out;
    const DepthwiseGeometry g = depthwise_geometry(typed);
    EXPECT_EQ(g.multiplier, m);
    EXPECT_EQ(g.window.channels, c);
    // Each output sums k_h*k_w products; a reuse factor divides k_h*k_w*C*M per position.
    const DenseGeometry mat = weighted_sum_geometry(typed);
    EXPECT_EQ(mat.n_in, kh * kw);
    EXPECT_EQ(mat.n_out, c * m);
    EXPECT_EQ(mat.positions, oh * ow);
    EXPECT_EQ(mat.products(), kh * kw * c * m);
  }
  EXPECT_GT(fitted, 150);
}

TEST(DepthwiseShape, RefusesWhatDoesNotFit) {
  EXPECT_NE(
      shape_error(depthwise(OpKind::kDepthwiseConv2D, {3, 3, 4, 1}, {1, 1}, {1, 1}, {0, 0, 0, 0}),
                  {8, 8, 3})
          .find("input [8, 8, 3] does not fit weight [3, 3, 4, 1] (expected [K_h, K_w, C, "
                "M], M the depth multiplier)"),
      std::string::npos);
  EXPECT_NE(shape_error(depthwise(OpKind::kDepthwiseConv1D, {3, 3, 0}, {1}, {1}, {0, 0}), {8, 3})
                .find("does not fit weight [3, 3, 0]"),
            std::string::npos);
  EXPECT_NE(shape_error(depthwise(OpKind::kDepthwiseConv1D, {3, 3, 2}, {1}, {1}, {0}), {8, 3})
                .find("pads has 1 entries, expected 2"),
            std::string::npos);
  EXPECT_NE(shape_error(depthwise(OpKind::kDepthwiseConv1D, {9, 3, 2}, {1}, {1}, {0, 0}), {8, 3})
                .find("a window of 9 (dilation 1) does not fit 8 positions"),
            std::string::npos);
  Node biased = depthwise(OpKind::kDepthwiseConv1D, {3, 3, 2}, {1}, {1}, {0, 0});
  biased.params["bias"] = make_tensor({3}, {0, 0, 0});  // [C] where [C*M] = [6] is due
  EXPECT_NE(shape_error(biased, {8, 3})
                .find("bias [3] does not fit weight [3, 3, 2] (expected "
                      "[C*M])"),
            std::string::npos);
}

TEST(DepthwiseShape, GeometryOfAnotherOpIsTheCompilersError) {
  Node n = depthwise(OpKind::kDepthwiseConv1D, {3, 2, 1}, {1}, {1}, {0, 0});
  n.op = OpKind::kConv1D;
  n.input_shapes = {{5, 2}};
  n.output_shape = {3, 2};
  try {
    depthwise_geometry(n);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInternal);
    EXPECT_EQ(e.where().node, "dw");
  }
}

// A direct evaluation: out[oh][ow][c*M + m] = b[c*M + m] + sum over the window of
// x[.][.][c] * w[kh][kw][c][m], padding as zero.
std::vector<double> direct_depthwise2d(const std::vector<double>& x, std::int64_t h, std::int64_t w,
                                       const Tensor& weight, const Tensor& bias, std::int64_t s,
                                       std::int64_t d, std::int64_t pad, std::int64_t oh,
                                       std::int64_t ow) {
  const std::int64_t kh = weight.shape[0], kw = weight.shape[1], c = weight.shape[2],
                     m = weight.shape[3];
  std::vector<double> y;
  for (std::int64_t i = 0; i < oh; ++i) {
    for (std::int64_t j = 0; j < ow; ++j) {
      for (std::int64_t k = 0; k < c; ++k) {
        for (std::int64_t q = 0; q < m; ++q) {
          double acc = bias.data[k * m + q];
          for (std::int64_t a = 0; a < kh; ++a) {
            for (std::int64_t b = 0; b < kw; ++b) {
              const std::int64_t r = i * s - pad + a * d, col = j * s - pad + b * d;
              if (r < 0 || r >= h || col < 0 || col >= w) continue;
              acc += x[(r * w + col) * c + k] * weight.data[((a * kw + b) * c + k) * m + q];
            }
          }
          y.push_back(acc);
        }
      }
    }
  }
  return y;
}

TEST(DepthwiseFloat, MatchesADirectEvaluationOverABatch) {
  std::mt19937_64 rng(8);
  std::normal_distribution<double> normal;
  Node n = depthwise(OpKind::kDepthwiseConv2D, {3, 2, 3, 2}, {2, 2}, {2, 2}, {1, 1, 1, 1});
  for (double& v : n.params["weight"].data) v = normal(rng);
  n.params["bias"] = make_tensor({6}, {0.5, -1, 2, 0.25, 0, -3});
  const std::int64_t h = 6, w = 5, c = 3;
  const Shape out = op_info(n.op).shape_rule(n, {{h, w, c}});
  ASSERT_EQ(out.back(), 6);
  Tensor x{{2, h, w, c}, std::vector<double>(static_cast<std::size_t>(2 * h * w * c))};
  for (double& v : x.data) v = normal(rng);
  const Tensor y = evaluate_float(n, {&x}, 1);
  ASSERT_EQ(y.shape, (Shape{2, out[0], out[1], out[2]}));
  for (std::int64_t s = 0; s < 2; ++s) {
    const std::vector<double> sample(x.data.begin() + s * h * w * c,
                                     x.data.begin() + (s + 1) * h * w * c);
    const std::vector<double> want = direct_depthwise2d(sample, h, w, n.param("weight"),
                                                        n.param("bias"), 2, 2, 1, out[0], out[1]);
    for (std::size_t k = 0; k < want.size(); ++k) {
      EXPECT_NEAR(y.data[static_cast<std::size_t>(s) * want.size() + k], want[k], 1e-12);
    }
  }
}

TEST(DepthwiseFloat, OneDimensionalWithoutBiasKeepsChannelsApart) {
  // Two channels, multiplier 2, kernel 2: channel 0's kernels (1, 10) and (2, 20), channel 1's
  // (3, 30) and (4, 40); weight [K_w=2][C=2][M=2].
  Node n = depthwise(OpKind::kDepthwiseConv1D, {2, 2, 2}, {1}, {1}, {0, 0});
  n.params["weight"].data = {1, 2, 3, 4, 10, 20, 30, 40};
  const Tensor x = make_tensor({2, 2}, {1, 5, 2, 7});  // positions (1, 5) and (2, 7)
  // channel 0: 1*1 + 2*10 = 21, 1*2 + 2*20 = 42; channel 1: 5*3 + 7*30 = 225, 5*4 + 7*40 = 300.
  EXPECT_EQ(evaluate_float(n, {&x}, 0), make_tensor({1, 4}, {21, 42, 225, 300}));
}

}  // namespace
}  // namespace nnfpga::ir
