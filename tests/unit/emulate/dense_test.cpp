// Dense: the fast integer path against the general exact path, and both against a reference
// written here from the spec with fixed::cast.
#include <gtest/gtest.h>

#include "emulate/program.hpp"
#include "graph_builder.hpp"

namespace nnfpga::emulate {
namespace {

using fixed::make_fixed;
using testing::GraphBuilder;

const fixed::FixedType kT = make_fixed(16, 6);

// The spec, step by step: acc = cast(bias); acc = cast(acc + cast(x*w)); y = cast(acc).
std::vector<std::int64_t> reference_dense(const ir::Node& n, const fixed::FixedType& x_t,
                                          const std::vector<std::int64_t>& x,
                                          std::int64_t* accum_overflows) {
  const auto& w = n.qparam("weight");
  const auto& b = n.qparam("bias");
  const fixed::FixedType acc_t = n.type("accum");
  const std::int64_t n_in = n.input_shapes[0].back(), n_out = n.output_shape.back();
  std::vector<std::int64_t> y;
  for (std::size_t r = 0; r < x.size() / n_in; ++r) {
    for (std::int64_t j = 0; j < n_out; ++j) {
      auto acc = fixed::cast(b.mantissa[j], b.type.frac(), acc_t);
      *accum_overflows += acc.overflowed;
      for (std::int64_t i = 0; i < n_in; ++i) {
        const auto p = fixed::cast(fixed::i128{x[r * n_in + i]} * w.mantissa[i * n_out + j],
                                   x_t.frac() + w.type.frac(), acc_t);
        acc = fixed::cast(fixed::i128{acc.mantissa} + p.mantissa, acc_t.frac(), acc_t);
        *accum_overflows += p.overflowed + acc.overflowed;
      }
      y.push_back(fixed::cast(acc.mantissa, acc_t.frac(), n.type("result")).mantissa);
    }
  }
  return y;
}

struct Compared {
  std::string fast_variant;
  RunResult fast, general;
};

Compared run_both(const ir::Graph& g, const std::vector<Array>& in) {
  Compared c;
  Program fast, general;
  build_program(g, false, fast);
  build_program(g, true, general);
  c.fast_variant = fast.steps.at(1).kernel->variant();
  c.fast = execute(fast, in, {.trace = true});
  c.general = execute(general, in, {.trace = true});
  return c;
}

void expect_same(const Compared& c) {
  ASSERT_EQ(c.fast.trace.size(), c.general.trace.size());
  for (std::size_t l = 0; l < c.fast.trace.size(); ++l) {
    EXPECT_EQ(c.fast.trace[l].second.data, c.general.trace[l].second.data) << c.fast.trace[l].first;
    EXPECT_EQ(c.fast.overflows[l].result_overflows, c.general.overflows[l].result_overflows);
    EXPECT_EQ(c.fast.overflows[l].accum_overflows, c.general.overflows[l].accum_overflows);
  }
}

ir::Graph mlp(std::mt19937_64& rng, fixed::FixedType acc_t, fixed::FixedType res_t = kT) {
  GraphBuilder b({16}, kT);
  const std::vector<std::int64_t> widths = {16, 64, 32, 32, 5};
  for (std::size_t l = 1; l < widths.size(); ++l) {
    const double sigma = 1.0 / std::sqrt(static_cast<double>(widths[l - 1]));
    b.dense(widths[l], testing::normal(widths[l - 1] * widths[l], sigma, rng),
            testing::normal(widths[l], 0.1, rng), kT, kT, acc_t, res_t);
    if (l + 1 < widths.size()) b.unary(ir::OpKind::kRelu, res_t);
  }
  return b.build();
}

TEST(Dense, FastPathMatchesGeneralOnRandomMlp) {
  std::mt19937_64 rng(1);
  const ir::Graph g = mlp(rng, make_fixed(40, 20));
  const std::vector<Array> in = {testing::batch(300, {16}, testing::normal(300 * 16, 3.0, rng))};
  const Compared c = run_both(g, in);
  EXPECT_EQ(c.fast_variant, "fast-i32");
  expect_same(c);
}

TEST(Dense, FastPathMatchesGeneralWithWideTypesInInt64Lanes) {
  std::mt19937_64 rng(2);
  const fixed::FixedType wide = make_fixed(32, 8);
  GraphBuilder b({24}, wide);
  b.dense(7, testing::normal(24 * 7, 2.0, rng), testing::normal(7, 1.0, rng), wide, wide,
          make_fixed(64, 16),
          make_fixed(20, 8, true, fixed::Quantization::kRndConv, fixed::Overflow::kSat));
  const std::vector<Array> in = {testing::batch(200, {24}, testing::normal(200 * 24, 50.0, rng))};
  const Compared c = run_both(b.build(), in);
  EXPECT_EQ(c.fast_variant, "fast-i64");
  expect_same(c);
  EXPECT_GT(c.fast.overflows[1].result_overflows, 0);  // the saturating result was exercised
}

TEST(Dense, AdversarialCodesAndTies) {
  // Max/min input codes, weights at the type's extremes, and results landing on rounding ties.
  std::mt19937_64 rng(3);
  const fixed::FixedType x_t = make_fixed(8, 3);
  const fixed::FixedType w_t = make_fixed(6, 1);
  const double x_max = fixed::to_double(fixed::max_mantissa(x_t), x_t);
  const double x_min = fixed::to_double(fixed::min_mantissa(x_t), x_t);
  GraphBuilder b({4}, x_t);
  b.dense(3, {0.96875, -1, 0.5, -1, 0.96875, 0.25, 0.5, -0.5, -1, 0.03125, -1, 0.96875},
          {-0.5, 0.25, 0}, w_t, w_t, make_fixed(30, 16),
          make_fixed(6, 3, true, fixed::Quantization::kRnd, fixed::Overflow::kWrap));
  std::vector<double> x;
  for (double v : {x_max, x_min, x_max, x_min, x_min, x_min, x_min, x_min, x_max, x_max, x_max,
                   x_max, 0.03125, -0.03125, 0.5, -0.5}) {
    x.push_back(v);
  }
  const Compared c = run_both(b.build(), {testing::batch(4, {4}, x)});
  EXPECT_EQ(c.fast_variant, "fast-i32");
  expect_same(c);
}

TEST(Dense, NarrowAccumulatorsTakeGeneralPathAndMatchReference) {
  std::mt19937_64 rng(4);
  for (fixed::Overflow o : {fixed::Overflow::kWrap, fixed::Overflow::kSat}) {
    const fixed::FixedType acc_t = make_fixed(12, 4, true, fixed::Quantization::kRnd, o);
    const ir::Graph g = mlp(rng, acc_t);
    const std::vector<Array> in = {testing::batch(50, {16}, testing::normal(50 * 16, 4.0, rng))};
    const Compared c = run_both(g, in);
    EXPECT_EQ(c.fast_variant, "general");
    expect_same(c);
    // The first Dense against the reference.
    std::vector<std::int64_t> x;
    for (double v : in[0].data) x.push_back(fixed::cast_double(v, kT).mantissa);
    std::int64_t acc_ov = 0;
    const auto want = reference_dense(g.nodes[1], kT, x, &acc_ov);
    const auto& got = c.general.trace[1].second.data;
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t k = 0; k < want.size(); ++k) {
      EXPECT_EQ(got[k], fixed::to_double(want[k], kT)) << k;
    }
    EXPECT_EQ(c.general.overflows[1].accum_overflows, acc_ov);
    EXPECT_GT(acc_ov, 0);
  }
}

TEST(Dense, LeadingAxesAreIndependentRows) {
  std::mt19937_64 rng(5);
  GraphBuilder b({3, 4}, kT);
  b.dense(2, testing::normal(8, 0.5, rng), {0.25, -0.25}, kT, kT, make_fixed(40, 20), kT);
  const ir::Graph g = b.build();
  const std::vector<double> x = testing::normal(2 * 12, 1.0, rng);
  const RunResult r = Emulator(g).run({testing::batch(2, {3, 4}, x)});
  std::vector<std::int64_t> xm;
  for (double v : x) xm.push_back(fixed::cast_double(v, kT).mantissa);
  std::int64_t ov = 0;
  const auto want = reference_dense(g.nodes[1], kT, xm, &ov);
  ASSERT_EQ(r.outputs[0].shape, (std::vector<std::int64_t>{2, 3, 2}));
  for (std::size_t k = 0; k < want.size(); ++k) {
    EXPECT_EQ(r.outputs[0].data[k], fixed::to_double(want[k], kT));
  }
}

}  // namespace
}  // namespace nnfpga::emulate
