// nnfpga rtlsynth: synthesize a written Verilog project with Yosys (7-series) and report its
// resources and logic depth.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "backend/verilog/yosys_synth.hpp"
#include "cli/commands.hpp"
#include "cli/table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::cli {
namespace {

struct RtlsynthOptions {
  std::string project;
  std::string output;  // the JSON report; default <project>/synth/yosys_report.json
  backend::verilog::YosysOptions yosys;
};

std::string summary_table(const backend::verilog::YosysSynthesis& s) {
  Table t({"resource", "count"});
  const report::YosysStat& st = s.stat;
  t.add({"LUT", std::to_string(st.lut)});
  t.add({"FF", std::to_string(st.ff)});
  t.add({"CARRY4", std::to_string(st.carry)});
  t.add({"DSP48E1", std::to_string(st.dsp)});
  t.add({"BRAM18", std::to_string(st.bram18)});
  if (st.lutram + st.srl > 0) t.add({"LUTRAM+SRL", std::to_string(st.lutram + st.srl)});
  if (st.muxf7 + st.muxf8 > 0) t.add({"MUXF7+F8", std::to_string(st.muxf7 + st.muxf8)});
  if (st.other > 0) t.add({"other cells", std::to_string(st.other)});
  t.add({"logic depth", std::to_string(s.logic_depth)});
  t.add({"latency (cycles)",
         s.facts.latency_cycles ? std::to_string(*s.facts.latency_cycles) : std::string("-")});
  return t.str();
}

void run_rtlsynth(const RtlsynthOptions& o) {
  const backend::verilog::YosysSynthesis s =
      backend::verilog::synthesize_with_yosys(o.project, o.yosys);
  const std::filesystem::path out =
      o.output.empty() ? std::filesystem::path(o.project) / "synth" / "yosys_report.json"
                       : std::filesystem::path(o.output);
  std::ofstream file(out);
  file << backend::verilog::to_json(s).dump(2) << '\n';
  if (!file) throw Error(ErrorKind::kInput, "cannot write the report", {.file = out.string()});
  std::cout << fmt::format("{} ({}), {:.1f} s\n", s.facts.top, s.stat.creator, s.seconds)
            << summary_table(s) << "report: " << out.string() << '\n';
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
