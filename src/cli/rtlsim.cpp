// nnfpga rtlsim: simulate a written Verilog project with Verilator and compare it with the
// emulator.
#include <iostream>
#include <memory>
#include <string>

#include "backend/verilog/rtlsim.hpp"
#include "cli/commands.hpp"
#include "cli/project_kind.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::cli {
namespace {

struct RtlsimCliOptions {
  std::string project;
  backend::verilog::RtlsimOptions sim;
};

void run_rtlsim_command(const RtlsimCliOptions& o) {
  require_project(o.project, ProjectKind::kVerilog, "rtlsim", "csim");
  const backend::verilog::RtlsimReport r = backend::verilog::run_rtlsim(o.project, o.sim);
  std::cout << "Verilator: " << r.samples << " samples, " << r.outputs << " outputs, "
            << r.differing << " differ from the emulator\n"
            << "latency " << r.latency_cycles << " cycles (nnfpga/rtl.json): " << r.late_or_early
            << " samples out of step, " << r.missing << " missing or extra\n";
  if (r.differing != 0) std::cout << "  first: " << r.first_difference << "\n";
  if (!r.ok()) {
    throw Error(ErrorKind::kInternal,
                "RTL simulation and emulator differ: this is a bug in nnfpga; please report it "
                "with the model");
  }
}

}  // namespace

Command add_rtlsim_command(CLI::App& app) {
  auto options = std::make_shared<RtlsimCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "rtlsim",
      "Simulate a Verilog project with Verilator on random and adversarial inputs, one per clock, "
      "and count outputs that differ from the emulator or miss the reported latency");
  cmd->add_option("PROJECT", options->project,
                  "directory written by nnfpga convert --backend verilog")
      ->required();
  cmd->add_option("-n,--samples", options->sim.samples, "number of input samples (10000)");
  cmd->add_option("--seed", options->sim.seed, "seed of the random inputs");
  return {cmd, [options] { run_rtlsim_command(*options); }};
}

}  // namespace nnfpga::cli
