#include "backend/hls/hls_backend.hpp"

#include <fmt/format.h>

#include "backend/hls/csim.hpp"
#include "backend/hls/emitter.hpp"
#include "backend/hls/project.hpp"
#include "backend/project_files.hpp"
#include "ir/geometry.hpp"
#include "plan/plan.hpp"

namespace nnfpga::backend::hls {
namespace {

class HlsBackend final : public Backend {
 public:
  std::string_view name() const override { return "hls"; }
  // One project serves both vendor tools; hls4ml users name the tool.
  std::string_view label() const override { return "HLS"; }
  std::vector<std::string_view> aliases() const override { return {"vitis", "vivado"}; }
  std::string_view description() const override {
    return "a Vitis/Vivado HLS C++ project (layer library, weights, test bench, build script)";
  }
  std::string_view verify_command() const override { return "csim"; }
  std::string_view project_marker() const override { return kProjectJson; }

  void check(const ir::Graph& graph) const override {
    // Broadcast merges and Concatenate on a position axis are built by the dataflow top only
    // (dataflow.cpp); the array tops do not write them.
    const bool dataflow = plan::streams_positions(graph);
    check_supported(graph, "HLS", [dataflow](const ir::Node& n) {
      return find_emitter(n.op) != nullptr && (dataflow || ir::merge_is_plain(n));
    });
  }

  WrittenProject write(const ir::Graph& graph, const std::string& dir,
                       const WriteOptions& options) const override {
    const Project p = write_project(graph, dir, {.top = options.top, .plan = options.plan});
    WrittenProject w{.backend = "hls", .dir = p.dir, .top = p.top, .files = p.files};
    w.estimate = to_report(p.estimate);
    w.summary = fmt::format(
        "wrote HLS project {} (top function {}, {} files)\n"
        "check it bit for bit against the emulator: nnfpga csim {}\n",
        p.dir, p.top, p.files.size(), p.dir);
    return w;
  }

  VerifyReport verify(const std::string& dir, const VerifyOptions& o) const override {
    const CsimReport csim = run_csim(dir, o);
    VerifyReport r{.backend = "hls"};
    nlohmann::json runs = nlohmann::json::array();
    for (const CsimRun& run : csim.runs) {
      r.runs.push_back({.simulator = "g++ with " + run.headers + " ap_types",
                        .samples = run.samples,
                        .outputs = run.outputs,
                        .differing = run.differing,
                        .first_difference = run.first_difference});
      r.text +=
          fmt::format("{} ap_types ({}): {} samples, {} outputs, {} differ from the emulator\n",
                      run.headers, run.include_dir, run.samples, run.outputs, run.differing);
      if (run.differing != 0) r.text += "  first: " + run.first_difference + "\n";
      runs.push_back({{"headers", run.headers},
                      {"include_dir", run.include_dir},
                      {"samples", run.samples},
                      {"outputs", run.outputs},
                      {"differing", run.differing},
                      {"first_difference", run.first_difference}});
    }
    if (!csim.note.empty()) r.text += "note: " + csim.note + "\n";
    r.json = {{"runs", runs}, {"note", csim.note}, {"all_identical", csim.all_identical()}};
    return r;
  }

  EstimateReport estimate(const ir::Graph& graph) const override {
    return to_report(estimate::estimate_hls(graph));
  }
};

}  // namespace

EstimateReport to_report(const estimate::ModelEstimate& e) {
  return {.clock_period_ns = e.clock_period_ns,
          .latency_cycles = e.total.latency_cycles,
          .interval_cycles = e.total.interval,
          .lut = e.total.lut,
          .dsp = e.total.dsp,
          .bram18 = e.total.bram18,
          .table = estimate::format_table(e),
          .json = estimate::to_json(e)};
}

const Backend& hls_backend() {
  static const HlsBackend backend;
  return backend;
}

}  // namespace nnfpga::backend::hls
