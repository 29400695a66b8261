// PReLU, HardSigmoid, ELU, Softplus and Softsign against references written here: hand-computed
// values at the edges (ties, the bound 1, saturation and wrap), and every input of a sweep
// against the documented table layout.
#include <gtest/gtest.h>

#include <cmath>

#include "graph_builder.hpp"
#include "ir/op_table.hpp"

namespace nnfpga::emulate {
namespace {

using fixed::FixedType;
using fixed::make_fixed;
using fixed::Overflow;
using fixed::Quantization;
using testing::GraphBuilder;

const FixedType kX = make_fixed(12, 5);  // step 1/128, [-16, 16)
const FixedType kParam = make_fixed(18, 2, true, Quantization::kRndConv, Overflow::kSat);

std::vector<double> run(const ir::Graph& g, const std::vector<double>& xs, ir::Shape shape = {1}) {
  const std::int64_t rows = static_cast<std::int64_t>(xs.size()) / ir::element_count(shape);
  return Emulator(g).run({testing::batch(rows, shape, xs)}).outputs[0].data;
}

std::vector<double> sweep(double lo, double hi, int n) {
  std::vector<double> v;
  for (int k = 0; k < n; ++k) v.push_back(lo + (hi - lo) * k / (n - 1));
  return v;
}

std::int64_t m(double v, const FixedType& t) {
  return fixed::cast_double(v, t).mantissa;
}

ir::Graph hard_sigmoid(double slope, double offset, const FixedType& r) {
  GraphBuilder b({1}, kX);
  b.unary(ir::OpKind::kHardSigmoid, r);
  ir::Node& n = b.last();
  n.attrs.set("slope", slope);
  n.attrs.set("offset", offset);
  n.types["param"] = kParam;
  n.qparams["slope"] = testing::quantize({slope}, kParam);
  n.qparams["offset"] = testing::quantize({offset}, kParam);
  return b.build();
}

TEST(NewActivations, PReluPerElementAlpha) {
  const FixedType p = make_fixed(8, 1, true, Quantization::kRnd);                  // step 1/128
  const FixedType r = make_fixed(8, 3, true, Quantization::kRnd, Overflow::kSat);  // step 1/32
  GraphBuilder b({3}, kX);
  b.unary(ir::OpKind::kPRelu, r);
  ir::Node& n = b.last();
  n.params["alpha"] = ir::Tensor{{3}, {0.25, -0.5, 0.3}};
  n.types["param"] = p;
  n.qparams["alpha"] = testing::quantize({0.25, -0.5, 0.3}, p);  // 0.3 -> 38/128
  // Row 0: -1.5 * 0.25 = -0.375; -1 * -0.5 = 0.5; -1 * 38/128 = -9.5/32, a tie: RND -> -9/32.
  // Row 1: 5 (saturates to 3.96875), -0.0625 * -0.5 = 0.03125, 1.25 (positive: x itself).
  const std::vector<double> got = run(b.build(), {-1.5, -1, -1, 5, -0.0625, 1.25}, {3});
  EXPECT_EQ(got, (std::vector<double>{-0.375, 0.5, -0.28125, 3.96875, 0.03125, 1.25}));
}

TEST(NewActivations, HardSigmoidKeras3SlopeIsQuantized) {
  // 1/6 in ap_fixed<18,2,AP_RND_CONV,AP_SAT> is 10923 / 2^16, a little above 1/6.
  const FixedType r = make_fixed(8, 1, true, Quantization::kRnd, Overflow::kSat);  // step 1/128
  const ir::Graph g = hard_sigmoid(1.0 / 6, 0.5, r);
  // -3: v = (-32769 + 32768) / 2^16 < 0 -> 0. 3: v > 1 -> 1, saturated to 127/128.
  // 1.5: v = 49152.5 / 2^16 = 96.0010 / 128 -> 96 / 128. 0: the offset, 0.5.
  EXPECT_EQ(run(g, {-3, 3, 1.5, 0, -16, 15.9921875}),
            (std::vector<double>{0, 127.0 / 128, 0.75, 0.5, 0, 127.0 / 128}));
  // The bound 1 cast into a wrapping type that cannot hold it wraps to -1.
  const ir::Graph wrap = hard_sigmoid(1.0 / 6, 0.5, make_fixed(8, 1));
  EXPECT_EQ(run(wrap, {3, 2.9375}), (std::vector<double>{-1, 126.0 / 128}));
}

TEST(NewActivations, HardSigmoidSweepMatchesTheExactFormula) {
  const FixedType r = make_fixed(10, 2, true, Quantization::kRndConv);
  const ir::Graph g = hard_sigmoid(0.2, 0.5, r);  // Keras 2 / ONNX defaults
  const std::vector<double> xs = sweep(-16, 15.9, 601);
  const std::vector<double> got = run(g, xs);
  const std::int64_t slope = m(0.2, kParam), offset = m(0.5, kParam);
  for (std::size_t k = 0; k < xs.size(); ++k) {
    const fixed::i128 v = fixed::i128{m(xs[k], kX)} * slope + (fixed::i128{offset} << kX.frac());
    const int frac = kX.frac() + kParam.frac();
    const fixed::i128 one = fixed::i128{1} << frac;
    const fixed::i128 clipped = v < 0 ? 0 : v > one ? one : v;
    EXPECT_EQ(got[k], fixed::to_double(fixed::cast(clipped, frac, r).mantissa, r)) << xs[k];
  }
}

// The table functions: entry floor((x - lo) * N / width) of a table over [lo, lo + width),
// clamped, each entry f at the centre of its interval; ELU and softplus are x from `identity`.
void check_table(ir::OpKind op, double lo, double width, double identity, double (*f)(double)) {
  const FixedType table = make_fixed(18, 8), r = make_fixed(12, 4, true, Quantization::kRnd);
  const int n = 64;
  GraphBuilder b({1}, kX);
  b.table(op, n, table, r);
  if (op == ir::OpKind::kElu) b.last().attrs.set("alpha", 0.7);
  const std::vector<double> xs = sweep(-16, 15.9, 1201);
  const std::vector<double> got = run(b.build(), xs);
  for (std::size_t k = 0; k < xs.size(); ++k) {
    const double v = fixed::to_double(m(xs[k], kX), kX);
    std::int64_t want;
    if (v >= identity) {
      want = fixed::cast(m(v, kX), kX.frac(), r).mantissa;
    } else {
      const double i = std::clamp(std::floor((v - lo) * n / width), 0.0, n - 1.0);
      want = fixed::cast(m(f(lo + (i + 0.5) * width / n), table), table.frac(), r).mantissa;
    }
    EXPECT_EQ(got[k], fixed::to_double(want, r)) << ir::op_name(op) << " x=" << v;
  }
}

TEST(NewActivations, EluTableBelowZeroIdentityAbove) {
  check_table(ir::OpKind::kElu, -8, 8, 0, [](double x) { return 0.7 * (std::exp(x) - 1); });
}

TEST(NewActivations, SoftplusTableIdentityFromEight) {
  check_table(ir::OpKind::kSoftplus, -8, 16, 8, [](double x) { return std::log(1 + std::exp(x)); });
}

TEST(NewActivations, SoftsignTableOverMinus16To16) {
  check_table(ir::OpKind::kSoftsign, -16, 32, 1e300,
              [](double x) { return x / (1 + std::abs(x)); });
}

}  // namespace
}  // namespace nnfpga::emulate
