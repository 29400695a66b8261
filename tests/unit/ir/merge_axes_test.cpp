// The merges' broadcasting, Concatenate on any axis and Transpose in the IR: shape rules and
// geometry (ir/geometry.hpp) on fuzzed shapes against a multi-index reference written here, the
// float meaning over a batch, and the refusals with their messages.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "ir/float_eval.hpp"
#include "ir/geometry.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::ir {
namespace {

Node node_of(OpKind op, std::size_t inputs) {
  Node n;
  n.name = "n";
  n.op = op;
  // append, not "x" + to_string: g++ 12 at -O3 warns (-Wrestrict) on the latter.
  for (std::size_t i = 0; i < inputs; ++i)
    n.inputs.push_back(std::string("x").append(std::to_string(i)));
  return n;
}

std::string shape_error(const Node& n, const std::vector<Shape>& inputs) {
  try {
    op_info(n.op).shape_rule(n, inputs);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where().node, "n");
    return e.message();
  }
  return "";
}

// The row-major multi-index of element k of `shape`.
std::vector<std::int64_t> unravel(std::int64_t k, const Shape& shape) {
  std::vector<std::int64_t> index(shape.size());
  for (std::size_t a = shape.size(); a-- > 0;) {
    index[a] = k % shape[a];
    k /= shape[a];
  }
  return index;
}

std::int64_t ravel(const std::vector<std::int64_t>& index, const Shape& shape) {
  std::int64_t k = 0;
  for (std::size_t a = 0; a < shape.size(); ++a) k = k * shape[a] + index[a];
  return k;
}

std::vector<double> normal(std::size_t n, std::mt19937_64& rng) {
  std::normal_distribution<double> d;
  std::vector<double> v(n);
  for (double& x : v) x = d(rng);
  return v;
}

// Output element `out_index` read from an input of `shape` broadcast numpy's way: its axes aligned
// on the output's last ones, index 0 where it has 1.
std::int64_t broadcast_source(const std::vector<std::int64_t>& out_index, const Shape& shape) {
  const std::size_t offset = out_index.size() - shape.size();
  std::vector<std::int64_t> index(shape.size());
  for (std::size_t a = 0; a < shape.size(); ++a) {
    index[a] = shape[a] == 1 ? 0 : out_index[offset + a];
  }
  return ravel(index, shape);
}

TEST(MergeBroadcast, FuzzedShapesMatchNumpysRule) {
  std::mt19937_64 rng(44);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const OpKind ops[] = {OpKind::kAdd,     OpKind::kSubtract, OpKind::kMultiply,
                        OpKind::kAverage, OpKind::kMaximum,  OpKind::kMinimum};
  int broadcasting = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const OpKind op = ops[trial % 6];
    const std::size_t count = op == OpKind::kSubtract ? 2 : static_cast<std::size_t>(pick(2, 4));
    Shape out(static_cast<std::size_t>(pick(1, 3)));
    for (std::int64_t& d : out) d = pick(1, 4);
    // Each input: some leading axes dropped, some axes 1; the first keeps every axis's size on
    // some input so that the output is `out`.
    std::vector<Shape> inputs;
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t drop = i == 0 ? 0 : static_cast<std::size_t>(pick(0, 1) * pick(0, 2));
      Shape s(out.begin() + static_cast<std::ptrdiff_t>(std::min(drop, out.size() - 1)), out.end());
      if (i > 0) {
        for (std::int64_t& d : s) d = pick(0, 2) == 0 ? 1 : d;
      }
      inputs.push_back(s);
    }
    Node n = node_of(op, count);
    SCOPED_TRACE(std::string(op_name(op)) + " trial " + std::to_string(trial));
    ASSERT_EQ(op_info(op).shape_rule(n, inputs), out);
    n.input_shapes = inputs;
    n.output_shape = out;
    const MergeGeometry g = merge_geometry(n);
    const std::int64_t size = element_count(out);
    bool broadcast = false;
    for (std::size_t i = 0; i < count; ++i) {
      // An input of fewer axes but as many elements ([3] against [1, 3]) repeats nothing.
      broadcast = broadcast || element_count(inputs[i]) != size;
      for (std::int64_t k = 0; k < size; ++k) {
        ASSERT_EQ(g.input_index(i, k), broadcast_source(unravel(k, out), inputs[i]))
            << i << " " << k;
      }
    }
    EXPECT_EQ(g.broadcasts(), broadcast);
    EXPECT_EQ(merge_is_plain(n), !broadcast);
    broadcasting += broadcast;
  }
  EXPECT_GT(broadcasting, 100);
}

TEST(MergeBroadcast, TheOperandsUsersWrite) {
  Node add = node_of(OpKind::kAdd, 2);
  EXPECT_EQ(op_info(OpKind::kAdd).shape_rule(add, {{4, 5, 3}, {1, 1, 3}}), (Shape{4, 5, 3}));
  EXPECT_EQ(op_info(OpKind::kAdd).shape_rule(add, {{4, 5, 3}, {4, 5, 1}}), (Shape{4, 5, 3}));
  EXPECT_EQ(op_info(OpKind::kAdd).shape_rule(add, {{3}, {4, 5, 3}}), (Shape{4, 5, 3}));
  EXPECT_EQ(op_info(OpKind::kAdd).shape_rule(add, {{4, 5, 1}, {1, 1, 3}}), (Shape{4, 5, 3}));
}

TEST(MergeBroadcast, RefusesShapesThatDoNotBroadcast) {
  EXPECT_EQ(shape_error(node_of(OpKind::kMaximum, 2), {{2, 3}, {2, 4}}),
            "Maximum: inputs of shapes [2, 3] and [2, 4] do not broadcast: aligned on their last "
            "axes, each axis of an input must have the output's size or 1");
  EXPECT_NE(shape_error(node_of(OpKind::kAdd, 2), {{2, 3}, {3, 3}}).find("do not broadcast"),
            std::string::npos);
  EXPECT_EQ(shape_error(node_of(OpKind::kSubtract, 3), {{2}, {2}, {2}}),
            "Subtract takes 2 inputs, not 3");
  EXPECT_EQ(shape_error(node_of(OpKind::kAverage, 1), {{2}}),
            "Average takes two or more inputs, not 1");
}

TEST(MergeBroadcast, FloatMeaningOverABatch) {
  std::mt19937_64 rng(45);
  Node n = node_of(OpKind::kSubtract, 2);
  const Tensor a{{2, 3, 2, 4}, normal(48, rng)};  // batch 2 of [3, 2, 4]
  const Tensor b{{2, 4}, normal(8, rng)};         // batch 2 of [4]
  const Tensor y = evaluate_float(n, {&a, &b}, 1);
  ASSERT_EQ(y.shape, (Shape{2, 3, 2, 4}));
  for (std::size_t k = 0; k < y.data.size(); ++k) {
    EXPECT_EQ(y.data[k], a.data[k] - b.data[k / 24 * 4 + k % 4]) << k;
  }
  Node avg = node_of(OpKind::kAverage, 2);
  const Tensor c{{1, 1, 1, 1}, {2.0}};  // batch 1 of [1, 1, 1]
  const Tensor d{{1, 2, 1, 2}, {0, 1, 2, 3}};
  EXPECT_EQ(evaluate_float(avg, {&c, &d}, 1).data, (std::vector<double>{1, 1.5, 2, 2.5}));
}

TEST(Concatenate, FuzzedAxesMatchAReference) {
  std::mt19937_64 rng(46);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t rank = static_cast<std::size_t>(pick(1, 3));
    const std::size_t count = static_cast<std::size_t>(pick(2, 3));
    Shape base(rank);
    for (std::int64_t& d : base) d = pick(1, 4);
    const auto axis = static_cast<std::size_t>(pick(0, static_cast<int>(rank) - 1));
    std::vector<Shape> inputs;
    std::vector<Tensor> tensors;
    for (std::size_t i = 0; i < count; ++i) {
      Shape s = base;
      s[axis] = pick(1, 3);
      inputs.push_back(s);
      Shape batched = s;
      batched.insert(batched.begin(), 2);
      tensors.push_back(
          Tensor{batched, normal(static_cast<std::size_t>(2 * element_count(s)), rng)});
    }
    Node n = node_of(OpKind::kConcatenate, count);
    // Half the trials name the axis from the end.
    const auto signed_axis =
        static_cast<std::int64_t>(axis) - (trial % 2 == 1 ? static_cast<std::int64_t>(rank) : 0);
    if (trial % 5 != 0 || axis + 1 != rank) n.attrs.set("axis", signed_axis);
    SCOPED_TRACE("trial " + std::to_string(trial) + " axis " + std::to_string(signed_axis));
    const Shape out = op_info(n.op).shape_rule(n, inputs);
    Shape want = base;
    want[axis] = 0;
    for (const Shape& s : inputs) want[axis] += s[axis];
    ASSERT_EQ(out, want);
    n.input_shapes = inputs;
    n.output_shape = out;
    EXPECT_EQ(merge_is_plain(n), axis + 1 == rank);

    std::vector<const Tensor*> in;
    for (const Tensor& t : tensors) in.push_back(&t);
    const Tensor y = evaluate_float(n, in, 1);
    const std::int64_t size = element_count(out);
    ASSERT_EQ(y.data.size(), static_cast<std::size_t>(2 * size));
    for (std::int64_t k = 0; k < 2 * size; ++k) {
      std::vector<std::int64_t> index = unravel(k % size, out);
      std::size_t i = 0;
      while (index[axis] >= inputs[i][axis]) index[axis] -= inputs[i++][axis];
      const std::int64_t source = k / size * element_count(inputs[i]) + ravel(index, inputs[i]);
      ASSERT_EQ(y.data[static_cast<std::size_t>(k)],
                tensors[i].data[static_cast<std::size_t>(source)])
          << k;
    }
  }
}

TEST(Concatenate, RefusesWhatDoesNotFit) {
  Node n = node_of(OpKind::kConcatenate, 2);
  EXPECT_EQ(shape_error(n, {{2, 3}, {6}}),
            "Concatenate: inputs of shapes [2, 3] and [6] have "
            "different ranks");
  n.attrs.set("axis", std::int64_t{0});
  EXPECT_EQ(shape_error(n, {{2, 3}, {2, 4}}),
            "Concatenate: inputs of shapes [2, 3] and [2, 4] differ on an axis other than the "
            "concatenation axis 0");
  n.attrs.set("axis", std::int64_t{2});
  EXPECT_EQ(shape_error(n, {{2, 3}, {2, 3}}),
            "Concatenate: axis 2 is outside the inputs' 2 axes (the batch axis is not one)");
  n.attrs.set("axis", std::int64_t{-3});
  EXPECT_NE(shape_error(n, {{2, 3}, {2, 3}}).find("axis -3 is outside"), std::string::npos);
  EXPECT_EQ(shape_error(node_of(OpKind::kConcatenate, 1), {{2}}),
            "Concatenate takes two or more inputs");
}

TEST(Transpose, FuzzedPermutationsMatchAReference) {
  std::mt19937_64 rng(47);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int trial = 0; trial < 200; ++trial) {
    Shape in(static_cast<std::size_t>(pick(1, 4)));
    for (std::int64_t& d : in) d = pick(1, 4);
    std::vector<std::int64_t> perm(in.size());
    std::iota(perm.begin(), perm.end(), 0);
    std::shuffle(perm.begin(), perm.end(), rng);
    Node n = node_of(OpKind::kTranspose, 1);
    n.attrs.set("perm", perm);
    SCOPED_TRACE(to_string(in) + " perm " + to_string(perm));
    const Shape out = op_info(n.op).shape_rule(n, {in});
    for (std::size_t a = 0; a < in.size(); ++a)
      EXPECT_EQ(out[a], in[static_cast<std::size_t>(perm[a])]);
    Shape batched = in;
    batched.insert(batched.begin(), 3);
    const Tensor x{batched, normal(static_cast<std::size_t>(3 * element_count(in)), rng)};
    const Tensor y = evaluate_float(n, {&x}, 1);
    const std::int64_t size = element_count(in);
    for (std::int64_t k = 0; k < 3 * size; ++k) {
      const std::vector<std::int64_t> o = unravel(k % size, out);
      std::vector<std::int64_t> source(in.size());
      for (std::size_t a = 0; a < in.size(); ++a) source[static_cast<std::size_t>(perm[a])] = o[a];
      ASSERT_EQ(y.data[static_cast<std::size_t>(k)],
                x.data[static_cast<std::size_t>(k / size * size + ravel(source, in))]);
    }
  }
}

TEST(Transpose, RefusesWhatIsNoPermutation) {
  Node n = node_of(OpKind::kTranspose, 1);
  EXPECT_EQ(shape_error(n, {{2, 3}}), "Transpose: has no perm attribute");
  n.attrs.set("perm", std::vector<std::int64_t>{0, 0});
  EXPECT_EQ(shape_error(n, {{2, 3}}),
            "Transpose: perm [0, 0] is not a permutation of the 2 axes of the input [2, 3] (the "
            "batch axis is not one)");
  n.attrs.set("perm", std::vector<std::int64_t>{2, 0, 1});
  EXPECT_NE(shape_error(n, {{2, 3}}).find("perm [2, 0, 1] is not a permutation"),
            std::string::npos);
}

}  // namespace
}  // namespace nnfpga::ir
