#include "backend/verilog/verilog_backend.hpp"

#include <fmt/format.h>

#include "backend/verilog/estimate_rtl.hpp"
#include "backend/verilog/project.hpp"
#include "backend/verilog/rtlsim.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

std::string estimate_table(const VerilogEstimate& e) {
  const char* row = "{:<24} {:<12} {:>8} {:>8} {:>8} {:>5} {:>7}\n";
  std::string t = "estimate of the RTL for Yosys synth_xilinx (7-series), docs/estimates.md:\n";
  t += fmt::format(fmt::runtime(row), "layer", "op", "adders", "LUT", "FF", "DSP", "cycles");
  for (const VerilogLayerEstimate& l : e.layers) {
    t += fmt::format(fmt::runtime(row), l.layer, l.op, l.adders, l.lut, l.ff, l.dsp,
                     l.latency_cycles);
  }
  t += fmt::format(fmt::runtime(row), "total", "", "", e.lut, e.ff, e.dsp, e.latency_cycles);
  if (e.bram18 != 0) t += fmt::format("block RAM: {} BRAM18 (line buffers)\n", e.bram18);
  if (e.interval_cycles == 1) {
    t += fmt::format("latency {} cycles ({:.1f} ns at {} ns), a new sample every cycle (II = 1)\n",
                     e.latency_cycles, static_cast<double>(e.latency_cycles) * e.clock_period_ns,
                     e.clock_period_ns);
  } else {
    t += fmt::format(
        "streaming: latency {} cycles (first input beat to last output beat), a new sample every "
        "{} cycles ({:.2f} us at {} ns)\n",
        e.latency_cycles, e.interval_cycles,
        static_cast<double>(e.interval_cycles) * e.clock_period_ns * 1e-3, e.clock_period_ns);
  }
  return t;
}

EstimateReport to_report(const VerilogEstimate& e) {
  return {.clock_period_ns = e.clock_period_ns,
          .latency_cycles = e.latency_cycles,
          .interval_cycles = e.interval_cycles,
          .lut = e.lut,
          .dsp = e.dsp,
          .table = estimate_table(e),
          .json = to_json(e)};
}

class VerilogBackend final : public Backend {
 public:
  std::string_view name() const override { return "verilog"; }
  std::string_view label() const override { return "Verilog"; }
  std::vector<std::string_view> aliases() const override { return {"rtl"}; }
  std::string_view description() const override {
    return "pipelined Verilog-2005 RTL, multiplier-free, one sample per clock, with an "
           "AXI-stream wrapper";
  }
  std::string_view verify_command() const override { return "rtlsim"; }
  std::string_view project_marker() const override { return kRtlJson; }

  void check(const ir::Graph& graph) const override { check_graph(graph); }

  WrittenProject write(const ir::Graph& graph, const std::string& dir,
                       const WriteOptions& options) const override {
    if (options.plan != nullptr) {
      throw Error(ErrorKind::kUnsupported,
                  "the Verilog backend builds every layer at full rate (II = 1) and takes no "
                  "implementation plan");
    }
    const Project p = write_project(graph, dir, {.top = options.top});
    WrittenProject w{.backend = "verilog", .dir = p.dir, .top = p.top, .files = p.files};
    w.estimate = to_report(p.estimate);  // counted from the netlists just written
    w.summary = fmt::format(
        "wrote Verilog project {} (top module {}, {} Verilog files)\n"
        "check it bit for bit against the emulator: nnfpga rtlsim {}\n",
        p.dir, p.top, p.rtl.size(), p.dir);
    return w;
  }

  VerifyReport verify(const std::string& dir, const VerifyOptions& o) const override {
    const RtlsimReport s = run_rtlsim(dir, {.samples = o.samples, .seed = o.seed});
    VerifyReport r{.backend = "verilog"};
    r.runs.push_back({.simulator = "Verilator",
                      .samples = s.samples,
                      .outputs = s.outputs,
                      .differing = s.differing,
                      .timing_errors = s.late_or_early + s.missing,
                      .first_difference = s.first_difference});
    r.text = fmt::format("Verilator: {} samples, {} outputs, {} differ from the emulator\n",
                         s.samples, s.outputs, s.differing);
    if (s.stream) {
      r.text += fmt::format(
          "streaming, handshakes randomized; measured with them held high: latency {} cycles "
          "(nnfpga/rtl.json: {}), interval {} cycles (rtl.json: {}); {} missing or extra beats\n",
          s.measured_latency, s.latency_cycles, s.measured_interval, s.interval_cycles, s.missing);
    } else {
      r.text += fmt::format(
          "latency {} cycles (nnfpga/rtl.json): {} samples out of step, {} missing or extra\n",
          s.latency_cycles, s.late_or_early, s.missing);
    }
    if (s.differing != 0) r.text += "  first: " + s.first_difference + "\n";
    r.json = {{"samples", s.samples},
              {"outputs", s.outputs},
              {"differing", s.differing},
              {"late_or_early", s.late_or_early},
              {"missing", s.missing},
              {"latency_cycles", s.latency_cycles},
              {"first_difference", s.first_difference},
              {"ok", s.ok()}};
    if (s.stream) {
      r.json["interval_cycles"] = s.interval_cycles;
      r.json["measured_interval"] = s.measured_interval;
      r.json["measured_latency"] = s.measured_latency;
    }
    return r;
  }

  EstimateReport estimate(const ir::Graph& graph) const override {
    return to_report(estimate_verilog(graph));
  }
};

}  // namespace

const Backend& verilog_backend() {
  static const VerilogBackend backend;
  return backend;
}

}  // namespace nnfpga::backend::verilog
