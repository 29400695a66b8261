// The CNN layers of the HLS backend under C simulation: small hand-built graphs covering every
// windowed op (convolutions with padding, strides and dilations, depthwise, the pools, padding,
// cropping, upsampling), a residual connection (a clone process and a merge), Concatenate and
// Flatten into Dense, written under io_parallel and as io_stream's dataflow top, compiled once each
// with nnfpga's and AMD's headers and run on 1,000 random and adversarial images: no output may
// differ from the emulator. A weight of a convolution changed by one LSB in the written project
// must make the comparison fail.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "api/model_io.hpp"
#include "backend/hls/csim.hpp"
#include "backend/hls/project.hpp"
#include "ir/geometry.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::hls {
namespace {

namespace fs = std::filesystem;

const std::string kCnnPid = "_" + std::to_string(::getpid());
constexpr std::int64_t kImages = 1000;

ir::Node cnn_input(const std::string& name, const ir::Shape& shape) {
  ir::Node n{.name = name, .op = ir::OpKind::kInput};
  n.attrs.set("shape", std::vector<std::int64_t>(shape));
  return n;
}

std::vector<double> wave(std::int64_t n, double scale, double phase) {
  std::vector<double> v;
  for (std::int64_t i = 0; i < n; ++i) v.push_back(scale * std::sin(1.7 * i + phase));
  return v;
}

ir::Node conv_layer(const std::string& name, ir::OpKind op, const std::string& input,
                    const ir::Shape& weight, std::int64_t n_bias,
                    const std::vector<std::int64_t>& strides,
                    const std::vector<std::int64_t>& dilations,
                    const std::vector<std::int64_t>& pads) {
  ir::Node n{.name = name, .op = op, .inputs = {input}};
  n.params["weight"] = ir::make_tensor(weight, wave(ir::element_count(weight), 0.6, 0.3));
  if (n_bias > 0) n.params["bias"] = ir::make_tensor({n_bias}, wave(n_bias, 0.4, 1.1));
  n.attrs.set("strides", strides);
  n.attrs.set("dilations", dilations);
  n.attrs.set("pads", pads);
  return n;
}

ir::Node window_layer(const std::string& name, ir::OpKind op, const std::string& input,
                      const std::string& key, const std::vector<std::int64_t>& values) {
  ir::Node n{.name = name, .op = op, .inputs = {input}};
  n.attrs.set(key, values);
  return n;
}

ir::Node pool_layer(const std::string& name, ir::OpKind op, const std::string& input,
                    const std::vector<std::int64_t>& size, const std::vector<std::int64_t>& strides,
                    const std::vector<std::int64_t>& pads) {
  ir::Node n = window_layer(name, op, input, "pool_size", size);
  n.attrs.set("strides", strides);
  n.attrs.set("pads", pads);
  return n;
}

ir::Node simple(const std::string& name, ir::OpKind op, std::vector<std::string> inputs) {
  return ir::Node{.name = name, .op = op, .inputs = std::move(inputs)};
}

ir::Graph configured(ir::Graph g, const std::string& io_type, config::Tree cfg = {}) {
  ir::infer_shapes(g);
  cfg["Model"]["IOType"] = io_type;
  cfg["Model"]["Precision"] = "ap_fixed<12,4,AP_RND,AP_SAT>";
  configure(g, cfg);
  return g;
}

// 2-D: 'same' and asymmetric padding, stride, dilation, depthwise with a multiplier, a residual
// Add over a clone, both pools (padded windows), padding, cropping, upsampling, a global pool,
// Dense and Softmax.
ir::Graph image_graph(const std::string& io_type, config::Tree cfg = {}) {
  using K = ir::OpKind;
  ir::Graph g{.name = "image"};
  g.nodes = {
      cnn_input("x", {6, 7, 2}),
      conv_layer("c1", K::kConv2D, "x", {3, 3, 2, 3}, 3, {1, 1}, {1, 1}, {1, 1, 1, 1}),
      simple("r1", K::kRelu, {"c1"}),
      conv_layer("dw", K::kDepthwiseConv2D, "r1", {3, 2, 3, 1}, 3, {1, 1}, {2, 2}, {2, 2, 1, 1}),
      simple("sum", K::kAdd, {"r1", "dw"}),
      pool_layer("mp", K::kMaxPool2D, "sum", {2, 2}, {2, 2}, {0, 1, 0, 1}),
      pool_layer("ap", K::kAveragePool2D, "mp", {2, 3}, {1, 1}, {1, 0, 1, 1}),
      window_layer("zp", K::kZeroPadding2D, "ap", "pads", {1, 0, 0, 2}),
      window_layer("cr", K::kCropping2D, "zp", "crops", {0, 1, 1, 0}),
      window_layer("up", K::kUpSampling2D, "cr", "size", {2, 1}),
      conv_layer("c2", K::kConv2D, "up", {2, 2, 3, 4}, 0, {2, 1}, {1, 1}, {0, 0, 0, 0}),
      simple("gp", K::kGlobalAveragePool2D, {"c2"}),
  };
  ir::Node d{.name = "fc", .op = K::kDense, .inputs = {"gp"}};
  d.params["weight"] = ir::make_tensor({4, 3}, wave(12, 0.5, 0.7));
  d.params["bias"] = ir::make_tensor({3}, wave(3, 0.2, 0.1));
  g.nodes.push_back(d);
  g.nodes.push_back(simple("sm", K::kSoftmax, {"fc"}));
  g.inputs = {"x"};
  g.outputs = {"sm"};
  return configured(g, io_type, std::move(cfg));
}

// 1-D: a strided valid Conv1D, a depthwise Conv1D, MaxPool1D, Concatenate of two branches on the
// channels, global max pool beside Flatten into Dense; two outputs.
ir::Graph sequence_graph(const std::string& io_type) {
  using K = ir::OpKind;
  ir::Graph g{.name = "sequence"};
  g.nodes = {
      cnn_input("x", {12, 3}),
      conv_layer("c1", K::kConv1D, "x", {3, 3, 4}, 4, {2}, {1}, {0, 1}),
      simple("t1", K::kTanh, {"c1"}),
      conv_layer("dw", K::kDepthwiseConv1D, "t1", {2, 4, 2}, 8, {1}, {1}, {1, 0}),
      pool_layer("mp", K::kMaxPool1D, "c1", {2}, {1}, {1, 0}),
      simple("cat", K::kConcatenate, {"dw", "mp"}),
      window_layer("up", K::kUpSampling1D, "cat", "size", {2}),
      simple("gmp", K::kGlobalMaxPool1D, {"up"}),
      simple("fl", K::kFlatten, {"cat"}),
  };
  ir::Node d{.name = "fc", .op = K::kDense, .inputs = {"fl"}};
  d.params["weight"] = ir::make_tensor({72, 2}, wave(144, 0.3, 0.2));
  d.params["bias"] = ir::make_tensor({2}, wave(2, 0.2, 0.4));
  g.nodes.push_back(d);
  g.inputs = {"x"};
  g.outputs = {"fc", "gmp"};
  return configured(g, io_type);
}

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("nnfpga_cnn_csim_" + name + kCnnPid);
  fs::remove_all(dir);
  return dir;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// nnfpga's headers always; AMD's when this machine has them (the note says why not).
void expect_identical(const CsimReport& r) {
  ASSERT_FALSE(r.runs.empty()) << r.note;
  for (const CsimRun& run : r.runs) {
    EXPECT_EQ(run.samples, kImages) << run.headers;
    EXPECT_GT(run.outputs, 0) << run.headers;
    EXPECT_EQ(run.differing, 0) << run.headers << ": " << run.first_difference;
  }
}

struct CnnCase {
  const char* name;
  ir::Graph (*graph)(const std::string&);
  const char* io_type;
};

ir::Graph image(const std::string& io_type) {
  return image_graph(io_type);
}

class CnnCsim : public ::testing::TestWithParam<CnnCase> {};

TEST_P(CnnCsim, EveryOutputIsTheEmulators) {
  const CnnCase& c = GetParam();
  const ir::Graph graph = c.graph(c.io_type);
  const fs::path dir = scratch(std::string(c.name) + "_" + c.io_type);
  const Project p = write_project(graph, dir.string());
  const std::string top = read_text(dir / "firmware" / (p.top + ".cpp"));
  if (std::string(c.io_type) == "io_stream") {
    EXPECT_NE(top.find("#pragma HLS DATAFLOW"), std::string::npos);
    EXPECT_NE(top.find("#pragma HLS STREAM variable="), std::string::npos);
    EXPECT_NE(top.find("#pragma HLS INTERFACE axis port="), std::string::npos);
  }
  expect_identical(run_csim(dir.string(), {.samples = kImages, .seed = 5}));
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Graphs, CnnCsim,
                         ::testing::Values(CnnCase{"image", image, "io_parallel"},
                                           CnnCase{"image", image, "io_stream"},
                                           CnnCase{"sequence", sequence_graph, "io_parallel"},
                                           CnnCase{"sequence", sequence_graph, "io_stream"}),
                         [](const auto& info) {
                           return std::string(info.param.name) + "_" + info.param.io_type;
                         });

// The dataflow top's structure: a clone for the tensor read twice, every FIFO's depth, and the
// ports one beat per position.
TEST(CnnDataflow, ClonesFanOutAndStreamsOneBeatPerPosition) {
  const ir::Graph graph = image_graph("io_stream");
  const fs::path dir = scratch("structure");
  const Project p = write_project(graph, dir.string());
  const std::string top = read_text(dir / "firmware" / (p.top + ".cpp"));
  EXPECT_NE(top.find("static void r1_clone("), std::string::npos) << top;
  EXPECT_NE(top.find("hls::stream<nnf::packed<x_t, 2> >& x"), std::string::npos) << top;
  EXPECT_NE(top.find("nnf::conv_stream<"), std::string::npos);
  EXPECT_NE(top.find("nnf::depthwise_conv_stream<"), std::string::npos);
  EXPECT_NE(top.find("nnf::global_average_pool_stream<"), std::string::npos);
  const std::regex depth("#pragma HLS STREAM variable=\\w+ depth=(\\d+)");
  int fifos = 0;
  for (auto it = std::sregex_iterator(top.begin(), top.end(), depth); it != std::sregex_iterator();
       ++it) {
    EXPECT_GT(std::stoi((*it)[1]), 0);
    ++fifos;
  }
  // One FIFO per edge between two processes (the ports are none).
  EXPECT_EQ(fifos, 14);
  fs::remove_all(dir);
}

// The residual's bypass FIFO (the clone of r1 into the Add). The Add reads r1's beat p, then waits
// for the depthwise conv's output p, which needs r1's beat last(p); the clone writes each beat to
// the conv first (graph order), so it must have put beats p+1 .. last(p)-1 into the bypass: the
// bypass must hold max_p (last(p) - p - 1) beats, from the IR's geometry. The schedule's depth is
// at least that; one beat less must stop the threaded C simulation with the deadlock report
// naming the FIFO.
TEST(CnnDataflow, ABypassFifoOneBeatTooShallowIsAReportedDeadlock) {
  const ir::Graph graph = image_graph("io_stream");
  const ir::WindowGeometry g = ir::depthwise_geometry(graph.at("dw")).window;
  std::int64_t needed = -1, least = 0;
  for (std::int64_t o = 0; o < g.out_positions(); ++o) {
    for (std::int64_t kh = 0; kh < g.k_h; ++kh) {
      for (std::int64_t kw = 0; kw < g.k_w; ++kw) {
        needed = std::max(needed, g.input_position(o / g.out_w, o % g.out_w, kh, kw));
      }
    }
    least = std::max(least, needed - o - 1);
  }
  ASSERT_GT(least, 1);
  const fs::path dir = scratch("deadlock");
  write_project(graph, dir.string(), {.top = "image"});
  std::smatch m;
  const std::string top = read_text(dir / "firmware" / "image.cpp");
  ASSERT_TRUE(std::regex_search(top, m, std::regex("variable=r1_clone_to_sum depth=(\\d+)")));
  EXPECT_GE(std::stoi(m[1]), least);
  config::Tree cfg;
  cfg["LayerName"]["r1"]["FifoDepth"]["sum"] = least - 1;
  write_project(image_graph("io_stream", cfg), dir.string(), {.top = "image"});
  EXPECT_NE(read_text(dir / "firmware" / "image.cpp")
                .find("variable=r1_clone_to_sum depth=" + std::to_string(least - 1) + "\n"),
            std::string::npos);
  try {
    run_csim(dir.string(), {.samples = 20, .seed = 5});
    FAIL() << "csim ran with a bypass FIFO of " << least - 1 << " beats";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("deadlock"), std::string::npos) << what;
    EXPECT_NE(what.find("r1_clone_to_sum"), std::string::npos) << what;
  }
  fs::remove_all(dir);
}

// One weight of the first convolution, one LSB off, in the written dataflow project: csim must
// see it.
TEST(CnnCsimCorruption, AConvWeightChangedByOneLsbIsCaught) {
  for (const char* io : {"io_stream"}) {
    const ir::Graph graph = image_graph(io);
    const fs::path dir = scratch(std::string("corrupt_") + io);
    write_project(graph, dir.string());
    const fs::path weights = dir / "firmware" / "weights" / "w_c1.h";
    std::string text = read_text(weights);
    const std::size_t open = text.find('{');
    ASSERT_NE(open, std::string::npos);
    const std::size_t end = text.find_first_of(",}", open);
    const double value = std::stod(text.substr(open + 1, end - open - 1));
    std::ostringstream changed;
    changed.precision(17);
    changed << value + std::ldexp(1.0, -8);  // one LSB of ap_fixed<12,4>
    text = text.substr(0, open + 1) + changed.str() + text.substr(end);
    std::ofstream(weights) << text;
    const CsimReport r = run_csim(dir.string(), {.samples = kImages, .seed = 5});
    ASSERT_FALSE(r.runs.empty());
    for (const CsimRun& run : r.runs) EXPECT_GT(run.differing, 0) << io << " " << run.headers;
    fs::remove_all(dir);
  }
}

}  // namespace
}  // namespace nnfpga::backend::hls
