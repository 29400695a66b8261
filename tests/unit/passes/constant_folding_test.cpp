#include <gtest/gtest.h>

#include "nnfpga/error.hpp"
#include "passes/passes.hpp"
#include "test_graphs.hpp"

namespace nnfpga::passes {
namespace {

using ir::OpKind;
using testing::Builder;
using testing::random_tensor;

TEST(FoldConstants, MovesTheConstantOperandsIntoParams) {
  Builder b;
  b.input("x", {8});
  b.constant("w", random_tensor({8, 4}, 1));
  b.constant("c", random_tensor({4}, 2));
  b.op(OpKind::kMatMul, "mm", {"x", "w"});
  b.op(OpKind::kAddConstant, "add", {"mm", "c"});
  const ir::Graph before = b.finish({"add"});
  ir::Graph g = before;
  fold_constants(g);
  const ir::Node& mm = g.at("mm");
  EXPECT_EQ(mm.inputs, std::vector<std::string>{"x"});
  EXPECT_EQ(mm.param("weight"), before.at("w").param("value"));
  EXPECT_EQ(g.at("add").inputs, std::vector<std::string>{"mm"});
  EXPECT_EQ(g.at("add").param("value"), before.at("c").param("value"));
  EXPECT_EQ(g.at("add").input_shapes, std::vector<ir::Shape>{{4}});
  testing::expect_same_function(before, g);
  // The constants are now unused; removing them is remove_dead_nodes' job.
  remove_dead_nodes(g);
  EXPECT_EQ(testing::ops_of(g),
            (std::vector{OpKind::kInput, OpKind::kMatMul, OpKind::kAddConstant}));
}

TEST(FoldConstants, EvaluatesArithmeticOnConstantsKeepingTheNodeName) {
  Builder b;
  b.input("x", {3});
  b.constant("c1", ir::make_tensor({3}, {1, 2, 3}));
  b.constant("c2", ir::make_tensor({}, {10}));
  b.op(OpKind::kMulConstant, "prod", {"c1", "c2"});
  b.op(OpKind::kSubConstant, "diff", {"prod", "c1"}).attrs.set("constant_first", std::int64_t{1});
  b.op(OpKind::kAddConstant, "y", {"x", "diff"});
  const ir::Graph before = b.finish({"y"});
  ir::Graph g = before;
  fold_constants(g);
  EXPECT_EQ(g.at("prod").op, OpKind::kConstant);
  EXPECT_EQ(g.at("prod").param("value"), ir::make_tensor({3}, {10, 20, 30}));
  // constant_first: c1 - prod
  EXPECT_EQ(g.at("diff").param("value"), ir::make_tensor({3}, {-9, -18, -27}));
  EXPECT_EQ(g.at("y").param("value"), ir::make_tensor({3}, {-9, -18, -27}));
  testing::expect_same_function(before, g);
}

TEST(FoldConstants, EvaluatesMatMulAndShapeOpsOnConstants) {
  Builder b;
  b.input("x", {6});
  b.constant("c", random_tensor({2, 3}, 3));
  b.op(OpKind::kFlatten, "flat", {"c"});
  b.op(OpKind::kIdentity, "id", {"flat"});
  b.op(OpKind::kReshape, "r", {"id"}).attrs.set("shape", std::vector<std::int64_t>{1, 6});
  b.constant("w", random_tensor({6, 6}, 4));
  b.op(OpKind::kMatMul, "cw", {"r", "w"});
  b.op(OpKind::kReshape, "r2", {"cw"}).attrs.set("shape", std::vector<std::int64_t>{6});
  b.op(OpKind::kDropout, "drop", {"r2"});
  b.op(OpKind::kAddConstant, "y", {"x", "drop"});
  const ir::Graph before = b.finish({"y"});
  ir::Graph g = before;
  fold_constants(g);
  EXPECT_EQ(g.at("cw").op, OpKind::kConstant);
  EXPECT_EQ(g.at("cw").param("value").shape, (ir::Shape{1, 6}));
  EXPECT_EQ(g.at("drop").param("value").shape, (ir::Shape{6}));
  EXPECT_EQ(g.at("y").inputs, std::vector<std::string>{"x"});
  testing::expect_same_function(before, g);
}

TEST(FoldConstants, PutsTheActivationFirst) {
  Builder b;
  b.input("x", {3});
  b.constant("c", ir::make_tensor({3}, {1, 2, 3}));
  b.op(OpKind::kSubConstant, "s", {"c", "x"});  // c - x given in source order
  b.op(OpKind::kMulConstant, "m", {"c", "s"});
  const ir::Graph before = b.finish({"m"});
  ir::Graph g = before;
  fold_constants(g);
  EXPECT_EQ(g.at("s").inputs, std::vector<std::string>{"x"});
  EXPECT_EQ(g.at("s").attrs.get_int("constant_first"), 1);
  EXPECT_EQ(g.at("m").inputs, std::vector<std::string>{"s"});
  testing::expect_same_function(before, g);
}

TEST(FoldConstants, DropsALeadingBatchAxisOfOneFromTheConstant) {
  // As tf2onnx writes a bias: [1, 6] against the batch-less activation [6]. The raw form has no
  // valid shapes (the IR's Add refuses a constant of higher rank), so only x's shape is set.
  Builder b;
  b.input("x", {6});
  b.constant("c", random_tensor({1, 6}, 5));
  b.op(OpKind::kAddConstant, "y", {"x", "c"});
  ir::Graph g = b.unchecked({"y"});
  g.nodes[0].output_shape = {6};
  fold_constants(g);
  EXPECT_EQ(g.at("y").param("value").shape, (ir::Shape{6}));
  EXPECT_EQ(g.at("y").output_shape, (ir::Shape{6}));
}

TEST(FoldConstants, LeavesAConstantThatIsAGraphOutput) {
  Builder b;
  b.input("x", {2});
  b.constant("c", ir::make_tensor({2}, {1, 2}));
  b.op(OpKind::kIdentity, "id", {"c"});
  b.op(OpKind::kAddConstant, "y", {"x", "c"});
  ir::Graph g = b.finish({"y", "id"});
  fold_constants(g);
  remove_dead_nodes(g);
  EXPECT_EQ(g.at("id").op, OpKind::kConstant);
  EXPECT_EQ(g.find("c"), nullptr);
}

}  // namespace
}  // namespace nnfpga::passes
