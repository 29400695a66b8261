// The board wrapper <top>_board under Verilator, as the AXI DMA and the driver would use it:
// samples packed into beats by the board contract (with garbage in the unused lanes, which the
// wrapper must ignore), offered with random gaps and taken with random stalls. Every output beat
// must equal the emulator's codes packed the same way (sign- or zero-extended lanes, unused lanes
// 0), TLAST must mark every TLAST_EVERY-th sample, beats must hold still while stalled, and the
// registers must read ID, VERSION, the model's SHA-256, the beat counts, the sample count and the
// cycles of the last sample as the driver measured them.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "../emulate/graph_builder.hpp"
#include "../verilog/bench_util.hpp"
#include "backend/test_inputs.hpp"
#include "backend/verilog/verilator_bench.hpp"
#include "board_driver.hpp"
#include "deploy/board_wrapper.hpp"
#include "deploy/deploy_writer.hpp"
#include "deploy/sha256.hpp"
#include "emulate/emulator.hpp"
#include "ir/op_table.hpp"

namespace nnfpga::deploy {
namespace {

using backend::verilog::Bits;
using backend::verilog::deposit;
using emulate::testing::GraphBuilder;
using emulate::testing::normal;
using fixed::make_fixed;

struct BoardRun {
  std::map<std::uint32_t, std::uint32_t> before, after;  // register reads
  std::uint32_t tlast_every_read = 0;
  std::vector<std::pair<bool, Bits>> beats;  // (TLAST, TDATA) of every output beat taken
  long stall_violations = -1;
  long measured_last_cycles = -1;
  long stream_cycles = -1;
};

BoardRun parse_run(const std::filesystem::path& file) {
  BoardRun r;
  std::ifstream in(file);
  bool streamed = false;
  for (std::string line; std::getline(in, line);) {
    std::istringstream f(line);
    std::string kind;
    f >> kind;
    if (kind == "reg") {
      std::uint32_t a = 0, v = 0;
      f >> a >> v;
      (streamed ? r.after : r.before)[a] = v;
    } else if (kind == "reg_after_write") {
      f >> r.tlast_every_read;
    } else if (kind == "beat") {
      long cycle = 0;
      int last = 0;
      f >> cycle >> last;
      Bits b;
      for (std::string w; f >> w;)
        b.push_back(static_cast<std::uint32_t>(std::stoul(w, nullptr, 16)));
      r.beats.emplace_back(last != 0, b);
    } else if (kind == "stall_violations") {
      f >> r.stall_violations;
      streamed = true;
    } else if (kind == "measured_last_cycles") {
      f >> r.measured_last_cycles;
    } else if (kind == "stream_cycles") {
      f >> r.stream_cycles;
    }
  }
  return r;
}

// One sample's elements packed into its beats: element k at bits [k*L +: L], extended to L bits.
// `garbage` fills the unused lanes (input) when `fill_unused`; otherwise they stay 0 (output).
std::vector<Bits> pack_sample(const StreamPacking& p, const std::int64_t* codes,
                              std::mt19937_64& garbage, bool fill_unused) {
  const int words = p.beat_bits / 32;
  Bits all(static_cast<std::size_t>(p.beats_per_sample * words), 0);
  const std::int64_t lanes = p.beats_per_sample * p.elements_per_beat;
  for (std::int64_t k = 0; k < lanes; ++k) {
    const bool used = k < p.count;
    if (!used && !fill_unused) continue;
    const __int128 v = used ? __int128{codes[k]} : static_cast<__int128>(garbage());
    deposit(all, static_cast<int>(k * p.lane_bits), p.lane_bits, v);
  }
  std::vector<Bits> beats;
  for (std::int64_t b = 0; b < p.beats_per_sample; ++b) {
    beats.emplace_back(all.begin() + b * words, all.begin() + (b + 1) * words);
  }
  return beats;
}

struct Case {
  std::string name;
  ir::Graph graph;
  int beat_bits;
  std::uint32_t tlast_every;
  int valid_percent = 70;  // of cycles in which the source offers a beat
  int ready_percent = 60;  // of cycles in which the sink takes one
  bool stream = false;     // the Verilog backend writes a streaming design (a CNN)
};

void run_case(const Case& c) {
  const std::filesystem::path dir = backend::verilog::testing::scratch_dir("board_" + c.name);
  const DeployFolder d =
      write_deploy(c.graph, (dir / "deploy").string(),
                   {.board = board_for_part("xc7z020clg400-1", 666.0), .beat_bits = c.beat_bits});
  const DeployFacts& f = d.facts;
  EXPECT_EQ(f.stream, c.stream) << "the design is not the kind the case is about";
  ASSERT_GE(f.latency_cycles, 2) << "the test wants a pipeline that stalls with samples inside";
  constexpr std::int64_t kSamples = 600;
  const StreamPacking& in = f.input.packing;
  const StreamPacking& out = f.output.packing;
  const std::vector<std::int64_t> codes =
      backend::input_codes(backend::test_inputs(c.graph, kSamples, 5).front().data, in.type);
  ir::Shape shape{kSamples};  // the samples in the input's own shape (H, W, C for a CNN)
  shape.insert(shape.end(), f.input.shape.begin(), f.input.shape.end());
  emulate::Array a{shape, {}};
  for (std::int64_t code : codes) {
    a.data.push_back(std::ldexp(static_cast<double>(code), -in.type.frac()));
  }
  const std::vector<double> want = emulate::Emulator(c.graph).run({a}).outputs.front().data;

  std::mt19937_64 garbage(99);
  std::string beats_text;
  for (std::int64_t s = 0; s < kSamples; ++s) {
    for (const Bits& b : pack_sample(in, codes.data() + s * in.count, garbage, true)) {
      for (std::size_t i = 0; i < b.size(); ++i)
        beats_text += fmt::format("{}{:08x}", i ? " " : "", b[i]);
      beats_text += '\n';
    }
  }
  const std::filesystem::path sim = dir / "sim";
  std::filesystem::create_directories(sim);
  std::ofstream(sim / "beats.txt") << beats_text;
  backend::verilog::BenchSpec spec{f.top + "_board", {}, 1, 1, testing::kBoardDriver};
  for (const auto& file : d.files) {
    // A streaming design's <top>_axis wraps <top>; a parallel one's, <top>_core.
    if (file.starts_with("ip/rtl/") && (f.stream || file != "ip/rtl/" + f.top + ".v")) {
      spec.files.push_back((dir / "deploy" / file).string());
    }
  }
  const std::filesystem::path exe = backend::verilog::build_testbench(spec, sim);
  const std::string cmd = fmt::format(
      "{} {} {} {} 7 {} {} {} {} {} > {} 2>&1", exe.string(), (sim / "beats.txt").string(),
      (sim / "out.txt").string(), c.beat_bits / 32, c.tlast_every, in.beats_per_sample,
      out.beats_per_sample, c.valid_percent, c.ready_percent, (sim / "run.log").string());
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const BoardRun r = parse_run(sim / "out.txt");

  // Registers before any sample, and TLAST_EVERY as written (a write without strobes ignored).
  EXPECT_EQ(r.before.at(0x00), kIdValue);
  EXPECT_EQ(r.before.at(0x04), kVersionValue);
  for (int i = 0; i < kHashWords; ++i) {
    EXPECT_EQ(r.before.at(0x08 + 4 * i), digest_word(f.model_sha256, i)) << "hash word " << i;
  }
  EXPECT_EQ(r.before.at(0x2C), 0u);
  EXPECT_EQ(r.before.at(0x30), static_cast<std::uint32_t>(in.beats_per_sample));
  EXPECT_EQ(r.before.at(0x34), static_cast<std::uint32_t>(out.beats_per_sample));
  EXPECT_EQ(r.before.at(0x38), 1u) << "TLAST_EVERY resets to 1";
  EXPECT_EQ(r.tlast_every_read, c.tlast_every);

  // The stream.
  EXPECT_EQ(r.stall_violations, 0) << "beats changed while stalled, or TKEEP was not all ones";
  ASSERT_EQ(r.beats.size(), static_cast<std::size_t>(kSamples * out.beats_per_sample));
  std::int64_t differing = 0, tlast_wrong = 0;
  std::vector<std::int64_t> want_codes(static_cast<std::size_t>(out.count));
  for (std::int64_t s = 0; s < kSamples; ++s) {
    for (std::int64_t k = 0; k < out.count; ++k) {
      want_codes[k] =
          static_cast<std::int64_t>(std::ldexp(want[s * out.count + k], out.type.frac()));
    }
    const std::vector<Bits> expect = pack_sample(out, want_codes.data(), garbage, false);
    for (std::int64_t b = 0; b < out.beats_per_sample; ++b) {
      const auto& [last, data] = r.beats[static_cast<std::size_t>(s * out.beats_per_sample + b)];
      differing += data != expect[b];
      const bool want_last =
          b == out.beats_per_sample - 1 && (s + 1) % std::max<std::uint32_t>(c.tlast_every, 1) == 0;
      tlast_wrong += last != want_last;
    }
  }
  EXPECT_EQ(differing, 0) << "output beats differing from the emulator's packed codes";
  EXPECT_EQ(tlast_wrong, 0) << "beats with TLAST where it should not be, or without it";

  // Registers after the run.
  EXPECT_EQ(r.after.at(0x2C), static_cast<std::uint32_t>(kSamples));
  ASSERT_GT(r.measured_last_cycles, 0);
  EXPECT_EQ(r.after.at(0x28), static_cast<std::uint32_t>(r.measured_last_cycles));
  // A parallel core's latency starts when the whole sample is in; a streaming design's at its
  // first pixel, which the input gearbox hands on a cycle after the first beat at the earliest.
  EXPECT_GE(r.measured_last_cycles, f.latency_cycles + (f.stream ? 1 : in.beats_per_sample));
  if (c.valid_percent == 100 && c.ready_percent == 100) {
    // At full rate the wrapper moves a beat per cycle on its busier side: a sample every
    // max(IN_BEATS, OUT_BEATS) cycles, plus the fill of the first one (a streaming design: or
    // its interval, when that is longer).
    // A streaming design takes a sample every interval_cycles at best.
    const std::int64_t per_sample =
        std::max({in.beats_per_sample, out.beats_per_sample, f.stream ? f.interval_cycles : 1});
    EXPECT_LE(r.stream_cycles, kSamples * per_sample + r.measured_last_cycles + 2)
        << "the stream does not run at a beat per cycle";
    if (f.stream) {
      // The gearboxes add a cycle each way and the output beats after the last pixel.
      EXPECT_LE(r.measured_last_cycles, f.latency_cycles + out.beats_per_sample + 3)
          << "the wrapper delays the streaming design's samples";
    }
  }
}

TEST(BoardWrapperRtl, SignedLanesInSeveralBeatsEachWay) {
  NNFPGA_REQUIRE_VERILATOR();
  std::mt19937_64 rng(5);
  // 9 inputs of 12 bits in 16-bit lanes (3 beats of 64, 3 unused lanes); 3 signed outputs of 18
  // bits in 32-bit lanes (2 beats, the last half unused).
  ir::Graph g = GraphBuilder({9}, make_fixed(12, 4))
                    .dense(3, normal(27, 1.0, rng), normal(3, 0.5, rng), make_fixed(8, 2),
                           make_fixed(8, 2), make_fixed(28, 12), make_fixed(18, 8))
                    .build();
  g.name = "board_signed";
  run_case({"signed", g, 64, 3});
}

TEST(BoardWrapperRtl, FullRateMovesABeatPerCycle) {
  NNFPGA_REQUIRE_VERILATOR();
  std::mt19937_64 rng(8);
  // One beat per sample each way (the tightest case for the hand-offs), then several in.
  for (int inputs : {3, 13}) {
    ir::Graph g = GraphBuilder({inputs}, make_fixed(8, 3))
                      .dense(2, normal(2 * inputs, 1.0, rng), normal(2, 0.5, rng), make_fixed(6, 1),
                             make_fixed(6, 2), make_fixed(18, 8), make_fixed(9, 4))
                      .build();
    g.name = "board_full_" + std::to_string(inputs);
    run_case({g.name, g, 32, 1, 100, 100});
  }
}

TEST(BoardWrapperRtl, UnsignedNarrowLanesInOneBeat) {
  NNFPGA_REQUIRE_VERILATOR();
  std::mt19937_64 rng(6);
  // 3 inputs of 8 bits in one 32-bit beat (a lane unused); 4 unsigned 5-bit outputs zero-extended
  // to 8-bit lanes, one beat. TLAST on every sample (the default value written back).
  ir::Graph g = GraphBuilder({3}, make_fixed(8, 3))
                    .dense(4, normal(12, 1.0, rng), normal(4, 0.5, rng), make_fixed(6, 1),
                           make_fixed(6, 2), make_fixed(18, 8), make_fixed(9, 4))
                    .unary(ir::OpKind::kRelu, make_fixed(5, 3, false))
                    .build();
  g.name = "board_unsigned";
  run_case({"unsigned", g, 32, 1});
}

TEST(BoardWrapperRtl, WideBeats) {
  NNFPGA_REQUIRE_VERILATOR();
  std::mt19937_64 rng(7);
  // 128-bit beats: 20 inputs of 16 bits (3 beats), 2 outputs of 40 bits in 64-bit lanes (1 beat).
  ir::Graph g = GraphBuilder({20}, make_fixed(16, 6))
                    .dense(2, normal(40, 1.0, rng), normal(2, 0.5, rng), make_fixed(10, 3),
                           make_fixed(10, 3), make_fixed(40, 20), make_fixed(40, 20))
                    .build();
  g.name = "board_wide";
  run_case({"wide", g, 128, 2});
}

// Streaming designs (CNNs): <top>_axis takes a pixel per handshake, and the wrapper regroups the
// same bus packing into pixels and back.

fixed::FixedType board_cnn_acc() {
  return make_fixed(24, 10);
}

// 8x8x2 in 8-bit lanes (8 a beat, 4 pixels, 16 beats a sample): Conv 3x3 -> ReLU -> MaxPool 2x2
// -> Flatten -> Dense 5, whose 10-bit outputs take 2 beats of 16-bit lanes (the last one 1 used).
ir::Graph board_cnn2d() {
  std::mt19937_64 rng(21);
  const fixed::FixedType x = make_fixed(8, 3), w = make_fixed(6, 1), y = make_fixed(10, 4);
  GraphBuilder b({8, 8, 2}, x);
  b.conv(ir::OpKind::kConv2D, {3, 3, 2, 3}, normal(54, 0.5, rng), normal(3, 0.3, rng), {1, 1},
         {1, 1}, {0, 0, 0, 0}, w, w, board_cnn_acc(), y);
  b.unary(ir::OpKind::kRelu, make_fixed(8, 3, false));
  b.pool(ir::OpKind::kMaxPool2D, {2, 2}, {2, 2}, {0, 0, 0, 0});
  b.reshape(ir::OpKind::kFlatten, {27}, make_fixed(8, 3, false));
  b.dense(5, normal(135, 0.4, rng), normal(5, 0.2, rng), w, w, board_cnn_acc(), y);
  ir::Graph g = b.build();
  g.name = "board_cnn2d";
  return g;
}

TEST(BoardWrapperRtl, StreamingCnnPixelsFromPackedBeats) {
  NNFPGA_REQUIRE_VERILATOR();
  run_case({"cnn2d", board_cnn2d(), 64, 3, 70, 60, true});
}

TEST(BoardWrapperRtl, StreamingCnnAtFullRateTakesASampleEveryInterval) {
  NNFPGA_REQUIRE_VERILATOR();
  ir::Graph g = board_cnn2d();
  g.name = "board_cnn2d_full";
  run_case({"cnn2d_full", g, 64, 1, 100, 100, true});
}

// Pixels that straddle beats and samples that end inside one, both ways: 3x3x5 of 12 bits in
// 16-bit lanes on 32-bit beats (2 a beat: 23 beats, the last one 1 used), a 1x1 Conv to 3 channels
// per position (io_stream), so the output is 9 pixels of 3 (27 elements, 14 beats, 1 used last).
TEST(BoardWrapperRtl, StreamingPixelsStraddleBeatsAndSamplesArePadded) {
  NNFPGA_REQUIRE_VERILATOR();
  std::mt19937_64 rng(22);
  const fixed::FixedType w = make_fixed(6, 1);
  GraphBuilder b({3, 3, 5}, make_fixed(12, 4));
  b.conv(ir::OpKind::kConv2D, {1, 1, 5, 3}, normal(15, 0.5, rng), normal(3, 0.3, rng), {1, 1},
         {1, 1}, {0, 0, 0, 0}, w, w, board_cnn_acc(), make_fixed(10, 4));
  ir::Graph g = b.build();
  g.name = "board_pointwise";
  g.settings.io_type = ir::IOType::kStream;
  run_case({"pointwise", g, 32, 2, 70, 50, true});
}

}  // namespace
}  // namespace nnfpga::deploy
