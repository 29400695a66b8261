#include <gtest/gtest.h>

#include "nnfpga/error.hpp"
#include "passes/passes.hpp"
#include "test_graphs.hpp"

namespace nnfpga::passes {
namespace {

using ir::OpKind;
using testing::Builder;
using testing::random_tensor;

void add_dense(Builder& b, const std::string& name, const std::string& in, std::int64_t n_in,
               std::int64_t n_out) {
  ir::Node& d = b.op(OpKind::kDense, name, {in});
  d.params["weight"] = random_tensor({n_in, n_out}, 20);
  d.params["bias"] = random_tensor({n_out}, 21);
}

TEST(FoldScaleShift, FoldsSubMulDivAfterADenseIntoIt) {
  Builder b;
  b.input("x", {4});
  add_dense(b, "d", "x", 4, 3);
  b.op(OpKind::kSubConstant, "sub", {"d"}).params["value"] = random_tensor({3}, 22);
  b.op(OpKind::kMulConstant, "mul", {"sub"}).params["value"] = random_tensor({1}, 23);
  b.op(OpKind::kDivConstant, "div", {"mul"}).params["value"] = ir::make_tensor({}, {4.0});
  b.op(OpKind::kRelu, "relu", {"div"});
  const ir::Graph before = b.finish({"relu"});
  ir::Graph g = before;
  fold_scale_shift(g);
  EXPECT_EQ(testing::ops_of(g), (std::vector{OpKind::kInput, OpKind::kDense, OpKind::kRelu}));
  EXPECT_EQ(g.at("relu").inputs, std::vector<std::string>{"d"});
  testing::expect_same_function(before, g);
}

TEST(FoldScaleShift, MergesAChainIntoOneBatchNormNamedAfterItsFirstNode) {
  Builder b;
  b.input("x", {2, 3});
  b.op(OpKind::kRelu, "relu", {"x"});
  b.op(OpKind::kMulConstant, "mul", {"relu"}).params["value"] = random_tensor({2, 3}, 24);
  b.op(OpKind::kAddConstant, "add", {"mul"}).params["value"] = random_tensor({3}, 25);
  ir::Node& sub = b.op(OpKind::kSubConstant, "sub", {"add"});
  sub.params["value"] = random_tensor({2, 1}, 26);
  sub.attrs.set("constant_first", std::int64_t{1});
  b.op(OpKind::kDivConstant, "div", {"sub"}).params["value"] = ir::make_tensor({}, {-3.0});
  const ir::Graph before = b.finish({"div"});
  ir::Graph g = before;
  fold_scale_shift(g);
  EXPECT_EQ(testing::ops_of(g), (std::vector{OpKind::kInput, OpKind::kRelu, OpKind::kBatchNorm}));
  EXPECT_EQ(g.outputs, std::vector<std::string>{"mul"});
  EXPECT_EQ(g.at("mul").param("scale").shape, (ir::Shape{2, 3}));
  EXPECT_EQ(g.at("mul").param("bias").shape, (ir::Shape{2, 3}));
  testing::expect_same_function(before, g);
}

TEST(FoldScaleShift, ConstantFirstSubBecomesNegativeScale) {
  Builder b;
  b.input("x", {2});
  ir::Node& sub = b.op(OpKind::kSubConstant, "sub", {"x"});
  sub.params["value"] = ir::make_tensor({2}, {5, 6});
  sub.attrs.set("constant_first", std::int64_t{1});
  const ir::Graph before = b.finish({"sub"});
  ir::Graph g = before;
  fold_scale_shift(g);
  const ir::Node& bn = g.at("sub");
  EXPECT_EQ(bn.op, OpKind::kBatchNorm);
  EXPECT_EQ(bn.param("scale"), ir::make_tensor({2}, {-1, -1}));
  EXPECT_EQ(bn.param("bias"), ir::make_tensor({2}, {5, 6}));
  EXPECT_FALSE(bn.attrs.has("constant_first"));
  testing::expect_same_function(before, g);
}

TEST(FoldScaleShift, KeepsTheDenseWhenItHasAnotherConsumer) {
  Builder b;
  b.input("x", {4});
  add_dense(b, "d", "x", 4, 3);
  b.op(OpKind::kMulConstant, "mul", {"d"}).params["value"] = random_tensor({3}, 27);
  b.op(OpKind::kRelu, "relu", {"d"});
  const ir::Graph before = b.finish({"mul", "relu"});
  ir::Graph g = before;
  fold_scale_shift(g);
  EXPECT_EQ(g.at("d").param("weight"), before.at("d").param("weight"));
  EXPECT_EQ(g.at("mul").op, OpKind::kBatchNorm);
  testing::expect_same_function(before, g);
}

TEST(FoldScaleShift, KeepsAMulVaryingAlongAnotherAxisAfterADense) {
  Builder b;
  b.input("x", {2, 4});
  add_dense(b, "d", "x", 4, 3);
  b.op(OpKind::kMulConstant, "mul", {"d"}).params["value"] = ir::make_tensor({2, 1}, {2, 3});
  const ir::Graph before = b.finish({"mul"});
  ir::Graph g = before;
  fold_scale_shift(g);
  EXPECT_EQ(g.at("mul").op, OpKind::kBatchNorm);
  EXPECT_EQ(g.at("mul").param("scale"), ir::make_tensor({2, 3}, {2, 2, 2, 3, 3, 3}));
  testing::expect_same_function(before, g);
}

TEST(FoldScaleShift, MergesIntoAnExistingBatchNorm) {
  Builder b;
  b.input("x", {3});
  ir::Node& bn = b.op(OpKind::kBatchNorm, "bn", {"x"});
  bn.params["scale"] = random_tensor({3}, 28);
  bn.params["bias"] = random_tensor({3}, 29);
  b.op(OpKind::kAddConstant, "add", {"bn"}).params["value"] = random_tensor({3}, 30);
  const ir::Graph before = b.finish({"add"});
  ir::Graph g = before;
  fold_scale_shift(g);
  EXPECT_EQ(testing::ops_of(g), (std::vector{OpKind::kInput, OpKind::kBatchNorm}));
  testing::expect_same_function(before, g);
}

TEST(FoldScaleShift, RefusesADivisionByZeroNamingTheNode) {
  Builder b;
  b.input("x", {2});
  b.op(OpKind::kDivConstant, "div", {"x"}).params["value"] = ir::make_tensor({2}, {1, 0});
  ir::Graph g = b.finish({"div"});
  try {
    fold_scale_shift(g);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where().node, "div");
  }
}

}  // namespace
}  // namespace nnfpga::passes
