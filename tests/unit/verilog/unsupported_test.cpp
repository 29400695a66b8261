// Which ops the Verilog backend's unrolled core writes: every op the HLS backend writes (the two
// stay at parity) but the convolutions, pools and relayouts, which take the streaming design
// (Conv1D/2D and the max pools, stream_rtl_test.cpp) or are refused by name
// (backend_registry_test.cpp); and the rest refused all at once, each named with its node.
#include <gtest/gtest.h>

#include "backend/hls/dataflow.hpp"
#include "backend/hls/emitter.hpp"
#include "backend/verilog/emitter.hpp"
#include "backend/verilog/identifiers.hpp"
#include "backend/verilog/project.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

TEST(VerilogOps, EveryOpTheHlsBackendWritesButTheWindowedOnesIsWrittenHere) {
  for (int k = 0; k < ir::kOpKindCount; ++k) {
    const auto op = static_cast<ir::OpKind>(k);
    if (hls::find_emitter(op) != nullptr && !hls::is_window_op(op)) {
      EXPECT_NE(find_emitter(op), nullptr) << "op kind " << k;
    }
  }
}

TEST(VerilogOps, UnsupportedOpsAreReportedAllAtOnce) {
  ir::Graph g;
  ir::Node x;
  x.name = "x";
  x.op = ir::OpKind::kInput;
  ir::Node a;
  a.name = "first odd";
  a.op = ir::OpKind::kMatMul;
  a.inputs = {"x"};
  ir::Node b;
  b.name = "second";
  b.op = ir::OpKind::kDropout;
  b.inputs = {"first odd"};
  g.nodes = {x, a, b};
  g.inputs = {"x"};
  g.outputs = {"second"};
  try {
    write_project(g, "/nonexistent/never/written");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
    const std::string m = e.what();
    EXPECT_NE(m.find("not supported by the Verilog backend"), std::string::npos) << m;
    EXPECT_NE(m.find("\n  first odd (MatMul)"), std::string::npos) << m;
    EXPECT_NE(m.find("\n  second ("), std::string::npos) << m;
  }
}

TEST(VerilogIdentifiers, KeywordsEscapesAndCollisionsBecomeSafeNames) {
  EXPECT_EQ(sanitize_identifier("module"), "n_module");
  EXPECT_EQ(sanitize_identifier("logic"), "n_logic");
  EXPECT_EQ(sanitize_identifier("\\escaped name "), "escaped_name");
  EXPECT_EQ(sanitize_identifier("3dense/kernel:0"), "n_3dense_kernel_0");
  EXPECT_EQ(sanitize_identifier("$display"), "display");
  EXPECT_EQ(sanitize_identifier(""), "unnamed");
  IdentifierTable ids;
  EXPECT_EQ(ids.take("clk"), "n_clk");
  EXPECT_EQ(ids.take("a b"), "a_b");
  EXPECT_EQ(ids.take("a-b"), "a_b_2");
}

}  // namespace
}  // namespace nnfpga::backend::verilog
