#include <gtest/gtest.h>

#include "passes/passes.hpp"
#include "test_graphs.hpp"

namespace nnfpga::passes {
namespace {

using ir::OpKind;
using testing::Builder;

TEST(RemoveDeadNodes, RemovesWhatDoesNotReachAnOutputButKeepsInputs) {
  Builder b;
  b.input("x", {3});
  b.input("unused", {2});
  b.constant("c", ir::make_tensor({3}, {1, 2, 3}));
  b.op(OpKind::kRelu, "relu", {"x"});
  b.op(OpKind::kSigmoid, "dead1", {"relu"});
  b.op(OpKind::kTanh, "dead2", {"dead1"});
  b.op(OpKind::kTanh, "live", {"relu"});
  const ir::Graph before = b.finish({"live"});
  ir::Graph g = before;
  remove_dead_nodes(g);
  std::vector<std::string> names;
  for (const ir::Node& n : g.nodes) names.push_back(n.name);
  EXPECT_EQ(names, (std::vector<std::string>{"x", "unused", "relu", "live"}));
  testing::expect_same_function(before, g);
}

}  // namespace
}  // namespace nnfpga::passes
