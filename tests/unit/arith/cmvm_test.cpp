#include "arith/cmvm.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>

#include "arith/value_ranges.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::arith {
namespace {

using Rng = std::mt19937_64;
constexpr std::int64_t kInt32Min = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t kInt32Max = std::numeric_limits<std::int32_t>::max();

std::int64_t uniform(Rng& rng, std::int64_t lo, std::int64_t hi) {
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

// Random weights of `bits` bits, with some zero rows and columns.
ConstantMatrix random_matrix(Rng& rng, size_t n_in, size_t n_out, int bits) {
  const std::int64_t half = std::int64_t{1} << (bits - 1);
  ConstantMatrix m(n_in, std::vector<std::int64_t>(n_out));
  for (auto& row : m)
    for (auto& w : row) w = uniform(rng, -half, half - 1);
  if (rng() % 4 == 0) {
    auto& row = m[rng() % n_in];
    std::fill(row.begin(), row.end(), 0);
  }
  if (rng() % 4 == 0) {
    const size_t j = rng() % n_out;
    for (auto& row : m) row[j] = 0;
  }
  return m;
}

std::vector<IntRange> random_ranges(Rng& rng, size_t n_in) {
  std::vector<IntRange> r;
  for (size_t i = 0; i < n_in; ++i) {
    const int bits = static_cast<int>(uniform(rng, 1, 16));
    const bool is_signed = rng() % 2 == 0;
    const std::int64_t lo = is_signed ? -(std::int64_t{1} << (bits - 1)) : 0;
    const std::int64_t hi =
        is_signed ? (std::int64_t{1} << (bits - 1)) - 1 : (std::int64_t{1} << bits) - 1;
    r.push_back({lo, hi});
  }
  return r;
}

// evaluate(g) == x·m on the corners of the input box and on random points inside it.
void expect_computes(const AdderGraph& g, const ConstantMatrix& m, const std::vector<IntRange>& in,
                     Rng& rng) {
  const size_t n_in = m.size(), n_out = m.empty() ? 0 : m.front().size();
  ASSERT_EQ(g.n_inputs, static_cast<int>(n_in));
  ASSERT_EQ(g.outputs.size(), n_out);
  std::vector<std::int64_t> x(n_in);
  for (int sample = 0; sample < 40; ++sample) {
    for (size_t i = 0; i < n_in; ++i) {
      const auto lo = static_cast<std::int64_t>(in[i].lo), hi = static_cast<std::int64_t>(in[i].hi);
      x[i] = sample < 4 ? (((sample >> (i % 2)) & 1) != 0 ? hi : lo) : uniform(rng, lo, hi);
    }
    const auto y = evaluate(g, x);
    for (size_t j = 0; j < n_out; ++j) {
      __int128 expect = 0;
      for (size_t i = 0; i < n_in; ++i) expect += static_cast<__int128>(x[i]) * m[i][j];
      ASSERT_TRUE(y[j] == expect) << "output " << j << " sample " << sample;
    }
  }
}

void expect_depths_within(const AdderGraph& g, const ConstantMatrix& m, int slack) {
  const auto minimal = minimal_output_depths(m);
  const auto depths = output_depths(g);
  for (size_t j = 0; j < depths.size(); ++j) EXPECT_LE(depths[j], minimal[j] + slack) << j;
}

TEST(Cmvm, ComputesTheProductOnRandomMatrices) {
  Rng rng(2024);
  for (int trial = 0; trial < 100; ++trial) {
    const size_t n_in = static_cast<size_t>(uniform(rng, 1, 16));
    const size_t n_out = static_cast<size_t>(uniform(rng, 1, 16));
    const int bits = static_cast<int>(uniform(rng, 2, 16));
    const ConstantMatrix m = random_matrix(rng, n_in, n_out, bits);
    CmvmOptions o{.input_ranges = random_ranges(rng, n_in),
                  .depth_slack = static_cast<int>(uniform(rng, -1, 3))};
    const AdderGraph g = optimize_cmvm(m, o);
    SCOPED_TRACE(testing::Message() << "trial " << trial << " slack " << o.depth_slack);
    expect_computes(g, m, o.input_ranges, rng);
    if (o.depth_slack >= 0) expect_depths_within(g, m, o.depth_slack);
    EXPECT_LE(g.adders.size(), csd_adder_graph(m).adders.size());
  }
}

TEST(Cmvm, MeetsTheMinimalDepthAndBeatsTheBaselineOnDense8BitMatrices) {
  Rng rng(99);
  for (int trial = 0; trial < 10; ++trial) {
    ConstantMatrix m(16, std::vector<std::int64_t>(16));
    for (auto& row : m)
      for (auto& w : row) w = uniform(rng, -128, 127);
    const AdderGraph g = optimize_cmvm(m, {});
    expect_depths_within(g, m, 0);
    const std::vector<IntRange> in(16, IntRange{-128, 127});
    const AdderGraph base = csd_adder_graph(m);
    // Sharing must pay off clearly on a dense matrix, in adders and in adder bits.
    EXPECT_LT(g.adders.size() * 10, base.adders.size() * 8);
    EXPECT_LT(adder_bits(g, in), adder_bits(base, in));
    expect_computes(g, m, in, rng);
  }
}

TEST(Cmvm, HandlesDegenerateShapes) {
  Rng rng(5);
  const std::vector<ConstantMatrix> cases = {
      {},                                                  // no inputs
      {{}, {}},                                            // no outputs
      ConstantMatrix(4, std::vector<std::int64_t>(3, 0)),  // all zero
      {{7, -3, 0, 12345}},                                 // a single input
      {{5}, {-9}, {0}, {127}, {-128}},                     // a single output
      {{1}},                                               // a bare input
      {{kInt32Min, kInt32Max}, {kInt32Max, kInt32Min}, {-1, 1}},
  };
  for (const ConstantMatrix& m : cases) {
    const std::vector<IntRange> in(m.size(), IntRange{kInt32Min, kInt32Max});
    const AdderGraph g = optimize_cmvm(m, {.input_ranges = in});
    expect_computes(g, m, in, rng);
    expect_depths_within(g, m, 0);
  }
  const AdderGraph zero = optimize_cmvm(ConstantMatrix(2, std::vector<std::int64_t>(2, 0)));
  EXPECT_TRUE(zero.adders.empty());
  EXPECT_FALSE(zero.outputs[0].has_value());
}

TEST(Cmvm, SumsALongDotProductWithinTheDepthBound) {
  // Hundreds of terms left in one output after sharing: the final sum's Huffman stage.
  Rng rng(12);
  ConstantMatrix m(200, std::vector<std::int64_t>(1));
  for (auto& row : m) row[0] = uniform(rng, -128, 127);
  const std::vector<IntRange> in(m.size(), IntRange{-128, 127});
  for (int slack : {0, -1}) {
    const AdderGraph g = optimize_cmvm(m, {.input_ranges = in, .depth_slack = slack});
    expect_computes(g, m, in, rng);
    if (slack >= 0) expect_depths_within(g, m, slack);
  }
}

TEST(Cmvm, SharesASubexpressionUpToShiftAndSign) {
  // y0 = 5a + 5b (= (a + b) + (a + b) << 2) and y1 = -10a - 10b: one shared a + b.
  const ConstantMatrix m = {{5, -10}, {5, -10}};
  const AdderGraph g = optimize_cmvm(m, {.depth_slack = -1});
  EXPECT_EQ(g.adders.size(), 2u);
  Rng rng(1);
  expect_computes(g, m, {{-100, 100}, {-100, 100}}, rng);
}

TEST(Cmvm, ExtremeWeightsAndInputs) {
  Rng rng(8);
  ConstantMatrix m(3, std::vector<std::int64_t>(2));
  m[0] = {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()};
  m[1] = {std::numeric_limits<std::int64_t>::max(), -1};
  m[2] = {3, std::numeric_limits<std::int64_t>::min()};
  const std::vector<IntRange> in(3, IntRange{-1000, 1000});
  expect_computes(optimize_cmvm(m, {.input_ranges = in}), m, in, rng);
  expect_computes(optimize_cmvm(m, {.input_ranges = in, .depth_slack = -1}), m, in, rng);
}

TEST(Cmvm, RejectsARaggedMatrix) {
  EXPECT_THROW(optimize_cmvm({{1, 2}, {3}}), Error);
  EXPECT_THROW(optimize_cmvm({{1, 2}}, {.input_ranges = {{0, 1}, {0, 1}}}), Error);
}

}  // namespace
}  // namespace nnfpga::arith
