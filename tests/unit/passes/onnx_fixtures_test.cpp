// Canonicalizes every supported ONNX fixture made by the real frameworks, and checks that only
// canonical ops remain and the float function is the one the raw graph computed.
#include <gtest/gtest.h>

#include <filesystem>

#include "frontend/onnx/onnx_reader.hpp"
#include "ir/op_table.hpp"
#include "passes/passes.hpp"
#include "test_graphs.hpp"

namespace nnfpga::passes {
namespace {

std::vector<std::string> supported_fixtures() {
  std::vector<std::string> out;
  const std::filesystem::path dir = std::filesystem::path(NNFPGA_FIXTURES_DIR) / "onnx";
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".onnx" && name.rfind("unsupported_", 0) != 0) {
      out.push_back(entry.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(CanonicalizeOnnxFixtures, LeavesOnlyCanonicalOpsAndKeepsTheFunction) {
  const std::vector<std::string> files = supported_fixtures();
  if (files.empty()) GTEST_SKIP() << "no ONNX fixtures";
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    const ir::Graph before = frontend::onnx::read_onnx_file(file);
    ir::Graph g = before;
    ASSERT_NO_THROW(canonicalize(g));
    for (const ir::Node& n : g.nodes) EXPECT_TRUE(ir::op_info(n.op).canonical) << n.name;
    testing::expect_same_function(before, g);
  }
}

TEST(CanonicalizeOnnxFixtures, MatMulAddBecomesOneDense) {
  const std::string file = std::string(NNFPGA_FIXTURES_DIR) + "/onnx/matmul_add_torch.onnx";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << "fixture missing";
  ir::Graph g = frontend::onnx::read_onnx_file(file);
  canonicalize(g);
  EXPECT_EQ(testing::ops_of(g), (std::vector{ir::OpKind::kInput, ir::OpKind::kDense}));
}

}  // namespace
}  // namespace nnfpga::passes
