// run_rtlsim: input codes (backend/test_inputs.hpp), the emulator's reference, the Verilator bench,
// the comparison.
#include "backend/verilog/rtlsim.hpp"

#include <fmt/format.h>
#include <cmath>
#include <filesystem>

#include "backend/test_inputs.hpp"
#include "backend/verilog/project.hpp"
#include "backend/verilog/verilator_bench.hpp"
#include "emulate/emulator.hpp"
#include "ir/json_io.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

namespace fs = std::filesystem;

// A bubble (in_valid low) every this many samples, so the valid pipeline is exercised.
constexpr std::int64_t kBubbleEvery = 1000;

void check_comparable(const fixed::FixedType& t, const char* side) {
  if (t.width > 53) {
    throw Error(ErrorKind::kUnsupported,
                fmt::format("rtlsim compares through the emulator's doubles, exact up to 53 bits; "
                            "the {} type {} is wider",
                            side, fixed::to_string(t)));
  }
}

}  // namespace

RtlsimReference rtlsim_reference(const ir::Graph& graph, const RtlsimOptions& o) {
  const ir::Node& in = graph.at(graph.inputs.front());
  const ir::Node& out = graph.at(graph.outputs.front());
  const fixed::FixedType& in_t = in.type("result");
  const fixed::FixedType& out_t = out.type("result");
  check_comparable(in_t, "input");
  check_comparable(out_t, "output");
  RtlsimReference r;
  // The RTL takes codes: the values are cast as every backend's input is, and the emulator is
  // given exactly those codes.
  const emulate::Array values = test_inputs(graph, o.samples, o.seed).front();
  r.inputs = input_codes(values.data, in_t);
  emulate::Array a{values.shape, {}};
  for (std::int64_t c : r.inputs)
    a.data.push_back(std::ldexp(static_cast<double>(c), -in_t.frac()));
  const emulate::RunResult result = emulate::Emulator(graph).run({a});
  for (double v : result.outputs.front().data) {
    r.outputs.push_back(static_cast<std::int64_t>(std::ldexp(v, out_t.frac())));
  }
  return r;
}

RtlsimReport run_rtlsim(const std::string& project_dir, const RtlsimOptions& options) {
  if (options.samples < 1) throw Error(ErrorKind::kInput, "rtlsim needs at least one sample");
  const Project p = read_project(project_dir);
  const ir::Graph graph = ir::load_json((fs::path(project_dir) / kModelJson).string());
  if (p.io == "stream") return run_stream_rtlsim(p, graph, options);
  const RtlsimReference ref = rtlsim_reference(graph, options);
  const int in_bits = static_cast<int>(p.inputs.count * p.inputs.width);
  const int out_bits = static_cast<int>(p.outputs.count * p.outputs.width);
  BenchSpec spec{p.top, {}, in_bits, out_bits};
  for (const std::string& f : p.rtl) spec.files.push_back("../" + f);
  const fs::path sim = fs::path(project_dir) / "sim";
  const fs::path exe = build_testbench(spec, sim);
  std::vector<std::optional<Bits>> inputs;
  std::vector<std::int64_t> entered;  // the cycle of each sample
  for (std::int64_t s = 0; s < options.samples; ++s) {
    if (s != 0 && s % kBubbleEvery == 0) inputs.push_back(std::nullopt);
    Bits b(static_cast<std::size_t>((in_bits + 31) / 32), 0);
    for (std::int64_t e = 0; e < p.inputs.count; ++e) {
      deposit(b, static_cast<int>(e * p.inputs.width), p.inputs.width,
              ref.inputs[s * p.inputs.count + e]);
    }
    entered.push_back(static_cast<std::int64_t>(inputs.size()));
    inputs.push_back(std::move(b));
  }
  const std::vector<BenchOutput> got =
      run_testbench(exe, sim, inputs, out_bits, p.latency_cycles + 2);
  RtlsimReport r;
  r.samples = options.samples;
  r.latency_cycles = p.latency_cycles;
  r.missing = std::abs(static_cast<std::int64_t>(got.size()) - options.samples);
  for (std::size_t s = 0; s < got.size() && static_cast<std::int64_t>(s) < options.samples; ++s) {
    if (got[s].cycle != entered[s] + p.latency_cycles) ++r.late_or_early;
    for (std::int64_t e = 0; e < p.outputs.count; ++e) {
      const auto have =
          static_cast<std::int64_t>(extract(got[s].data, static_cast<int>(e * p.outputs.width),
                                            p.outputs.width, p.outputs.is_signed));
      const std::int64_t want = ref.outputs[s * p.outputs.count + e];
      ++r.outputs;
      if (have == want) continue;
      if (r.differing++ == 0) {
        r.first_difference =
            fmt::format("sample {} output {}: RTL code {}, emulator code {}", s, e, have, want);
      }
    }
  }
  return r;
}

}  // namespace nnfpga::backend::verilog
