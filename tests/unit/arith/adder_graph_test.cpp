#include "arith/adder_graph.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>
#include <random>

#include "arith/csd.hpp"

namespace nnfpga::arith {
namespace {

__int128 digits_value(const std::vector<SignedDigit>& digits) {
  __int128 v = 0;
  for (const SignedDigit& d : digits) {
    const __int128 w = static_cast<__int128>(1) << d.shift;
    v += d.negative ? -w : w;
  }
  return v;
}

TEST(Csd, DigitsSumToTheValueAndAreNeverAdjacent) {
  std::mt19937_64 rng(7);
  std::vector<std::int64_t> values = {0,
                                      1,
                                      -1,
                                      3,
                                      7,
                                      -7,
                                      0x5555,
                                      std::numeric_limits<std::int64_t>::max(),
                                      std::numeric_limits<std::int64_t>::min()};
  for (int k = 0; k < 2000; ++k) values.push_back(static_cast<std::int64_t>(rng()) >> (k % 60));
  for (std::int64_t v : values) {
    const auto digits = csd_digits(v);
    EXPECT_TRUE(digits_value(digits) == v) << v;
    for (size_t k = 1; k < digits.size(); ++k)
      EXPECT_GE(digits[k].shift, digits[k - 1].shift + 2) << v;
  }
  EXPECT_EQ(csd_digits(7).size(), 2u);  // 8 - 1
  EXPECT_TRUE(csd_digits(0).empty());
}

TEST(CsdAdderGraph, ComputesTheMatrixProductAtMinimalDepth) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 50; ++trial) {
    const size_t n_in = 1 + rng() % 9, n_out = 1 + rng() % 7;
    ConstantMatrix m(n_in, std::vector<std::int64_t>(n_out));
    for (auto& row : m)
      for (auto& w : row) w = static_cast<std::int64_t>(rng() % 255) - 127;
    const AdderGraph g = csd_adder_graph(m);
    std::vector<std::int64_t> x(n_in);
    for (int sample = 0; sample < 20; ++sample) {
      for (auto& v : x) v = static_cast<std::int64_t>(rng() % 65536) - 32768;
      const auto y = evaluate(g, x);
      for (size_t j = 0; j < n_out; ++j) {
        __int128 expect = 0;
        for (size_t i = 0; i < n_in; ++i) expect += static_cast<__int128>(x[i]) * m[i][j];
        EXPECT_TRUE(y[j] == expect);
      }
    }
    const auto depths = output_depths(g);
    for (size_t j = 0; j < n_out; ++j) {
      size_t terms = 0;
      for (size_t i = 0; i < n_in; ++i) terms += csd_digits(m[i][j]).size();
      int minimal = 0;
      while ((size_t{1} << minimal) < terms) ++minimal;
      EXPECT_EQ(depths[j], minimal);
    }
  }
}

}  // namespace
}  // namespace nnfpga::arith
