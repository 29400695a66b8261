// The one generator of verification inputs: deterministic, every corner it promises present, and
// the samples that drive a Dense accumulator to its extremes.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../emulate/graph_builder.hpp"
#include "backend/test_inputs.hpp"
#include "fixed/exact.hpp"

namespace nnfpga::backend {
namespace {

using emulate::testing::GraphBuilder;
using fixed::make_fixed;

constexpr std::int64_t kSamples = 2000;

ir::Graph dense_net(const std::vector<double>& weights) {
  return GraphBuilder({3}, make_fixed(8, 3))
      .dense(2, weights, {0.0, 0.0}, make_fixed(6, 1), make_fixed(6, 2), make_fixed(20, 10),
             make_fixed(12, 6))
      .build();
}

TEST(TestInputs, AreDeterministicAndShapedLikeTheInputs) {
  const ir::Graph g = dense_net({0.5, -0.5, 0.25, 0.25, -1.0, 1.0});
  const std::vector<emulate::Array> a = test_inputs(g, kSamples, 4);
  const std::vector<emulate::Array> b = test_inputs(g, kSamples, 4);
  const std::vector<emulate::Array> c = test_inputs(g, kSamples, 5);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].shape, (std::vector<std::int64_t>{kSamples, 3}));
  EXPECT_EQ(a[0].data, b[0].data);
  EXPECT_NE(a[0].data, c[0].data);
}

TEST(TestInputs, HoldEveryCornerOfTheInputType) {
  const ir::Graph g =
      GraphBuilder({4}, make_fixed(8, 3)).unary(ir::OpKind::kRelu, make_fixed(8, 3)).build();
  const std::vector<double> v = test_inputs(g, kSamples, 1).front().data;
  const double lsb = 1.0 / 32, lo = -4.0, hi = 4.0 - lsb;
  int ties = 0, beyond = 0, off_grid = 0, at_lo = 0, at_hi = 0, zero = 0;
  for (double x : v) {
    const double scaled = x / lsb;
    if (scaled - std::floor(scaled) == 0.5) ++ties;
    if (x < lo || x > hi) ++beyond;
    if (scaled != std::floor(scaled)) ++off_grid;
    at_lo += x == lo;
    at_hi += x == hi;
    zero += x == 0.0;
  }
  const auto n = static_cast<int>(v.size());
  EXPECT_GT(ties, n / 10);     // about 15 %
  EXPECT_GT(beyond, n / 20);   // saturation and wrap
  EXPECT_GT(off_grid, n / 2);  // rounding
  EXPECT_GT(at_lo, 0);
  EXPECT_GT(at_hi, 0);
  EXPECT_GT(zero, 0);
}

TEST(TestInputs, DriveADenseAccumulatorToBothExtremes) {
  // Output 0's weights: +, -, +. The sample (hi, lo, hi) gives its largest sum, (lo, hi, lo) its
  // smallest; random values would almost never hit either exactly.
  const ir::Graph g = dense_net({0.5, 0.0, -0.5, 0.0, 0.25, 0.0});
  const std::vector<double> v = test_inputs(g, kSamples, 2).front().data;
  const double lo = -4.0, hi = 4.0 - 1.0 / 32;
  int top = 0, bottom = 0;
  for (std::int64_t s = 0; s < kSamples; ++s) {
    const double* x = &v[static_cast<std::size_t>(s * 3)];
    top += x[0] == hi && x[1] == lo && x[2] == hi;
    bottom += x[0] == lo && x[1] == hi && x[2] == lo;
  }
  EXPECT_GT(top, kSamples / 50);
  EXPECT_GT(bottom, kSamples / 50);
}

TEST(TestInputs, CodesAreTheInputCastsOfTheValues) {
  const fixed::FixedType sat =
      make_fixed(6, 2, true, fixed::Quantization::kRnd, fixed::Overflow::kSat);
  const fixed::FixedType sym =
      make_fixed(6, 2, true, fixed::Quantization::kTrn, fixed::Overflow::kSatSym);
  const fixed::FixedType wrap = make_fixed(6, 2);
  const std::vector<double> values = {0.0, 0.0625, -0.0625, 1.9, 100.0, -100.0, 2.5};
  EXPECT_EQ(input_codes(values, sat), (std::vector<std::int64_t>{0, 1, -1, 30, 31, -32, 31}));
  // AP_SAT_SYM never holds the most negative code.
  EXPECT_EQ(input_codes({-100.0}, sym), (std::vector<std::int64_t>{-31}));
  // 2.5 wraps to -1.5.
  EXPECT_EQ(input_codes({2.5}, wrap), (std::vector<std::int64_t>{-24}));
}

}  // namespace
}  // namespace nnfpga::backend
