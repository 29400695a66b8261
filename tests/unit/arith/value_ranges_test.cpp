#include "arith/value_ranges.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "arith/cmvm.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::arith {
namespace {

constexpr __int128 kOne = 1;

TEST(BitsFor, SignedAndUnsignedWidths) {
  EXPECT_EQ(bits_for({0, 0}), 0);
  EXPECT_EQ(bits_for({0, 1}), 1);
  EXPECT_EQ(bits_for({0, 255}), 8);
  EXPECT_EQ(bits_for({0, 256}), 9);
  EXPECT_EQ(bits_for({-1, 0}), 1);
  EXPECT_EQ(bits_for({-128, 127}), 8);
  EXPECT_EQ(bits_for({-129, 0}), 9);
  EXPECT_EQ(bits_for({-1, 128}), 9);
  EXPECT_EQ(bits_for({-5, -3}), 4);
  EXPECT_EQ(bits_for({std::numeric_limits<std::int64_t>::min(), 0}), 64);
  EXPECT_EQ(bits_for({0, std::numeric_limits<std::uint64_t>::max()}), 64);
  const __int128 max128 = ~(kOne << 127);
  EXPECT_EQ(bits_for({-max128 - 1, max128}), 128);
  EXPECT_EQ(bits_for({0, max128}), 127);
}

TEST(ValueRanges, AreExactWhereIntervalArithmeticIsNot) {
  // s = x - 4x = -3x: interval arithmetic on the adder alone would give [-636, 639].
  AdderGraph g;
  g.n_inputs = 1;
  g.adders.push_back({{.source = 0}, {.source = 0, .shift = 2, .negate = true}});
  g.outputs.push_back(Term{.source = 1, .shift = 1, .negate = true});  // 6x
  g.outputs.push_back(std::nullopt);
  const std::vector<IntRange> in{{-128, 127}};
  const GraphRanges r = value_ranges(g, in);
  EXPECT_TRUE((r.sources[1] == IntRange{-381, 384}));
  EXPECT_TRUE((r.outputs[0] == IntRange{-768, 762}));
  EXPECT_TRUE((r.outputs[1] == IntRange{0, 0}));
  EXPECT_EQ(adder_bits(g, in), 10);
}

TEST(ValueRanges, BoundsOfEverySourceAndOutputAreAttainedAndNeverExceeded) {
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 100; ++trial) {
    const size_t n_in = 1 + rng() % 6;
    ConstantMatrix m(n_in, std::vector<std::int64_t>(1 + rng() % 4));
    for (auto& row : m)
      for (auto& w : row) w = static_cast<std::int64_t>(rng() % 2001) - 1000;
    // Both the baseline and the optimizer's graphs (which share adders and cancel terms), with
    // every source also exposed as an output so that evaluate() shows it.
    AdderGraph g = trial % 2 == 0 ? csd_adder_graph(m) : optimize_cmvm(m, {.depth_slack = -1});
    const size_t n_sources = static_cast<size_t>(g.n_inputs) + g.adders.size();
    for (size_t s = 0; s < n_sources; ++s) g.outputs.push_back(Term{.source = static_cast<int>(s)});
    std::vector<IntRange> in;
    for (size_t i = 0; i < n_in; ++i) {
      const std::int64_t lo = static_cast<std::int64_t>(rng() % 1000) - 700;
      in.push_back({lo, lo + static_cast<std::int64_t>(rng() % 900)});
    }
    const GraphRanges r = value_ranges(g, in);
    ASSERT_EQ(r.sources.size(), n_sources);
    for (size_t s = 0; s < n_sources; ++s)
      EXPECT_TRUE(r.outputs[m.front().size() + s] == r.sources[s]);
    // Each output is a single linear form, so its bounds are attained at corners of the box.
    std::vector<IntRange> seen(r.outputs.size(), {std::numeric_limits<std::int64_t>::max(),
                                                  std::numeric_limits<std::int64_t>::min()});
    std::vector<std::int64_t> x(n_in);
    for (size_t corner = 0; corner < (size_t{1} << n_in); ++corner) {
      for (size_t i = 0; i < n_in; ++i)
        x[i] = static_cast<std::int64_t>((corner >> i) & 1 ? in[i].hi : in[i].lo);
      const auto y = evaluate(g, x);
      for (size_t j = 0; j < y.size(); ++j) {
        seen[j].lo = std::min(seen[j].lo, y[j]);
        seen[j].hi = std::max(seen[j].hi, y[j]);
      }
    }
    for (size_t j = 0; j < seen.size(); ++j) EXPECT_TRUE(seen[j] == r.outputs[j]) << trial;
    for (int sample = 0; sample < 50; ++sample) {
      for (size_t i = 0; i < n_in; ++i)
        x[i] =
            static_cast<std::int64_t>(in[i].lo) +
            static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(in[i].hi - in[i].lo + 1));
      const auto y = evaluate(g, x);
      for (size_t j = 0; j < y.size(); ++j)
        EXPECT_TRUE(y[j] >= r.outputs[j].lo && y[j] <= r.outputs[j].hi);
    }
  }
}

TEST(ValueRanges, RejectWhatDoesNotFitIn127Bits) {
  AdderGraph g;
  g.n_inputs = 1;
  g.outputs.push_back(Term{.source = 0, .shift = 100});
  const std::vector<IntRange> in{{std::numeric_limits<std::int64_t>::min(), 0}};
  EXPECT_THROW(value_ranges(g, in), Error);
}

}  // namespace
}  // namespace nnfpga::arith
