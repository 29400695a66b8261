// Golden test of the HLS backend (house rule 5): the generated text of small models is pinned
// file by file in tests/golden/hls/<model>/ (relu_torch: the common layers; keras_merge: every
// merge layer, chains of three and four inputs; keras_activations: PReLU, ELU, Softsign,
// Softplus, HardSigmoid). After an intended change, regenerate with
//   NNFPGA_UPDATE_GOLDEN=1 build/tests/test_backend --gtest_filter='HlsGolden.*'
// and review the diff. The library and ap_types copies are checked against hlslib/ instead.
#include <gtest/gtest.h>

#include <filesystem>

#include "../golden_files.hpp"
#include "api/model_io.hpp"
#include "backend/hls/embedded_files.hpp"
#include "backend/hls/project.hpp"

namespace nnfpga::backend::hls {
namespace {

namespace fs = std::filesystem;

// `model` (under tests/fixtures/) against tests/golden/hls/<name>/; the ap_types and library
// copies are checked against hlslib/ (LibraryCopiesAreHlslib), not pinned here.
void check_golden(const std::string& model, const std::string& name, const config::Tree& cfg) {
  const fs::path fixtures(NNFPGA_FIXTURES_DIR);
  const ir::Graph graph = load_configured((fixtures / model).string(), cfg);
  const int compared = testing::check_golden_files(
      fixtures / ".." / "golden" / "hls" / name, "hls_" + name,
      [&](const fs::path& dir) {
        return write_project(graph, dir.string(), {.top = "golden"}).files;
      },
      [](const std::string& file) {
        return file.rfind("ap_types/", 0) != 0 && file.rfind("firmware/nnfpga/", 0) != 0;
      });
  if (std::getenv("NNFPGA_UPDATE_GOLDEN") == nullptr) {
    EXPECT_GE(compared, 10);
  }
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
    EXPECT_EQ(f.content, testing::read_file_bytes(hlslib / f.path))
        << f.path << ": rebuild to embed the current file";
  }
}

}  // namespace
}  // namespace nnfpga::backend::hls
