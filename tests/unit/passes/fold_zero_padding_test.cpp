// fold_zero_padding_into_window: the padding joins a convolution's or a zero-counting average
// pool's pads, the graph computing the same function (ir::evaluate_float, node by node); a
// MaxPool, an AveragePool excluding its own padded positions, a shared padding and a padding
// whose type a quantized model declared keep it.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "ir/float_eval.hpp"
#include "passes/passes.hpp"
#include "test_graphs.hpp"

namespace nnfpga::passes {
namespace {

using ir::OpKind;
using testing::Builder;
using testing::random_tensor;

// The graph's only output for one sample `x`, every node evaluated in double.
std::vector<double> run_float(const ir::Graph& g, const ir::Tensor& x) {
  std::map<std::string, ir::Tensor> values;
  for (const ir::Node& n : g.nodes) {
    if (n.op == OpKind::kInput) {
      ir::Tensor batch = x;
      batch.shape.insert(batch.shape.begin(), 1);
      values[n.name] = batch;
      continue;
    }
    std::vector<const ir::Tensor*> in;
    for (const std::string& i : n.inputs) in.push_back(&values.at(i));
    values[n.name] = ir::evaluate_float(n, in, 1);
  }
  return values.at(g.outputs.at(0)).data;
}

void expect_same_float_function(const ir::Graph& before, const ir::Graph& after,
                                const ir::Shape& input) {
  for (unsigned seed = 1; seed <= 3; ++seed) {
    const ir::Tensor x = random_tensor(input, seed);
    const std::vector<double> a = run_float(before, x), b = run_float(after, x);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) EXPECT_NEAR(a[k], b[k], 1e-12) << k;
  }
}

// x [5, 6, 2] -> ZeroPadding2D(pads) -> consumer (built by `add`) -> graph output
template <typename Add>
ir::Graph padded(std::vector<std::int64_t> pads, Add add) {
  Builder b;
  b.input("x", {5, 6, 2});
  b.op(OpKind::kZeroPadding2D, "pad", {"x"}).attrs.set("pads", pads);
  add(b);
  return b.finish({"out"});
}

void add_conv(Builder& b) {
  ir::Node& c = b.op(OpKind::kConv2D, "out", {"pad"});
  c.params["weight"] = random_tensor({3, 2, 2, 4}, 7);
  c.params["bias"] = random_tensor({4}, 8);
  c.attrs.set("strides", std::vector<std::int64_t>{1, 2});
  c.attrs.set("dilations", std::vector<std::int64_t>{1, 1});
  c.attrs.set("pads", std::vector<std::int64_t>{1, 0, 0, 1});
}

TEST(FoldZeroPadding, AConvolutionTakesThePaddingIntoItsPads) {
  const ir::Graph before = padded({1, 2, 0, 3}, add_conv);
  ir::Graph g = before;
  fold_zero_padding_into_window(g);
  EXPECT_EQ(g.find("pad"), nullptr);
  EXPECT_EQ(g.removed_layers, (std::map<std::string, std::string>{{"pad", "out"}}));
  EXPECT_EQ(g.at("out").inputs, std::vector<std::string>{"x"});
  EXPECT_EQ(g.at("out").attrs.get_ints("pads"), (std::vector<std::int64_t>{2, 2, 0, 4}));
  EXPECT_EQ(g.at("out").output_shape, before.at("out").output_shape);
  expect_same_float_function(before, g, {5, 6, 2});
}

TEST(FoldZeroPadding, AnAveragePoolCountingPaddingTakesItToo) {
  auto pool = [](std::int64_t include, std::vector<std::int64_t> own) {
    return [include, own](Builder& b) {
      ir::Node& p = b.op(OpKind::kAveragePool2D, "out", {"pad"});
      p.attrs.set("pool_size", std::vector<std::int64_t>{3, 3});
      p.attrs.set("strides", std::vector<std::int64_t>{1, 1});
      p.attrs.set("pads", own);
      p.attrs.set("count_include_pad", include);
    };
  };
  // count_include_pad = 1: the pads add, the divisor stays the window's size.
  const ir::Graph counted = padded({1, 1, 1, 1}, pool(1, {1, 0, 0, 1}));
  ir::Graph g = counted;
  fold_zero_padding_into_window(g);
  EXPECT_EQ(g.find("pad"), nullptr);
  EXPECT_EQ(g.at("out").attrs.get_ints("pads"), (std::vector<std::int64_t>{2, 1, 1, 2}));
  expect_same_float_function(counted, g, {5, 6, 2});
  // No pads of its own: the padded zeros are counted once folded (count_include_pad set to 1).
  const ir::Graph unpadded = padded({0, 1, 2, 0}, pool(0, {0, 0, 0, 0}));
  g = unpadded;
  fold_zero_padding_into_window(g);
  EXPECT_EQ(g.find("pad"), nullptr);
  EXPECT_EQ(g.at("out").attrs.get_int("count_include_pad"), 1);
  expect_same_float_function(unpadded, g, {5, 6, 2});
  // Pads of its own left out of the count: folding would change the divisor at the border.
  const ir::Graph excluded = padded({1, 1, 1, 1}, pool(0, {1, 1, 1, 1}));
  g = excluded;
  fold_zero_padding_into_window(g);
  EXPECT_EQ(g, excluded);
}

TEST(FoldZeroPadding, AMaxPoolKeepsThePadding) {
  // A padded zero is the maximum of a window of negative values; the pool's own pads are not.
  const ir::Graph before = padded({1, 1, 1, 1}, [](Builder& b) {
    ir::Node& p = b.op(OpKind::kMaxPool2D, "out", {"pad"});
    p.attrs.set("pool_size", std::vector<std::int64_t>{2, 2});
    p.attrs.set("strides", std::vector<std::int64_t>{2, 2});
  });
  ir::Graph g = before;
  fold_zero_padding_into_window(g);
  EXPECT_EQ(g, before);
}

TEST(FoldZeroPadding, ASharedOrDeclaredPaddingIsKept) {
  Builder b;
  b.input("x", {5, 6, 2});
  b.op(OpKind::kZeroPadding2D, "pad", {"x"})
      .attrs.set("pads", std::vector<std::int64_t>{1, 1, 1, 1});
  add_conv(b);
  b.op(OpKind::kRelu, "also", {"pad"});
  const ir::Graph shared = b.finish({"out", "also"});
  ir::Graph g = shared;
  fold_zero_padding_into_window(g);
  EXPECT_EQ(g, shared);

  ir::Graph declared = padded({1, 1, 1, 1}, add_conv);
  declared.nodes[1].declared_types["result"] = "ap_fixed<8,3>";
  g = declared;
  fold_zero_padding_into_window(g);
  EXPECT_EQ(g, declared);
  // An exact ("auto") declaration, as between a quantized model's quantizers, folds.
  declared.nodes[1].declared_types["result"] = "auto";
  fold_zero_padding_into_window(declared);
  EXPECT_EQ(declared.find("pad"), nullptr);
}

TEST(FoldZeroPadding, OneDimensionalPaddingFoldsIntoAConv1D) {
  Builder b;
  b.input("x", {7, 2});
  b.op(OpKind::kZeroPadding1D, "pad", {"x"}).attrs.set("pads", std::vector<std::int64_t>{2, 1});
  ir::Node& c = b.op(OpKind::kConv1D, "out", {"pad"});
  c.params["weight"] = random_tensor({3, 2, 3}, 9);
  c.attrs.set("pads", std::vector<std::int64_t>{0, 1});
  const ir::Graph before = b.finish({"out"});
  ir::Graph g = before;
  fold_zero_padding_into_window(g);
  EXPECT_EQ(g.find("pad"), nullptr);
  EXPECT_EQ(g.at("out").attrs.get_ints("pads"), (std::vector<std::int64_t>{2, 2}));
  expect_same_float_function(before, g, {7, 2});
}

}  // namespace
}  // namespace nnfpga::passes
