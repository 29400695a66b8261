// DepthwiseConv1D and DepthwiseConv2D: the emulator's general and fast kernels against a slow
// reference written here from docs/layers.md, on fuzzed shapes (kernel, depth multiplier, stride,
// dilation, padding, sizes) and types (saturating and wrapping accumulators included).
#include <gtest/gtest.h>

#include "emulate/program.hpp"
#include "graph_builder.hpp"
#include "ir/geometry.hpp"

namespace nnfpga::emulate {
namespace {

using fixed::make_fixed;
using testing::GraphBuilder;

// The spec, one output at a time: output channel j = c*M + m; acc = cast(bias_j, accum_t); for
// kh, kw in order over the window's positions inside the input, acc = cast(acc + cast(x[.][c] *
// w[kh][kw][c][m], accum_t), accum_t) (a padded element adds a zero product, which changes
// nothing, so it is skipped); y = cast(acc, result_t). Counts both kinds of overflow.
std::vector<std::int64_t> reference_depthwise(const ir::Node& n, const fixed::FixedType& x_t,
                                              const std::vector<std::int64_t>& x,
                                              std::int64_t* accum_overflows,
                                              std::int64_t* result_overflows) {
  const auto& w = n.qparam("weight");
  const fixed::FixedType acc_t = n.type("accum");
  const ir::Shape& in = n.input_shapes[0];
  const bool two = in.size() == 3;
  const std::int64_t h = two ? in[0] : 1, wd = in[in.size() - 2], c = in.back();
  const ir::Shape& ws = n.param("weight").shape;
  const std::int64_t kh = two ? ws[0] : 1, kw = ws[ws.size() - 3], m = ws.back();
  const auto& st = n.attrs.get_ints("strides");
  const auto& dl = n.attrs.get_ints("dilations");
  const auto& pd = n.attrs.get_ints("pads");
  const std::int64_t sh = two ? st[0] : 1, sw = st.back(), dh = two ? dl[0] : 1, dw = dl.back();
  const std::int64_t pt = two ? pd[0] : 0, pl = pd[pd.size() - 2];
  const ir::Shape& out = n.output_shape;
  const std::int64_t oh = two ? out[0] : 1, ow = out[out.size() - 2];
  const std::int64_t in_size = h * wd * c;
  std::vector<std::int64_t> y;
  for (std::size_t s = 0; s < x.size() / static_cast<std::size_t>(in_size); ++s) {
    const std::int64_t* xs = x.data() + static_cast<std::int64_t>(s) * in_size;
    for (std::int64_t i = 0; i < oh; ++i) {
      for (std::int64_t j = 0; j < ow; ++j) {
        for (std::int64_t k = 0; k < c; ++k) {
          for (std::int64_t q = 0; q < m; ++q) {
            fixed::CastResult acc{0, false};
            if (n.qparams.count("bias")) {
              const auto& b = n.qparam("bias");
              acc = fixed::cast(b.mantissa[k * m + q], b.type.frac(), acc_t);
              *accum_overflows += acc.overflowed;
            }
            for (std::int64_t a = 0; a < kh; ++a) {
              for (std::int64_t bb = 0; bb < kw; ++bb) {
                const std::int64_t r = i * sh - pt + a * dh, col = j * sw - pl + bb * dw;
                if (r < 0 || r >= h || col < 0 || col >= wd) continue;
                const std::int64_t wm = w.mantissa[((a * kw + bb) * c + k) * m + q];
                const auto p = fixed::cast(fixed::i128{xs[(r * wd + col) * c + k]} * wm,
                                           x_t.frac() + w.type.frac(), acc_t);
                acc = fixed::cast(fixed::i128{acc.mantissa} + p.mantissa, acc_t.frac(), acc_t);
                *accum_overflows += p.overflowed + acc.overflowed;
              }
            }
            const auto r = fixed::cast(acc.mantissa, acc_t.frac(), n.type("result"));
            *result_overflows += r.overflowed;
            y.push_back(r.mantissa);
          }
        }
      }
    }
  }
  return y;
}

struct Case {
  ir::Graph graph;
  std::vector<Array> inputs;
  std::vector<std::int64_t> x;  // the input's codes
};

// A random depthwise layer: shapes that fit, types from narrow and saturating to wide.
Case random_case(std::mt19937_64& rng, bool two, bool narrow_accum) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const std::int64_t c = pick(1, 11), m = pick(0, 2) == 0 ? pick(2, 3) : 1;
  const std::int64_t kh = two ? pick(1, 3) : 1, kw = pick(1, 4);
  const std::int64_t sh = pick(1, 3), sw = pick(1, 3), dh = pick(1, 2), dw = pick(1, 3);
  const std::int64_t pt = pick(0, 2), pb = pick(0, 2), pl = pick(0, 3), pr = pick(0, 3);
  const std::int64_t h =
      two ? std::max<std::int64_t>(dh * (kh - 1) + 1 - pt - pb, 1) + pick(0, 6) : 1;
  const std::int64_t w = std::max<std::int64_t>(dw * (kw - 1) + 1 - pl - pr, 1) + pick(0, 9);
  const fixed::FixedType x_t =
      make_fixed(pick(4, 16), pick(1, 4), pick(0, 1) == 1, fixed::Quantization::kRnd);
  const fixed::FixedType w_t = make_fixed(pick(3, 10), pick(0, 2));
  const fixed::Overflow o = pick(0, 1) ? fixed::Overflow::kSat : fixed::Overflow::kWrap;
  const fixed::FixedType acc_t =
      narrow_accum ? make_fixed(pick(5, 10), pick(2, 4), true, fixed::Quantization::kRnd, o)
                   : make_fixed(48, 24);
  const fixed::FixedType res_t = make_fixed(pick(4, 12), pick(1, 5), true,
                                            fixed::Quantization::kRndConv, fixed::Overflow::kSat);
  const ir::Shape in_shape = two ? ir::Shape{h, w, c} : ir::Shape{w, c};
  const ir::Shape w_shape = two ? ir::Shape{kh, kw, c, m} : ir::Shape{kw, c, m};
  Case out;
  GraphBuilder b(in_shape, x_t);
  const auto n_w = static_cast<std::size_t>(kh * kw * c * m);
  const std::vector<double> bias = pick(0, 3) == 0
                                       ? std::vector<double>{}
                                       : testing::normal(static_cast<std::size_t>(c * m), 0.5, rng);
  b.conv(two ? ir::OpKind::kDepthwiseConv2D : ir::OpKind::kDepthwiseConv1D, w_shape,
         testing::normal(n_w, 0.7, rng), bias,
         two ? std::vector<std::int64_t>{sh, sw} : std::vector<std::int64_t>{sw},
         two ? std::vector<std::int64_t>{dh, dw} : std::vector<std::int64_t>{dw},
         two ? std::vector<std::int64_t>{pt, pb, pl, pr} : std::vector<std::int64_t>{pl, pr}, w_t,
         make_fixed(10, 4), acc_t, res_t);
  out.graph = b.build();
  const std::int64_t rows = pick(1, 5);
  const auto n_x = static_cast<std::size_t>(rows * ir::element_count(in_shape));
  out.inputs = {testing::batch(rows, in_shape, testing::normal(n_x, 2.0, rng))};
  for (double v : out.inputs[0].data) out.x.push_back(fixed::cast_double(v, x_t).mantissa);
  return out;
}

void expect_matches_reference(const Case& c, bool general, std::string* variant = nullptr) {
  Program p;
  build_program(c.graph, general, p);
  if (variant != nullptr) *variant = p.steps.at(1).kernel->variant();
  const RunResult r = execute(p, c.inputs, {.trace = true});
  const ir::Node& dw = c.graph.nodes.at(1);
  std::int64_t accum_overflows = 0, result_overflows = 0;
  const std::vector<std::int64_t> want = reference_depthwise(
      dw, c.graph.nodes[0].type("result"), c.x, &accum_overflows, &result_overflows);
  const std::vector<double>& got = r.trace.at(1).second.data;
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t k = 0; k < want.size(); ++k) {
    ASSERT_EQ(got[k], fixed::to_double(want[k], dw.type("result"))) << k;
  }
  EXPECT_EQ(r.overflows.at(1).accum_overflows, accum_overflows);
  EXPECT_EQ(r.overflows.at(1).result_overflows, result_overflows);
}

TEST(Depthwise, FuzzedShapesAndTypesMatchTheReference) {
  std::mt19937_64 rng(1616);
  int fast = 0, narrow_overflowed = 0;
  for (int trial = 0; trial < 240; ++trial) {
    const bool two = trial % 2 == 1;
    const bool narrow = trial % 3 == 0;
    const Case c = random_case(rng, two, narrow);
    SCOPED_TRACE("trial " + std::to_string(trial) + ": " +
                 ir::to_string(c.graph.nodes[1].param("weight").shape) + " over " +
                 ir::to_string(c.graph.nodes[1].input_shapes[0]) + " -> " +
                 ir::to_string(c.graph.nodes[1].output_shape));
    std::string variant;
    expect_matches_reference(c, false, &variant);
    expect_matches_reference(c, true);
    fast += variant != "general";
    if (narrow) {
      Program p;
      build_program(c.graph, true, p);
      narrow_overflowed += execute(p, c.inputs, {}).overflows.at(1).accum_overflows > 0;
      continue;
    }
    EXPECT_NE(variant, "general");  // a 48-bit accumulator is proven exact
  }
  EXPECT_GT(fast, 100);
  EXPECT_GT(narrow_overflowed, 10);  // the saturating and wrapping paths were exercised
}

TEST(Depthwise, NarrowSaturatingAccumulatorCountsOverflows) {
  // DepthwiseConv1D, kernel 2, two channels, multiplier 1, weights 1 (channel 0) and 0.5
  // (channel 1), accumulator ap_fixed<6,3,AP_RND,AP_SAT> (max 3.875), right padding 1.
  const fixed::FixedType t = make_fixed(8, 4);
  GraphBuilder b({2, 2}, t);
  b.conv(ir::OpKind::kDepthwiseConv1D, {2, 2, 1}, {1, 0.5, 1, 0.5}, {}, {1}, {1}, {0, 1},
         make_fixed(4, 2), make_fixed(4, 2),
         make_fixed(6, 3, true, fixed::Quantization::kRnd, fixed::Overflow::kSat), t);
  // Positions (3, 3) and (3, 1): channel 0 sums 3 + 3 (saturates to 3.875) then 3 + pad; channel
  // 1 sums 1.5 + 0.5 = 2 then 0.5.
  const RunResult r = Emulator(b.build()).run({testing::batch(1, {2, 2}, {3, 3, 3, 1})});
  EXPECT_EQ(r.outputs[0].data, (std::vector<double>{3.875, 2, 3, 0.5}));
  EXPECT_EQ(r.overflows.at(1).accum_overflows, 1);
}

TEST(Depthwise, FloatPathIsTheFloatDepthwiseConvolution) {
  const fixed::FixedType t = make_fixed(16, 6);
  GraphBuilder b({2, 2, 1}, t);
  // One channel, multiplier 2: kernels [[1,2],[3,4]] and [[0,1],[1,0]], 'same'-like padding
  // below and right.
  b.conv(ir::OpKind::kDepthwiseConv2D, {2, 2, 1, 2}, {1, 0, 2, 1, 3, 1, 4, 0}, {0.5, -1}, {1, 1},
         {1, 1}, {0, 1, 0, 1}, t, t, make_fixed(32, 12), t);
  const RunResult r = Emulator(b.build()).run_float({testing::batch(1, {2, 2, 1}, {1, 2, 3, 4})});
  // Kernel 0 over [[1,2],[3,4]] padded: 1+4+9+16, 2+12, 3+8, 4, plus 0.5; kernel 1 (taps (0,1)
  // and (1,0)): 2+3, 4, 4, 0, minus 1. Channels interleave per position: c*M + m.
  EXPECT_EQ(r.outputs[0].data, (std::vector<double>{30.5, 4, 14.5, 3, 11.5, 3, 4.5, -1}));
}

}  // namespace
}  // namespace nnfpga::emulate
