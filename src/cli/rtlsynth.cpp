// nnfpga rtlsynth: synthesize a written Verilog project with Yosys (7-series) and report its
// resources and logic depth.
#include <fmt/format.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "backend/verilog/estimate_rtl.hpp"
#include "backend/verilog/yosys_synth.hpp"
#include "cli/commands.hpp"
#include "cli/project_kind.hpp"
#include "cli/table.hpp"
#include "ir/json_io.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::cli {
namespace {

struct RtlsynthOptions {
  std::string project;
  std::string output;  // the JSON report; default <project>/synth/yosys_report.json
  backend::verilog::YosysOptions yosys;
};

// The Verilog estimate of the project's typed graph (nnfpga/model.json), when there is one (a
// project written by another tool has none). Every op the writer writes has an estimate, so an
// error here is reported, not hidden.
std::optional<backend::verilog::VerilogEstimate> project_estimate(
    const std::filesystem::path& project) {
  const std::filesystem::path model = project / "nnfpga" / "model.json";
  if (!std::filesystem::exists(model)) return std::nullopt;
  return backend::verilog::estimate_verilog(ir::load_json(model.string()));
}

std::string count_or_dash(std::optional<long long> v) {
  return v ? std::to_string(*v) : std::string("-");
}

std::string summary_table(const backend::verilog::YosysSynthesis& s,
                          const std::optional<backend::verilog::VerilogEstimate>& est) {
  Table t({"resource", "yosys", "estimate"});
  const report::YosysStat& st = s.stat;
  auto estimated = [&est](std::int64_t backend::verilog::VerilogEstimate::*field) {
    return est ? std::to_string((*est).*field) : std::string("-");
  };
  t.add({"LUT", std::to_string(st.lut), estimated(&backend::verilog::VerilogEstimate::lut)});
  t.add({"FF", std::to_string(st.ff), estimated(&backend::verilog::VerilogEstimate::ff)});
  t.add({"CARRY4", std::to_string(st.carry), "-"});
  t.add({"DSP48E1", std::to_string(st.dsp), estimated(&backend::verilog::VerilogEstimate::dsp)});
  t.add({"BRAM18", std::to_string(st.bram18), "-"});
  if (st.lutram + st.srl > 0) t.add({"LUTRAM+SRL", std::to_string(st.lutram + st.srl), "-"});
  if (st.muxf7 + st.muxf8 > 0) t.add({"MUXF7+F8", std::to_string(st.muxf7 + st.muxf8), "-"});
  if (st.other > 0) t.add({"other cells", std::to_string(st.other), "-"});
  t.add({"logic depth", std::to_string(s.logic_depth), "-"});
  t.add({"latency (cycles)", count_or_dash(s.facts.latency_cycles),
         estimated(&backend::verilog::VerilogEstimate::latency_cycles)});
  return t.str();
}

void run_rtlsynth(const RtlsynthOptions& o) {
  require_project(o.project, "verilog", "rtlsynth", "report");
  // Before the synthesis, which takes far longer, so that a model it cannot read fails first.
  const std::optional<backend::verilog::VerilogEstimate> est = project_estimate(o.project);
  const backend::verilog::YosysSynthesis s =
      backend::verilog::synthesize_with_yosys(o.project, o.yosys);
  const std::filesystem::path out =
      o.output.empty() ? std::filesystem::path(o.project) / "synth" / "yosys_report.json"
                       : std::filesystem::path(o.output);
  nlohmann::json report = backend::verilog::to_json(s);
  if (est) report["estimate"] = backend::verilog::to_json(*est);
  std::ofstream file(out);
  file << report.dump(2) << '\n';
  if (!file) throw Error(ErrorKind::kInput, "cannot write the report", {.file = out.string()});
  std::cout << fmt::format("{} ({}), {:.1f} s\n", s.facts.top, s.stat.creator, s.seconds)
            << summary_table(s, est) << "report: " << out.string() << '\n';
}

}  // namespace

Command add_rtlsynth_command(CLI::App& app) {
  auto options = std::make_shared<RtlsynthOptions>();
  CLI::App* cmd = app.add_subcommand(
      "rtlsynth",
      "Synthesize a Verilog project (nnfpga convert --backend verilog) with Yosys for 7-series "
      "parts and report LUT, FF, CARRY4, DSP and BRAM counts and the logic depth");
  cmd->add_option("PROJECT", options->project, "directory written by nnfpga convert")->required();
  cmd->add_option("-o,--output", options->output,
                  "the JSON report (default: PROJECT/synth/yosys_report.json)");
  cmd->add_option("--yosys", options->yosys.yosys,
                  "the Yosys executable (default: $NNFPGA_YOSYS, else yosys)");
  cmd->add_flag("--abc9", options->yosys.abc9,
                "map LUTs with ABC9 (delay-driven) instead of ABC; see docs/rtlsynth.md");
  return {cmd, [options] { run_rtlsynth(*options); }};
}

}  // namespace nnfpga::cli
