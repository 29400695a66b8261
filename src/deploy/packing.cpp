#include "deploy/packing.hpp"

#include <fmt/format.h>
#include <algorithm>

#include "nnfpga/error.hpp"

namespace nnfpga::deploy {

StreamPacking pack_stream(const std::string& tensor, std::int64_t count,
                          const fixed::FixedType& type, int beat_bits) {
  if (std::find(std::begin(kBeatBitChoices), std::end(kBeatBitChoices), beat_bits) ==
      std::end(kBeatBitChoices)) {
    throw Error(ErrorKind::kInput,
                fmt::format("--beat-bits {} is not a stream width the package builds: give 32, "
                            "64 or 128",
                            beat_bits));
  }
  StreamPacking p;
  p.count = count;
  p.type = type;
  p.beat_bits = beat_bits;
  if (type.width > 64) {
    throw Error(ErrorKind::kUnsupported,
                fmt::format("tensor '{}' has {}-bit elements; the stream packing carries elements "
                            "of up to 64 bits (a NumPy integer)",
                            tensor, type.width),
                {.node = tensor});
  }
  p.lane_bits = 8;
  while (p.lane_bits < type.width) p.lane_bits *= 2;
  if (p.lane_bits > beat_bits) {
    throw Error(ErrorKind::kUnsupported,
                fmt::format("tensor '{}' needs {}-bit lanes for its {}-bit elements, wider than "
                            "the {}-bit beats: give --beat-bits {} or more",
                            tensor, p.lane_bits, type.width, beat_bits, p.lane_bits),
                {.node = tensor});
  }
  p.elements_per_beat = beat_bits / p.lane_bits;
  p.beats_per_sample = (count + p.elements_per_beat - 1) / p.elements_per_beat;
  return p;
}

}  // namespace nnfpga::deploy
