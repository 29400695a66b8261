// Golden test of the Verilog backend (house rule 5): the generated text of a small model is
// pinned file by file in tests/golden/verilog/<model>/. After an intended change, regenerate with
//   NNFPGA_UPDATE_GOLDEN=1 build/tests/test_verilog --gtest_filter='VerilogGolden.*'
// and review the diff.
#include <gtest/gtest.h>

#include <filesystem>

#include "../golden_files.hpp"
#include "backend/verilog/project.hpp"
#include "api/model_io.hpp"

namespace nnfpga::backend::verilog {
namespace {

namespace fs = std::filesystem;

void check_golden(const std::string& model, const std::string& name, const config::Tree& cfg) {
  const fs::path fixtures(NNFPGA_FIXTURES_DIR);
  const ir::Graph graph = load_configured((fixtures / model).string(), cfg);
  testing::check_golden_files(fixtures / ".." / "golden" / "verilog" / name, "verilog_" + name,
                              [&](const fs::path& dir) {
                                return write_project(graph, dir.string(), {.top = "golden"}).files;
                              });
}

TEST(VerilogGolden, ProjectTextIsPinned) {
  config::Tree cfg;
  cfg["Model"]["Precision"]["result"] = "ap_fixed<8,3,AP_RND,AP_SAT>";
  cfg["Model"]["Precision"]["weight"] = "ap_fixed<6,2>";
  check_golden("onnx/relu_torch.onnx", "relu_torch", cfg);
}

}  // namespace
}  // namespace nnfpga::backend::verilog
