// The AXI-stream wrapper under random backpressure: inputs offered with random gaps, outputs
// taken with random stalls. Every accepted input must come out once, in order, with the
// emulator's codes, and m_axis_tdata must hold still while a beat waits for m_axis_tready.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <cmath>

#include "../emulate/graph_builder.hpp"
#include "backend/test_inputs.hpp"
#include "backend/verilog/project.hpp"
#include "backend/verilog/rtlsim.hpp"
#include "bench_util.hpp"
#include "emulate/emulator.hpp"

namespace nnfpga::backend::verilog {
namespace {

using emulate::testing::GraphBuilder;
using emulate::testing::normal;
using fixed::make_fixed;

// argv: inputs file, outputs file, output words, seed. Prints the taken beats, then a line
// "violations N" counting beats that changed or vanished while stalled.
// The driver's main, after the bench's shared prelude (verilator_bench.hpp: put, get,
// read_inputs, reset).
constexpr const char* kAxisDriver = R"(
int main(int argc, char** argv) {
  if (argc != 5) return 2;
  FILE* in = std::fopen(argv[1], "r");
  FILE* out = std::fopen(argv[2], "w");
  const std::size_t words = std::strtoul(argv[3], nullptr, 10);
  std::srand(static_cast<unsigned>(std::strtoul(argv[4], nullptr, 10)));
  std::vector<Words> inputs;
  std::vector<bool> present;
  read_inputs(in, inputs, present);
  VerilatedContext context;
  TOP_CLASS top(&context);
  top.s_axis_tvalid = 0;
  top.m_axis_tready = 0;
  reset(top);
  std::size_t next = 0, taken = 0;
  long violations = 0;
  bool waiting = false;
  Words held(words, 0), w(words, 0);
  for (long cycle = 0; taken < inputs.size() && cycle < 100L * (long)inputs.size() + 1000; ++cycle) {
    top.s_axis_tvalid = next < inputs.size() && std::rand() % 10 < 7;
    if (next < inputs.size()) put(top.s_axis_tdata, inputs[next]);
    top.m_axis_tready = std::rand() % 10 < 6;
    top.clk = 0;
    top.eval();
    if (waiting) {
      get(top.m_axis_tdata, w);
      if (!top.m_axis_tvalid || w != held) ++violations;
    }
    if (top.s_axis_tvalid && top.s_axis_tready) ++next;
    waiting = top.m_axis_tvalid && !top.m_axis_tready;
    if (waiting) get(top.m_axis_tdata, held);
    if (top.m_axis_tvalid && top.m_axis_tready) {
      get(top.m_axis_tdata, w);
      std::fprintf(out, "%ld", cycle);
      for (std::size_t i = 0; i < w.size(); ++i) std::fprintf(out, " %08x", w[i]);
      std::fprintf(out, "\n");
      ++taken;
    }
    top.clk = 1;
    top.eval();
  }
  std::fprintf(out, "-1 %ld\n", violations);
  std::fclose(in);
  std::fclose(out);
  return 0;
}
)";

TEST(AxisRtl, BackpressureKeepsEverySampleInOrder) {
  NNFPGA_REQUIRE_VERILATOR();
  std::mt19937_64 rng(21);
  ir::Graph g = GraphBuilder({5}, make_fixed(8, 3))
                    .dense(4, normal(20, 1.0, rng), normal(4, 0.5, rng), make_fixed(6, 1),
                           make_fixed(6, 2), make_fixed(18, 8), make_fixed(9, 4))
                    .unary(ir::OpKind::kRelu, make_fixed(8, 4, false))
                    .build();
  g.name = "axis_net";
  g.settings.clock_period_ns = 1.5;  // several stages, so stalls hit a full pipeline
  const std::filesystem::path dir = testing::scratch_dir("axis_net");
  const Project p = write_project(g, dir.string());
  ASSERT_GE(p.latency_cycles, 2);
  constexpr std::int64_t kSamples = 1500;
  const std::vector<std::int64_t> codes =
      backend::input_codes(backend::test_inputs(g, kSamples, 5).front().data, make_fixed(8, 3));
  emulate::Array a{{kSamples, 5}, {}};
  for (std::int64_t c : codes) a.data.push_back(std::ldexp(static_cast<double>(c), -5));
  const std::vector<double> want = emulate::Emulator(g).run({a}).outputs.front().data;

  const int in_bits = 5 * 8, out_bits = 4 * 8;
  BenchSpec spec{p.top + "_axis", {}, in_bits, out_bits, kAxisDriver};
  for (const std::string& f : p.rtl) spec.files.push_back("../" + f);
  const std::filesystem::path exe = build_testbench(spec, dir / "axis_sim");
  std::vector<std::optional<Bits>> inputs;
  for (std::int64_t s = 0; s < kSamples; ++s) {
    Bits b(2, 0);
    for (int e = 0; e < 5; ++e) deposit(b, e * 8, 8, codes[s * 5 + e]);
    inputs.push_back(b);
  }
  // run_testbench's last argument is the driver's fourth: here the seed.
  std::vector<BenchOutput> got = run_testbench(exe, dir / "axis_sim", inputs, out_bits, 17);
  ASSERT_FALSE(got.empty());
  ASSERT_EQ(got.back().cycle, -1);
  EXPECT_EQ(got.back().data.size(), 1u);
  EXPECT_EQ(got.back().data.front(), 0u) << "beats changed while stalled";
  got.pop_back();
  ASSERT_EQ(got.size(), static_cast<std::size_t>(kSamples));
  int differing = 0;
  for (std::int64_t s = 0; s < kSamples; ++s) {
    for (int e = 0; e < 4; ++e) {
      const auto have = static_cast<std::int64_t>(extract(got[s].data, e * 8, 8, false));
      const auto expect = static_cast<std::int64_t>(std::ldexp(want[s * 4 + e], 4));
      differing += have != expect;
    }
  }
  EXPECT_EQ(differing, 0);
}

}  // namespace
}  // namespace nnfpga::backend::verilog
