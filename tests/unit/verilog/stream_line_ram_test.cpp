// Line buffers as RAM delay lines (issue 18): a window op keeps the taps its window reads in
// registers and each long unread stretch between rows in LUT RAM or block RAM (line_buffer.hpp).
// Checked here: the layout of a 3x3 window's buffer; a CNN whose line buffers take both kinds of
// RAM, bit-exact under rtlsim with randomized handshakes and on schedule; and a Yosys synthesis
// in which the delay lines are block RAM and LUT RAM as the estimate says, not flip-flops.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "../emulate/graph_builder.hpp"
#include "backend/verilog/estimate_rtl.hpp"
#include "backend/verilog/line_buffer.hpp"
#include "backend/verilog/project.hpp"
#include "backend/verilog/rtlsim.hpp"
#include "backend/verilog/stream_window.hpp"
#include "backend/verilog/yosys_synth.hpp"
#include "bench_util.hpp"
#include "ir/op_table.hpp"

namespace nnfpga::backend::verilog {
namespace {

using emulate::testing::GraphBuilder;
using emulate::testing::normal;
using fixed::make_fixed;

const fixed::FixedType kLineX = make_fixed(8, 3);
const fixed::FixedType kLineW = make_fixed(6, 1);
const fixed::FixedType kLineAcc = make_fixed(24, 10);
const fixed::FixedType kLineY = make_fixed(10, 4);

GraphBuilder& line_conv(GraphBuilder& b, std::int64_t filters, std::int64_t stride,
                        std::mt19937_64& rng) {
  const std::int64_t c = b.last().output_shape.back();
  const auto n = static_cast<std::size_t>(9 * c * filters);
  return b.conv(ir::OpKind::kConv2D, {3, 3, c, filters}, normal(n, 0.5, rng),
                normal(static_cast<std::size_t>(filters), 0.3, rng), {stride, stride}, {1, 1},
                {1, 1, 1, 1}, kLineW, kLineW, kLineAcc, kLineY);
}

// 24x24x4: Conv 3x3 'same' -> ReLU -> Conv 3x3 stride 2 'same' -> MaxPool 2x2. Between rows the
// first convolution's buffer holds ~21 beats of 32 bits (LUT RAM), the second's ~21 of 64 bits
// (block RAM), the pool's 10 of 40 bits (LUT RAM).
ir::Graph line_ram_cnn() {
  std::mt19937_64 rng(24);
  GraphBuilder b({24, 24, 4}, kLineX);
  line_conv(b, 8, 1, rng).unary(ir::OpKind::kRelu, make_fixed(8, 3, false));
  line_conv(b, 4, 2, rng);
  b.pool(ir::OpKind::kMaxPool2D, {2, 2}, {2, 2}, {0, 0, 0, 0});
  ir::Graph g = b.build();
  g.name = "stream_line_ram";
  return g;
}

// 24x24x8 -> AveragePool 3x3 stride 1 'same' into 4 bits (19 beats of 64 bits between rows:
// block RAM) -> MaxPool 2x2 stride 2 (21 beats of 32 bits: LUT RAM): little logic, so Yosys
// runs fast.
ir::Graph line_ram_pools() {
  GraphBuilder b({24, 24, 8}, kLineX);
  b.pool(ir::OpKind::kMaxPool2D, {3, 3}, {1, 1}, {1, 1, 1, 1});
  ir::Node& average = b.last();
  average.op = ir::OpKind::kAveragePool2D;
  average.attrs.set("count_include_pad", std::int64_t{1});
  average.types["accum"] = make_fixed(12, 3);
  average.types["result"] = make_fixed(4, 0);
  b.pool(ir::OpKind::kMaxPool2D, {2, 2}, {2, 2}, {0, 0, 0, 0});
  ir::Graph g = b.build();
  g.name = "stream_line_ram_pools";
  return g;
}

// Whether Yosys's log says it mapped memory `memory` (top.u<layer>.line<i>) via `kind`.
bool yosys_mapped(const std::filesystem::path& project, const std::string& memory,
                  const std::string& kind) {
  std::ifstream log(project / "synth" / "yosys.log");
  const std::string needle =
      std::string("mapping memory ").append(memory).append(" via $__XILINX_").append(kind);
  for (std::string line; std::getline(log, line);) {
    if (line.find(needle) != std::string::npos) return true;
  }
  return false;
}

const ir::Node& node_of(const ir::Graph& g, ir::OpKind op) {
  for (const ir::Node& n : g.nodes) {
    if (n.op == op) return n;
  }
  throw std::runtime_error("no such node");
}

TEST(StreamLineRam, AThreeByThreeWindowKeepsItsRowsInRegistersAndTheGapsInRam) {
  const ir::Graph g = line_ram_cnn();
  const StreamReads reads = stream_reads(node_of(g, ir::OpKind::kConv2D), true);
  const std::vector<LineSegment> segments = plan_line_buffer(reads, 32);
  // Registers, RAM, registers, RAM, registers: the three rows' taps and two gaps between them.
  ASSERT_EQ(segments.size(), 5U);
  EXPECT_EQ(segments.front().first, 1);
  EXPECT_EQ(segments.back().last, reads.buffer_beats);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) {
      EXPECT_EQ(segments[i].first, segments[i - 1].last + 1);
    }
    EXPECT_EQ(segments[i].storage, i % 2 == 0 ? LineStorage::kRegisters : LineStorage::kLutRam);
    if (i % 2 == 1) {
      // W - K_w less the taps one further back (a write without a read) and one nearer (the tail)
      EXPECT_EQ(segments[i].beats(), 24 - 3 - 2);
    }
  }
  // Every tap an element reads is in registers.
  for (const std::vector<std::int64_t>& taps : reads.case_taps) {
    for (std::int64_t k : taps) {
      for (std::int64_t t : {k, k + 1}) {
        if (k == kPadding || t == 0) continue;
        const auto in = std::find_if(segments.begin(), segments.end(), [t](const LineSegment& s) {
          return s.first <= t && t <= s.last;
        });
        ASSERT_NE(in, segments.end());
        EXPECT_EQ(in->storage, LineStorage::kRegisters) << "tap " << t;
      }
    }
  }
  // The rule in bits: the same stretches of 8-bit beats stay registers, of 64-bit block RAM.
  for (const LineSegment& s : plan_line_buffer(reads, 8)) {
    EXPECT_EQ(s.storage, LineStorage::kRegisters);
  }
  EXPECT_EQ(plan_line_buffer(reads, 64)[1].storage, LineStorage::kBlockRam);
}

void expect_line_ram_cnn_bit_exact(const ir::Graph& g, std::int64_t bram18) {
  const std::filesystem::path dir = testing::scratch_dir(g.name);
  const Project p = write_project(g, dir.string());
  EXPECT_EQ(p.io, "stream");
  const VerilogEstimate e = estimate_verilog(g);
  EXPECT_EQ(e.interval_cycles, p.interval_cycles);
  EXPECT_EQ(e.latency_cycles, p.latency_cycles);
  EXPECT_EQ(e.bram18, bram18);
  const RtlsimReport r = run_rtlsim(dir.string(), {.samples = 1000, .seed = 11});
  EXPECT_TRUE(r.stream);
  EXPECT_EQ(r.samples, 1000);
  EXPECT_EQ(r.differing, 0) << r.first_difference;
  EXPECT_EQ(r.missing, 0);
  EXPECT_EQ(r.measured_latency, p.latency_cycles);
  EXPECT_EQ(r.measured_interval, p.interval_cycles);
  EXPECT_TRUE(r.ok());
  EXPECT_GT(r.outputs, 0);
}

TEST(StreamLineRam, ACnnWithRamDelayLinesIsBitExactAndOnSchedule) {
  NNFPGA_REQUIRE_VERILATOR();
  // The second convolution's two 64-bit delay lines: 2 RAMB18 wide each.
  expect_line_ram_cnn_bit_exact(line_ram_cnn(), 4);
}

TEST(StreamLineRam, FoldedConvolutionsKeepTheirRamDelayLinesBitExact) {
  NNFPGA_REQUIRE_VERILATOR();
  // A folded product takes a window only when free: the buffer's reads and tail shifts wait.
  ir::Graph g = line_ram_cnn();
  g.name = "stream_line_ram_folded";
  g.nodes[1].settings.reuse_factor = 4;  // 288 products on 72 multipliers
  g.nodes[3].settings.reuse_factor = 6;  // 288 products on 48 multipliers
  ASSERT_EQ(g.nodes[1].op, ir::OpKind::kConv2D);
  ASSERT_EQ(g.nodes[3].op, ir::OpKind::kConv2D);
  expect_line_ram_cnn_bit_exact(g, 4);
}

TEST(StreamLineRam, YosysMapsTheDelayLinesToBlockAndLutRamAsEstimated) {
  if (std::system("yosys -V > /dev/null 2>&1") != 0) GTEST_SKIP() << "yosys is not installed";
  const ir::Graph g = line_ram_pools();
  const std::filesystem::path dir = testing::scratch_dir(g.name);
  write_project(g, dir.string());
  const YosysSynthesis s = synthesize_with_yosys(dir);
  const VerilogEstimate e = estimate_verilog(g);
  // The average's two delay lines in block RAM (64 bits wide: one RAMB36 each), the max pool's
  // in LUT RAM, as the rule says and the text asks by ram_style.
  EXPECT_EQ(e.bram18, 4);
  const std::string top = read_rtl_facts(dir).top;
  EXPECT_TRUE(yosys_mapped(dir, top + ".u0.line1", "BLOCKRAM"));
  EXPECT_TRUE(yosys_mapped(dir, top + ".u0.line3", "BLOCKRAM"));
  EXPECT_TRUE(yosys_mapped(dir, top + ".u1.line1", "LUTRAM"));
  // Yosys may put a controller's case ROM (576 entries) in one more RAMB18: not yet estimated.
  EXPECT_GE(s.stat.bram18, e.bram18);
  EXPECT_LE(s.stat.bram18, e.bram18 + 1);
  EXPECT_GT(s.stat.lutram, 0);
  EXPECT_EQ(s.stat.latch, 0);
  // Held in flip-flops, the three delay lines would add over 3,000 of them.
  EXPECT_LT(s.stat.ff, e.ff + e.ff / 4) << "estimate " << e.ff;
  EXPECT_GT(s.stat.ff, e.ff - e.ff / 4) << "estimate " << e.ff;
}

}  // namespace
}  // namespace nnfpga::backend::verilog
