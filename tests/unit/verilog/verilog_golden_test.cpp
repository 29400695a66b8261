// Golden test of the Verilog backend (house rule 5): the generated text of a small model is
// pinned file by file in tests/golden/verilog/<model>/. After an intended change, regenerate with
//   NNFPGA_UPDATE_GOLDEN=1 build/tests/test_verilog --gtest_filter='VerilogGolden.*'
// and review the diff.
#include <gtest/gtest.h>

#include <filesystem>

#include "../golden_files.hpp"
#include "api/model_io.hpp"
#include "backend/verilog/project.hpp"
#include "backend/verilog/rtlsim.hpp"
#include "bench_util.hpp"

namespace nnfpga::backend::verilog {
namespace {

namespace fs = std::filesystem;

// Compares the project's text with the golden files; returns the configured graph.
ir::Graph check_golden(const std::string& model, const std::string& name, const config::Tree& cfg) {
  const fs::path fixtures(NNFPGA_FIXTURES_DIR);
  const ir::Graph graph = load_configured((fixtures / model).string(), cfg);
  nnfpga::testing::check_golden_files(
      fixtures / ".." / "golden" / "verilog" / name, "verilog_" + name, [&](const fs::path& dir) {
        return write_project(graph, dir.string(), {.top = "golden"}).files;
      });
  return graph;
}

TEST(VerilogGolden, ProjectTextIsPinned) {
  config::Tree cfg;
  cfg["Model"]["Precision"]["result"] = "ap_fixed<8,3,AP_RND,AP_SAT>";
  cfg["Model"]["Precision"]["weight"] = "ap_fixed<6,2>";
  check_golden("onnx/relu_torch.onnx", "relu_torch", cfg);
}

// A streaming design (issue 18): a Conv2D, a ReLU, a Flatten and a Dense. The pinned text is also
// simulated, so the golden cannot freeze a design that differs from the emulator.
TEST(VerilogGolden, StreamingProjectTextIsPinnedAndSimulates) {
  config::Tree cfg;
  cfg["Model"]["Precision"]["result"] = "ap_fixed<8,3,AP_RND,AP_SAT>";
  cfg["Model"]["Precision"]["weight"] = "ap_fixed<6,2>";
  const ir::Graph graph =
      check_golden("onnx_cnn/channels_last_input_torch.onnx", "stream_cnn", cfg);
  NNFPGA_REQUIRE_VERILATOR();
  // The same text again (generation is deterministic), where the simulation may write.
  const fs::path dir = testing::scratch_dir("golden_stream_cnn");
  write_project(graph, dir.string(), {.top = "golden"});
  const RtlsimReport r = run_rtlsim(dir.string(), {.samples = 100, .seed = 3});
  EXPECT_TRUE(r.ok()) << r.first_difference;
  EXPECT_EQ(r.differing, 0);
}

}  // namespace
}  // namespace nnfpga::backend::verilog
