// Golden test of the HLS backend (house rule 5): the generated text of small models is pinned
// file by file in tests/golden/hls/<model>/ (relu_torch: the common layers; keras_merge: every
// merge layer, chains of three and four inputs; keras_activations: PReLU, ELU, Softsign,
// Softplus, HardSigmoid). After an intended change, regenerate with
//   NNFPGA_UPDATE_GOLDEN=1 build/tests/test_backend --gtest_filter='HlsGolden.*'
// and review the diff. The library and ap_types copies are checked against hlslib/ instead.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "backend/hls/embedded_files.hpp"
#include "backend/hls/project.hpp"
#include "nnfpga/nnfpga.hpp"

namespace nnfpga::backend::hls {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `model` (under tests/fixtures/) against tests/golden/hls/<name>/.
void check_golden(const std::string& model, const std::string& name, const config::Tree& cfg) {
  const fs::path fixtures(NNFPGA_FIXTURES_DIR);
  const fs::path golden = fixtures / ".." / "golden" / "hls" / name;
  const fs::path out = fs::temp_directory_path() / ("nnfpga_hls_golden_" + name);
  fs::remove_all(out);
  const ir::Graph graph = load_configured((fixtures / model).string(), cfg);
  const Project p = write_project(graph, out.string(), {.top = "golden"});
  const bool update = std::getenv("NNFPGA_UPDATE_GOLDEN") != nullptr;
  int compared = 0;
  for (const std::string& file : p.files) {
    if (file.rfind("ap_types/", 0) == 0 || file.rfind("firmware/nnfpga/", 0) == 0) continue;
    if (update) {
      fs::create_directories((golden / file).parent_path());
      std::ofstream(golden / file, std::ios::binary) << read(out / file);
      continue;
    }
    ASSERT_TRUE(fs::exists(golden / file)) << file << " is new: regenerate the golden files";
    EXPECT_EQ(read(out / file), read(golden / file)) << file << " changed";
    ++compared;
  }
  if (!update) {
    EXPECT_GE(compared, 10);
  }
  // A golden file the writer no longer writes (a layer renamed) is stale: it would pin nothing.
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
  const fs::path again = fs::temp_directory_path() / ("nnfpga_hls_golden_again_" + name);
  fs::remove_all(again);
  write_project(graph, again.string(), {.top = "golden"});
  for (const std::string& file : p.files) {
    EXPECT_EQ(read(out / file), read(again / file)) << file;
  }
  fs::remove_all(out);
  fs::remove_all(again);
}

TEST(HlsGolden, ProjectTextIsPinned) {
  config::Tree cfg;
  cfg["Model"]["Precision"] = "ap_fixed<10,4,AP_RND,AP_SAT>";
  check_golden("onnx/relu_torch.onnx", "relu_torch", cfg);
}

TEST(HlsGolden, MergeLayersArePinned) {
  config::Tree cfg;
  cfg["Model"]["Precision"] = "ap_fixed<10,4,AP_RND,AP_SAT>";
  cfg["LayerName"]["dense_b"]["Precision"]["result"] = "ap_ufixed<8,3,AP_RND_CONV>";
  check_golden("keras3/keras_merge.keras", "keras_merge", cfg);
}

TEST(HlsGolden, NewActivationsArePinned) {
  config::Tree cfg;
  cfg["Model"]["Precision"] = "ap_fixed<10,4,AP_RND,AP_SAT>";
  cfg["Model"]["TableSize"] = 16;  // small tables keep the pinned text short
  check_golden("keras3/keras_activations.keras", "keras_activations", cfg);
}

TEST(HlsGolden, LibraryCopiesAreHlslib) {
  const fs::path hlslib = fs::path(NNFPGA_FIXTURES_DIR) / ".." / ".." / "hlslib";
  ASSERT_FALSE(embedded_hlslib().empty());
  for (const EmbeddedFile& f : embedded_hlslib()) {
    EXPECT_EQ(f.content, read(hlslib / f.path)) << f.path << ": rebuild to embed the current file";
  }
}

}  // namespace
}  // namespace nnfpga::backend::hls
