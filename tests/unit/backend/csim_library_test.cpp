// build_csim_library: the generated project plus its bridge, built into a shared library, loaded
// with dlopen, must give the emulator's outputs bit for bit (io_parallel and io_stream, nnfpga's
// and AMD's headers), and a project that does not compile must give the compiler's message.
#include "backend/hls/csim_library.hpp"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "api/model_io.hpp"
#include "backend/hls/csim.hpp"
#include "backend/hls/project.hpp"
#include "backend/hls/reference_samples.hpp"
#include "emulate/emulator.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::hls {
namespace {

// Scratch projects are named for the process, so that test runs at once never share one.
const std::string kPid = "_" + std::to_string(::getpid());

namespace fs = std::filesystem;

ir::Node input_node(const std::string& name, ir::Shape shape) {
  ir::Node n{.name = name, .op = ir::OpKind::kInput};
  n.attrs.set("shape", std::vector<std::int64_t>(shape));
  return n;
}

ir::Node dense_node(const std::string& name, const std::string& input, std::int64_t n_in,
                    std::int64_t n_out) {
  std::vector<double> w;
  std::vector<double> b;
  for (std::int64_t i = 0; i < n_in * n_out; ++i) w.push_back(0.37 * std::sin(1.3 * i + 0.2));
  for (std::int64_t i = 0; i < n_out; ++i) b.push_back(0.125 * static_cast<double>(i) - 0.3);
  ir::Node n{.name = name, .op = ir::OpKind::kDense, .inputs = {input}};
  n.params["weight"] = ir::make_tensor({n_in, n_out}, std::move(w));
  n.params["bias"] = ir::make_tensor({n_out}, std::move(b));
  return n;
}

// Two inputs (one of them 2-D) and three outputs, one of which also feeds a layer, so that the
// concatenation order matters. The names are those of the generated functions' local variables
// (kGeneratedLocals), which the project must rename rather than let them shadow its locals.
ir::Graph two_branch_graph(const std::string& io_type, const std::string& precision) {
  ir::Graph g{.name = "line"};
  g.nodes = {input_node("v", {8}),
             dense_node("samples", "v", 8, 6),
             ir::Node{.name = "k", .op = ir::OpKind::kRelu, .inputs = {"samples"}},
             dense_node("out", "k", 6, 3),
             ir::Node{.name = "sep", .op = ir::OpKind::kSoftmax, .inputs = {"out"}},
             input_node("word", {2, 3}),
             ir::Node{.name = "s", .op = ir::OpKind::kSigmoid, .inputs = {"word"}}};
  g.inputs = {"v", "word"};
  g.outputs = {"sep", "s", "k"};
  ir::infer_shapes(g);
  config::Tree cfg;
  cfg["Model"]["IOType"] = io_type;
  cfg["Model"]["Precision"] = precision;
  configure(g, cfg);
  return g;
}

// A loaded library, closed at the end of the scope.
class Library {
 public:
  explicit Library(const std::string& path)
      : handle_(dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {}
  ~Library() {
    if (handle_ != nullptr) dlclose(handle_);
  }
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;
  bool loaded() const { return handle_ != nullptr; }
  template <class F>
  F symbol(const char* name) const {
    return reinterpret_cast<F>(dlsym(handle_, name));
  }

 private:
  void* handle_;
};

// The functions a library exports, from nm: only the bridge's, so that two models' libraries
// loaded into one process cannot resolve each other's layer functions.
std::string exported_functions(const std::string& path) {
  std::string names;
  std::FILE* nm = popen(("nm -D --defined-only '" + path + "'").c_str(), "r");
  if (nm == nullptr) return "nm failed";
  char line[1024];
  while (std::fgets(line, sizeof line, nm) != nullptr) {
    char type = 0;
    char name[1000];
    if (std::sscanf(line, "%*s %c %999s", &type, name) == 2 && type == 'T') {
      names += std::string(name) + " ";
    }
  }
  pclose(nm);
  return names;
}

// Corner-case samples (as csim makes them) followed by rows of extreme values.
std::vector<double> test_inputs(const ir::Graph& graph, std::int64_t width, std::int64_t& samples) {
  std::vector<double> in = make_reference_samples(graph, samples, 7).inputs;
  for (const double edge : {0.0, -0.0, 1e6, -1e6, 1e-300, -1e-300, 0.5, -0.5}) {
    for (std::int64_t k = 0; k < width; ++k) in.push_back(k % 2 == 0 ? edge : -edge);
    ++samples;
  }
  return in;
}

// The emulator's outputs for sample-major inputs, sample-major like the bridge's.
std::vector<double> emulator_outputs(const ir::Graph& graph, const std::vector<double>& in,
                                     std::int64_t samples) {
  std::vector<emulate::Array> arrays;
  std::int64_t width = 0;
  std::vector<std::int64_t> widths;
  for (const std::string& name : graph.inputs) {
    const ir::Node& node = graph.at(name);
    emulate::Array a;
    a.shape.push_back(samples);
    a.shape.insert(a.shape.end(), node.output_shape.begin(), node.output_shape.end());
    widths.push_back(ir::element_count(node.output_shape));
    width += widths.back();
    arrays.push_back(std::move(a));
  }
  for (std::int64_t s = 0; s < samples; ++s) {
    std::int64_t offset = s * width;
    for (std::size_t i = 0; i < arrays.size(); ++i) {
      arrays[i].data.insert(arrays[i].data.end(), in.begin() + offset,
                            in.begin() + offset + widths[i]);
      offset += widths[i];
    }
  }
  const std::vector<emulate::Array> outs = emulate::Emulator(graph).predict(arrays);
  std::vector<double> rows;
  for (std::int64_t s = 0; s < samples; ++s) {
    for (const emulate::Array& o : outs) {
      const std::int64_t w = static_cast<std::int64_t>(o.data.size()) / samples;
      rows.insert(rows.end(), o.data.begin() + s * w, o.data.begin() + (s + 1) * w);
    }
  }
  return rows;
}

struct Case {
  const char* name;
  const char* io_type;
  const char* precision;
  bool amd;
};

class CsimLibrary : public ::testing::TestWithParam<Case> {};

TEST_P(CsimLibrary, IsBitIdenticalToTheEmulator) {
  const Case& c = GetParam();
  const ir::Graph graph = two_branch_graph(c.io_type, c.precision);
  const fs::path dir =
      fs::temp_directory_path() / ("nnfpga_csim_library_" + std::string(c.name) + kPid);
  fs::remove_all(dir);
  const Project project = write_project(graph, dir.string());
  EXPECT_EQ(project.top, "line_2");  // "line" is a local of the test bench
  std::string path;
  try {
    path = build_csim_library(dir.string(), {.amd_headers = c.amd});
  } catch (const Error& e) {
    if (c.amd && e.kind() == ErrorKind::kConfig) GTEST_SKIP() << e.what();
    FAIL() << e.what();
  }
  EXPECT_EQ(fs::path(path),
            dir / "build" / ("libline_2-" + std::string(c.amd ? "amd" : "nnfpga") + ".so"));
  Library lib(path);
  ASSERT_TRUE(lib.loaded()) << dlerror();
  const auto input_size = lib.symbol<BridgeSizeFn>(kBridgeInputSize);
  const auto output_size = lib.symbol<BridgeSizeFn>(kBridgeOutputSize);
  const auto top = lib.symbol<BridgeTopFn>(kBridgeTop);
  const auto predict = lib.symbol<BridgePredictFn>(kBridgePredict);
  ASSERT_TRUE(input_size && output_size && top && predict);
  EXPECT_EQ(exported_functions(path),
            "nnfpga_bridge_input_size nnfpga_bridge_output_size "
            "nnfpga_bridge_predict nnfpga_bridge_top ");
  EXPECT_EQ(std::string(top()), "line_2");
  ASSERT_EQ(input_size(), 8 + 6);
  ASSERT_EQ(output_size(), 3 + 6 + 6);

  std::int64_t samples = 3000;
  const std::vector<double> in = test_inputs(graph, input_size(), samples);
  const std::vector<double> want = emulator_outputs(graph, in, samples);
  std::vector<double> got(want.size(), std::nan(""));
  ASSERT_EQ(predict(in.data(), got.data(), static_cast<long>(samples)), 0);
  std::int64_t differing = 0;
  for (std::size_t k = 0; k < want.size(); ++k) {
    if (std::bit_cast<std::uint64_t>(got[k]) == std::bit_cast<std::uint64_t>(want[k])) continue;
    if (++differing <= 5) {
      ADD_FAILURE() << "sample " << k / output_size() << " output " << k % output_size()
                    << ": library " << got[k] << ", emulator " << want[k];
    }
  }
  EXPECT_EQ(differing, 0) << "of " << want.size() << " values";

  // Arguments: nothing to do, and invalid calls refused without touching memory.
  EXPECT_EQ(predict(nullptr, nullptr, 0), 0);
  EXPECT_EQ(predict(in.data(), got.data(), -1), 1);
  EXPECT_EQ(predict(nullptr, got.data(), 1), 1);
  EXPECT_EQ(predict(in.data(), nullptr, 1), 1);
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(
    Headers, CsimLibrary,
    ::testing::Values(Case{"parallel", "io_parallel", "ap_fixed<16,6>", false},
                      Case{"stream", "io_stream", "ap_fixed<10,4,AP_RND,AP_SAT>", false},
                      Case{"parallel_amd", "io_parallel", "ap_fixed<16,6>", true},
                      Case{"stream_amd", "io_stream", "ap_fixed<10,4,AP_RND,AP_SAT>", true}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

// The test bench shares the bridge's per-sample code: with the same renamed locals it compiles
// and matches the emulator too (io_stream, where a port named like a local would collide).
TEST(CsimLibrary, TestBenchSharesTheSampleCode) {
  const ir::Graph graph = two_branch_graph("io_stream", "ap_fixed<12,5,AP_RND_CONV,AP_SAT>");
  const fs::path dir = fs::temp_directory_path() / ("nnfpga_csim_library_tb" + kPid);
  fs::remove_all(dir);
  write_project(graph, dir.string());
  const CsimReport report = run_csim(dir.string(), {.samples = 300});
  ASSERT_FALSE(report.runs.empty());
  for (const CsimRun& run : report.runs) {
    EXPECT_EQ(run.differing, 0) << run.headers << ": " << run.first_difference;
    EXPECT_EQ(run.samples, 300) << run.headers;
  }
  fs::remove_all(dir);
}

TEST(CsimLibrary, CompilerErrorsAreReported) {
  const ir::Graph graph = two_branch_graph("io_parallel", "ap_fixed<16,6>");
  const fs::path dir = fs::temp_directory_path() / ("nnfpga_csim_library_broken" + kPid);
  fs::remove_all(dir);
  const Project project = write_project(graph, dir.string());
  std::ofstream(dir / "firmware" / (project.top + ".cpp"), std::ios::app)
      << "\nint broken_by_the_test = not_declared_anywhere;\n";
  try {
    build_csim_library(dir.string());
    FAIL() << "the corrupted project compiled";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    const std::string what = e.what();
    EXPECT_NE(what.find("did not compile against nnfpga headers"), std::string::npos) << what;
    EXPECT_NE(what.find("not_declared_anywhere"), std::string::npos) << what;
    EXPECT_NE(what.find("error"), std::string::npos) << what;
  }
  EXPECT_FALSE(fs::exists(dir / "build" / "libline_2-nnfpga.so"));
  EXPECT_FALSE(fs::exists(dir / "build" / "libline_2-nnfpga.so.partial"));

  fs::remove(dir / "firmware" / (project.top + "_bridge.cpp"));
  try {
    build_csim_library(dir.string());
    FAIL() << "built without a bridge";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(std::string(e.what()).find("line_2_bridge.cpp is missing"), std::string::npos)
        << e.what();
  }
  fs::remove_all(dir);
}

TEST(CsimLibrary, RefusesADirectoryThatIsNotAProject) {
  const fs::path dir = fs::temp_directory_path() / ("nnfpga_csim_library_empty" + kPid);
  fs::create_directories(dir);
  try {
    build_csim_library(dir.string());
    FAIL() << "built from an empty directory";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(std::string(e.what()).find("not a project written by nnfpga convert"),
              std::string::npos)
        << e.what();
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace nnfpga::backend::hls
