#include <gtest/gtest.h>

#include <map>

#include "passes/passes.hpp"
#include "test_graphs.hpp"

namespace nnfpga::passes {
namespace {

using ir::OpKind;
using testing::Builder;
using testing::random_tensor;

// x [rows..., 4] -> Dense(4 -> 3) -> BatchNorm(scale, bias) -> ReLU
ir::Graph dense_bn(ir::Shape x_shape, ir::Tensor scale, ir::Tensor bias,
                   std::vector<std::string> outputs = {"relu"}) {
  Builder b;
  b.input("x", x_shape);
  ir::Node& d = b.op(OpKind::kDense, "d", {"x"});
  d.params["weight"] = random_tensor({4, 3}, 40);
  d.params["bias"] = random_tensor({3}, 41);
  ir::Node& bn = b.op(OpKind::kBatchNorm, "bn", {"d"});
  bn.params["scale"] = std::move(scale);
  bn.params["bias"] = std::move(bias);
  b.op(OpKind::kRelu, "relu", {"bn"});
  return b.finish(std::move(outputs));
}

TEST(FoldBatchNorm, FoldsAPerChannelBatchNormIntoTheDense) {
  const ir::Graph before = dense_bn({4}, random_tensor({3}, 42), random_tensor({3}, 43));
  ir::Graph g = before;
  fold_batchnorm_into_dense(g);
  EXPECT_EQ(testing::ops_of(g), (std::vector{OpKind::kInput, OpKind::kDense, OpKind::kRelu}));
  EXPECT_EQ(g.at("relu").inputs, std::vector<std::string>{"d"});
  // Recorded, so that a configuration naming the BatchNorm is told where it went.
  EXPECT_EQ(g.removed_layers, (std::map<std::string, std::string>{{"bn", "d"}}));
  testing::expect_same_function(before, g);
}

TEST(FoldBatchNorm, RewiresAGraphOutputToTheDense) {
  const ir::Graph before = dense_bn({2, 4}, ir::make_tensor({2, 3}, {1, 2, 3, 1, 2, 3}),
                                    ir::make_tensor({2, 3}, {4, 5, 6, 4, 5, 6}), {"bn", "relu"});
  ir::Graph g = before;
  fold_batchnorm_into_dense(g);
  EXPECT_EQ(g.outputs, (std::vector<std::string>{"d", "relu"}));
  EXPECT_EQ(g.find("bn"), nullptr);
  testing::expect_same_function(before, g);
}

TEST(FoldBatchNorm, KeepsABatchNormVaryingAlongAnotherAxis) {
  const ir::Graph before = dense_bn({2, 4}, ir::make_tensor({2, 3}, {1, 1, 1, 2, 2, 2}),
                                    ir::make_tensor({2, 3}, {0, 0, 0, 0, 0, 0}));
  ir::Graph g = before;
  fold_batchnorm_into_dense(g);
  EXPECT_EQ(g, before);
}

TEST(FoldBatchNorm, KeepsTheBatchNormWhenTheDenseIsAnOutput) {
  const ir::Graph before =
      dense_bn({4}, random_tensor({3}, 44), random_tensor({3}, 45), {"relu", "d"});
  ir::Graph g = before;
  fold_batchnorm_into_dense(g);
  EXPECT_EQ(g, before);
}

TEST(FoldBatchNorm, GivesABiasLessDenseABias) {
  Builder b;
  b.input("x", {4});
  b.op(OpKind::kDense, "d", {"x"}).params["weight"] = random_tensor({4, 3}, 48);
  ir::Node& bn = b.op(OpKind::kBatchNorm, "bn", {"d"});
  bn.params["scale"] = random_tensor({3}, 49);
  bn.params["bias"] = random_tensor({3}, 50);
  const ir::Graph before = b.finish({"bn"});
  ir::Graph g = before;
  fold_batchnorm_into_dense(g);
  EXPECT_EQ(g.at("d").param("bias").data, before.at("bn").param("bias").data);
  testing::expect_same_function(before, g);
}

TEST(FoldBatchNorm, KeepsABatchNormAfterANonDense) {
  Builder b;
  b.input("x", {3});
  b.op(OpKind::kRelu, "relu", {"x"});
  ir::Node& bn = b.op(OpKind::kBatchNorm, "bn", {"relu"});
  bn.params["scale"] = random_tensor({3}, 46);
  bn.params["bias"] = random_tensor({3}, 47);
  const ir::Graph before = b.finish({"bn"});
  ir::Graph g = before;
  fold_batchnorm_into_dense(g);
  EXPECT_EQ(g, before);
}

}  // namespace
}  // namespace nnfpga::passes
