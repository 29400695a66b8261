#include <gtest/gtest.h>

#include "nnfpga/error.hpp"
#include "passes/passes.hpp"
#include "test_graphs.hpp"

namespace nnfpga::passes {
namespace {

using ir::OpKind;
using testing::Builder;
using testing::random_tensor;

TEST(Canonicalize, LowersARawFrontendGraph) {
  Builder b;
  b.input("x", {8});
  b.constant("w", random_tensor({8, 4}, 60));
  b.constant("bias", random_tensor({4}, 61));
  b.constant("c", random_tensor({}, 62));
  b.constant("s", random_tensor({4}, 63));
  b.op(OpKind::kMatMul, "mm", {"x", "w"});
  b.op(OpKind::kAddConstant, "add", {"mm", "bias"});
  b.op(OpKind::kIdentity, "id", {"add"});
  b.op(OpKind::kSubConstant, "sub", {"id", "c"});
  b.op(OpKind::kRelu, "relu", {"sub"});
  b.op(OpKind::kDropout, "drop", {"relu"});
  b.op(OpKind::kMulConstant, "mul", {"drop", "s"});
  b.op(OpKind::kDivConstant, "div", {"mul", "c"});
  b.op(OpKind::kSoftmax, "softmax", {"div"});
  const ir::Graph before = b.finish({"softmax"});
  ir::Graph g = before;
  canonicalize(g);
  EXPECT_EQ(testing::ops_of(g), (std::vector{OpKind::kInput, OpKind::kDense, OpKind::kRelu,
                                             OpKind::kBatchNorm, OpKind::kSoftmax}));
  EXPECT_EQ(g.at("softmax").inputs, std::vector<std::string>{"mul"});
  testing::expect_same_function(before, g);
}

TEST(Canonicalize, FoldsABatchNormMergedFromSeveralOpsIntoTheDense) {
  Builder b;
  b.input("x", {4});
  b.constant("w", random_tensor({4, 3}, 64));
  b.constant("c", random_tensor({3}, 65));
  b.op(OpKind::kMatMul, "mm", {"x", "w"});
  ir::Node& bn = b.op(OpKind::kBatchNorm, "bn", {"mm"});
  bn.params["scale"] = random_tensor({3}, 66);
  bn.params["bias"] = random_tensor({3}, 67);
  b.op(OpKind::kMulConstant, "mul", {"bn", "c"});
  const ir::Graph before = b.finish({"mul"});
  ir::Graph g = before;
  canonicalize(g);
  EXPECT_EQ(testing::ops_of(g), (std::vector{OpKind::kInput, OpKind::kDense}));
  EXPECT_EQ(g.outputs, std::vector<std::string>{"mm"});
  testing::expect_same_function(before, g);
}

TEST(Canonicalize, ListsEveryRemainingNonCanonicalNodeInOneError) {
  Builder b;
  b.input("x", {3});
  b.constant("k", ir::make_tensor({3}, {1, 2, 3}));
  b.op(OpKind::kIdentity, "passthrough", {"x"});
  b.op(OpKind::kAddConstant, "y", {"x", "k"});
  ir::Graph g = b.finish({"passthrough", "y", "k"});
  try {
    canonicalize(g);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
    const std::string m = e.message();
    EXPECT_NE(m.find("passthrough (Identity)"), std::string::npos) << m;
    EXPECT_NE(m.find("k (Constant)"), std::string::npos) << m;
    EXPECT_EQ(m.find("y ("), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace nnfpga::passes
