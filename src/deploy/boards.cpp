// The board table. Parts and board parts as the boards' vendors publish them (TUL for the
// Pynq-Z2, AMD for the KV260 and ZCU104); the PS IP versions are those of Vivado 2022.2.
#include "deploy/boards.hpp"

#include <algorithm>
#include <cctype>

#include "nnfpga/error.hpp"

namespace nnfpga::deploy {
namespace {

std::string board_name_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

constexpr const char* kPs7Ip = "xilinx.com:ip:processing_system7:5.5";
constexpr const char* kMpsocIp = "xilinx.com:ip:zynq_ultra_ps_e:3.4";

}  // namespace

const std::vector<Board>& all_boards() {
  // The Zynq-7000's HP ports are 64 bits wide; the MPSoC's HP0 FPD port is set to 128.
  static const std::vector<Board> boards = {
      {"pynq-z2", "xc7z020clg400-1", ProcessingSystem::kZynq7000, kPs7Ip,
       "tul.com.tw:pynq-z2:part0:*", 64, 100.0},
      {"kv260", "xck26-sfvc784-2LV-c", ProcessingSystem::kZynqMpsoc, kMpsocIp,
       "xilinx.com:kv260_som:part0:*", 128, 100.0},
      {"zcu104", "xczu7ev-ffvc1156-2-e", ProcessingSystem::kZynqMpsoc, kMpsocIp,
       "xilinx.com:zcu104:part0:*", 128, 100.0},
  };
  return boards;
}

const Board& find_board(std::string_view name) {
  const std::string wanted = board_name_lower(name);
  std::string known;
  for (const Board& b : all_boards()) {
    if (b.name == wanted) return b;
    known += (known.empty() ? "" : ", ") + b.name;
  }
  throw Error(ErrorKind::kUnsupported, "unknown board '" + std::string(name) +
                                           "': the boards are " + known +
                                           " (or give a Zynq part with --part)");
}

Board board_for_part(const std::string& part, double clock_mhz) {
  const std::string p = board_name_lower(part);
  Board b;
  b.name = "custom";
  b.part = part;
  b.clock_mhz = clock_mhz;
  if (p.rfind("xc7z", 0) == 0) {
    b.ps = ProcessingSystem::kZynq7000;
    b.ps_ip = kPs7Ip;
    b.hp_port_bits = 64;
  } else if (p.rfind("xczu", 0) == 0 || p.rfind("xck", 0) == 0) {
    b.ps = ProcessingSystem::kZynqMpsoc;
    b.ps_ip = kMpsocIp;
    b.hp_port_bits = 128;
  } else {
    throw Error(ErrorKind::kUnsupported,
                "part '" + part +
                    "' has no processing system: the deployment package needs a Zynq-7000 "
                    "(xc7z...) or Zynq UltraScale+ (xczu..., xck...) part, whose processor runs "
                    "the driver and whose DMA feeds the accelerator");
  }
  return b;
}

std::string_view ps_label(ProcessingSystem ps) {
  return ps == ProcessingSystem::kZynq7000 ? "zynq-7000" : "zynq-ultrascale+";
}

}  // namespace nnfpga::deploy
