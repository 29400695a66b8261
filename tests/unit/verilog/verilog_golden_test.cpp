// Golden test of the Verilog backend (house rule 5): the generated text of a small model is
// pinned file by file in tests/golden/verilog/<model>/. After an intended change, regenerate with
//   NNFPGA_UPDATE_GOLDEN=1 build/tests/test_verilog --gtest_filter='VerilogGolden.*'
// and review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "backend/verilog/project.hpp"
#include "nnfpga/nnfpga.hpp"

namespace nnfpga::backend::verilog {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void check_golden(const std::string& model, const std::string& name, const config::Tree& cfg) {
  const fs::path fixtures(NNFPGA_FIXTURES_DIR);
  const fs::path golden = fixtures / ".." / "golden" / "verilog" / name;
  const fs::path out = fs::temp_directory_path() / ("nnfpga_verilog_golden_" + name);
  fs::remove_all(out);
  const ir::Graph graph = load_configured((fixtures / model).string(), cfg);
  const Project p = write_project(graph, out.string(), {.top = "golden"});
  const bool update = std::getenv("NNFPGA_UPDATE_GOLDEN") != nullptr;
  for (const std::string& file : p.files) {
    if (update) {
      fs::create_directories((golden / file).parent_path());
      std::ofstream(golden / file, std::ios::binary) << read(out / file);
      continue;
    }
    ASSERT_TRUE(fs::exists(golden / file)) << file << " is new: regenerate the golden files";
    EXPECT_EQ(read(out / file), read(golden / file)) << file << " changed";
  }
  const std::set<std::string> written(p.files.begin(), p.files.end());
  for (const auto& entry : fs::recursive_directory_iterator(golden)) {
    if (!entry.is_regular_file()) continue;
    const std::string file = fs::relative(entry.path(), golden).generic_string();
    if (written.count(file)) continue;
    if (update) {
      fs::remove(entry.path());
    } else {
      ADD_FAILURE() << file << " is no longer written: regenerate the golden files";
    }
  }
  // Writing again gives the same bytes: nothing depends on time, paths or iteration order.
  const fs::path again = fs::temp_directory_path() / ("nnfpga_verilog_golden_again_" + name);
  fs::remove_all(again);
  write_project(graph, again.string(), {.top = "golden"});
  for (const std::string& file : p.files) {
    EXPECT_EQ(read(out / file), read(again / file)) << file;
  }
  fs::remove_all(out);
  fs::remove_all(again);
}

TEST(VerilogGolden, ProjectTextIsPinned) {
  config::Tree cfg;
  cfg["Model"]["Precision"]["result"] = "ap_fixed<8,3,AP_RND,AP_SAT>";
  cfg["Model"]["Precision"]["weight"] = "ap_fixed<6,2>";
  check_golden("onnx/relu_torch.onnx", "relu_torch", cfg);
}

}  // namespace
}  // namespace nnfpga::backend::verilog
