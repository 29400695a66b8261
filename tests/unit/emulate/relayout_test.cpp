// ZeroPadding, Cropping, UpSampling: the emulator's kernel against a slow reference written here
// from docs/layers.md, on fuzzed shapes and attributes, with a narrower saturating result type
// than the input's (so the one cast and its overflow count are exercised), and the float path.
#include <gtest/gtest.h>

#include "emulate/program.hpp"
#include "graph_builder.hpp"
#include "ir/op_table.hpp"

namespace nnfpga::emulate {
namespace {

using fixed::make_fixed;
using testing::GraphBuilder;
using K = ir::OpKind;

ir::Graph relayout_graph(const ir::Shape& in, const fixed::FixedType& x_t, K op,
                         const std::vector<std::int64_t>& attr, const fixed::FixedType& res_t) {
  GraphBuilder b(in, x_t);
  b.unary(op, res_t);
  ir::Node& n = b.last();
  n.attrs.set(std::string(ir::op_info(op).attributes.at(0)), attr);
  n.output_shape = ir::op_info(op).shape_rule(n, n.input_shapes);
  return b.build();
}

// Output (i, j) of a 2-D view (a 1-D op has H = 1): ZeroPadding reads (i - top, j - left) or 0;
// Cropping reads (i + top, j + left); UpSampling reads (i / s_h, j / s_w); each value cast to
// result_t.
std::vector<std::int64_t> reference(const ir::Node& n, const fixed::FixedType& x_t,
                                    const std::vector<std::int64_t>& x, std::int64_t* overflows) {
  const ir::Shape& in = n.input_shapes[0];
  const bool two = in.size() == 3;
  const std::int64_t h = two ? in[0] : 1, w = in[in.size() - 2], c = in.back();
  const ir::Shape& out = n.output_shape;
  const std::int64_t oh = two ? out[0] : 1, ow = out[out.size() - 2];
  const std::string key(ir::op_info(n.op).attributes.at(0));
  const std::vector<std::int64_t>& a = n.attrs.get_ints(key);
  std::vector<std::int64_t> y;
  for (std::size_t s = 0; s < x.size() / static_cast<std::size_t>(h * w * c); ++s) {
    for (std::int64_t i = 0; i < oh; ++i) {
      for (std::int64_t j = 0; j < ow; ++j) {
        std::int64_t r = i, q = j;
        if (key == "size") {
          r = two ? i / a[0] : 0;
          q = j / a.back();
        } else {
          const std::int64_t sign = key == "pads" ? -1 : 1;
          r = two ? i + sign * a[0] : 0;
          q = j + sign * a[a.size() - 2];
        }
        for (std::int64_t k = 0; k < c; ++k) {
          if (r < 0 || r >= h || q < 0 || q >= w) {
            y.push_back(0);
            continue;
          }
          const auto v = fixed::cast(x[s * static_cast<std::size_t>(h * w * c) +
                                       static_cast<std::size_t>((r * w + q) * c + k)],
                                     x_t.frac(), n.type("result"));
          *overflows += v.overflowed;
          y.push_back(v.mantissa);
        }
      }
    }
  }
  return y;
}

TEST(Relayout, FuzzedShapesMatchTheReference) {
  std::mt19937_64 rng(19);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const std::vector<K> ops = {K::kZeroPadding1D, K::kZeroPadding2D, K::kCropping1D,
                              K::kCropping2D,    K::kUpSampling1D,  K::kUpSampling2D};
  for (int trial = 0; trial < 300; ++trial) {
    const K op = ops[static_cast<std::size_t>(trial) % ops.size()];
    const std::string key(ir::op_info(op).attributes.at(0));
    const bool two = op == K::kZeroPadding2D || op == K::kCropping2D || op == K::kUpSampling2D;
    std::int64_t h = two ? pick(1, 6) : 1, w = pick(1, 8);
    const std::int64_t c = pick(1, 3);
    std::vector<std::int64_t> attr;
    for (int a = 0; a < (two ? 2 : 1); ++a) {
      if (key == "size") {
        attr.push_back(pick(1, 3));
      } else {
        const std::int64_t b = pick(0, 3), e = pick(0, 3);
        attr.push_back(b);
        attr.push_back(e);
        if (key == "crops") {  // leave at least one position
          std::int64_t& extent = two && a == 0 ? h : w;
          extent = std::max(extent, b + e + 1);
        }
      }
    }
    const fixed::FixedType x_t = make_fixed(pick(4, 14), pick(2, 5));
    const fixed::FixedType res_t =
        make_fixed(pick(3, 12), pick(0, 4), pick(0, 3) != 0, fixed::Quantization::kRnd,
                   pick(0, 1) ? fixed::Overflow::kSat : fixed::Overflow::kWrap);
    const ir::Shape in = two ? ir::Shape{h, w, c} : ir::Shape{w, c};
    const ir::Graph g = relayout_graph(in, x_t, op, attr, res_t);
    SCOPED_TRACE("trial " + std::to_string(trial) + ": " + std::string(ir::op_name(op)) + " " +
                 ir::to_string(in) + " -> " + ir::to_string(g.nodes[1].output_shape));
    const std::int64_t rows = pick(1, 3);
    const Array input = testing::batch(
        rows, in,
        testing::normal(static_cast<std::size_t>(rows * ir::element_count(in)), 4.0, rng));
    const RunResult r = Emulator(g).run({input}, {.trace = true});
    std::vector<std::int64_t> x;
    for (double v : input.data) x.push_back(fixed::cast_double(v, x_t).mantissa);
    std::int64_t overflows = 0;
    const std::vector<std::int64_t> want = reference(g.nodes[1], x_t, x, &overflows);
    const std::vector<double>& got = r.trace.at(1).second.data;
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t k = 0; k < want.size(); ++k) {
      ASSERT_EQ(got[k], fixed::to_double(want[k], res_t)) << k;
    }
    EXPECT_EQ(r.overflows.at(1).result_overflows, overflows);
    // The float path moves the same positions.
    const std::vector<double> f = Emulator(g).run_float({input}).outputs[0].data;
    ASSERT_EQ(f.size(), want.size());
  }
}

TEST(Relayout, FloatPathPadsCropsAndRepeats) {
  const fixed::FixedType t = make_fixed(16, 6);
  const Array x = testing::batch(1, {2, 2, 1}, {1, 2, 3, 4});
  const auto run = [&](K op, std::vector<std::int64_t> attr) {
    return Emulator(relayout_graph({2, 2, 1}, t, op, attr, t)).run_float({x}).outputs[0].data;
  };
  EXPECT_EQ(run(K::kZeroPadding2D, {1, 0, 0, 1}), (std::vector<double>{0, 0, 0, 1, 2, 0, 3, 4, 0}));
  EXPECT_EQ(run(K::kCropping2D, {1, 0, 0, 1}), (std::vector<double>{3}));
  EXPECT_EQ(run(K::kUpSampling2D, {1, 2}), (std::vector<double>{1, 1, 2, 2, 3, 3, 4, 4}));
}

}  // namespace
}  // namespace nnfpga::emulate
