// Verilator equivalence per supported layer: small models written by write_project, simulated by
// run_rtlsim (random and adversarial codes, one per clock) and compared bit for bit with the
// emulator, with out_valid checked against the reported latency.
#include <gtest/gtest.h>

#include "../emulate/graph_builder.hpp"
#include "backend/verilog/project.hpp"
#include "backend/verilog/rtlsim.hpp"
#include "bench_util.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

using emulate::testing::GraphBuilder;
using emulate::testing::normal;
using fixed::make_fixed;
using fixed::Overflow;
using fixed::Quantization;

RtlsimReport simulate_graph(ir::Graph g, const std::string& name, std::int64_t samples = 2000) {
  g.name = name;
  const std::filesystem::path dir = testing::scratch_dir(name);
  const Project p = write_project(g, dir.string());
  EXPECT_GE(p.latency_cycles, 1);
  const RtlsimReport r = run_rtlsim(dir.string(), {.samples = samples, .seed = 3});
  EXPECT_EQ(r.differing, 0) << r.first_difference;
  EXPECT_EQ(r.late_or_early, 0);
  EXPECT_EQ(r.missing, 0);
  EXPECT_EQ(r.latency_cycles, p.latency_cycles);
  return r;
}

TEST(LayersRtl, DenseReluDenseWithRoundedProductsAndWrappingAccumulator) {
  NNFPGA_REQUIRE_VERILATOR();
  std::mt19937_64 rng(5);
  const auto t = make_fixed(10, 4, true, Quantization::kRnd, Overflow::kSat);
  // accum_t drops product bits (rounded per product, as the emulator does) and wraps.
  const auto acc = make_fixed(14, 6, true, Quantization::kRndConv, Overflow::kWrap);
  ir::Graph g =
      GraphBuilder({6}, t)
          .dense(5, normal(30, 0.8, rng), normal(5, 0.5, rng), make_fixed(8, 2), make_fixed(8, 3),
                 acc, make_fixed(9, 4, true, Quantization::kRnd, Overflow::kSat))
          .unary(ir::OpKind::kRelu, make_fixed(8, 3, false, Quantization::kTrn, Overflow::kSat))
          .dense(3, normal(15, 0.8, rng), normal(3, 0.5, rng), make_fixed(6, 1), make_fixed(8, 3),
                 make_fixed(20, 8), make_fixed(8, 4))
          .build();
  simulate_graph(g, "dense_relu");
}

TEST(LayersRtl, SaturatingAccumulatorProvenInRangeIsExact) {
  NNFPGA_REQUIRE_VERILATOR();
  std::mt19937_64 rng(6);
  const auto t = make_fixed(8, 3);
  ir::Graph g =
      GraphBuilder({4}, t)
          .dense(4, normal(16, 1.0, rng), normal(4, 0.5, rng), make_fixed(8, 3), make_fixed(8, 3),
                 make_fixed(24, 10, true, Quantization::kTrn, Overflow::kSat),
                 make_fixed(6, 2, true, Quantization::kRndInf, Overflow::kSatSym))
          .build();
  simulate_graph(g, "dense_sat");
}

TEST(LayersRtl, SaturatingAccumulatorThatCanOverflowIsRefused) {
  std::mt19937_64 rng(7);
  const auto t = make_fixed(8, 3);
  ir::Graph g =
      GraphBuilder({8}, t)
          .dense(2, normal(16, 2.0, rng), normal(2, 0.5, rng), make_fixed(8, 3), make_fixed(8, 3),
                 make_fixed(10, 4, true, Quantization::kTrn, Overflow::kSat), make_fixed(8, 4))
          .build();
  try {
    write_project(g, testing::scratch_dir("dense_refused").string());
    FAIL() << "a saturating accumulator that can overflow must be refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
    EXPECT_EQ(e.where().node, "dense1");
    EXPECT_NE(std::string(e.what()).find("order of additions"), std::string::npos) << e.what();
  }
}

// The sums fit (the bias offsets them) but one product alone does not: the emulator saturates
// that product's cast, which no tree of exact sums reproduces.
TEST(LayersRtl, SaturatingProductCastIsRefusedEvenWhenTheSumsFit) {
  const auto sat = make_fixed(8, 4, true, Quantization::kTrn, Overflow::kSat);
  ir::Graph g =
      GraphBuilder({1}, make_fixed(8, 2, false))
          .dense(1, {-2.5}, {7.0}, make_fixed(8, 3), make_fixed(8, 4), sat, make_fixed(8, 4))
          .build();
  try {
    write_project(g, testing::scratch_dir("dense_product_refused").string());
    FAIL() << "a product that saturates accum_t must be refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
    EXPECT_EQ(e.where().node, "dense1");
  }
}

TEST(LayersRtl, ActivationsBatchNormAndReshapes) {
  NNFPGA_REQUIRE_VERILATOR();
  std::mt19937_64 rng(8);
  const auto t = make_fixed(10, 4, true, Quantization::kTrn, Overflow::kWrap);
  ir::Graph g =
      GraphBuilder({2, 3}, t)
          .leaky(0.3, make_fixed(8, 1),
                 make_fixed(9, 4, true, Quantization::kRndZero, Overflow::kSat))
          .clip(-1.5, 2.25, make_fixed(7, 3, true, Quantization::kRnd, Overflow::kWrap))
          .batchnorm(normal(6, 1.0, rng), normal(6, 1.0, rng), make_fixed(8, 2), make_fixed(8, 3),
                     make_fixed(8, 3, true, Quantization::kRndConv, Overflow::kSatZero))
          .reshape(ir::OpKind::kFlatten, {6},
                   make_fixed(6, 2, false, Quantization::kRndMinInf, Overflow::kSat))
          .unary(ir::OpKind::kRelu,
                 make_fixed(5, 2, true, Quantization::kTrnZero, Overflow::kWrapSm))
          .build();
  simulate_graph(g, "activations");
}

}  // namespace
}  // namespace nnfpga::backend::verilog
