// The linear core: the partial-sum ranges, the exactness proof, and its agreement with the
// accumulator rule (an accumulator the rule picks is always proven exact).
#include <gtest/gtest.h>

#include <random>

#include "config/config.hpp"
#include "fixed/exact.hpp"
#include "linear/dense_operands.hpp"
#include "passes/passes.hpp"

namespace nnfpga::linear {
namespace {

TEST(SumRangesTest, EveryPartialSumIsInside) {
  // w = [[2, -3], [1, 0]] (n_in 2, n_out 2), x0 in [-4, 3], x1 in [0, 5].
  const std::vector<std::int64_t> w = {2, -3, 1, 0};
  const std::vector<Range> x = {{-4, 3}, {0, 5}};
  const auto r = product_sum_ranges({w, 2, 2}, x);
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0], (Range{-8, 6 + 5}));
  EXPECT_EQ((*r)[1], (Range{-9, 12}));
  // A range without 0 still counts the empty partial sum.
  const std::vector<Range> positive = {{1, 2}, {1, 2}};
  EXPECT_EQ((*product_sum_ranges({w, 2, 2}, positive))[0], (Range{0, 6}));
}

TEST(SumRangesTest, SaturatingSymmetricAccumulatorLosesItsMostNegativeCode) {
  const fixed::FixedType wrap = fixed::make_fixed(8, 8);
  fixed::FixedType sym = wrap;
  sym.overflow = fixed::Overflow::kSatSym;
  EXPECT_TRUE(holds(wrap, {-128, 127}));
  EXPECT_FALSE(holds(sym, {-128, 127}));
  EXPECT_TRUE(holds(sym, {-127, 127}));
  EXPECT_TRUE(is_modular(wrap));
  EXPECT_FALSE(is_modular(sym));
}

TEST(SumRangesTest, ScaledRefusesWhatItCannotBound) {
  EXPECT_EQ(*scaled({-3, 5}, 2, 1), (Range{-11, 21}));
  EXPECT_FALSE(scaled({0, 1}, -1, 0));
  EXPECT_FALSE(scaled({0, i128{1} << 110}, 20, 0));
}

// A random Dense configured by the real resolution with accum 'auto'.
ir::Graph random_dense(std::mt19937_64& rng, const std::string& x_type, const std::string& w_type) {
  std::uniform_int_distribution<int> size(1, 24);
  const std::int64_t n_in = size(rng), n_out = size(rng);
  std::normal_distribution<double> value(0.0, 1.5);
  ir::Graph g;
  ir::Node in;
  in.name = "x";
  in.op = ir::OpKind::kInput;
  in.attrs.set("shape", ir::Shape{n_in});
  ir::Node d;
  d.name = "fc";
  d.op = ir::OpKind::kDense;
  d.inputs = {"x"};
  std::vector<double> w(static_cast<std::size_t>(n_in * n_out)), b(static_cast<std::size_t>(n_out));
  for (double& v : w) v = value(rng);
  for (double& v : b) v = value(rng);
  d.params["weight"] = ir::Tensor{{n_in, n_out}, w};
  d.params["bias"] = ir::Tensor{{n_out}, b};
  g.nodes = {in, d};
  g.inputs = {"x"};
  g.outputs = {"fc"};
  ir::infer_shapes(g);
  config::resolve(
      g, {{"Model",
           {{"Precision",
             {{"result", x_type}, {"weight", w_type}, {"bias", w_type}, {"accum", "auto"}}}}}});
  passes::quantize_parameters(g);
  return g;
}

TEST(LinearCoreTest, TheAccumulatorRuleIsProvenExact) {
  std::mt19937_64 rng(14);
  const char* types[] = {"ap_fixed<8,3>", "ap_fixed<16,6>", "ap_ufixed<6,2>", "ap_fixed<4,4>",
                         "ap_fixed<12,-2>"};
  for (int trial = 0; trial < 200; ++trial) {
    const std::string x = types[trial % 5], w = types[(trial / 5) % 5];
    const ir::Graph g = random_dense(rng, x, w);
    const DenseOperands d = dense_operands(g.at("fc"), g.at("x").type("result"));
    EXPECT_TRUE(accumulation_is_exact(d))
        << "x " << x << ", w " << w << ", accum " << fixed::to_string(d.accum);
  }
}

TEST(LinearCoreTest, ANarrowerAccumulatorIsNotProven) {
  std::mt19937_64 rng(3);
  const ir::Graph g = random_dense(rng, "ap_fixed<8,3>", "ap_fixed<8,3>");
  ir::Node fc = g.at("fc");
  fixed::FixedType acc = fc.type("accum");
  fc.types["accum"] = fixed::make_fixed(acc.width - acc.integer + 1, 1);
  const DenseOperands d = dense_operands(fc, g.at("x").type("result"));
  EXPECT_FALSE(accumulation_is_exact(d));
  // Fewer fraction bits than the products: the accumulator rounds them, nothing is proven.
  fc.types["accum"] = fixed::make_fixed(40, 32);
  EXPECT_FALSE(accumulation_is_exact(dense_operands(fc, g.at("x").type("result"))));
}

}  // namespace
}  // namespace nnfpga::linear
