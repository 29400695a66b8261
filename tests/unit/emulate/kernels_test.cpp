// Every op kernel against a reference written here, value by value, with fixed::cast.
#include <gtest/gtest.h>

#include <cmath>

#include "graph_builder.hpp"

namespace nnfpga::emulate {
namespace {

using fixed::make_fixed;
using fixed::Overflow;
using fixed::Quantization;
using testing::GraphBuilder;

const fixed::FixedType kX = make_fixed(12, 5);

std::vector<double> sweep(double lo, double hi, int n) {
  std::vector<double> v;
  for (int k = 0; k < n; ++k) v.push_back(lo + (hi - lo) * k / (n - 1));
  return v;
}

std::int64_t m(double v, const fixed::FixedType& t) {
  return fixed::cast_double(v, t).mantissa;
}

// Runs the graph on one row per value and checks output k against want(x mantissa).
template <typename F>
void check_unary(const ir::Graph& g, const std::vector<double>& xs, const fixed::FixedType& res_t,
                 F want) {
  const RunResult r =
      Emulator(g).run({testing::batch(static_cast<std::int64_t>(xs.size()), {1}, xs)});
  for (std::size_t k = 0; k < xs.size(); ++k) {
    EXPECT_EQ(r.outputs[0].data[k], fixed::to_double(want(m(xs[k], kX)), res_t)) << "x=" << xs[k];
  }
}

TEST(Kernels, Input) {
  const fixed::FixedType t = make_fixed(8, 3, true, Quantization::kRnd, Overflow::kSat);
  const std::vector<double> xs = {-9, -4.03125, 0.015625, 0.046875, 3.9, 100};
  const RunResult r = Emulator(GraphBuilder({1}, t).build()).run({testing::batch(6, {1}, xs)});
  for (std::size_t k = 0; k < xs.size(); ++k) {
    EXPECT_EQ(r.outputs[0].data[k], fixed::to_double(m(xs[k], t), t));
  }
  EXPECT_EQ(r.overflows[0].result_overflows, 3);  // -9, -4.03125 (-129 codes), 100
}

TEST(Kernels, ReluNarrowingAndExact) {
  for (const fixed::FixedType& res : {make_fixed(6, 2, false), make_fixed(16, 7)}) {
    const ir::Graph g = GraphBuilder({1}, kX).unary(ir::OpKind::kRelu, res).build();
    check_unary(g, sweep(-16, 15.9, 301), res, [&](std::int64_t x) {
      return fixed::cast(std::max<std::int64_t>(x, 0), kX.frac(), res).mantissa;
    });
  }
}

TEST(Kernels, LeakyRelu) {
  const fixed::FixedType p = make_fixed(8, 1), res = make_fixed(10, 4, true, Quantization::kRnd);
  const ir::Graph g = GraphBuilder({1}, kX).leaky(0.3, p, res).build();
  const std::int64_t alpha = m(0.3, p);
  check_unary(g, sweep(-16, 15.9, 301), res, [&](std::int64_t x) {
    return x >= 0 ? fixed::cast(x, kX.frac(), res).mantissa
                  : fixed::cast(fixed::i128{x} * alpha, kX.frac() + p.frac(), res).mantissa;
  });
}

TEST(Kernels, Clip) {
  const fixed::FixedType res = make_fixed(8, 3);
  const ir::Graph g = GraphBuilder({1}, kX).clip(-1.5, 6.0, res).build();
  check_unary(g, sweep(-16, 15.9, 301), res, [&](std::int64_t x) {
    return fixed::cast(std::clamp(x, m(-1.5, kX), m(6.0, kX)), kX.frac(), res).mantissa;
  });
}

TEST(Kernels, SigmoidAndTanhTables) {
  const fixed::FixedType table = make_fixed(18, 8), res = make_fixed(10, 2);
  for (ir::OpKind op : {ir::OpKind::kSigmoid, ir::OpKind::kTanh}) {
    const double lo = op == ir::OpKind::kSigmoid ? -8 : -4;
    const int n = 64;
    const ir::Graph g = GraphBuilder({1}, kX).table(op, n, table, res).build();
    check_unary(g, sweep(-16, 15.9, 601), res, [&](std::int64_t x) {
      const double v = fixed::to_double(x, kX);
      const auto i =
          static_cast<std::int64_t>(std::clamp(std::floor((v - lo) * n / (-2 * lo)), 0.0, n - 1.0));
      const double c = lo + (i + 0.5) * (-2 * lo) / n;
      const double f = op == ir::OpKind::kSigmoid ? 1 / (1 + std::exp(-c)) : std::tanh(c);
      return fixed::cast(m(f, table), table.frac(), res).mantissa;
    });
  }
}

TEST(Kernels, Softmax) {
  const fixed::FixedType table = make_fixed(18, 8), acc = make_fixed(18, 8),
                         res = make_fixed(16, 2, false, Quantization::kRnd);
  const int n = 256, len = 5;
  const ir::Graph g =
      GraphBuilder({len}, kX).table(ir::OpKind::kSoftmax, n, table, res, acc).build();
  std::mt19937_64 rng(9);
  const std::vector<double> xs = testing::normal(40 * len, 3.0, rng);
  const RunResult r = Emulator(g).run({testing::batch(40, {len}, xs)});
  for (int row = 0; row < 40; ++row) {
    std::vector<double> x(xs.begin() + row * len, xs.begin() + (row + 1) * len);
    double mx = -1e300;
    for (double& v : x) mx = std::max(mx, v = fixed::to_double(m(v, kX), kX));
    std::vector<std::int64_t> e;
    std::int64_t sum = 0;
    for (double v : x) {
      const double k = std::min<double>(n - 1, std::floor((mx - v) * n / 8 + 0.5));
      e.push_back(m(std::exp(-k * 8 / n), table));
      sum = fixed::cast(sum + e.back(), acc.frac(), acc).mantissa;  // same fracs here
    }
    const double s = 8;  // 2^ceil(log2(5))
    const double ri = std::clamp(std::floor(fixed::to_double(sum, acc) * n / s), 0.0, n - 1.0);
    const std::int64_t inv = m(1 / ((ri + 0.5) * s / n), table);
    for (int j = 0; j < len; ++j) {
      const auto want = fixed::cast(fixed::i128{e[j]} * inv, 2 * table.frac(), res).mantissa;
      EXPECT_EQ(r.outputs[0].data[row * len + j], fixed::to_double(want, res)) << row << "," << j;
    }
  }
}

TEST(Kernels, SoftmaxMaxElementMapsToOne) {
  const fixed::FixedType table = make_fixed(18, 8);
  const ir::Graph g =
      GraphBuilder({3}, kX).table(ir::OpKind::kSoftmax, 1024, table, table, table).build();
  const RunResult r =
      Emulator(g).run({testing::batch(1, {3}, {5.0, -15.0, -15.0})}, {.trace = true});
  EXPECT_NEAR(r.outputs[0].data[0], 1.0, 1e-2);
}

TEST(Kernels, BatchNorm) {
  const fixed::FixedType s_t = make_fixed(10, 3), b_t = make_fixed(12, 6),
                         res = make_fixed(9, 4, true, Quantization::kRndConv, Overflow::kSatSym);
  const std::vector<double> scale = {0.75, -1.25, 2.5}, bias = {0.5, -3.0, 1.0 / 64};
  const ir::Graph g = GraphBuilder({3}, kX).batchnorm(scale, bias, s_t, b_t, res).build();
  const std::vector<double> xs = sweep(-16, 15.9, 300);
  const RunResult r = Emulator(g).run({testing::batch(100, {3}, xs)});
  for (std::size_t k = 0; k < xs.size(); ++k) {
    const fixed::i128 prod = fixed::i128{m(xs[k], kX)} * m(scale[k % 3], s_t);  // frac 7 + 7
    const fixed::i128 sum = prod + fixed::i128{m(bias[k % 3], b_t)} * 256;      // frac 6 -> 14
    EXPECT_EQ(r.outputs[0].data[k], fixed::to_double(fixed::cast(sum, 14, res).mantissa, res));
  }
}

// Threshold compares exactly: at a threshold on the input grid, x >= t steps and x > t does not;
// a threshold between grid points steps at the next one; thresholds outside the input's range
// are passed by every value or by none.
TEST(Kernels, ThresholdStepsExactly) {
  const fixed::FixedType res = make_fixed(4, 3);
  GraphBuilder b({1}, kX);  // ap_fixed<12,5>: lsb 2^-7, range [-16, 16)
  b.unary(ir::OpKind::kThreshold, res);
  const std::vector<double> t = {-100, -0.5, -0.5, 0.33, 20};
  const std::vector<std::int64_t> strict = {0, 0, 1, 0, 0};
  const std::vector<double> values = {-3, -2, -1, 0, 1, 2};
  b.last().attrs.set("thresholds", t);
  b.last().attrs.set("strict", strict);
  b.last().attrs.set("values", values);
  const ir::Graph g = b.build();
  const double lsb = 1.0 / 128;
  check_unary(g, {-16, -0.5 - lsb, -0.5, -0.5 + lsb, 0.328125, 0.3359375, 15.9921875}, res,
              [&](std::int64_t x) {
                const double v = fixed::to_double(x, kX);
                std::size_t passed = 0;
                for (std::size_t i = 0; i < t.size(); ++i)
                  passed += strict[i] ? v > t[i] : v >= t[i];
                return m(values[passed], res);
              });
  // The same, spelled out: -0.5 passes "x >= -0.5" but not "x > -0.5"; 0.33 lies between the
  // grid points 0.328125 and 0.3359375.
  const RunResult r =
      Emulator(g).run({testing::batch(4, {1}, {-0.5, -0.5 + lsb, 0.328125, 0.3359375})});
  EXPECT_EQ(r.outputs[0].data, (std::vector<double>{-1, 0, 0, 1}));
}

// A Quantize with per-element types casts element k to its own type (rounding and overflow
// included), then into the result type; a zeroed element is 0.
TEST(Kernels, QuantizePerElement) {
  const std::vector<fixed::FixedType> own = {
      make_fixed(6, 2, true, Quantization::kRnd, Overflow::kSat),
      make_fixed(5, 3, false, Quantization::kRndConv, Overflow::kWrap),
      make_fixed(4, 1, true, Quantization::kTrn, Overflow::kSatSym)};
  const fixed::FixedType res = make_fixed(10, 4);  // holds the three exactly
  GraphBuilder b({4}, kX);
  b.unary(ir::OpKind::kQuantize, res);
  b.last().attrs.set("element_types", fixed::to_string(own[0]) + " " + fixed::to_string(own[1]) +
                                          " zero " + fixed::to_string(own[2]));
  const ir::Graph g = b.build();
  const std::vector<double> xs = {1.0703125, -2.5,  7.9,   -0.9,  // row 0
                                  -3.0,      9.375, -1.25, 0.3828125};
  const RunResult r = Emulator(g).run({testing::batch(2, {4}, xs)});
  for (std::size_t k = 0; k < xs.size(); ++k) {
    const std::size_t e = k % 4;
    double want = 0;
    if (e != 2) {
      const fixed::FixedType& t = own[e == 3 ? 2 : e];
      const fixed::CastResult c = fixed::cast(m(xs[k], kX), kX.frac(), t);
      want = fixed::to_double(fixed::mantissa_value(c.mantissa, t), t);
    }
    EXPECT_EQ(r.outputs[0].data[k], want) << "x=" << xs[k] << " element " << e;
  }
  // Hand-checked: 1.0703125 rounds (AP_RND, 4 fraction bits) to 1.0625; -2.5 wraps in
  // ap_ufixed<5,3> to 5.5; 9.375 rounds to 9.5 (37.5 quarters, a tie, to even 38) and wraps to
  // 1.5; 7.9 is zeroed; -0.9 truncates to -1, which
  // AP_SAT_SYM clamps to -0.875 (ap_fixed<4,1>'s symmetric bound); -3 saturates at -2.
  EXPECT_EQ(r.outputs[0].data, (std::vector<double>{1.0625, 5.5, 0, -0.875, -2, 1.5, 0, 0.375}));
}

TEST(Kernels, FlattenAndReshapeCopyOrCast) {
  const ir::Graph same = GraphBuilder({2, 3}, kX).reshape(ir::OpKind::kFlatten, {6}, kX).build();
  const std::vector<double> xs = sweep(-3, 3, 12);
  const RunResult r = Emulator(same).run({testing::batch(2, {2, 3}, xs)});
  for (std::size_t k = 0; k < xs.size(); ++k) {
    EXPECT_EQ(r.outputs[0].data[k], fixed::to_double(m(xs[k], kX), kX));
  }
  const fixed::FixedType narrow = make_fixed(4, 2);
  const ir::Graph cast =
      GraphBuilder({2, 3}, kX).reshape(ir::OpKind::kReshape, {3, 2}, narrow).build();
  const RunResult c = Emulator(cast).run({testing::batch(2, {2, 3}, xs)});
  EXPECT_EQ(c.outputs[0].shape, (std::vector<std::int64_t>{2, 3, 2}));
  for (std::size_t k = 0; k < xs.size(); ++k) {
    EXPECT_EQ(c.outputs[0].data[k],
              fixed::to_double(fixed::cast(m(xs[k], kX), kX.frac(), narrow).mantissa, narrow));
  }
}

}  // namespace
}  // namespace nnfpga::emulate
