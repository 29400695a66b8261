// The Verilog column of the estimate on the 16-64-32-32-5 ReLU MLP with 8-bit weights: its parts
// add up, narrower weights cost fewer LUTs, a faster clock costs cycles, and an op without a
// Verilog cost model is named. (Its error against Yosys: tests/unit/verilog/.)
#include <gtest/gtest.h>

#include <string>

#include "estimate/verilog_cost.hpp"
#include "nnfpga/error.hpp"
#include "api/model_io.hpp"

namespace nnfpga::estimate {
namespace {

const std::string kMlp =
    std::string(NNFPGA_FIXTURES_DIR) + "/../../bench/models/mlp_16_64_32_32_5.onnx";

VerilogEstimate estimate_mlp(int bits, double clock_ns) {
  config::Tree cfg;
  cfg["Model"]["Precision"] = {{"weight", "ap_fixed<" + std::to_string(bits) + ",1>"},
                               {"bias", "ap_fixed<" + std::to_string(bits) + ",1>"},
                               {"accum", "auto"},
                               {"result", "ap_fixed<" + std::to_string(bits) + ",3>"}};
  cfg["Model"]["ClockPeriod"] = clock_ns;
  return estimate_verilog(load_configured(kMlp, cfg));
}

TEST(VerilogEstimate, LayersAddUpAndLutsStayWithinTheAdderBits) {
  const VerilogEstimate e = estimate_mlp(8, 5.0);
  ASSERT_EQ(e.layers.size(), 8u);  // the input, four Dense, three ReLU
  std::int64_t lut = 0;
  for (const VerilogLayerEstimate& l : e.layers) {
    lut += l.lut;
    if (l.op == "Dense") {
      EXPECT_GT(l.adders, 0) << l.layer;
      // Every adder bit is at most one LUT; the bits below a shifted operand are wiring.
      EXPECT_LE(l.lut, l.adder_bits) << l.layer;
      EXPECT_GT(l.lut, l.adder_bits / 2) << l.layer;
    }
  }
  EXPECT_EQ(e.lut, lut);
  EXPECT_GE(e.latency_cycles, 2);
  EXPECT_EQ(to_json(e)["layers"].size(), 8u);
}

TEST(VerilogEstimate, NarrowerWeightsCostFewerLutsAndAFasterClockMoreCycles) {
  EXPECT_LT(estimate_mlp(6, 5.0).lut, estimate_mlp(8, 5.0).lut);
  EXPECT_GT(estimate_mlp(8, 2.0).latency_cycles, estimate_mlp(8, 10.0).latency_cycles);
}

TEST(VerilogEstimate, NamesAnOpWithoutACostModel) {
  config::Tree cfg;
  ir::Graph g = load_configured(kMlp, cfg);
  g.nodes.at(2).op = ir::OpKind::kSigmoid;
  try {
    estimate_verilog(g);
    FAIL() << "estimated a Sigmoid";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
    EXPECT_EQ(e.where().node, g.nodes.at(2).name);
  }
}

}  // namespace
}  // namespace nnfpga::estimate
