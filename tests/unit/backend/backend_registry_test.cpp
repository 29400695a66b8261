// The backend registry and what every backend shares: names and aliases, the project a directory
// holds, the files a project lists, the top's name and the unsupported-node report.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "../emulate/graph_builder.hpp"
#include "backend/backend.hpp"
#include "backend/project_files.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend {
namespace {

using emulate::testing::GraphBuilder;
using emulate::testing::normal;
using fixed::make_fixed;

ir::Graph small_mlp() {
  std::mt19937_64 rng(3);
  ir::Graph g = GraphBuilder({4}, make_fixed(8, 3))
                    .dense(3, normal(12, 1.0, rng), normal(3, 0.5, rng), make_fixed(6, 1),
                           make_fixed(6, 2), make_fixed(18, 8), make_fixed(9, 4))
                    .unary(ir::OpKind::kRelu, make_fixed(8, 4, false))
                    .build();
  g.name = "small mlp";
  return g;
}

std::filesystem::path scratch(const std::string& name) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("nnfpga_registry_" + name);
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(BackendRegistry, FindsEveryBackendByNameAndAliasIgnoringCase) {
  ASSERT_EQ(all_backends().size(), 2u);
  EXPECT_EQ(find_backend("hls").name(), "hls");
  EXPECT_EQ(&find_backend("Vitis"), &find_backend("hls"));
  EXPECT_EQ(&find_backend("VIVADO"), &find_backend("hls"));
  EXPECT_EQ(find_backend("verilog").name(), "verilog");
  EXPECT_EQ(&find_backend("rtl"), &find_backend("verilog"));
  for (const Backend* b : all_backends()) {
    EXPECT_FALSE(b->description().empty());
    EXPECT_FALSE(b->verify_command().empty());
    EXPECT_FALSE(b->project_marker().empty());
  }
}

TEST(BackendRegistry, AnUnknownBackendListsTheOnesThereAre) {
  try {
    find_backend("quartus");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
    const std::string m = e.what();
    for (const char* name : {"'quartus'", "hls", "vitis", "vivado", "verilog"}) {
      EXPECT_NE(m.find(name), std::string::npos) << m;
    }
  }
}

TEST(BackendRegistry, EachBackendWritesAProjectTheRegistryRecognizes) {
  const ir::Graph g = small_mlp();
  for (const Backend* b : all_backends()) {
    const std::filesystem::path dir = scratch(std::string(b->name()));
    EXPECT_EQ(project_backend(dir.string()), nullptr);
    b->check(g);
    const WrittenProject p = b->write(g, dir.string(), {});
    EXPECT_EQ(p.backend, b->name());
    EXPECT_EQ(p.top, "small_mlp");  // the graph's name, made an identifier
    EXPECT_EQ(project_backend(dir.string()), b);
    EXPECT_GT(p.estimate.latency_cycles, 0);
    EXPECT_FALSE(p.estimate.table.empty());
    EXPECT_NE(p.summary.find(std::string(b->verify_command())), std::string::npos) << p.summary;
    for (const std::string& f : p.files) EXPECT_TRUE(std::filesystem::exists(dir / f)) << f;
    // The estimate of the written project is the estimate of the graph.
    EXPECT_EQ(b->estimate(g).json, p.estimate.json);
  }
}

TEST(BackendRegistry, EveryBackendRefusesTheSameNodesInTheSameWords) {
  ir::Graph g = small_mlp();
  ir::Node matmul = g.nodes.back();
  matmul.name = "odd one";
  matmul.op = ir::OpKind::kMatMul;
  matmul.inputs = {g.nodes.back().name};
  g.nodes.push_back(matmul);
  g.outputs = {"odd one"};
  for (const Backend* b : all_backends()) {
    try {
      b->check(g);
      FAIL() << b->name() << " accepted a MatMul";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
      const std::string m = e.what();
      EXPECT_NE(m.find("not supported by the " + std::string(b->label()) +
                       " backend:\n  odd one "
                       "(MatMul)"),
                std::string::npos)
          << m;
    }
  }
}

// The convolutions (depthwise included) and pools: the HLS backend writes them (issue 17); the
// Verilog backend's streaming design writes Conv1D, Conv2D and the pools (issue 18) and refuses the
// depthwise convolution by name.
TEST(BackendRegistry, TheHlsBackendTakesTheConvolutionsAndVerilogRefusesTheRestByName) {
  const fixed::FixedType t = fixed::make_fixed(16, 6);
  emulate::testing::GraphBuilder b({6, 2}, t);
  b.conv(ir::OpKind::kConv1D, {3, 2, 2}, std::vector<double>(12, 0.25), {}, {1}, {1}, {1, 1}, t, t,
         fixed::make_fixed(32, 12), t);
  b.reshape(ir::OpKind::kReshape, {6, 2, 1}, t);
  b.conv(ir::OpKind::kConv2D, {1, 1, 1, 1}, {0.5}, {0.0}, {1, 1}, {1, 1}, {0, 0, 0, 0}, t, t,
         fixed::make_fixed(32, 12), t);
  b.conv(ir::OpKind::kDepthwiseConv2D, {1, 1, 1, 2}, {0.5, 0.25}, {}, {1, 1}, {1, 1}, {0, 0, 0, 0},
         t, t, fixed::make_fixed(32, 12), t);
  b.unary(ir::OpKind::kGlobalAveragePool2D, t);
  b.last().types["accum"] = t;
  b.last().output_shape = {2};
  const ir::Graph g = b.build();
  for (const Backend* backend : all_backends()) {
    if (backend->name() == "hls") {
      EXPECT_NO_THROW(backend->check(g));
      continue;
    }
    try {
      backend->check(g);
      FAIL() << backend->name() << " accepted a convolution";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
      const std::string m = e.what();
      EXPECT_NE(m.find("not supported by the " + std::string(backend->label()) + " backend:"),
                std::string::npos)
          << m;
      const bool streams_convs = backend->name() == "verilog";
      EXPECT_EQ(m.find("\n  " + g.nodes[1].name + " (Conv1D)") == std::string::npos, streams_convs)
          << m;
      EXPECT_EQ(m.find("\n  " + g.nodes[3].name + " (Conv2D)") == std::string::npos, streams_convs)
          << m;
      EXPECT_NE(m.find("\n  " + g.nodes[4].name + " (DepthwiseConv2D)"), std::string::npos) << m;
      EXPECT_EQ(m.find("\n  " + g.nodes[5].name + " (GlobalAveragePool2D)") == std::string::npos,
                streams_convs)
          << m;
    }
  }
}

TEST(ProjectFiles, ListsWhatItWroteAndNamesWhatItCannotWrite) {
  const std::filesystem::path dir = scratch("files");
  ProjectFiles files(dir.string());
  files.write("a/b/c.txt", "text\n");
  files.write("d.txt", "");
  EXPECT_EQ(files.written(), (std::vector<std::string>{"a/b/c.txt", "d.txt"}));
  std::ifstream in(dir / "a/b/c.txt");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "text");
  // A file where a folder must go.
  ProjectFiles blocked((dir / "d.txt").string());
  try {
    blocked.write("x.txt", "");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(std::string(e.what()).find("cannot write"), std::string::npos) << e.what();
  }
}

TEST(ProjectFiles, TheTopIsAskedForElseTheModelsElseMyproject) {
  ir::Graph g = small_mlp();
  EXPECT_EQ(choose_top(g, "mine"), "mine");
  EXPECT_EQ(choose_top(g, ""), "small mlp");
  g.name.clear();
  EXPECT_EQ(choose_top(g, ""), "myproject");
}

// What the emulator reads and the array tops do not write: a merge that broadcasts an input, a
// Concatenate on another axis than the last; and a Transpose, which only the HLS backend writes
// (issue 17). Every backend names each node it refuses at once; an equal-shape merge and a
// last-axis Concatenate in the same graph are not named. Under io_stream the HLS dataflow top
// writes them all (tests/unit/backend/stream_moves_csim_test.cpp simulates them).
TEST(BackendRegistry, EveryBackendRefusesTransposeBroadcastsAndOtherAxesByName) {
  const fixed::FixedType t = fixed::make_fixed(16, 6);
  GraphBuilder b({2, 3}, t);
  b.unary(ir::OpKind::kTranspose, t);
  b.last().attrs.set("perm", std::vector<std::int64_t>{1, 0});
  b.last().output_shape = {3, 2};
  const std::string transpose = b.last().name;
  b.merge(ir::OpKind::kAdd, {"x", "x"}, t);  // equal shapes: written
  const std::string plain = b.last().name;
  b.unary(ir::OpKind::kGlobalAveragePool1D, t);  // [W=2, C=3] -> [3]
  b.last().types["accum"] = t;
  b.last().output_shape = {3};
  const std::string channels = b.last().name;
  b.merge(ir::OpKind::kAdd, {plain, channels}, t);  // [2, 3] + [3]
  const std::string broadcast = b.last().name;
  b.merge(ir::OpKind::kConcatenate, {broadcast, "x"}, t);
  b.last().attrs.set("axis", std::int64_t{0});
  b.last().output_shape = {4, 3};
  const std::string rows = b.last().name;
  b.merge(ir::OpKind::kConcatenate, {rows, rows}, t);  // the last axis: written
  b.last().output_shape = {4, 6};
  ir::Graph g = b.build();
  for (const Backend* backend : all_backends()) {
    try {
      backend->check(g);
      FAIL() << backend->name() << " accepted them";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
      const std::string m = e.what();
      const bool writes_transpose = backend->name() == "hls";
      EXPECT_EQ(m.find("\n  " + transpose + " (Transpose)") == std::string::npos, writes_transpose)
          << m;
      EXPECT_NE(m.find("\n  " + broadcast + " (Add)"), std::string::npos) << m;
      EXPECT_EQ(m.find("\n  " + plain + " (Add)"), std::string::npos) << m;
      EXPECT_NE(m.find("\n  " + rows + " (Concatenate)"), std::string::npos) << m;
      EXPECT_EQ(m.find(" (Concatenate)"), m.rfind(" (Concatenate)")) << m;  // one of the two
    }
  }
  g.settings.io_type = ir::IOType::kStream;
  EXPECT_NO_THROW(find_backend("hls").check(g));
}

}  // namespace
}  // namespace nnfpga::backend
