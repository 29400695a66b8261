// The Verilog estimate without synthesis: on the 16-64-32-32-5 ReLU MLP with 8-bit weights its
// parts add up, narrower weights cost fewer LUTs and a faster clock more cycles; and every op
// the writer supports has an estimate, with LUTs where it builds logic and the writer's latency.
// (Its error against Yosys: verilog_estimate_test.cpp.)
#include <gtest/gtest.h>

#include <string>

#include "api/model_io.hpp"
#include "backend/verilog/emitter.hpp"
#include "backend/verilog/estimate_rtl.hpp"
#include "backend/verilog/project.hpp"
#include "bench_util.hpp"
#include "ir/op_kind.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"
#include "op_models.hpp"

namespace nnfpga::backend::verilog {
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
  std::int64_t lut = 0, cycles = 0;
  for (const VerilogLayerEstimate& l : e.layers) {
    lut += l.lut;
    cycles += l.latency_cycles;
    if (l.op == "Dense") {
      EXPECT_GT(l.adders, 0) << l.layer;
      // Every adder bit is at most one LUT; the bits below a shifted operand are wiring.
      EXPECT_LE(l.lut, l.adder_bits) << l.layer;
      EXPECT_GT(l.lut, l.adder_bits / 2) << l.layer;
    }
  }
  EXPECT_EQ(e.lut, lut);
  EXPECT_EQ(e.latency_cycles, cycles);  // a chain: its layers' stages add up
  EXPECT_GE(e.latency_cycles, 2);
  EXPECT_GT(e.ff, 0);
  EXPECT_EQ(to_json(e)["layers"].size(), 8u);
}

TEST(VerilogEstimate, NarrowerWeightsCostFewerLutsAndAFasterClockMoreCycles) {
  EXPECT_LT(estimate_mlp(6, 5.0).lut, estimate_mlp(8, 5.0).lut);
  EXPECT_GT(estimate_mlp(8, 2.0).latency_cycles, estimate_mlp(8, 10.0).latency_cycles);
}

// Every op kind with an emitter has a model in op_models.hpp and an estimate: LUTs where the
// layer computes (all but a reshape that keeps its type), and the latency the writer reports.
TEST(VerilogEstimate, CoversEveryOpTheWriterSupports) {
  int covered = 0;
  for (int k = 0; k < ir::kOpKindCount; ++k) {
    const auto op = static_cast<ir::OpKind>(k);
    if (op == ir::OpKind::kInput || find_emitter(op) == nullptr) continue;
    const std::optional<ir::Graph> g = testing::op_model(op);
    ASSERT_TRUE(g) << "no model of " << ir::op_name(op) << " in op_models.hpp";
    const VerilogEstimate e = estimate_verilog(*g);
    ASSERT_EQ(e.layers.size(), g->nodes.size()) << ir::op_name(op);
    const VerilogLayerEstimate& layer = e.layers.back();
    EXPECT_EQ(layer.op, ir::op_name(op));
    const bool moves_only = op == ir::OpKind::kFlatten || op == ir::OpKind::kReshape;
    if (moves_only) {
      EXPECT_EQ(layer.lut, 0) << ir::op_name(op);
    } else {
      EXPECT_GT(layer.lut + layer.dsp, 0) << ir::op_name(op);
    }
    const std::filesystem::path dir = testing::scratch_dir("estimate_cover");
    EXPECT_EQ(e.latency_cycles, write_project(*g, dir.string()).latency_cycles) << ir::op_name(op);
    std::filesystem::remove_all(dir);
    ++covered;
  }
  EXPECT_GE(covered, 24);  // the 24 kinds the writer supported when this was written
}

TEST(VerilogEstimate, NamesAnOpTheWriterLacks) {
  config::Tree cfg;
  ir::Graph g = load_configured(kMlp, cfg);
  g.nodes.at(2).op = ir::OpKind::kMatMul;
  try {
    estimate_verilog(g);
    FAIL() << "estimated a MatMul";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
    EXPECT_EQ(e.where().node, g.nodes.at(2).name);
  }
}

}  // namespace
}  // namespace nnfpga::backend::verilog
