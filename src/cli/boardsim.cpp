// nnfpga boardsim: a deployment folder's driver, unchanged, against its RTL behind a simulated
// AXI DMA, compared with the emulator.
#include "boardsim/boardsim.hpp"

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::cli {
namespace {

struct BoardsimCliOptions {
  std::string deploy;
  boardsim::BoardsimOptions sim;
};

void run_boardsim_command(BoardsimCliOptions o) {
  if (const char* python = std::getenv("NNFPGA_PYTHON"); python != nullptr && *python != '\0') {
    if (o.sim.python == "python3") o.sim.python = python;
  }
  const boardsim::BoardsimReport r = boardsim::run_boardsim(o.deploy, o.sim);
  std::cout << r.text;
  if (!r.ok()) {
    throw Error(ErrorKind::kInternal,
                "the simulated board and the emulator differ: a bug in the driver, the board "
                "wrapper or nnfpga (or an edited driver in " +
                    o.deploy + "/driver/); please report it with the model");
  }
}

}  // namespace

Command add_boardsim_command(CLI::App& app) {
  auto options = std::make_shared<BoardsimCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "boardsim",
      "Run a deployment folder's Python driver, unchanged, against its RTL under Verilator "
      "behind a cycle-level AXI DMA model; compare with the emulator and report the cycles");
  cmd->add_option("DEPLOY", options->deploy,
                  "directory written by nnfpga convert MODEL --board BOARD")
      ->required();
  cmd->add_option("-n,--samples", options->sim.samples, "number of input samples (1000)");
  cmd->add_option("--seed", options->sim.seed, "seed of the random inputs");
  cmd->add_option(
      "--python", options->sim.python,
      "Python interpreter with NumPy that runs the driver (python3, or $NNFPGA_PYTHON)");
  return {cmd, [options] { run_boardsim_command(*options); }};
}

}  // namespace nnfpga::cli
