// The part table. Numbers from AMD's product tables: DS190 (Zynq-7000), DS891 (Zynq UltraScale+
// MPSoC), DS890 (UltraScale+ FPGAs), DS962 (Alveo U250, an XCVU13P-class device). BRAM18 is twice
// the BRAM36 count those tables give.
#include "estimate/part_capacity.hpp"

#include <algorithm>
#include <cctype>

namespace nnfpga::estimate {

const std::vector<PartCapacity>& known_parts() {
  static const std::vector<PartCapacity> parts = {
      {"xc7z020", "Pynq-Z2, ZedBoard", 53200, 106400, 220, 280},
      {"xczu3eg", "Ultra96", 70560, 141120, 360, 432},
      {"xczu7ev", "ZCU104", 230400, 460800, 1728, 624},
      {"xczu9eg", "ZCU102", 274080, 548160, 2520, 1824},
      {"xcvu9p", "VCU118", 1182240, 2364480, 6840, 4320},
      {"xcvu13p", "", 1728000, 3456000, 12288, 5376},
      {"xcu250", "Alveo U250", 1728000, 3456000, 12288, 5376},
  };
  return parts;
}

std::optional<PartCapacity> find_part(const std::string& part) {
  std::string p;
  for (char c : part) p += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const PartCapacity& c : known_parts()) {
    if (p.rfind(c.device, 0) == 0) return c;
  }
  return std::nullopt;
}

}  // namespace nnfpga::estimate
