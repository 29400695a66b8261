// What a part holds (AMD's data sheets), to print an estimate against it: the LUTs, flip-flops,
// DSP slices and BRAM18 blocks (a BRAM36 counts as two) of the parts users build for.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nnfpga::estimate {

struct PartCapacity {
  std::string device;  // "xc7z020", matched as a prefix of the part string (xc7z020clg400-1)
  std::string board;   // a board that carries it, for messages ("Pynq-Z2"); may be empty
  std::int64_t lut = 0;
  std::int64_t ff = 0;
  std::int64_t dsp = 0;
  std::int64_t bram18 = 0;
};

// Every part of the table, most specific device name first.
const std::vector<PartCapacity>& known_parts();

// The part whose device name starts the part string (case-insensitive), or nothing.
std::optional<PartCapacity> find_part(const std::string& part);

}  // namespace nnfpga::estimate
