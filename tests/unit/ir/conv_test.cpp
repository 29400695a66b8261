// Conv1D and Conv2D in the IR: the shape rule and geometry (one computation, ir/geometry.hpp)
// against the textbook output size, their refusals, and the float meaning against a direct
// evaluation written here.
#include <gtest/gtest.h>

#include <random>

#include "ir/float_eval.hpp"
#include "ir/geometry.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::ir {
namespace {

Node conv(OpKind op, const Shape& weight, std::vector<std::int64_t> strides,
          std::vector<std::int64_t> dilations, std::vector<std::int64_t> pads) {
  Node n;
  n.name = "conv";
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
    EXPECT_EQ(e.where().node, "conv");
    return e.message();
  }
  return "";
}

TEST(ConvShape, OutputSizeIsTheTextbookFormula) {
  std::mt19937_64 rng(16);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int trial = 0; trial < 300; ++trial) {
    const bool two = trial % 2 == 1;
    const std::int64_t h = two ? pick(1, 12) : 1, w = pick(1, 12), c = pick(1, 4), f = pick(1, 5);
    const std::int64_t kh = two ? pick(1, 4) : 1, kw = pick(1, 4);
    const std::int64_t sh = pick(1, 3), sw = pick(1, 3), dh = pick(1, 3), dw = pick(1, 3);
    const std::int64_t pt = pick(0, 3), pb = pick(0, 3), pl = pick(0, 3), pr = pick(0, 3);
    const Node n = two ? conv(OpKind::kConv2D, {kh, kw, c, f}, {sh, sw}, {dh, dw}, {pt, pb, pl, pr})
                       : conv(OpKind::kConv1D, {kw, c, f}, {sw}, {dw}, {pl, pr});
    const Shape x = two ? Shape{h, w, c} : Shape{w, c};
    const std::int64_t span_h = dh * (kh - 1) + 1, span_w = dw * (kw - 1) + 1;
    const std::int64_t padded_h = two ? h + pt + pb : 1, padded_w = w + pl + pr;
    if (span_h > padded_h || span_w > padded_w) {
      EXPECT_NE(shape_error(n, x).find("does not fit"), std::string::npos);
      continue;
    }
    const std::int64_t oh = (padded_h - span_h) / (two ? sh : 1) + 1;
    const std::int64_t ow = (padded_w - span_w) / sw + 1;
    const Shape out = op_info(n.op).shape_rule(n, {x});
    EXPECT_EQ(out, two ? Shape({oh, ow, f}) : Shape({ow, f}));
    Node typed = n;
    typed.input_shapes = {x};
    typed.output_shape = out;
    const DenseGeometry m = weighted_sum_geometry(typed);
    EXPECT_EQ(m.n_in, kh * kw * c);
    EXPECT_EQ(m.n_out, f);
    EXPECT_EQ(m.positions, oh * ow);
  }
}

TEST(ConvShape, RefusesWhatDoesNotFit) {
  // C_in 4 against 3 channels.
  EXPECT_NE(
      shape_error(conv(OpKind::kConv2D, {3, 3, 4, 2}, {1, 1}, {1, 1}, {0, 0, 0, 0}), {8, 8, 3})
          .find("input [8, 8, 3] does not fit weight [3, 3, 4, 2]"),
      std::string::npos);
  EXPECT_NE(shape_error(conv(OpKind::kConv2D, {3, 3, 3, 2}, {1}, {1, 1}, {0, 0, 0, 0}), {8, 8, 3})
                .find("strides has 1 entries, expected 2"),
            std::string::npos);
  EXPECT_NE(shape_error(conv(OpKind::kConv1D, {3, 3, 2}, {0}, {1}, {0, 0}), {8, 3})
                .find("strides has the entry 0"),
            std::string::npos);
  EXPECT_NE(shape_error(conv(OpKind::kConv1D, {3, 3, 2}, {1}, {1}, {-1, 0}), {8, 3})
                .find("pads has the entry -1"),
            std::string::npos);
  EXPECT_NE(shape_error(conv(OpKind::kConv1D, {3, 3, 2}, {1}, {1}, {0, 0}), {8, 8, 3})
                .find("not channels-last with 1 spatial axes"),
            std::string::npos);
  Node biased = conv(OpKind::kConv1D, {3, 3, 2}, {1}, {1}, {0, 0});
  biased.params["bias"] = make_tensor({3}, {0, 0, 0});
  EXPECT_NE(shape_error(biased, {8, 3}).find("bias [3] does not fit"), std::string::npos);
}

TEST(ConvShape, AttributesDefaultToUnitStrideAndNoPadding) {
  Node n;
  n.name = "conv";
  n.op = OpKind::kConv2D;
  n.params["weight"] = Tensor{{2, 3, 1, 4}, std::vector<double>(24, 0.0)};
  EXPECT_EQ(op_info(n.op).shape_rule(n, {{5, 5, 1}}), (Shape{4, 3, 4}));
}

// A direct evaluation: out[oh][ow][f] = b[f] + sum over the window of x * w, padding as zero.
std::vector<double> direct_conv2d(const std::vector<double>& x, std::int64_t h, std::int64_t w,
                                  std::int64_t c, const Tensor& weight, const Tensor& bias,
                                  std::int64_t s, std::int64_t d, std::int64_t pad, std::int64_t oh,
                                  std::int64_t ow) {
  const std::int64_t kh = weight.shape[0], kw = weight.shape[1], f = weight.shape[3];
  std::vector<double> y;
  for (std::int64_t i = 0; i < oh; ++i) {
    for (std::int64_t j = 0; j < ow; ++j) {
      for (std::int64_t o = 0; o < f; ++o) {
        double acc = bias.data[o];
        for (std::int64_t a = 0; a < kh; ++a) {
          for (std::int64_t b = 0; b < kw; ++b) {
            const std::int64_t r = i * s - pad + a * d, q = j * s - pad + b * d;
            if (r < 0 || r >= h || q < 0 || q >= w) continue;
            for (std::int64_t k = 0; k < c; ++k) {
              acc += x[(r * w + q) * c + k] * weight.data[((a * kw + b) * c + k) * f + o];
            }
          }
        }
        y.push_back(acc);
      }
    }
  }
  return y;
}

TEST(ConvFloat, MatchesADirectEvaluationOverABatch) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  Node n = conv(OpKind::kConv2D, {3, 2, 2, 3}, {2, 2}, {2, 2}, {1, 1, 1, 1});
  for (double& v : n.params["weight"].data) v = normal(rng);
  n.params["bias"] = make_tensor({3}, {0.5, -1, 2});
  const std::int64_t h = 6, w = 5, c = 2;
  const Shape out = op_info(n.op).shape_rule(n, {{h, w, c}});
  Tensor x{{2, h, w, c}, std::vector<double>(static_cast<std::size_t>(2 * h * w * c))};
  for (double& v : x.data) v = normal(rng);
  const Tensor y = evaluate_float(n, {&x}, 1);
  ASSERT_EQ(y.shape, (Shape{2, out[0], out[1], out[2]}));
  for (std::int64_t s = 0; s < 2; ++s) {
    const std::vector<double> sample(x.data.begin() + s * h * w * c,
                                     x.data.begin() + (s + 1) * h * w * c);
    const std::vector<double> want =
        direct_conv2d(sample, h, w, c, n.param("weight"), n.param("bias"), 2, 2, 1, out[0], out[1]);
    for (std::size_t k = 0; k < want.size(); ++k) {
      EXPECT_NEAR(y.data[static_cast<std::size_t>(s) * want.size() + k], want[k], 1e-12);
    }
  }
}

TEST(ConvFloat, Conv1DWithoutBias) {
  Node n = conv(OpKind::kConv1D, {2, 1, 1}, {1}, {1}, {0, 1});
  n.params["weight"].data = {1, 10};
  const Tensor x = make_tensor({3, 1}, {1, 2, 3});
  // Windows (1,2), (2,3), (3,pad): 21, 32, 3.
  EXPECT_EQ(evaluate_float(n, {&x}, 0), make_tensor({3, 1}, {21, 32, 3}));
}

}  // namespace
}  // namespace nnfpga::ir
