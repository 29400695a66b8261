// Estimates of dataflow plans (io_stream CNNs): per process one position at a time, the FIFOs at
// the plan's depths with their storage, the line buffers, the schedule's latency and interval;
// the part table and the capacity check; the io_parallel size rule (plan/parallel_size.hpp).
#include <gtest/gtest.h>

#include <string>

#include "api/model_io.hpp"
#include "estimate/delay_model.hpp"
#include "estimate/estimate.hpp"
#include "nnfpga/error.hpp"
#include "plan/parallel_size.hpp"
#include "plan/plan.hpp"

namespace nnfpga::estimate {
namespace {

const std::string kBench = std::string(NNFPGA_FIXTURES_DIR) + "/../../bench/models/";
const std::string kExample =
    std::string(NNFPGA_FIXTURES_DIR) + "/../../examples/cnn_pynq_z2/cnn_pynq_z2.yml";

ir::Graph bench_cnn(const std::vector<std::string>& extra_configs,
                    std::vector<std::string> sets = {}) {
  std::vector<std::string> configs = {kBench + "cnn_32x32x3.yml"};
  configs.insert(configs.end(), extra_configs.begin(), extra_configs.end());
  sets.insert(sets.begin(), {"IOType=io_stream", "Part=xc7z020clg400-1"});
  return load_model(kBench + "cnn_32x32x3.json", configs, sets);
}

TEST(PartTable, MatchedByPrefixOfThePartString) {
  const std::optional<PartCapacity> z = find_part("xc7z020clg400-1");
  ASSERT_TRUE(z.has_value());
  EXPECT_EQ(z->device, "xc7z020");
  EXPECT_EQ(z->lut, 53200);
  EXPECT_EQ(z->ff, 106400);
  EXPECT_EQ(z->dsp, 220);
  EXPECT_EQ(z->bram18, 280);
  EXPECT_EQ(find_part("XCZU3EG-SBVA484-1-E")->dsp, 360);
  EXPECT_EQ(find_part("xcu250-figd2104-2L-e")->device, "xcu250");
  EXPECT_EQ(find_part("xcvu9p-flga2104-2L-e")->bram18, 4320);
  EXPECT_FALSE(find_part("xc7a35t").has_value());
}

TEST(BufferStorage, ShiftRegistersThenLutRamThenBram) {
  EXPECT_STREQ(buffer_storage(2, 1024).kind, "SRL");  // depth 2: SRL whatever the width
  EXPECT_EQ(buffer_storage(2, 1024).lut, 1024);
  EXPECT_STREQ(buffer_storage(32, 32).kind, "SRL");  // 1024 bits
  EXPECT_STREQ(buffer_storage(64, 32).kind, "LUTRAM");
  EXPECT_EQ(buffer_storage(64, 32).lut, 32);
  const BufferStorage b = buffer_storage(1024, 32);
  EXPECT_STREQ(b.kind, "BRAM");
  EXPECT_EQ(b.bram18, 2);                        // two 1K x 18 (or 512 x 36) blocks
  EXPECT_EQ(buffer_storage(4096, 8).bram18, 2);  // 4K x 4, twice
}

TEST(StreamEstimate, ProcessesFifosAndTheSchedulesLatency) {
  const ir::Graph g = bench_cnn({});
  const plan::Plan p = plan::make_plan(g);
  ASSERT_TRUE(p.dataflow);
  const ModelEstimate e = estimate_hls(g, p);
  EXPECT_TRUE(e.dataflow);
  EXPECT_EQ(e.layers.size(), p.layers.size());
  EXPECT_EQ(e.total.interval, p.interval);
  EXPECT_EQ(e.total.latency_cycles, p.latency);
  std::size_t fifos = 0;
  for (const plan::EdgePlan& edge : p.edges) fifos += edge.fifo_depth > 0;
  EXPECT_EQ(e.fifos.size(), fifos);
  std::int64_t lut = 0, bram = 0;
  for (const LayerEstimate& l : e.layers) {
    lut += l.lut;
    bram += l.bram18;
  }
  for (const FifoEstimate& f : e.fifos) {
    lut += f.lut;
    bram += f.bram18;
    EXPECT_GT(f.width_bits, 0) << f.name;
  }
  EXPECT_EQ(e.total.lut, lut);
  EXPECT_EQ(e.total.bram18, bram);
  // conv2: 4x4 over 32 channels of 8 bits: 3 rows of 32 positions x 256 bits in line buffers, and
  // one LUT multiplier (8 x 8 bits) per product of its 2048 that is not by 0 or +-2^k, at reuse
  // factor 1: the plan's multiplier limit.
  const LayerEstimate* conv2 = nullptr;
  for (const LayerEstimate& l : e.layers) conv2 = l.layer == "conv2" ? &l : conv2;
  ASSERT_NE(conv2, nullptr);
  EXPECT_EQ(conv2->dsp, 0);
  EXPECT_EQ(conv2->lut_multipliers, p.layer("conv2").multiplier_limit);
  EXPECT_EQ(conv2->lut_multipliers, plan::dense_real_products(g.at("conv2")));
  EXPECT_LE(conv2->lut_multipliers, 2048);
  EXPECT_EQ(conv2->bram18, 3 * buffer_storage(32, 256).bram18);
  EXPECT_GE(conv2->ff, 16 * 32 * 8);  // the window registers
  EXPECT_EQ(conv2->interval, p.layer("conv2").interval);
}

TEST(StreamEstimate, AtReuseFactorOneTheBenchmarkDoesNotFitPynqZ2) {
  const ModelEstimate e = estimate_hls(bench_cnn({}));
  ASSERT_TRUE(e.capacity.has_value());
  const std::vector<std::string> over = e.over_capacity();
  ASSERT_FALSE(over.empty());
  EXPECT_EQ(over.front().rfind("LUT ", 0), 0u) << over.front();
  const std::string table = format_table(e);
  EXPECT_NE(table.find("WARNING: the design does not fit xc7z020 by this estimate: LUT"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("used of xc7z020 (Pynq-Z2, ZedBoard): LUT "), std::string::npos);
  EXPECT_NE(table.find("FIFOs (depth in beats"), std::string::npos);
}

TEST(StreamEstimate, TheExampleConfigurationFitsPynqZ2) {
  // examples/cnn_pynq_z2/: its README states this interval.
  const ModelEstimate e = estimate_hls(bench_cnn({kExample}));
  EXPECT_TRUE(e.over_capacity().empty()) << format_table(e);
  EXPECT_LE(e.total.interval, 70000);
  const std::string table = format_table(e);
  EXPECT_EQ(table.find("WARNING"), std::string::npos) << table;
}

TEST(StreamEstimate, UnknownPartHasNoCapacityCheck) {
  const ModelEstimate e = estimate_hls(bench_cnn({}, {"Part=xc7a35ticsg324-1L"}));
  EXPECT_FALSE(e.capacity.has_value());
  EXPECT_NE(format_table(e).find("is not in the part table"), std::string::npos);
}

TEST(ParallelSize, DenseAndConvolutionsAgainstTheUnrollLimits) {
  const ir::Graph g = bench_cnn({}, {"IOType=io_parallel"});
  const ir::Node& conv2 = g.at("conv2");  // 2048 products a position, 32x32x32 arrays
  const plan::ParallelSize s = plan::parallel_size(conv2);
  EXPECT_EQ(s.unrolled_multiplications, 2048);
  EXPECT_EQ(s.largest_array, 32 * 32 * 32);
  EXPECT_FALSE(s.fits());
  try {
    plan::check_fits_io_parallel(conv2);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
    EXPECT_EQ(e.where().node, "conv2");
    const std::string what = e.what();
    EXPECT_NE(what.find("Conv2D layer 'conv2' is too large for io_parallel: an array of 32768 "
                        "values partitioned into registers"),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("Use io_stream"), std::string::npos) << what;
  }
  // The dense layer: 2048 x 10 products at once, over the limit; a reuse factor of 8 brings it
  // to 2560 multiplications, but its 2048-value input array stays within the partition limit.
  const ir::Node& dense = g.at("dense");
  EXPECT_EQ(plan::parallel_size(dense).unrolled_multiplications, 20480);
  EXPECT_FALSE(plan::parallel_size(dense).fits());
  // The estimate flags both by the same rule.
  const ModelEstimate e = estimate_hls(g);
  ASSERT_GE(e.too_large_for_io_parallel.size(), 2u);
  EXPECT_NE(format_table(e).find("WARNING: too large for io_parallel (use io_stream or a larger "
                                 "ReuseFactor): Conv2D layer 'conv1'"),
            std::string::npos);
  const ir::Graph g8 = bench_cnn({}, {"IOType=io_parallel", "LayerName.dense.ReuseFactor=8"});
  EXPECT_EQ(plan::parallel_size(g8.at("dense")).unrolled_multiplications, 2560);
  EXPECT_TRUE(plan::parallel_size(g8.at("dense")).fits());
}

}  // namespace
}  // namespace nnfpga::estimate
