// The HLS writer builds what the implementation plan says: an edited plan (as a tuner would make)
// changes the PIPELINE II, the Dense reuse factor and multiplier limit, and the estimate; a plan
// asking for what the writer does not build is refused with a message.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "api/model_io.hpp"
#include "backend/hls/project.hpp"
#include "nnfpga/error.hpp"
#include "plan/plan.hpp"

namespace nnfpga::backend::hls {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

ir::Graph relu_torch(const std::string& io_type) {
  config::Tree cfg;
  cfg["Model"]["Precision"] = "ap_fixed<10,4,AP_RND,AP_SAT>";
  cfg["IOType"] = io_type;
  return load_configured(std::string(NNFPGA_FIXTURES_DIR) + "/onnx/relu_torch.onnx", cfg);
}

TEST(PlanDriven, TheWriterBuildsTheEditedPlan) {
  const ir::Graph graph = relu_torch("io_parallel");
  plan::Plan p = plan::make_plan(graph);
  const fs::path dir = fs::temp_directory_path() / "nnfpga_hls_plan_driven";
  fs::remove_all(dir);
  const Project own = write_project(graph, dir.string(), {.top = "planned"});
  EXPECT_EQ(own.estimate.total.interval, 1);
  EXPECT_NE(read_text(dir / "firmware/planned.cpp").find("#pragma HLS PIPELINE II=1\n"),
            std::string::npos);

  for (plan::LayerPlan& l : p.layers) {
    if (l.op != ir::OpKind::kDense) continue;
    l.reuse_factor = 2;
    l.interval = 2;
    l.multiplier_limit = 3;
  }
  p.interval = 2;
  const Project edited = write_project(graph, dir.string(), {.top = "planned", .plan = &p});
  EXPECT_EQ(edited.estimate.total.interval, 2);
  EXPECT_NE(read_text(dir / "firmware/planned.cpp").find("#pragma HLS PIPELINE II=2\n"),
            std::string::npos);
  const std::string parameters = read_text(dir / "firmware/parameters.h");
  EXPECT_NE(parameters.find("static const int reuse_factor = 2;"), std::string::npos);
  EXPECT_NE(parameters.find("static const int multiplier_limit = 3;"), std::string::npos);
  fs::remove_all(dir);
}

TEST(PlanDriven, APlanTheWriterDoesNotBuildIsRefused) {
  const ir::Graph graph = relu_torch("io_stream");
  plan::Plan p = plan::make_plan(graph);
  plan::EdgePlan& in = p.edges.front();
  ASSERT_TRUE(in.is_input_port());
  in.beats = 2;
  in.beat_width = in.values / 2;
  const fs::path dir = fs::temp_directory_path() / "nnfpga_hls_plan_refused";
  try {
    write_project(graph, dir.string(), {.plan = &p});
    FAIL() << "a stream port of two beats was built";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
    EXPECT_EQ(e.where().node, in.consumer);
    EXPECT_NE(e.message().find("streams of one beat per sample"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("stream of 2 beats of 4 values"), std::string::npos) << e.message();
  }
  EXPECT_FALSE(fs::exists(dir));
}

}  // namespace
}  // namespace nnfpga::backend::hls
