// How a sample's elements travel in AXI4-Stream beats (the board contract, docs/board.md):
// element k of the flattened tensor (channels-last, the emulator's order) sits in lane k % E of
// beat k / E; a lane is the smallest of 8, 16, 32, 64 bits that holds the element's width, and
// holds its code sign- or zero-extended; E = beat_bits / lane_bits. Equivalently element k is
// bits [k*L +: L] of the sample's beats laid end to end, so the little-endian memory of an
// int8/16/32/64 array of codes, padded per sample to whole beats, is the DMA buffer.
#pragma once

#include <cstdint>
#include <string>

#include "fixed/fixed_type.hpp"

namespace nnfpga::deploy {

// Stream widths `--beat-bits` accepts.
inline constexpr int kBeatBitChoices[] = {32, 64, 128};

struct StreamPacking {
  std::int64_t count = 0;  // elements per sample
  fixed::FixedType type;
  int lane_bits = 8;
  int beat_bits = 64;
  int elements_per_beat = 8;
  std::int64_t beats_per_sample = 1;
};

// The packing of `count` elements of `type` in beats of `beat_bits`. Throws nnfpga::Error
// (kUnsupported) naming `tensor` when an element is wider than 64 bits or its lane does not fit
// a beat, and (kInput) for a beat width outside kBeatBitChoices.
StreamPacking pack_stream(const std::string& tensor, std::int64_t count,
                          const fixed::FixedType& type, int beat_bits);

}  // namespace nnfpga::deploy
