// nnfpga csim: build a written project's C simulation with g++ and compare it with the emulator.
#include <iostream>
#include <memory>
#include <string>

#include "backend/backend.hpp"
#include "cli/commands.hpp"
#include "cli/project_kind.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::cli {
namespace {

struct CsimCliOptions {
  std::string project;
  backend::VerifyOptions csim;
};

void run_csim_command(const CsimCliOptions& o) {
  require_project(o.project, "hls", "csim", "rtlsim");
  const backend::VerifyReport report = backend::find_backend("hls").verify(o.project, o.csim);
  std::cout << report.text;
  if (!report.ok()) {
    throw Error(ErrorKind::kInternal,
                "C simulation and emulator differ: this is a bug in nnfpga; please report it "
                "with the model");
  }
}

}  // namespace

Command add_csim_command(CLI::App& app) {
  auto options = std::make_shared<CsimCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "csim",
      "Compile a project's test bench with g++ (nnfpga's and AMD's ap_types headers), run random "
      "and adversarial inputs, and count outputs that differ from the emulator");
  cmd->add_option("PROJECT", options->project, "directory written by nnfpga convert")->required();
  cmd->add_option("-n,--samples", options->csim.samples, "number of input samples (10000)");
  cmd->add_option("--seed", options->csim.seed, "seed of the random inputs");
  cmd->add_option("--ap-types", options->csim.amd_ap_types,
                  "directory of AMD's ap_fixed.h (default: $NNFPGA_AP_TYPES_DIR, else hls4ml's)");
  cmd->add_flag("--require-amd", options->csim.require_amd,
                "fail when AMD's headers are not found, rather than compare with nnfpga's only");
  cmd->add_flag("--sanitize", options->csim.sanitize,
                "build the nnfpga-headers run with ASan and UBSan (catches out-of-range reads)");
  cmd->add_option("--cxx", options->csim.cxx, "C++ compiler (default: $CXX, else g++)");
  return {cmd, [options] { run_csim_command(*options); }};
}

}  // namespace nnfpga::cli
