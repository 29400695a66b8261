// Golden test of the deployment folder (house rule 5): what src/deploy/ itself writes for a small
// model (the wrapper, deploy.json, settings.tcl, the README, the estimate) is pinned file by file
// in tests/golden/deploy/<model>/; the Verilog backend's files under ip/ are pinned by its own
// golden test and boardlib/'s are copied verbatim. The pinned wrapper is also linted by Verilator
// with the accelerator it wraps, so the golden cannot freeze RTL that does not build. After an
// intended change, regenerate with
//   NNFPGA_UPDATE_GOLDEN=1 build/tests/test_deploy --gtest_filter='DeployGolden.*'
// and review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "../golden_files.hpp"
#include "../verilog/bench_util.hpp"
#include "api/model_io.hpp"
#include "deploy/deploy_writer.hpp"

namespace nnfpga::deploy {
namespace {

namespace fs = std::filesystem;

TEST(DeployGolden, FolderTextIsPinned) {
  const fs::path fixtures(NNFPGA_FIXTURES_DIR);
  config::Tree cfg;
  cfg["Model"]["Precision"]["result"] = "ap_fixed<8,3,AP_RND,AP_SAT>";
  cfg["Model"]["Precision"]["weight"] = "ap_fixed<6,2>";
  const ir::Graph graph = load_configured((fixtures / "onnx" / "relu_torch.onnx").string(), cfg);
  const std::set<std::string> pinned = {"deploy.json", "README.md", "estimate.json",
                                        "vivado/settings.tcl", "ip/rtl/golden_board.v"};
  const int compared = testing::check_golden_files(
      fixtures / ".." / "golden" / "deploy" / "relu_torch", "deploy_relu_torch",
      [&](const fs::path& dir) {
        return write_deploy(graph, dir.string(), {.board = find_board("pynq-z2"), .top = "golden"})
            .files;
      },
      [&](const std::string& f) { return pinned.count(f) != 0; });
  if (std::getenv("NNFPGA_UPDATE_GOLDEN") == nullptr) {
    EXPECT_EQ(compared, static_cast<int>(pinned.size()));
  }
  if (!backend::verilog::testing::have_verilator()) GTEST_SKIP() << "verilator is not installed";
  // The same text again (check_golden_files proved it repeats), kept for Verilator.
  const fs::path written = backend::verilog::testing::scratch_dir("deploy_golden");
  std::vector<std::string> rtl;
  for (const std::string& f :
       write_deploy(graph, written.string(), {.board = find_board("pynq-z2"), .top = "golden"})
           .files) {
    if (f.starts_with("ip/rtl/") && f != "ip/rtl/golden.v") rtl.push_back(f);
  }
  std::string cmd = "cd " + written.string() + " && verilator --lint-only -Wno-fatal -Wno-lint " +
                    "-Wno-style --top-module golden_board";
  for (const std::string& f : rtl) cmd += " " + f;
  EXPECT_EQ(std::system((cmd + " > lint.log 2>&1").c_str()), 0)
      << "the wrapper does not build: " << written / "lint.log";
}

// A streaming design (a CNN): the wrapper with its gearboxes, deploy.json with the pixels, the
// README's paragraph on them. Linted with the chain it wraps.
TEST(DeployGolden, StreamingFolderTextIsPinned) {
  const fs::path fixtures(NNFPGA_FIXTURES_DIR);
  const ir::Graph graph = load_configured(
      (fixtures / "onnx_cnn" / "channels_last_input_torch.onnx").string(), config::Tree{});
  const std::set<std::string> pinned = {"deploy.json", "README.md", "vivado/settings.tcl",
                                        "ip/rtl/golden_cnn_board.v"};
  const DeployOptions options{.board = find_board("pynq-z2"), .beat_bits = 32, .top = "golden_cnn"};
  const int compared = testing::check_golden_files(
      fixtures / ".." / "golden" / "deploy" / "channels_last_input_torch",
      "deploy_channels_last_input_torch",
      [&](const fs::path& dir) { return write_deploy(graph, dir.string(), options).files; },
      [&](const std::string& f) { return pinned.count(f) != 0; });
  if (std::getenv("NNFPGA_UPDATE_GOLDEN") == nullptr) {
    EXPECT_EQ(compared, static_cast<int>(pinned.size()));
  }
  if (!backend::verilog::testing::have_verilator()) GTEST_SKIP() << "verilator is not installed";
  const fs::path written = backend::verilog::testing::scratch_dir("deploy_golden_cnn");
  std::string cmd = "cd " + written.string() + " && verilator --lint-only -Wno-fatal -Wno-lint " +
                    "-Wno-style --top-module golden_cnn_board";
  for (const std::string& f : write_deploy(graph, written.string(), options).files) {
    if (f.starts_with("ip/rtl/")) cmd += " " + f;  // <top>.v too: the chain <top>_axis wraps
  }
  EXPECT_EQ(std::system((cmd + " > lint.log 2>&1").c_str()), 0)
      << "the wrapper does not build: " << written / "lint.log";
}

}  // namespace
}  // namespace nnfpga::deploy
