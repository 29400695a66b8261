#include "deploy/vivado_settings.hpp"

#include <fmt/format.h>

namespace nnfpga::deploy {
namespace {

// A Tcl word that stays one word whatever it holds (identifiers and paths here hold no braces:
// they are sanitized Verilog names and nnfpga's own relative paths).
std::string tcl_braced(const std::string& s) {
  return "{" + s + "}";
}

}  // namespace

std::string ip_vlnv(const std::string& wrapper) {
  return "nnfpga.local:nnfpga:" + wrapper + ":1.0";
}

std::string vivado_settings_tcl(const Board& board, const DeployFacts& f,
                                const std::vector<std::string>& rtl_files) {
  std::string files;
  for (const std::string& r : rtl_files) files += " \\\n    " + tcl_braced(r);
  const std::string wrapper = f.top + "_board";
  std::string t =
      "# Written by nnfpga convert --board: what the other scripts of this folder read. "
      "deploy.json\n"
      "# states the same facts for the driver.\n";
  t += fmt::format("set nnfpga_board {}\n", tcl_braced(board.name));
  t += fmt::format("set nnfpga_part {}\n", tcl_braced(board.part));
  t += fmt::format("set nnfpga_board_part {}\n", tcl_braced(board.board_part));
  t += fmt::format("set nnfpga_ps {}\n", ps_label(board.ps));
  t += fmt::format("set nnfpga_ps_ip {}\n", board.ps_ip);
  t += fmt::format("set nnfpga_hp_bits {}\n", board.hp_port_bits);
  t += fmt::format("set nnfpga_clock_mhz {}\n", f.clock_mhz);
  t += fmt::format("set nnfpga_top {}\n", f.top);
  t += fmt::format("set nnfpga_wrapper {}\n", wrapper);
  t += fmt::format("set nnfpga_ip_vlnv {}\n", ip_vlnv(wrapper));
  t += fmt::format("set nnfpga_ctrl_cell {}\n", kControlCell);
  t += fmt::format("set nnfpga_dma_cell {}\n", kDmaCell);
  t += "# The DMA's widths are the accelerator's stream widths (s_axis_tdata, m_axis_tdata).\n";
  t += fmt::format("set nnfpga_mm2s_bits {}\n", f.input.packing.beat_bits);
  t += fmt::format("set nnfpga_s2mm_bits {}\n", f.output.packing.beat_bits);
  t += fmt::format("set nnfpga_dma_length_bits {}\n", kDmaLengthBits);
  t += "set nnfpga_rtl_files [list" + files + "]\n";
  return t;
}

}  // namespace nnfpga::deploy
