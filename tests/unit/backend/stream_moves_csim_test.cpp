// The io_stream layers that move values across positions or broadcast them, through the HLS
// dataflow top and C simulation: Transpose (positions only, and the channels into the positions),
// merges broadcasting an operand of one position ([C] from a global pool) and of one channel
// ([H, W, 1]), Concatenate on each position axis, and a Quantize with a type per element (and
// zeroed elements). One hand-built graph, written once, compiled with nnfpga's and AMD's headers
// and run on 1,000 random and adversarial images: no output may differ from the emulator, and the
// FIFOs at the computed depths must not deadlock (nnfpga's hls_stream.h reports it).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "api/model_io.hpp"
#include "backend/hls/csim.hpp"
#include "backend/hls/project.hpp"
#include "ir/element_types.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::hls {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kMovesImages = 1000;

std::vector<double> moves_wave(std::int64_t n, double scale, double phase) {
  std::vector<double> v;
  for (std::int64_t i = 0; i < n; ++i) v.push_back(scale * std::sin(1.3 * i + phase));
  return v;
}

ir::Node moves_node(const std::string& name, ir::OpKind op, std::vector<std::string> inputs) {
  return ir::Node{.name = name, .op = op, .inputs = std::move(inputs)};
}

ir::Node moves_conv(const std::string& name, const std::string& input, const ir::Shape& weight,
                    const std::vector<std::int64_t>& pads) {
  ir::Node n = moves_node(name, ir::OpKind::kConv2D, {input});
  n.params["weight"] = ir::make_tensor(weight, moves_wave(ir::element_count(weight), 0.5, 0.2));
  n.params["bias"] = ir::make_tensor({weight.back()}, moves_wave(weight.back(), 0.3, 0.9));
  n.attrs.set("strides", std::vector<std::int64_t>{1, 1});
  n.attrs.set("dilations", std::vector<std::int64_t>{1, 1});
  n.attrs.set("pads", pads);
  return n;
}

ir::Node moves_transpose(const std::string& name, const std::string& input,
                         const std::vector<std::int64_t>& perm) {
  ir::Node n = moves_node(name, ir::OpKind::kTranspose, {input});
  n.attrs.set("perm", perm);
  return n;
}

ir::Node moves_concat(const std::string& name, std::vector<std::string> inputs, std::int64_t axis) {
  ir::Node n = moves_node(name, ir::OpKind::kConcatenate, std::move(inputs));
  n.attrs.set("axis", axis);
  return n;
}

// Four element types, zeroed elements between them, in a pattern that is not a multiple of the
// channels, so each position's channels take different types.
std::string moves_element_types(std::int64_t n) {
  const char* kTypes[] = {"ap_fixed<6,2>", "ap_fixed<8,3,AP_RND,AP_SAT>", "zero", "ap_ufixed<4,1>",
                          "ap_fixed<5,1,AP_RND_CONV,AP_SAT>"};
  std::string s;
  for (std::int64_t k = 0; k < n; ++k) {
    if (!s.empty()) s += ' ';
    s += kTypes[(k * 7 / 3) % 5];
  }
  return s;
}

ir::Graph moves_graph() {
  using K = ir::OpKind;
  ir::Node x{.name = "x", .op = K::kInput};
  x.attrs.set("shape", std::vector<std::int64_t>{4, 5, 3});
  ir::Graph g{.name = "moves"};
  g.nodes = {
      x,
      moves_conv("c1", "x", {3, 3, 3, 4}, {1, 1, 1, 1}),
      moves_transpose("t", "c1", {1, 0, 2}),              // [5, 4, 4]: positions swapped
      moves_node("g", K::kGlobalAveragePool2D, {"t"}),    // [4]: one position
      moves_node("a", K::kAdd, {"t", "g"}),               // broadcast of one position
      moves_conv("c2", "t", {1, 1, 4, 1}, {0, 0, 0, 0}),  // [5, 4, 1]
      moves_node("m", K::kMultiply, {"c2", "a"}),         // broadcast of one channel, first
      moves_concat("h", {"m", "t"}, 0),                   // [10, 4, 4]: on the rows
      moves_concat("w", {"h", "h"}, -2),                  // ... and on the columns: [10, 8, 4]
  };
  g.nodes.push_back(moves_transpose("tc", "w", {2, 0, 1}));  // [4, 10, 8]: channels to positions
  ir::Node q = moves_node("q", K::kQuantize, {"tc"});
  q.attrs.set(ir::kElementTypes, moves_element_types(4 * 10 * 8));
  g.nodes.push_back(q);
  g.nodes.push_back(moves_node("f", K::kFlatten, {"q"}));
  ir::Node d = moves_node("fc", K::kDense, {"f"});
  d.params["weight"] = ir::make_tensor({320, 3}, moves_wave(960, 0.2, 0.4));
  d.params["bias"] = ir::make_tensor({3}, moves_wave(3, 0.2, 0.1));
  g.nodes.push_back(d);
  g.inputs = {"x"};
  g.outputs = {"fc", "m"};
  ir::infer_shapes(g);
  config::Tree cfg;
  cfg["Model"]["IOType"] = "io_stream";
  cfg["Model"]["Precision"] = "ap_fixed<12,4,AP_RND,AP_SAT>";
  configure(g, cfg);
  return g;
}

TEST(StreamMovesCsim, TransposeBroadcastsConcatenationsAndPerElementTypes) {
  const ir::Graph graph = moves_graph();
  ASSERT_EQ(graph.at("w").output_shape, (ir::Shape{10, 8, 4}));
  ASSERT_EQ(graph.at("tc").output_shape, (ir::Shape{4, 10, 8}));
  const fs::path dir =
      fs::temp_directory_path() / ("nnfpga_stream_moves_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const Project p = write_project(graph, dir.string());
  std::ifstream top_file(dir / "firmware" / (p.top + ".cpp"));
  std::stringstream top;
  top << top_file.rdbuf();
  for (const char* call : {"nnf::transpose_stream<", "nnf::concatenate_block_stream<",
                           "QuantizeElements:", "#pragma HLS DATAFLOW"}) {
    EXPECT_NE(top.str().find(call), std::string::npos) << call;
  }
  const CsimReport r = run_csim(dir.string(), {.samples = kMovesImages, .seed = 11});
  ASSERT_FALSE(r.runs.empty()) << r.note;
  for (const CsimRun& run : r.runs) {
    EXPECT_EQ(run.samples, kMovesImages) << run.headers;
    EXPECT_GT(run.outputs, 0) << run.headers;
    EXPECT_EQ(run.differing, 0) << run.headers << ": " << run.first_difference;
  }
  fs::remove_all(dir);
}

// An operand repeated along some position axes but not all cannot stream without replaying held
// rows: refused by node name, saying what to do.
TEST(StreamMovesCsim, AMergeBroadcastAlongOnePositionAxisIsRefusedWithWhatToDo) {
  using K = ir::OpKind;
  ir::Node x{.name = "x", .op = K::kInput};
  x.attrs.set("shape", std::vector<std::int64_t>{4, 5, 3});
  ir::Node row{.name = "row", .op = K::kInput};
  row.attrs.set("shape", std::vector<std::int64_t>{1, 5, 3});
  ir::Graph g{.name = "rows"};
  g.nodes = {x, row, moves_node("sum", K::kAdd, {"x", "row"})};
  g.inputs = {"x", "row"};
  g.outputs = {"sum"};
  ir::infer_shapes(g);
  config::Tree cfg;
  cfg["Model"]["IOType"] = "io_stream";
  configure(g, cfg);
  const fs::path dir =
      fs::temp_directory_path() / ("nnfpga_stream_rows_" + std::to_string(::getpid()));
  try {
    write_project(g, dir.string());
    FAIL() << "a row broadcast was written";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("sum"), std::string::npos) << what;
    EXPECT_NE(what.find("repeats along some position axes"), std::string::npos) << what;
    EXPECT_NE(what.find("UpSampling"), std::string::npos) << what;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace nnfpga::backend::hls
