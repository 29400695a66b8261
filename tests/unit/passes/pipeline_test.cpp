#include <gtest/gtest.h>

#include <set>
#include <string_view>

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

TEST(Pipeline, ListsTheCanonicalizationPassesFirstEachNamedOnce) {
  std::set<std::string_view> names;
  bool configured = false;
  for (const Pass& pass : pipeline()) {
    EXPECT_TRUE(names.insert(pass.name).second) << pass.name;
    EXPECT_FALSE(pass.description.empty()) << pass.name;
    if (!pass.canonicalization) configured = true;
    EXPECT_FALSE(configured && pass.canonicalization) << pass.name << " after configuration";
  }
  EXPECT_EQ(pipeline().front().name, "fold_constants");
  EXPECT_EQ(pipeline().back().name, "quantize_parameters");
  EXPECT_EQ(find_pass("remove_identity").run, &remove_identity);
}

TEST(Pipeline, AnUnknownPassNamesTheValidOnes) {
  try {
    find_pass("fold_everything");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(e.message().find("unknown pass 'fold_everything'; the passes, in order: "
                               "fold_constants, fuse_matmul_add_into_dense,"),
              std::string::npos)
        << e.message();
  }
}

TEST(Pipeline, CanonicalizeThroughStopsAfterThePass) {
  Builder b;
  b.input("x", {8});
  b.constant("w", random_tensor({8, 4}, 70));
  b.op(OpKind::kMatMul, "mm", {"x", "w"});
  b.op(OpKind::kIdentity, "id", {"mm"});
  const ir::Graph before = b.finish({"id"});
  ir::Graph g = before;
  canonicalize_through(g, find_pass("fuse_matmul_add_into_dense"));
  // The MatMul is a Dense already; its weight constant and the Identity are still there
  // (remove_identity and remove_dead_nodes come later).
  EXPECT_EQ(testing::ops_of(g),
            (std::vector{OpKind::kInput, OpKind::kConstant, OpKind::kDense, OpKind::kIdentity}));
  ir::Graph whole = before;
  canonicalize(whole);
  canonicalize_through(g, find_pass("remove_dead_nodes"));
  EXPECT_EQ(g, whole);
  EXPECT_THROW(canonicalize_through(g, find_pass("quantize_parameters")), Error);
}

}  // namespace
}  // namespace nnfpga::passes
