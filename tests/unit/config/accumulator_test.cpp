#include <gtest/gtest.h>

#include "config/config.hpp"
#include "fixed/exact.hpp"
#include "graphs.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::config {
namespace {

using fixed::i128;

std::int64_t quantized(double v, const fixed::FixedType& t) {
  return static_cast<std::int64_t>(fixed::mantissa_value(fixed::cast_double(v, t).mantissa, t));
}

// Runs the Dense convention (bias cast to accum, each exact product cast to accum and added, the
// sum cast to accum) with the input at the corner of its type's range that drives output j
// highest (sign = +1) or lowest (sign = -1). Returns true when some cast to accum overflowed.
bool worst_case_overflows(const ir::Graph& g, const std::string& name, const fixed::FixedType& acc,
                          std::size_t j, int sign) {
  const ir::Node& d = g.at(name);
  const fixed::FixedType& x = g.at(d.inputs[0]).type("result");
  const fixed::FixedType& wt = d.type("weight");
  const fixed::FixedType& bt = d.type("bias");
  const ir::Tensor& w = d.param("weight");
  const auto n_in = static_cast<std::size_t>(w.shape[0]);
  const auto n_out = static_cast<std::size_t>(w.shape[1]);
  fixed::CastResult sum = fixed::cast(quantized(d.param("bias").data[j], bt), bt.frac(), acc);
  bool overflowed = sum.overflowed;
  for (std::size_t i = 0; i < n_in; ++i) {
    const std::int64_t wm = quantized(w.data[i * n_out + j], wt);
    const i128 xm = (wm > 0) == (sign > 0) ? fixed::max_mantissa(x) : fixed::min_mantissa(x);
    const fixed::CastResult p = fixed::cast(xm * wm, x.frac() + wt.frac(), acc);
    sum = fixed::cast(i128{sum.mantissa} + p.mantissa, acc.frac(), acc);
    overflowed = overflowed || p.overflowed || sum.overflowed;
  }
  return overflowed;
}

bool any_worst_case_overflows(const ir::Graph& g, const std::string& name,
                              const fixed::FixedType& acc) {
  const std::size_t n_out = static_cast<std::size_t>(g.at(name).param("weight").shape[1]);
  for (std::size_t j = 0; j < n_out; ++j) {
    if (worst_case_overflows(g, name, acc, j, 1) || worst_case_overflows(g, name, acc, j, -1)) {
      return true;
    }
  }
  return false;
}

ir::Graph one_dense(std::vector<double> w, std::vector<double> b, std::int64_t n_in) {
  ir::Graph g{.name = "one"};
  const auto n_out = static_cast<std::int64_t>(b.size());
  g.nodes = {testing::input_node("x", {n_in}),
             testing::dense_node("fc", "x", n_in, n_out, std::move(w), std::move(b))};
  return testing::finish(std::move(g));
}

// The worked example of docs/configuration.md.
TEST(AccumulatorTest, WorkedExample) {
  ir::Graph g = one_dense({1.5, -0.25, -2.0, 0.5, 0.125, 3.0}, {0.5, -1.0}, 3);
  resolve(g, Tree());
  const fixed::FixedType acc = g.at("fc").type("accum");
  EXPECT_EQ(fixed::to_string(acc), "ap_fixed<28,8>");
  EXPECT_FALSE(any_worst_case_overflows(g, "fc", acc));
  // One integer bit fewer is not enough: the rule is tight here.
  EXPECT_TRUE(any_worst_case_overflows(g, "fc", fixed::make_fixed(27, 7)));
}

TEST(AccumulatorTest, FitsTheWorstCaseOnAnMlp) {
  ir::Graph g = testing::mlp();
  resolve(g, parse_yaml(R"(
LayerName:
  relu1: {Precision: 'ap_ufixed<8,3>'}
  fc2: {Precision: {weight: 'ap_fixed<6,1>', bias: 'ap_fixed<12,2,AP_RND>'}}
)",
                        "m.yml"));
  for (const char* name : {"fc1", "fc2"}) {
    const fixed::FixedType& acc = g.at(name).type("accum");
    EXPECT_FALSE(any_worst_case_overflows(g, name, acc)) << name << " " << fixed::to_string(acc);
    EXPECT_LE(acc.width, 64);
  }
  // fc2: F = max(F_x + F_w, F_b) = max(5 + 5, 10) = 10.
  EXPECT_EQ(g.at("fc2").type("accum").frac(), 10);
}

TEST(AccumulatorTest, ZeroWeightsGetOneIntegerBit) {
  ir::Graph g = one_dense({0, 0, 0, 0}, {0, 0}, 2);
  resolve(g, Tree());
  EXPECT_EQ(fixed::to_string(g.at("fc").type("accum")), "ap_fixed<21,1>");
}

TEST(AccumulatorTest, DropsFractionBitsPast64) {
  ir::Graph g = one_dense({1.0, -1.0, 0.5, 0.75}, {0.0, 0.0}, 2);
  resolve(g, {{"LayerName",
               {{"x", {{"Precision", "ap_fixed<40,10>"}}},
                {"fc", {{"Precision", {{"weight", "ap_fixed<40,8>"}}}}}}}});
  const fixed::FixedType& acc = g.at("fc").type("accum");
  EXPECT_EQ(acc.width, 64);
  // B = 512 * max(1 + 0.5, 1 + 0.75) = 896 < 2^10: 11 integer bits with the sign; F would be
  // 30 + 32 = 62, W = 73, so 9 fraction bits are dropped.
  EXPECT_EQ(acc.integer, 11);
  EXPECT_FALSE(any_worst_case_overflows(g, "fc", acc));
}

TEST(AccumulatorTest, TooManyIntegerBitsIsAnError) {
  ir::Graph g = one_dense({1e15, 1e15}, {0.0, 0.0}, 1);
  try {
    resolve(g, {{"Model", {{"Precision", "ap_fixed<64,60>"}}}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConfig);
    EXPECT_EQ(e.where().node, "fc");
  }
}

TEST(AccumulatorTest, AutoMeansTheRule) {
  ir::Graph a = testing::mlp(), b = testing::mlp();
  resolve(a, Tree());
  resolve(b, {{"Model", {{"Precision", {{"accum", "auto"}}}}}});
  EXPECT_EQ(a, b);
}

TEST(AccumulatorTest, SoftmaxSumsTableEntries) {
  ir::Graph g = testing::mlp();  // sm has 3 entries: ceil(log2 3) = 2 more integer bits
  resolve(g, Tree());
  EXPECT_EQ(fixed::to_string(g.at("sm").type("accum")), "ap_fixed<20,10>");
  resolve(g, {{"LayerName", {{"sm", {{"Precision", {{"table", "ap_ufixed<8,1>"}}}}}}}});
  EXPECT_EQ(fixed::to_string(g.at("sm").type("accum")), "ap_fixed<11,4>");
}

}  // namespace
}  // namespace nnfpga::config
