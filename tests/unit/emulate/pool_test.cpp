// MaxPool, AveragePool and the Global pools: the emulator's kernels against a slow reference
// written here from docs/layers.md, on fuzzed shapes (pool size, stride, padding, sizes) and
// types (narrow and saturating accumulators and results included), and the float path.
#include <gtest/gtest.h>

#include "emulate/program.hpp"
#include "graph_builder.hpp"
#include "ir/op_table.hpp"

namespace nnfpga::emulate {
namespace {

using fixed::make_fixed;
using testing::GraphBuilder;
using K = ir::OpKind;

struct PoolSpec {
  K op = K::kMaxPool2D;
  std::vector<std::int64_t> pool, strides, pads;  // empty for the global pools
  bool count_pad = false;
};

bool averages(K op) {
  return ir::op_info(op).accum_rule == ir::AccumRule::kWindowSum;
}
bool global(K op) {
  return ir::op_info(op).attributes.empty();
}
bool two_d(K op) {
  return op == K::kMaxPool2D || op == K::kAveragePool2D || op == K::kGlobalMaxPool2D ||
         op == K::kGlobalAveragePool2D;
}

ir::Graph pool_graph(const ir::Shape& in, const fixed::FixedType& x_t, const PoolSpec& s,
                     const fixed::FixedType& acc_t, const fixed::FixedType& res_t) {
  GraphBuilder b(in, x_t);
  b.unary(s.op, res_t);
  ir::Node& n = b.last();
  if (!global(s.op)) {
    n.attrs.set("pool_size", s.pool);
    n.attrs.set("strides", s.strides);
    n.attrs.set("pads", s.pads);
    if (averages(s.op)) n.attrs.set("count_include_pad", std::int64_t{s.count_pad});
  }
  if (averages(s.op)) n.types["accum"] = acc_t;
  n.output_shape = ir::op_info(s.op).shape_rule(n, n.input_shapes);
  return b.build();
}

// The exact rational v = num / den (den > 0) cast into t: v is taken at 64 more fraction bits
// than either side needs, truncated, which cannot cross a rounding boundary of t (a boundary b
// != v is at least 1/(den·2^F) away), and is exact when v is such a boundary.
fixed::CastResult cast_rational(fixed::i128 num, int frac, std::int64_t den,
                                const fixed::FixedType& t) {
  const int extra = std::max(0, t.frac() - frac) + 40;
  const fixed::i128 scaled = num * (fixed::i128{1} << extra);
  fixed::i128 q = scaled / den;
  if (scaled % den != 0 && scaled < 0) q -= 1;  // floor
  return fixed::cast(q, frac + extra, t);
}

// docs/layers.md: per output position and channel, over the window's input elements (padding
// excluded): the maximum, cast to result_t; or the exact sum, cast to accum_t, divided by the
// count exactly and cast to result_t.
std::vector<std::int64_t> reference_pool(const ir::Node& n, const fixed::FixedType& x_t,
                                         const std::vector<std::int64_t>& x, std::int64_t* acc_ov,
                                         std::int64_t* res_ov) {
  const ir::Shape& in = n.input_shapes[0];
  const bool two = in.size() == 3;
  const std::int64_t h = two ? in[0] : 1, w = in[in.size() - 2], c = in.back();
  std::int64_t kh = h, kw = w, sh = 1, sw = 1, pt = 0, pl = 0;
  if (!global(n.op)) {
    const auto& p = n.attrs.get_ints("pool_size");
    const auto& st = n.attrs.get_ints("strides");
    const auto& pd = n.attrs.get_ints("pads");
    kh = two ? p[0] : 1;
    kw = p.back();
    sh = two ? st[0] : 1;
    sw = st.back();
    pt = two ? pd[0] : 0;
    pl = pd[pd.size() - 2];
  }
  const ir::Shape& out = n.output_shape;
  const std::int64_t oh = global(n.op) ? 1 : (two ? out[0] : 1);
  const std::int64_t ow = global(n.op) ? 1 : out[out.size() - 2];
  const bool count_pad = n.attrs.get_int_or("count_include_pad", 0) != 0;
  std::vector<std::int64_t> y;
  for (std::size_t s = 0; s < x.size() / static_cast<std::size_t>(h * w * c); ++s) {
    const std::int64_t* xs = x.data() + static_cast<std::int64_t>(s) * h * w * c;
    for (std::int64_t i = 0; i < oh; ++i) {
      for (std::int64_t j = 0; j < ow; ++j) {
        for (std::int64_t k = 0; k < c; ++k) {
          fixed::i128 sum = 0, best = 0;
          std::int64_t valid = 0;
          for (std::int64_t a = 0; a < kh; ++a) {
            for (std::int64_t b = 0; b < kw; ++b) {
              const std::int64_t r = i * sh - pt + a, q = j * sw - pl + b;
              if (r < 0 || r >= h || q < 0 || q >= w) continue;
              const std::int64_t v = xs[(r * w + q) * c + k];
              best = valid == 0 ? v : std::max<fixed::i128>(best, v);
              sum += v;
              ++valid;
            }
          }
          fixed::CastResult res;
          if (averages(n.op)) {
            const fixed::FixedType acc_t = n.type("accum");
            const fixed::CastResult acc = fixed::cast(sum, x_t.frac(), acc_t);
            *acc_ov += acc.overflowed;
            res = cast_rational(acc.mantissa, acc_t.frac(), count_pad ? kh * kw : valid,
                                n.type("result"));
          } else {
            res = fixed::cast(best, x_t.frac(), n.type("result"));
          }
          *res_ov += res.overflowed;
          y.push_back(res.mantissa);
        }
      }
    }
  }
  return y;
}

void expect_matches_reference(const ir::Graph& g, const Array& input) {
  const RunResult r = Emulator(g).run({input}, {.trace = true});
  const ir::Node& n = g.nodes.at(1);
  const fixed::FixedType x_t = g.nodes[0].type("result");
  std::vector<std::int64_t> x;
  for (double v : input.data) x.push_back(fixed::cast_double(v, x_t).mantissa);
  std::int64_t acc_ov = 0, res_ov = 0;
  const std::vector<std::int64_t> want = reference_pool(n, x_t, x, &acc_ov, &res_ov);
  const std::vector<double>& got = r.trace.at(1).second.data;
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t k = 0; k < want.size(); ++k) {
    ASSERT_EQ(got[k], fixed::to_double(want[k], n.type("result"))) << k;
  }
  EXPECT_EQ(r.overflows.at(1).accum_overflows, acc_ov);
  EXPECT_EQ(r.overflows.at(1).result_overflows, res_ov);
}

TEST(Pool, FuzzedShapesAndTypesMatchTheReference) {
  std::mt19937_64 rng(17);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const std::vector<K> ops = {K::kMaxPool1D,           K::kMaxPool2D,          K::kAveragePool1D,
                              K::kAveragePool2D,       K::kGlobalMaxPool1D,    K::kGlobalMaxPool2D,
                              K::kGlobalAveragePool1D, K::kGlobalAveragePool2D};
  for (int trial = 0; trial < 400; ++trial) {
    PoolSpec s;
    s.op = ops[static_cast<std::size_t>(trial) % ops.size()];
    const bool two = two_d(s.op);
    const std::int64_t kh = two ? pick(1, 3) : 1, kw = pick(1, 4);
    const std::int64_t c = pick(1, 4);
    std::int64_t h = two ? pick(1, 7) : 1, w = pick(1, 9);
    if (!global(s.op)) {
      const std::int64_t pt = pick(0, static_cast<int>(kh) - 1),
                         pb = pick(0, static_cast<int>(kh) - 1);
      const std::int64_t pl = pick(0, static_cast<int>(kw) - 1),
                         pr = pick(0, static_cast<int>(kw) - 1);
      h = std::max(h, kh - pt - pb);
      w = std::max(w, kw - pl - pr);
      s.pool = two ? std::vector<std::int64_t>{kh, kw} : std::vector<std::int64_t>{kw};
      s.strides = two ? std::vector<std::int64_t>{pick(1, 3), pick(1, 3)}
                      : std::vector<std::int64_t>{pick(1, 3)};
      s.pads = two ? std::vector<std::int64_t>{pt, pb, pl, pr} : std::vector<std::int64_t>{pl, pr};
      s.count_pad = pick(0, 1) == 1;
    }
    const fixed::FixedType x_t =
        make_fixed(pick(3, 14), pick(1, 4), pick(0, 1) == 1, fixed::Quantization::kRnd);
    const fixed::Overflow o = pick(0, 1) ? fixed::Overflow::kSat : fixed::Overflow::kWrap;
    const fixed::Quantization q[] = {fixed::Quantization::kTrn, fixed::Quantization::kRnd,
                                     fixed::Quantization::kRndConv, fixed::Quantization::kRndZero};
    const fixed::FixedType acc_t = pick(0, 2) == 0
                                       ? make_fixed(pick(4, 10), pick(1, 4), true, q[pick(0, 3)], o)
                                       : make_fixed(40, 16);
    const fixed::FixedType res_t =
        make_fixed(pick(3, 12), pick(0, 4), pick(0, 3) != 0, q[pick(0, 3)], o);
    const ir::Shape in = two ? ir::Shape{h, w, c} : ir::Shape{w, c};
    const ir::Graph g = pool_graph(in, x_t, s, acc_t, res_t);
    SCOPED_TRACE("trial " + std::to_string(trial) + ": " + std::string(ir::op_name(s.op)) + " " +
                 ir::to_string(in) + " -> " + ir::to_string(g.nodes[1].output_shape));
    const std::int64_t rows = pick(1, 4);
    const auto n_x = static_cast<std::size_t>(rows * ir::element_count(in));
    expect_matches_reference(g, testing::batch(rows, in, testing::normal(n_x, 3.0, rng)));
  }
}

TEST(Pool, AverageRoundsTheExactQuotientOnce) {
  // Three inputs 1, 1, 0 (ap_fixed<8,4>): the mean 2/3 into ap_fixed<6,2,AP_RND> (step 1/16) is
  // 0.6875 (10.67 steps round to 11); with count_include_pad over a window of 4 it is 0.5.
  const fixed::FixedType x_t = make_fixed(8, 4);
  const fixed::FixedType res_t = make_fixed(6, 2, true, fixed::Quantization::kRnd);
  for (const bool count_pad : {false, true}) {
    const PoolSpec s{K::kAveragePool1D, {4}, {1}, {0, 1}, count_pad};
    const ir::Graph g = pool_graph({3, 1}, x_t, s, make_fixed(20, 8), res_t);
    const RunResult r = Emulator(g).run({testing::batch(1, {3, 1}, {1, 1, 0})});
    EXPECT_EQ(r.outputs[0].data, (std::vector<double>{count_pad ? 0.5 : 0.6875}));
  }
}

TEST(Pool, FloatPathAveragesAndTakesMaxima) {
  const fixed::FixedType t = make_fixed(16, 6);
  const PoolSpec avg{K::kAveragePool2D, {2, 2}, {2, 2}, {0, 1, 0, 1}, false};
  const ir::Graph g = pool_graph({3, 3, 1}, t, avg, make_fixed(32, 12), t);
  const Array x = testing::batch(1, {3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  EXPECT_EQ(Emulator(g).run_float({x}).outputs[0].data, (std::vector<double>{3, 4.5, 7.5, 9}));
  const ir::Graph gm = pool_graph({3, 3, 1}, t, {K::kGlobalMaxPool2D}, t, t);
  EXPECT_EQ(Emulator(gm).run_float({x}).outputs[0].data, (std::vector<double>{9}));
  EXPECT_EQ(gm.nodes[1].output_shape, (ir::Shape{1}));
}

}  // namespace
}  // namespace nnfpga::emulate
