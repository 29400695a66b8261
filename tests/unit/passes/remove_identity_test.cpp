#include <gtest/gtest.h>

#include "passes/passes.hpp"
#include "test_graphs.hpp"

namespace nnfpga::passes {
namespace {

using ir::OpKind;
using testing::Builder;

TEST(RemoveIdentity, RemovesIdentityAndDropoutAndRenamesOutputs) {
  Builder b;
  b.input("x", {3});
  b.op(OpKind::kRelu, "relu", {"x"});
  b.op(OpKind::kIdentity, "id1", {"relu"});
  b.op(OpKind::kIdentity, "id2", {"id1"});
  b.op(OpKind::kSigmoid, "sig", {"id2"});
  b.op(OpKind::kDropout, "drop", {"sig"});
  const ir::Graph before = b.finish({"drop"});
  ir::Graph g = before;
  remove_identity(g);
  EXPECT_EQ(testing::ops_of(g), (std::vector{OpKind::kInput, OpKind::kRelu, OpKind::kSigmoid}));
  EXPECT_EQ(g.at("sig").inputs, std::vector<std::string>{"relu"});
  EXPECT_EQ(g.outputs, std::vector<std::string>{"sig"});
  EXPECT_EQ(g.at("sig").input_shapes, std::vector<ir::Shape>{{3}});
  testing::expect_same_function(before, g);
}

TEST(RemoveIdentity, KeepsAnIdentityOutputOfAGraphInput) {
  Builder b;
  b.input("x", {3});
  b.op(OpKind::kIdentity, "id", {"x"});
  b.op(OpKind::kRelu, "relu", {"id"});
  const ir::Graph before = b.finish({"id", "relu"});
  ir::Graph g = before;
  remove_identity(g);
  EXPECT_EQ(g.at("id").op, OpKind::kIdentity);
  EXPECT_EQ(g.outputs, (std::vector<std::string>{"id", "relu"}));
  EXPECT_EQ(g.at("relu").inputs, std::vector<std::string>{"x"});
  testing::expect_same_function(before, g);
}

TEST(RemoveIdentity, RepeatsAnOutputReturnedTwice) {
  // torch exports `return y, y.clone()`-like models as y and Identity(y).
  Builder b;
  b.input("x", {3});
  b.op(OpKind::kRelu, "relu", {"x"});
  b.op(OpKind::kIdentity, "id", {"relu"});
  const ir::Graph before = b.finish({"relu", "id"});
  ir::Graph g = before;
  remove_identity(g);
  EXPECT_EQ(g.outputs, (std::vector<std::string>{"relu", "relu"}));
  EXPECT_EQ(g.find("id"), nullptr);
  testing::expect_same_function(before, g);
}

}  // namespace
}  // namespace nnfpga::passes
