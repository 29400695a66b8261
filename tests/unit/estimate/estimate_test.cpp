// The estimates reproduce what the field publishes for the 16-64-32-32-5 ReLU MLP at
// ap_fixed<16,6> and 200 MHz (docs/estimates.md): II 1 and about a dozen cycles at reuse factor
// 1, multipliers halving as the reuse factor doubles, and 6-bit weights moving the products from
// DSPs to LUTs.
#include <gtest/gtest.h>

#include <string>

#include "api/model_io.hpp"
#include "estimate/estimate.hpp"
#include "nnfpga/error.hpp"
#include "plan/plan.hpp"

namespace nnfpga::estimate {
namespace {

const std::string kMlp =
    std::string(NNFPGA_FIXTURES_DIR) + "/../../bench/models/mlp_16_64_32_32_5.onnx";

ModelEstimate estimate_mlp(const std::string& strategy, int reuse, const std::string& weight_t) {
  config::Tree cfg;
  cfg["Model"]["Precision"] = {
      {"weight", weight_t}, {"bias", "ap_fixed<16,6>"}, {"result", "ap_fixed<16,6>"}};
  cfg["Model"]["Strategy"] = strategy;
  cfg["Model"]["ReuseFactor"] = reuse;
  cfg["Model"]["ClockPeriod"] = 5;
  return estimate_hls(load_configured(kMlp, cfg));
}

TEST(Estimate, ReuseFactorOneIsIntervalOneAndAboutADozenCycles) {
  const ModelEstimate e = estimate_mlp("Latency", 1, "ap_fixed<16,6>");
  EXPECT_EQ(e.total.interval, 1);
  EXPECT_GE(e.total.latency_cycles, 8);
  EXPECT_LE(e.total.latency_cycles, 16);
  EXPECT_DOUBLE_EQ(e.latency_ns(), 5.0 * static_cast<double>(e.total.latency_cycles));
  EXPECT_EQ(e.layers.size(), 7u);  // four Dense, three ReLU
  EXPECT_GT(e.total.dsp, 0);
  EXPECT_EQ(e.total.lut_multipliers, 0);
}

TEST(Estimate, DoublingTheReuseFactorHalvesTheMultipliers) {
  const std::int64_t n = 16 * 64 + 64 * 32 + 32 * 32 + 32 * 5;
  std::int64_t previous = 0;
  for (int rf : {1, 2, 4, 8}) {
    const ModelEstimate e = estimate_mlp("Resource", rf, "ap_fixed<16,6>");
    // Every layer's n_in * n_out divides by these reuse factors.
    EXPECT_EQ(e.total.multipliers, n / rf) << "rf " << rf;
    EXPECT_EQ(e.total.interval, rf);
    if (previous != 0) {
      EXPECT_EQ(previous, 2 * e.total.multipliers);
    }
    previous = e.total.multipliers;
  }
}

// The estimate predicts from the plan: a plan edited to another reuse factor (as a tuner would)
// is costed at it, with the plan's interval, whatever the graph's settings say.
TEST(Estimate, PredictsFromThePlansParallelism) {
  config::Tree cfg;
  cfg["Model"]["Precision"] = "ap_fixed<16,6>";
  cfg["Model"]["Strategy"] = "Resource";
  const ir::Graph g = load_configured(kMlp, cfg);
  plan::Plan p = plan::make_plan(g);
  const ModelEstimate as_configured = estimate_hls(g, p);
  EXPECT_EQ(as_configured.total.interval, 1);
  for (plan::LayerPlan& l : p.layers) {
    if (l.op != ir::OpKind::kDense) continue;
    l.reuse_factor = 4;
    l.interval = 4;
  }
  p.interval = 4;
  const ModelEstimate edited = estimate_hls(g, p);
  EXPECT_EQ(edited.total.interval, 4);
  EXPECT_EQ(edited.total.multipliers * 4, as_configured.total.multipliers);
  const ModelEstimate again = estimate_hls(g);  // makes the graph's own plan
  EXPECT_EQ(again.total.multipliers, as_configured.total.multipliers);
}

TEST(Estimate, SixBitWeightsMoveMultipliersFromDspToLut) {
  const ModelEstimate wide = estimate_mlp("Resource", 1, "ap_fixed<16,6>");
  const ModelEstimate narrow = estimate_mlp("Resource", 1, "ap_fixed<6,2>");
  EXPECT_GT(wide.total.dsp, 0);
  EXPECT_EQ(narrow.total.dsp, 0);
  EXPECT_EQ(narrow.total.lut_multipliers, narrow.total.multipliers);
  EXPECT_GT(narrow.total.lut, wide.total.lut);
}

TEST(Estimate, PartFamilies) {
  EXPECT_EQ(dsp_family("xc7z020clg400-1").a_bits, 25);
  EXPECT_EQ(dsp_family("xcvu13p-flga2577-2-e").a_bits, 27);
  EXPECT_EQ(dsp_family("xcvc1902-vsva2197-2MP-e-S").b_bits, 24);
  try {
    dsp_family("ep4ce22f17c6");
    FAIL() << "an Intel part was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("ep4ce22f17c6"), std::string::npos);
  }
}

}  // namespace
}  // namespace nnfpga::estimate
