#include <gtest/gtest.h>

#include "passes/passes.hpp"
#include "test_graphs.hpp"

namespace nnfpga::passes {
namespace {

using ir::OpKind;
using testing::Builder;
using testing::random_tensor;

// x -> MatMul(w) -> Add(value) -> ReLU, in the form fold_constants leaves.
ir::Graph matmul_add(ir::Shape x_shape, ir::Tensor value, bool add_is_output = false) {
  Builder b;
  b.input("x", x_shape);
  b.op(OpKind::kMatMul, "mm", {"x"}).params["weight"] = random_tensor({x_shape.back(), 3}, 7);
  b.op(OpKind::kAddConstant, "add", {"mm"}).params["value"] = std::move(value);
  b.op(OpKind::kRelu, "relu", {"add"});
  return b.finish(add_is_output ? std::vector<std::string>{"add"}
                                : std::vector<std::string>{"relu"});
}

TEST(FuseMatMulAdd, FoldsAPerChannelAddIntoTheBias) {
  const ir::Graph before = matmul_add({4}, ir::make_tensor({3}, {1, 2, 3}));
  ir::Graph g = before;
  fuse_matmul_add_into_dense(g);
  EXPECT_EQ(testing::ops_of(g), (std::vector{OpKind::kInput, OpKind::kDense, OpKind::kRelu}));
  EXPECT_EQ(g.at("mm").param("bias"), ir::make_tensor({3}, {1, 2, 3}));
  EXPECT_EQ(g.at("relu").inputs, std::vector<std::string>{"mm"});
  testing::expect_same_function(before, g);
}

TEST(FuseMatMulAdd, RewiresAGraphOutputToTheDense) {
  const ir::Graph before = matmul_add({4}, ir::make_tensor({}, {0.5}), true);
  ir::Graph g = before;
  fuse_matmul_add_into_dense(g);
  remove_dead_nodes(g);
  EXPECT_EQ(g.outputs, std::vector<std::string>{"mm"});
  EXPECT_EQ(g.at("mm").param("bias"), ir::make_tensor({3}, {0.5, 0.5, 0.5}));
  testing::expect_same_function(before, g);
}

TEST(FuseMatMulAdd, FoldsAConstantWithUnitLeadingAxesOnARank2Input) {
  const ir::Graph before = matmul_add({2, 4}, ir::make_tensor({1, 3}, {1, 2, 3}));
  ir::Graph g = before;
  fuse_matmul_add_into_dense(g);
  EXPECT_EQ(g.find("add"), nullptr);
  testing::expect_same_function(before, g);
}

TEST(FuseMatMulAdd, KeepsAnAddThatVariesAlongAnotherAxis) {
  const ir::Graph before = matmul_add({2, 4}, ir::make_tensor({2, 3}, {1, 2, 3, 4, 5, 6}));
  ir::Graph g = before;
  fuse_matmul_add_into_dense(g);
  EXPECT_EQ(g.at("mm").op, OpKind::kDense);
  EXPECT_EQ(g.at("mm").param("bias"), ir::make_tensor({3}, {0, 0, 0}));
  EXPECT_EQ(g.at("add").op, OpKind::kAddConstant);
  testing::expect_same_function(before, g);
}

TEST(FuseMatMulAdd, KeepsTheAddWhenTheMatMulHasAnotherUse) {
  Builder b;
  b.input("x", {4});
  b.op(OpKind::kMatMul, "mm", {"x"}).params["weight"] = random_tensor({4, 3}, 8);
  b.op(OpKind::kAddConstant, "add", {"mm"}).params["value"] = random_tensor({3}, 9);
  const ir::Graph before = b.finish({"add", "mm"});
  ir::Graph g = before;
  fuse_matmul_add_into_dense(g);
  EXPECT_EQ(g.at("add").op, OpKind::kAddConstant);
  testing::expect_same_function(before, g);
}

TEST(FuseMatMulAdd, FoldsAnAddAfterAnExistingDenseAndChainsOfAdds) {
  Builder b;
  b.input("x", {4});
  ir::Node& d = b.op(OpKind::kDense, "d", {"x"});
  d.params["weight"] = random_tensor({4, 3}, 10);
  d.params["bias"] = random_tensor({3}, 11);
  b.op(OpKind::kAddConstant, "a1", {"d"}).params["value"] = random_tensor({3}, 12);
  b.op(OpKind::kAddConstant, "a2", {"a1"}).params["value"] = random_tensor({1}, 13);
  const ir::Graph before = b.finish({"a2"});
  ir::Graph g = before;
  fuse_matmul_add_into_dense(g);
  EXPECT_EQ(testing::ops_of(g), (std::vector{OpKind::kInput, OpKind::kDense}));
  EXPECT_EQ(g.outputs, std::vector<std::string>{"d"});
  testing::expect_same_function(before, g);
}

}  // namespace
}  // namespace nnfpga::passes
