// Corrupt input must give nnfpga::Error (kInput, or kUnsupported for a well-formed model nnfpga
// does not handle), never a crash: truncated fixtures, flipped bytes, random bytes, and every
// input the fuzzer once crashed on (tests/fuzz/regressions/).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "frontend/onnx/onnx_reader.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend::onnx {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Reads `bytes`; only nnfpga::Error may escape, and it must name the origin.
void read_safely(const std::string& bytes, const std::string& what) {
  try {
    (void)read_onnx_bytes(bytes, "cut.onnx");
  } catch (const Error& e) {
    EXPECT_NE(e.kind(), ErrorKind::kInternal) << what << ": " << e.what();
    EXPECT_EQ(e.where().file, "cut.onnx") << what << ": " << e.what();
  }
}

std::vector<fs::path> onnx_files(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

const fs::path kFixtures = fs::path(NNFPGA_FIXTURES_DIR) / "onnx";

TEST(OnnxRobustness, TruncatedFixturesAreInputErrors) {
  for (const fs::path& p : onnx_files(kFixtures)) {
    if (p.extension() != ".onnx") continue;
    const std::string bytes = slurp(p);
    // Every length for the first 256 bytes (headers), then a stride through the rest.
    for (std::size_t n = 0; n < bytes.size(); n += (n < 256 ? 1 : 7)) {
      read_safely(bytes.substr(0, n), p.filename().string() + " cut at " + std::to_string(n));
    }
  }
}

TEST(OnnxRobustness, ACutFileSaysWhichFile) {
  const std::string bytes = slurp(kFixtures / "gemm_torch.onnx");
  try {
    (void)read_onnx_bytes(bytes.substr(0, bytes.size() / 2), "half.onnx");
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(std::string(e.what()).find("half.onnx"), std::string::npos);
  }
}

TEST(OnnxRobustness, FlippedBytesAreHandled) {
  std::mt19937 rng(1234);
  for (const fs::path& p : onnx_files(kFixtures)) {
    if (p.extension() != ".onnx") continue;
    const std::string bytes = slurp(p);
    for (int trial = 0; trial < 80; ++trial) {
      std::string b = bytes;
      for (int k = 0; k < 1 + trial % 4; ++k) {
        b[rng() % b.size()] = static_cast<char>(rng());
      }
      read_safely(b, p.filename().string() + " trial " + std::to_string(trial));
    }
  }
}

// The CNN fixtures (tests/fixtures/onnx_cnn): flipped bytes land in the attributes and shapes of
// Conv, the pools, Pad, Resize, Transpose, Squeeze and Unsqueeze, whose converters must refuse or
// report a bad file, never crash nor raise an internal error.
TEST(OnnxRobustness, FlippedBytesInCnnFixturesAreHandled) {
  std::mt19937 rng(4321);
  for (const fs::path& p : onnx_files(fs::path(NNFPGA_FIXTURES_DIR) / "onnx_cnn")) {
    if (p.extension() != ".onnx") continue;
    const std::string bytes = slurp(p);
    for (int trial = 0; trial < 300; ++trial) {
      std::string b = bytes;
      for (int k = 0; k < 1 + trial % 3; ++k) b[rng() % b.size()] = static_cast<char>(rng());
      read_safely(b, p.filename().string() + " trial " + std::to_string(trial));
    }
  }
}

TEST(OnnxRobustness, RandomBytesAreInputErrors) {
  std::mt19937 rng(99);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string b(rng() % 512, '\0');
    for (char& c : b) c = static_cast<char>(rng());
    read_safely(b, "random " + std::to_string(trial));
  }
  EXPECT_THROW(read_onnx_bytes("", "empty.onnx"), Error);
  EXPECT_THROW(read_onnx_file("/nonexistent/model.onnx"), Error);
}

TEST(OnnxRobustness, FuzzerRegressions) {
  for (const fs::path& p :
       onnx_files(fs::path(NNFPGA_FIXTURES_DIR) / ".." / "fuzz" / "regressions")) {
    if (p.extension() == ".md") continue;
    read_safely(slurp(p), p.filename().string());
  }
}

}  // namespace
}  // namespace nnfpga::frontend::onnx
