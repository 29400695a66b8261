// nnfpga rtlsim: simulate a written Verilog project with Verilator and compare it with the
// emulator.
#include <iostream>
#include <memory>
#include <string>

#include "backend/backend.hpp"
#include "cli/commands.hpp"
#include "cli/project_kind.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::cli {
namespace {

struct RtlsimCliOptions {
  std::string project;
  backend::VerifyOptions sim;
};

void run_rtlsim_command(const RtlsimCliOptions& o) {
  require_project(o.project, "verilog", "rtlsim", "csim");
  const backend::VerifyReport r = backend::find_backend("verilog").verify(o.project, o.sim);
  std::cout << r.text;
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
