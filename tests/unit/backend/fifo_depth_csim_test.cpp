// The computed FIFO depths in a written io_stream project, end to end (issue 17 item 3): the Keras
// residual fixture's C simulation, one thread per process on FIFOs bounded at the plan's depths,
// is bit-identical to the emulator; with the residual bypass set (LayerName...FifoDepth) one beat
// below the smallest deadlock-free depth that the token-level search of tests/unit/schedule/
// finds, the C simulation stops with the deadlock report naming that FIFO; at that smallest depth
// it runs. This also holds the written kernels to the token order the schedule assumes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "../schedule/token_sim.hpp"
#include "api/model_io.hpp"
#include "backend/hls/csim.hpp"
#include "backend/hls/project.hpp"
#include "nnfpga/error.hpp"
#include "plan/plan.hpp"

namespace nnfpga::backend::hls {
namespace {

namespace fs = std::filesystem;

const std::string kResidual = std::string(NNFPGA_FIXTURES_DIR) + "/keras3/cnn_residual.keras";

fs::path fifo_scratch(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("nnfpga_fifo_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

struct Bypass {
  std::size_t edge = 0;
  std::int64_t computed = 0;
  std::int64_t least = 0;  // the smallest deadlock-free depth, the other FIFOs as computed
};

Bypass residual_bypass(const ir::Graph& g) {
  const plan::Plan p = plan::make_plan(g);
  Bypass b;
  std::vector<std::int64_t> depths;
  for (std::size_t i = 0; i < p.edges.size(); ++i) {
    depths.push_back(p.edges[i].fifo_depth);
    if (p.edges[i].producer == "conv_a_relu_clone" && p.edges[i].consumer == "add") b.edge = i;
  }
  b.computed = p.edges.at(b.edge).fifo_depth;
  b.least =
      schedule::testing::smallest_deadlock_free_depth(plan::dataflow_network(g, p), depths, b.edge);
  return b;
}

TEST(FifoDepthCsim, ComputedDepthsRunAndOneBeatBelowTheLeastIsAReportedDeadlock) {
  ir::Graph g = load_model(kResidual, {}, {"IOType=io_stream"});
  const Bypass b = residual_bypass(g);
  ASSERT_GT(b.least, 2);
  ASSERT_GE(b.computed, b.least);

  const fs::path computed = fifo_scratch("computed");
  write_project(g, computed.string());
  const CsimReport ok = run_csim(computed.string(), {.samples = 200, .seed = 3});
  EXPECT_TRUE(ok.all_identical());
  fs::remove_all(computed);

  // The bypass carries conv_a_relu's output to the add.
  g.find("conv_a_relu")->settings.fifo_depth_by_consumer["add"] = b.least;
  const fs::path least = fifo_scratch("least");
  write_project(g, least.string());
  EXPECT_TRUE(run_csim(least.string(), {.samples = 50, .seed = 3}).all_identical());
  fs::remove_all(least);

  g.find("conv_a_relu")->settings.fifo_depth_by_consumer["add"] = b.least - 1;
  const fs::path shallow = fifo_scratch("shallow");
  write_project(g, shallow.string());
  try {
    run_csim(shallow.string(), {.samples = 50, .seed = 3});
    FAIL() << "a bypass of " << b.least - 1 << " beats did not deadlock";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("nnfpga csim: deadlock in the dataflow region"), std::string::npos) << what;
    EXPECT_NE(what.find("(full at depth " + std::to_string(b.least - 1) + ")"), std::string::npos)
        << what;
  }
  fs::remove_all(shallow);
}

}  // namespace
}  // namespace nnfpga::backend::hls
