// `nnfpga convert MODEL --board B -o DIR`: the deployment folder (the board contract,
// docs/board.md):
//   deploy.json                  the facts the driver reads (deploy_facts.hpp)
//   README.md                    the folder, the packing and the next steps, for a person
//   ip/rtl/*.v, ip/nnfpga/       the Verilog backend's project, plus the wrapper <top>_board.v
//   vivado/*.tcl                 settings.tcl (this model and board) and boardlib/vivado/
//   overlay/                     empty until `nnfpga build`: nnfpga.bit, nnfpga.hwh
//   driver/nnfpga_board/         the Python driver, from boardlib/driver/
#pragma once

#include <string>
#include <vector>

#include "backend/backend.hpp"
#include "deploy/boards.hpp"
#include "deploy/deploy_facts.hpp"
#include "ir/graph.hpp"

namespace nnfpga::deploy {

struct DeployOptions {
  Board board;
  int beat_bits = 64;
  std::string backend = "verilog";
  std::string top;  // the accelerator's top; empty: choose_top
};

struct DeployFolder {
  std::string dir;
  DeployFacts facts;
  std::vector<std::string> files;  // relative paths written, in order
  backend::EstimateReport estimate;
  std::string summary;  // what `nnfpga convert --board` prints
};

// Writes the folder. The graph's part and clock are the board's (options.board). Throws
// nnfpga::Error: kUnsupported for a backend other than verilog, a graph the Verilog backend
// refuses (every node named), several inputs or outputs, elements wider than 64 bits; kInput
// for a beat width other than 32, 64 or 128 or a folder that cannot be written.
DeployFolder write_deploy(const ir::Graph& graph, const std::string& dir,
                          const DeployOptions& options);

}  // namespace nnfpga::deploy
