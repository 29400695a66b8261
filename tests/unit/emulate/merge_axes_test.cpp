// The merge kernels with broadcast inputs, Concatenate on any axis and Transpose, on fuzzed shapes
// and types. A broadcast merge must equal the same merge of its inputs materialized at the
// output's shape (ir::broadcast_to), which the equal-shape kernel computes (merge_test.cpp holds
// that one to hand-computed values); Concatenate and Transpose move codes, checked against a
// multi-index reference written here, each value cast to result_t.
#include <gtest/gtest.h>

#include <numeric>

#include "emulate/emulator.hpp"
#include "fixed/exact.hpp"
#include "graph_builder.hpp"
#include "ir/op_table.hpp"

namespace nnfpga::emulate {
namespace {

using fixed::FixedType;
using fixed::make_fixed;
using K = ir::OpKind;

std::vector<std::int64_t> unravel(std::int64_t k, const ir::Shape& shape) {
  std::vector<std::int64_t> index(shape.size());
  for (std::size_t a = shape.size(); a-- > 0;) {
    index[a] = k % shape[a];
    k /= shape[a];
  }
  return index;
}

std::int64_t ravel(const std::vector<std::int64_t>& index, const ir::Shape& shape) {
  std::int64_t k = 0;
  for (std::size_t a = 0; a < shape.size(); ++a) k = k * shape[a] + index[a];
  return k;
}

// Inputs x0.. of `shapes` and `types`, one node of `op` over them with result type `r`.
ir::Graph graph_of(K op, const std::vector<ir::Shape>& shapes, const std::vector<FixedType>& types,
                   const FixedType& r, const ir::Attributes& attrs = {}) {
  ir::Graph g;
  ir::Node m{.name = "m", .op = op, .attrs = attrs};
  m.types["result"] = r;
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    // std::string("x") + ...: g++ 12 at -O3 warns (-Wrestrict) on a literal + to_string.
    ir::Node in{.name = std::string("x").append(std::to_string(i)), .op = K::kInput};
    in.attrs.set("shape", shapes[i]);
    in.types["result"] = types[i];
    g.inputs.push_back(in.name);
    m.inputs.push_back(in.name);
    g.nodes.push_back(in);
  }
  g.nodes.push_back(m);
  g.outputs = {"m"};
  ir::infer_shapes(g);
  return g;
}

FixedType random_type(std::mt19937_64& rng) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  return make_fixed(pick(3, 12), pick(1, 5), pick(0, 3) != 0);
}

TEST(MergeBroadcast, FuzzedEqualsTheMergeOfMaterializedInputs) {
  std::mt19937_64 rng(61);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const K ops[] = {K::kAdd, K::kSubtract, K::kMultiply, K::kAverage, K::kMaximum, K::kMinimum};
  for (int trial = 0; trial < 180; ++trial) {
    const K op = ops[trial % 6];
    const std::size_t count = op == K::kSubtract  ? 2
                              : op == K::kAverage ? 2 * pick(1, 2)
                                                  : pick(2, 3);
    ir::Shape out(static_cast<std::size_t>(pick(1, 3)));
    for (std::int64_t& d : out) d = pick(1, 4);
    std::vector<ir::Shape> shapes = {out};
    std::vector<FixedType> types = {random_type(rng)};
    for (std::size_t i = 1; i < count; ++i) {
      const std::size_t drop = static_cast<std::size_t>(pick(0, static_cast<int>(out.size()) - 1));
      ir::Shape s(out.begin() + static_cast<std::ptrdiff_t>(drop), out.end());
      for (std::int64_t& d : s) d = pick(0, 1) == 0 ? 1 : d;
      shapes.push_back(s);
      types.push_back(random_type(rng));
    }
    if (trial % 4 == 0)
      std::swap(shapes[0], shapes[count - 1]), std::swap(types[0], types[count - 1]);
    const FixedType r = make_fixed(pick(4, 12), pick(1, 6), true, fixed::Quantization::kRnd,
                                   pick(0, 1) ? fixed::Overflow::kSat : fixed::Overflow::kWrap);
    const std::int64_t rows = pick(1, 3);
    std::vector<Array> broadcast_in, materialized_in;
    for (std::size_t i = 0; i < count; ++i) {
      const std::int64_t n = ir::element_count(shapes[i]);
      const Array a = testing::batch(rows, shapes[i],
                                     testing::normal(static_cast<std::size_t>(rows * n), 3.0, rng));
      broadcast_in.push_back(a);
      Array full;
      full.shape = {rows};
      full.shape.insert(full.shape.end(), out.begin(), out.end());
      for (std::int64_t row = 0; row < rows; ++row) {
        const ir::Tensor one{shapes[i], std::vector<double>(a.data.begin() + row * n,
                                                            a.data.begin() + (row + 1) * n)};
        const ir::Tensor b = ir::broadcast_to(one, out);
        full.data.insert(full.data.end(), b.data.begin(), b.data.end());
      }
      materialized_in.push_back(full);
    }
    SCOPED_TRACE(std::string(ir::op_name(op)) + " trial " + std::to_string(trial));
    const RunResult got = Emulator(graph_of(op, shapes, types, r)).run(broadcast_in);
    const std::vector<ir::Shape> same(count, out);
    const RunResult want = Emulator(graph_of(op, same, types, r)).run(materialized_in);
    EXPECT_EQ(got.outputs[0].shape, want.outputs[0].shape);
    EXPECT_EQ(got.outputs[0].data, want.outputs[0].data);
    EXPECT_EQ(got.overflows.back().result_overflows, want.overflows.back().result_overflows);
  }
}

TEST(MergeBroadcast, AChannelVectorAddsToEveryPosition) {
  const FixedType t = make_fixed(8, 4);
  const ir::Graph g = graph_of(K::kAdd, {{2, 2, 2}, {2}}, {t, t}, make_fixed(10, 5));
  const RunResult r = Emulator(g).run(
      {testing::batch(1, {2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7}), testing::batch(1, {2}, {0.5, -1})});
  EXPECT_EQ(r.outputs[0].data, (std::vector<double>{0.5, 0, 2.5, 2, 4.5, 4, 6.5, 6}));
}

TEST(Concatenate, FuzzedAxesMoveEveryCodeCastOnce) {
  std::mt19937_64 rng(62);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int trial = 0; trial < 120; ++trial) {
    const std::size_t rank = static_cast<std::size_t>(pick(1, 3)), count = pick(2, 3);
    ir::Shape base(rank);
    for (std::int64_t& d : base) d = pick(1, 3);
    const auto axis = static_cast<std::size_t>(pick(0, static_cast<int>(rank) - 1));
    std::vector<ir::Shape> shapes;
    std::vector<FixedType> types;
    std::vector<Array> in;
    for (std::size_t i = 0; i < count; ++i) {
      ir::Shape s = base;
      s[axis] = pick(1, 3);
      shapes.push_back(s);
      types.push_back(random_type(rng));
      in.push_back(testing::batch(
          2, s, testing::normal(static_cast<std::size_t>(2 * ir::element_count(s)), 3.0, rng)));
    }
    ir::Attributes attrs;
    attrs.set("axis", static_cast<std::int64_t>(axis) - static_cast<std::int64_t>(rank));
    const FixedType r =
        make_fixed(pick(4, 10), pick(1, 4), true, fixed::Quantization::kRnd, fixed::Overflow::kSat);
    const ir::Graph g = graph_of(K::kConcatenate, shapes, types, r, attrs);
    const ir::Shape& out = g.at("m").output_shape;
    const RunResult got = Emulator(g).run(in);
    const std::int64_t size = ir::element_count(out);
    std::int64_t overflows = 0;
    for (std::int64_t k = 0; k < 2 * size; ++k) {
      std::vector<std::int64_t> index = unravel(k % size, out);
      std::size_t i = 0;
      while (index[axis] >= shapes[i][axis]) index[axis] -= shapes[i++][axis];
      const double x = in[i].data[static_cast<std::size_t>(k / size * ir::element_count(shapes[i]) +
                                                           ravel(index, shapes[i]))];
      const fixed::CastResult code = fixed::cast_double(x, types[i]);  // the input's code
      const fixed::CastResult c = fixed::cast(code.mantissa, types[i].frac(), r);
      overflows += c.overflowed;
      ASSERT_EQ(got.outputs[0].data[static_cast<std::size_t>(k)], fixed::to_double(c.mantissa, r))
          << "trial " << trial << " element " << k;
    }
    EXPECT_EQ(got.overflows.back().result_overflows, overflows);
  }
}

TEST(Transpose, FuzzedPermutationsMoveEveryCodeCastOnce) {
  std::mt19937_64 rng(63);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int trial = 0; trial < 120; ++trial) {
    ir::Shape in_shape(static_cast<std::size_t>(pick(1, 4)));
    for (std::int64_t& d : in_shape) d = pick(1, 4);
    std::vector<std::int64_t> perm(in_shape.size());
    std::iota(perm.begin(), perm.end(), 0);
    std::shuffle(perm.begin(), perm.end(), rng);
    const FixedType x_t = random_type(rng);
    const FixedType r = make_fixed(pick(3, 10), pick(1, 4), true, fixed::Quantization::kRndConv,
                                   fixed::Overflow::kSat);
    ir::Attributes attrs;
    attrs.set("perm", perm);
    const ir::Graph g = graph_of(K::kTranspose, {in_shape}, {x_t}, r, attrs);
    const ir::Shape& out = g.at("m").output_shape;
    const std::int64_t size = ir::element_count(in_shape);
    const Array x =
        testing::batch(3, in_shape, testing::normal(static_cast<std::size_t>(3 * size), 3.0, rng));
    const RunResult got = Emulator(g).run({x});
    ASSERT_EQ(got.outputs[0].shape[0], 3);
    std::int64_t overflows = 0;
    for (std::int64_t k = 0; k < 3 * size; ++k) {
      const std::vector<std::int64_t> o = unravel(k % size, out);
      std::vector<std::int64_t> source(in_shape.size());
      for (std::size_t a = 0; a < o.size(); ++a) source[static_cast<std::size_t>(perm[a])] = o[a];
      const double v = x.data[static_cast<std::size_t>(k / size * size + ravel(source, in_shape))];
      const fixed::CastResult c = fixed::cast(fixed::cast_double(v, x_t).mantissa, x_t.frac(), r);
      overflows += c.overflowed;
      ASSERT_EQ(got.outputs[0].data[static_cast<std::size_t>(k)], fixed::to_double(c.mantissa, r))
          << "trial " << trial << " element " << k;
    }
    EXPECT_EQ(got.overflows.back().result_overflows, overflows);
    // The float path is the float transpose of the same values.
    const RunResult f = Emulator(g).run_float({x});
    for (std::int64_t k = 0; k < 3 * size; ++k) {
      const std::vector<std::int64_t> o = unravel(k % size, out);
      std::vector<std::int64_t> source(in_shape.size());
      for (std::size_t a = 0; a < o.size(); ++a) source[static_cast<std::size_t>(perm[a])] = o[a];
      ASSERT_EQ(f.outputs[0].data[static_cast<std::size_t>(k)],
                x.data[static_cast<std::size_t>(k / size * size + ravel(source, in_shape))]);
    }
  }
}

}  // namespace
}  // namespace nnfpga::emulate
