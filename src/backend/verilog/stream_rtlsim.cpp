// run_stream_rtlsim: a streaming design's `<top>_axis` under Verilator, twice. First with
// s_axis_tvalid and m_axis_tready held high, a few samples back to back: the cycle of each
// sample's first accepted beat and of its last output beat give the interval and the latency,
// which must be rtl.json's (the schedule's). Then every sample with both handshakes randomized:
// every output code must be the emulator's.
#include <fmt/format.h>
#include <filesystem>

#include "backend/verilog/project.hpp"
#include "backend/verilog/rtlsim.hpp"
#include "backend/verilog/verilator_bench.hpp"

namespace nnfpga::backend::verilog {
namespace {

namespace fs = std::filesystem;

// Samples of the timing run: the first two fill the pipeline and its FIFOs, the rest show the
// steady state.
constexpr std::int64_t kTimingSamples = 6;

// argv after the output words: seed (0: both handshakes always high), output beats expected,
// cycle limit. Prints "-<cycle+1>" for each accepted input beat and "<cycle> <words>" for each
// output beat taken.
constexpr const char* kStreamDriver = R"(
int main(int argc, char** argv) {
  if (argc != 7) return 2;
  FILE* in = std::fopen(argv[1], "r");
  FILE* out = std::fopen(argv[2], "w");
  if (in == nullptr || out == nullptr) return 3;
  const std::size_t words = std::strtoul(argv[3], nullptr, 10);
  const unsigned seed = static_cast<unsigned>(std::strtoul(argv[4], nullptr, 10));
  const long long expected = std::strtoll(argv[5], nullptr, 10);
  const long long limit = std::strtoll(argv[6], nullptr, 10);
  std::srand(seed);
  std::vector<Words> inputs;
  std::vector<bool> present;
  read_inputs(in, inputs, present);
  VerilatedContext context;
  TOP_CLASS top(&context);
  top.s_axis_tvalid = 0;
  top.m_axis_tready = 0;
  reset(top);
  std::size_t next = 0;
  long long taken = 0;
  Words w(words, 0);
  for (long long cycle = 0; taken < expected && cycle < limit; ++cycle) {
    const bool offer = next < inputs.size() && (seed == 0 || std::rand() % 10 < 7);
    top.s_axis_tvalid = offer;
    if (next < inputs.size()) put(top.s_axis_tdata, inputs[next]);
    top.m_axis_tready = seed == 0 || std::rand() % 10 < 6;
    top.clk = 0;
    top.eval();
    if (top.s_axis_tvalid && top.s_axis_tready) {
      std::fprintf(out, "-%lld\n", cycle + 1);
      ++next;
    }
    if (top.m_axis_tvalid && top.m_axis_tready) {
      get(top.m_axis_tdata, w);
      std::fprintf(out, "%lld", cycle);
      for (std::size_t i = 0; i < w.size(); ++i) std::fprintf(out, " %08x", w[i]);
      std::fprintf(out, "\n");
      ++taken;
    }
    top.clk = 1;
    top.eval();
  }
  top.final();
  std::fclose(in);
  std::fclose(out);
  return 0;
}
)";

struct StreamRun {
  std::vector<std::int64_t> accepted;  // the cycle of each accepted input beat
  std::vector<BenchOutput> outputs;    // each output beat taken, with its cycle
};

StreamRun run_stream(const fs::path& exe, const fs::path& dir, const Project& p,
                     const std::vector<std::int64_t>& codes, std::int64_t samples,
                     std::uint64_t seed) {
  const std::int64_t in_count = p.inputs.count * p.inputs.beats;
  std::vector<std::optional<Bits>> beats;
  for (std::int64_t s = 0; s < samples; ++s) {
    for (std::int64_t b = 0; b < p.inputs.beats; ++b) {
      Bits bits(static_cast<std::size_t>((p.inputs.count * p.inputs.width + 31) / 32), 0);
      for (std::int64_t e = 0; e < p.inputs.count; ++e) {
        deposit(bits, static_cast<int>(e * p.inputs.width), p.inputs.width,
                codes[static_cast<std::size_t>(s * in_count + b * p.inputs.count + e)]);
      }
      beats.push_back(std::move(bits));
    }
  }
  const std::int64_t expected = samples * p.outputs.beats;
  // Ten times the cycles the schedule promises, and more under random handshakes: a deadlock
  // ends the run instead of hanging it.
  const std::int64_t limit = 10 * (samples + 1) * (p.interval_cycles + p.latency_cycles) + 10000;
  const int out_bits = static_cast<int>(p.outputs.count * p.outputs.width);
  StreamRun run;
  for (BenchOutput& o : run_testbench_with(exe, dir, beats, out_bits,
                                           fmt::format("{} {} {}", seed, expected, limit))) {
    if (o.data.empty() && o.cycle < 0) {
      run.accepted.push_back(-o.cycle - 1);
    } else {
      run.outputs.push_back(std::move(o));
    }
  }
  return run;
}

// Compares every output beat of `run` with the emulator's codes; counts into `r`.
void compare_outputs(const Project& p, const RtlsimReference& ref, std::int64_t samples,
                     const StreamRun& run, RtlsimReport& r) {
  const std::int64_t beats = samples * p.outputs.beats;
  r.missing += std::abs(static_cast<std::int64_t>(run.outputs.size()) - beats);
  for (std::size_t b = 0; b < run.outputs.size() && static_cast<std::int64_t>(b) < beats; ++b) {
    for (std::int64_t e = 0; e < p.outputs.count; ++e) {
      const auto have = static_cast<std::int64_t>(extract(run.outputs[b].data,
                                                          static_cast<int>(e * p.outputs.width),
                                                          p.outputs.width, p.outputs.is_signed));
      const std::int64_t want = ref.outputs[b * p.outputs.count + e];
      ++r.outputs;
      if (have == want) continue;
      if (r.differing++ == 0) {
        r.first_difference =
            fmt::format("sample {} beat {} output {}: RTL code {}, emulator code {}",
                        static_cast<std::int64_t>(b) / p.outputs.beats,
                        static_cast<std::int64_t>(b) % p.outputs.beats, e, have, want);
      }
    }
  }
}

}  // namespace

RtlsimReport run_stream_rtlsim(const Project& p, const ir::Graph& graph,
                               const RtlsimOptions& options) {
  const RtlsimReference ref = rtlsim_reference(graph, options);
  BenchSpec spec{p.top + "_axis",
                 {},
                 static_cast<int>(p.inputs.count * p.inputs.width),
                 static_cast<int>(p.outputs.count * p.outputs.width),
                 kStreamDriver};
  for (const std::string& f : p.rtl) spec.files.push_back("../" + f);
  const fs::path sim = fs::path(p.dir) / "sim";
  const fs::path exe = build_testbench(spec, sim);
  RtlsimReport r;
  r.stream = true;
  r.samples = options.samples;
  r.latency_cycles = p.latency_cycles;
  r.interval_cycles = p.interval_cycles;
  const std::int64_t timed = std::min(options.samples, kTimingSamples);
  const StreamRun fast = run_stream(exe, sim, p, ref.inputs, timed, 0);
  compare_outputs(p, ref, timed, fast, r);
  if (!fast.accepted.empty() && static_cast<std::int64_t>(fast.outputs.size()) >= p.outputs.beats) {
    r.measured_latency =
        fast.outputs[static_cast<std::size_t>(p.outputs.beats - 1)].cycle - fast.accepted.front();
  }
  // The interval: between the first beats of the third and the last sample. The first sample
  // enters an empty pipeline, and behind a fan-out the second enters early, while the FIFOs of
  // the short paths (a residual's bypass) fill; from the third on, samples enter one interval
  // apart.
  if (timed >= 4 && static_cast<std::int64_t>(fast.accepted.size()) == timed * p.inputs.beats) {
    const std::int64_t third = fast.accepted[static_cast<std::size_t>(2 * p.inputs.beats)];
    const std::int64_t last = fast.accepted[static_cast<std::size_t>((timed - 1) * p.inputs.beats)];
    const std::int64_t span = last - third;
    r.measured_interval = span % (timed - 3) == 0 ? span / (timed - 3) : -span;
  } else {
    r.measured_interval = p.interval_cycles;  // too few samples to measure: not a difference
  }
  r.late_or_early = (r.measured_latency != p.latency_cycles ? 1 : 0) +
                    (r.measured_interval != p.interval_cycles ? 1 : 0);
  const StreamRun random = run_stream(exe, sim, p, ref.inputs, options.samples, options.seed + 1);
  compare_outputs(p, ref, options.samples, random, r);
  return r;
}

}  // namespace nnfpga::backend::verilog
