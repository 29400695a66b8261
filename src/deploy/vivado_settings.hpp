// deploy/vivado/settings.tcl: the facts the board-independent Tcl of boardlib/vivado/ reads
// (part, processing system, clock, stream widths, cell names, the RTL files). Everything a
// model or a board changes is here, so the other scripts are the same in every folder.
#pragma once

#include <string>
#include <vector>

#include "deploy/boards.hpp"
#include "deploy/deploy_facts.hpp"

namespace nnfpga::deploy {

// Buffer length register width of the AXI DMA (PG021: 8 to 26 bits): 26 lets one transfer move
// a whole batch of up to 64 MiB.
inline constexpr int kDmaLengthBits = 26;

// The accelerator IP's vendor:library:name:version, as packaged by package_ip.tcl.
std::string ip_vlnv(const std::string& wrapper);

// The text of settings.tcl. `rtl_files` are relative to the deployment folder, in dependency
// order.
std::string vivado_settings_tcl(const Board& board, const DeployFacts& facts,
                                const std::vector<std::string>& rtl_files);

}  // namespace nnfpga::deploy
