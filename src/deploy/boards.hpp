// The boards a deployment folder targets, in one table: the part, the processing system (its IP
// and the Vivado board part whose preset configures it), the width of the PS port the DMA writes
// memory through, and the default fabric clock. `--part` with a Zynq part gives a board without a
// preset.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nnfpga::deploy {

enum class ProcessingSystem {
  kZynq7000,   // processing_system7: M_AXI_GP0 for registers, S_AXI_HP0 for the DMA
  kZynqMpsoc,  // zynq_ultra_ps_e: M_AXI_HPM0_FPD for registers, S_AXI_HP0_FPD for the DMA
};

struct Board {
  std::string name;  // "pynq-z2"; "custom" for --part
  std::string part;  // the FPGA part, as Vivado names it
  ProcessingSystem ps = ProcessingSystem::kZynq7000;
  // The PS's IP (vendor:library:name:version) the Tcl instantiates; a newer installed version of
  // the same IP is taken when this one is missing.
  std::string ps_ip;
  // The Vivado board part (pattern) whose preset configures the PS (DDR, MIO, clocks); empty for
  // --part. Board files may need installing (docs/board.md): without them the Tcl says so and
  // keeps the IP's defaults plus the ports it needs.
  std::string board_part;
  int hp_port_bits = 64;     // the PS's high-performance slave port width
  double clock_mhz = 100.0;  // default fabric clock
};

// Every board `--board` knows, in the order `--help` lists them.
const std::vector<Board>& all_boards();

// The board named `name` (case-insensitive). Throws nnfpga::Error (kUnsupported) listing the
// boards there are.
const Board& find_board(std::string_view name);

// A board for `--part`: the processing system follows the part's family (xc7z: Zynq-7000, xczu or
// xck: Zynq UltraScale+), no preset. Throws nnfpga::Error (kUnsupported) for a part without a
// processing system, which the deployment package needs to run its driver.
Board board_for_part(const std::string& part, double clock_mhz);

// "processing_system7" or "zynq_ultra_ps_e" style label for messages and deploy.json.
std::string_view ps_label(ProcessingSystem ps);

}  // namespace nnfpga::deploy
