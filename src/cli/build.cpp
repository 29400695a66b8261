// nnfpga build: Vivado on a deployment folder's Tcl, with progress by phase. Without Vivado it
// says what it would run and exits 2 (kInput), so that a script can tell "not built here" from a
// failed build.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "deploy/deploy_facts.hpp"
#include "deploy/vivado_run.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::cli {
namespace {

struct BuildOptions {
  std::string folder;
  std::string vivado;
  int jobs = 2;
};

void run_build(const BuildOptions& o) {
  const deploy::DeployFacts facts = deploy::read_deploy_facts(o.folder);
  const std::optional<std::string> vivado = deploy::find_vivado(o.vivado);
  if (!vivado) {
    throw Error(ErrorKind::kInput,
                "Vivado was not found (no `vivado` on PATH; give --vivado PATH). With Vivado "
                "2022.2 or later this command would run, in " +
                    o.folder + ":\n  " + deploy::vivado_command("vivado", o.jobs) +
                    "\nwhich packages the IP, builds the block design for " + facts.part +
                    ", synthesizes, implements, and copies nnfpga.bit and nnfpga.hwh into " +
                    o.folder + "/overlay/");
  }
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                            start)
        .count();
  };
  std::cout << "running " << *vivado << " on " << o.folder << " (log: " << o.folder
            << "/vivado/build.log)" << std::endl;
  const deploy::VivadoRun run = deploy::run_vivado(
      o.folder, deploy::vivado_command(*vivado, o.jobs), [&](const std::string& line) {
        if (const auto phase = deploy::phase_of(line)) {
          std::cout << "[" << elapsed() << " s] " << *phase << std::endl;
        } else if (deploy::is_error_line(line)) {
          std::cout << "  " << line << std::endl;
        }
      });
  if (run.exit_status != 0 || run.last_phase != "done") {
    throw Error(ErrorKind::kInput,
                "Vivado stopped in phase '" +
                    (run.last_phase.empty() ? std::string("start") : run.last_phase) +
                    "' (exit status " + std::to_string(run.exit_status) + ")" +
                    (run.first_error.empty() ? "" : ": " + run.first_error) + "; see " + o.folder +
                    "/vivado/build.log");
  }
  for (const char* f : {deploy::kOverlayBit, deploy::kOverlayHwh}) {
    if (!std::filesystem::is_regular_file(std::filesystem::path(o.folder) / f)) {
      throw Error(ErrorKind::kInput, std::string("Vivado finished but did not write ") + f +
                                         "; see " + o.folder + "/vivado/build.log");
    }
  }
  std::cout << "built " << o.folder << "/" << deploy::kOverlayBit << " and " << o.folder << "/"
            << deploy::kOverlayHwh << " in " << elapsed() << " s\nnext: nnfpga report " << o.folder
            << std::endl;
}

}  // namespace

Command add_build_command(CLI::App& app) {
  auto options = std::make_shared<BuildOptions>();
  CLI::App* cmd = app.add_subcommand(
      "build",
      "Run Vivado on a deployment folder (convert --board): IP, block design, bitstream, and the "
      "overlay's .bit and .hwh");
  cmd->add_option("FOLDER", options->folder, "deployment folder written by convert --board")
      ->required();
  cmd->add_option("--vivado", options->vivado,
                  "the vivado executable, or its installation folder (default: vivado on PATH)");
  cmd->add_option("--jobs", options->jobs, "parallel jobs for synthesis and implementation")
      ->check(CLI::PositiveNumber);
  return {cmd, [options] { run_build(*options); }};
}

}  // namespace nnfpga::cli
