// Synthesis of a written Verilog project with Yosys for 7-series parts (`nnfpga rtlsynth`): a
// generated script runs synth_xilinx on the files nnfpga/rtl.json lists, refuses designs with
// latches, multiple drivers, logic loops or undriven nets, and reads back the cell counts and
// the logic depth. The flow and what each figure means: docs/rtlsynth.md.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "report/yosys_stat.hpp"

namespace nnfpga::backend::verilog {

// What rtlsynth needs of nnfpga/rtl.json (the project contract, README.md).
struct RtlFacts {
  std::string top;
  std::vector<std::string> files;  // relative to the project, in dependency order
  std::optional<long long> latency_cycles;
  std::optional<double> clock_period_ns;
};

// Throws nnfpga::Error (kInput) when `project` has no nnfpga/rtl.json, it lacks `top` or `files`,
// or a listed file is absolute, leaves the project, or does not exist.
RtlFacts read_rtl_facts(const std::filesystem::path& project);

struct YosysOptions {
  std::string yosys;  // the executable: this, else $NNFPGA_YOSYS, else `yosys` on the PATH
  // ABC9 maps with the cells' delays (smaller depth, often more LUTs, slower); off by default so
  // that the figures match the plain flow most Yosys users run. docs/rtlsynth.md.
  bool abc9 = false;
};

// The Yosys script for `facts`, run from the project directory: every path in it is relative,
// so that the same project gives the same script wherever it lives. Writes its raw outputs
// (check.txt, latches.txt, stat.json, ltp.txt) into synth/.
std::string yosys_script(const RtlFacts& facts, const YosysOptions& options);

struct YosysSynthesis {
  RtlFacts facts;
  std::string flow;  // the synth_xilinx line, for the report
  report::YosysStat stat;
  // Combinational cells (LUT, CARRY4, MUXF7/8, DSP48E1) on the longest path between registers or
  // ports, as `ltp` counts them: Vivado's "logic levels" of the worst path.
  int logic_depth = 0;
  double seconds = 0;  // wall time of the Yosys run
};

// Writes synth/synth.ys into `project`, runs Yosys there (its log: synth/yosys.log) and reads the
// results. Throws nnfpga::Error (kInput) naming the problems when the design has a latch, a
// multiple driver, a logic loop or an undriven net; (kInput) with the log's end when Yosys fails
// otherwise or cannot be run.
YosysSynthesis synthesize_with_yosys(const std::filesystem::path& project,
                                     const YosysOptions& options = {});

// The report rtlsynth writes (synth/yosys_report.json): resources, logic depth, latency, flow.
nlohmann::json to_json(const YosysSynthesis& s);

}  // namespace nnfpga::backend::verilog
