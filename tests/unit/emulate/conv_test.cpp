// Conv1D and Conv2D: the emulator's kernels (im2col windows through Dense's general and fast
// kernels) against a slow reference written here from docs/layers.md, on fuzzed shapes (kernel,
// stride, dilation, padding, sizes) and types (saturating and wrapping accumulators included).
#include <gtest/gtest.h>

#include "emulate/program.hpp"
#include "graph_builder.hpp"
#include "ir/geometry.hpp"

namespace nnfpga::emulate {
namespace {

using fixed::make_fixed;
using testing::GraphBuilder;

// The spec, one output at a time: acc = cast(bias, accum_t); for kh, kw, c in order over the
// window's positions inside the input, acc = cast(acc + cast(x * w, accum_t), accum_t) (a padded
// element would add a zero product, which changes nothing, so it is skipped here); y =
// cast(acc, result_t). Counts the accumulator's and the result's overflows.
std::vector<std::int64_t> reference_conv(const ir::Node& n, const fixed::FixedType& x_t,
                                         const std::vector<std::int64_t>& x,
                                         std::int64_t* accum_overflows,
                                         std::int64_t* result_overflows) {
  const auto& w = n.qparam("weight");
  const fixed::FixedType acc_t = n.type("accum");
  const ir::Shape& in = n.input_shapes[0];
  const bool two = in.size() == 3;
  const std::int64_t h = two ? in[0] : 1, wd = in[in.size() - 2], c = in.back();
  const ir::Shape& ws = n.param("weight").shape;
  const std::int64_t kh = two ? ws[0] : 1, kw = ws[ws.size() - 3], f = ws.back();
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
        for (std::int64_t o = 0; o < f; ++o) {
          fixed::CastResult acc{0, false};
          if (n.qparams.count("bias")) {
            const auto& b = n.qparam("bias");
            acc = fixed::cast(b.mantissa[o], b.type.frac(), acc_t);
            *accum_overflows += acc.overflowed;
          }
          for (std::int64_t a = 0; a < kh; ++a) {
            for (std::int64_t bb = 0; bb < kw; ++bb) {
              const std::int64_t r = i * sh - pt + a * dh, q = j * sw - pl + bb * dw;
              if (r < 0 || r >= h || q < 0 || q >= wd) continue;
              for (std::int64_t k = 0; k < c; ++k) {
                const std::int64_t wm = w.mantissa[((a * kw + bb) * c + k) * f + o];
                const auto p = fixed::cast(fixed::i128{xs[(r * wd + q) * c + k]} * wm,
                                           x_t.frac() + w.type.frac(), acc_t);
                acc = fixed::cast(fixed::i128{acc.mantissa} + p.mantissa, acc_t.frac(), acc_t);
                *accum_overflows += p.overflowed + acc.overflowed;
              }
            }
          }
          const auto r = fixed::cast(acc.mantissa, acc_t.frac(), n.type("result"));
          *result_overflows += r.overflowed;
          y.push_back(r.mantissa);
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

// A random convolution layer: shapes that fit, types from narrow and saturating to wide.
Case random_case(std::mt19937_64& rng, bool two, bool narrow_accum) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const std::int64_t c = pick(1, 5), f = pick(1, 9);
  const std::int64_t kh = two ? pick(1, 3) : 1, kw = pick(1, 4);
  const std::int64_t sh = pick(1, 3), sw = pick(1, 3), dh = pick(1, 2), dw = pick(1, 3);
  const std::int64_t pt = pick(0, 2), pb = pick(0, 2), pl = pick(0, 3), pr = pick(0, 3);
  // Big enough for one window.
  const std::int64_t h =
      two ? std::max<std::int64_t>(dh * (kh - 1) + 1 - pt - pb, 1) + pick(0, 6) : 1;
  const std::int64_t w = std::max<std::int64_t>(dw * (kw - 1) + 1 - pl - pr, 1) + pick(0, 9);
  const fixed::FixedType x_t =
      make_fixed(pick(4, 16), pick(1, 4), pick(0, 1) == 1, fixed::Quantization::kRnd);
  const fixed::FixedType w_t = make_fixed(pick(3, 10), pick(0, 2));
  const fixed::Overflow o = pick(0, 1) ? fixed::Overflow::kSat : fixed::Overflow::kWrap;
  const fixed::FixedType acc_t =
      narrow_accum ? make_fixed(pick(6, 12), pick(2, 5), true, fixed::Quantization::kRnd, o)
                   : make_fixed(48, 24);
  const fixed::FixedType res_t = make_fixed(pick(4, 12), pick(1, 5), true,
                                            fixed::Quantization::kRndConv, fixed::Overflow::kSat);
  const ir::Shape in_shape = two ? ir::Shape{h, w, c} : ir::Shape{w, c};
  const ir::Shape w_shape = two ? ir::Shape{kh, kw, c, f} : ir::Shape{kw, c, f};
  Case out;
  GraphBuilder b(in_shape, x_t);
  const auto n_w = static_cast<std::size_t>(kh * kw * c * f);
  const std::vector<double> bias = pick(0, 3) == 0
                                       ? std::vector<double>{}
                                       : testing::normal(static_cast<std::size_t>(f), 0.5, rng);
  b.conv(two ? ir::OpKind::kConv2D : ir::OpKind::kConv1D, w_shape, testing::normal(n_w, 0.7, rng),
         bias, two ? std::vector<std::int64_t>{sh, sw} : std::vector<std::int64_t>{sw},
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
  const ir::Node& conv = c.graph.nodes.at(1);
  std::int64_t accum_overflows = 0, result_overflows = 0;
  const std::vector<std::int64_t> want = reference_conv(conv, c.graph.nodes[0].type("result"), c.x,
                                                        &accum_overflows, &result_overflows);
  const std::vector<double>& got = r.trace.at(1).second.data;
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t k = 0; k < want.size(); ++k) {
    ASSERT_EQ(got[k], fixed::to_double(want[k], conv.type("result"))) << k;
  }
  EXPECT_EQ(r.overflows.at(1).accum_overflows, accum_overflows);
  EXPECT_EQ(r.overflows.at(1).result_overflows, result_overflows);
}

TEST(Conv, FuzzedShapesAndTypesMatchTheReference) {
  std::mt19937_64 rng(16);
  int fast = 0;
  for (int trial = 0; trial < 240; ++trial) {
    const bool two = trial % 2 == 1;
    const bool narrow = trial % 3 == 0;
    const Case c = random_case(rng, two, narrow);
    SCOPED_TRACE("trial " + std::to_string(trial) + ": " + c.graph.nodes[1].name + " " +
                 ir::to_string(c.graph.nodes[1].input_shapes[0]) + " -> " +
                 ir::to_string(c.graph.nodes[1].output_shape));
    std::string variant;
    expect_matches_reference(c, false, &variant);
    expect_matches_reference(c, true);
    fast += variant != "general";
    if (narrow) continue;
    EXPECT_NE(variant, "general");  // a 48-bit accumulator is proven exact
  }
  EXPECT_GT(fast, 100);
}

TEST(Conv, NarrowSaturatingAccumulatorCountsOverflows) {
  // Conv1D, kernel 2, one channel, weights 1 and 1, accumulator ap_fixed<6,3,AP_RND,AP_SAT>
  // (max 3.875): 3 + 3 saturates once; padding on the right adds nothing.
  const fixed::FixedType t = make_fixed(8, 4);
  GraphBuilder b({3, 1}, t);
  b.conv(ir::OpKind::kConv1D, {2, 1, 1}, {1, 1}, {}, {1}, {1}, {0, 1}, make_fixed(4, 2),
         make_fixed(4, 2), make_fixed(6, 3, true, fixed::Quantization::kRnd, fixed::Overflow::kSat),
         t);
  const RunResult r = Emulator(b.build()).run({testing::batch(1, {3, 1}, {3, 3, 1})});
  EXPECT_EQ(r.outputs[0].data, (std::vector<double>{3.875, 3.875, 1}));
  EXPECT_EQ(r.overflows.at(1).accum_overflows, 2);  // 3 + 3 and 3 + 1 both exceed 3.875
}

TEST(Conv, FloatPathIsTheFloatConvolution) {
  const fixed::FixedType t = make_fixed(16, 6);
  GraphBuilder b({2, 2, 1}, t);
  b.conv(ir::OpKind::kConv2D, {2, 2, 1, 1}, {1, 2, 3, 4}, {0.5}, {1, 1}, {1, 1}, {0, 1, 0, 1}, t, t,
         make_fixed(32, 12), t);
  const RunResult r = Emulator(b.build()).run_float({testing::batch(1, {2, 2, 1}, {1, 2, 3, 4})});
  // Weights [[1,2],[3,4]] over [[1,2],[3,4]] padded below and right: 1+4+9+16, 2+12, 3+8, 4;
  // plus 0.5.
  EXPECT_EQ(r.outputs[0].data, (std::vector<double>{30.5, 14.5, 11.5, 4.5}));
}

}  // namespace
}  // namespace nnfpga::emulate
