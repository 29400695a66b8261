// How a window op's line buffer (stream_window.hpp) is held on the FPGA. The buffer is the last
// buffer_beats input beats, but the window reads only a few of them: for a K_h x K_w window on
// W-wide rows, K_w taps (and the one behind each) near the head of each of the K_h rows, with
// W - K_w unread beats between the rows. Read taps stay in registers (each element multiplexes
// over them); each long unread stretch becomes a RAM delay line, a circular buffer written and
// read once per accepted input beat, so it moves exactly as the shift register it replaces.
// Which storage a stretch gets is a rule in bits (docs/verilog.md, "Line buffer and window"),
// shared by the RTL text (stream_text.cpp) and the estimate (stream_estimate.cpp), and stated to
// Yosys by the memory's ram_style attribute so that synthesis follows the same rule.
#pragma once

#include <cstdint>
#include <vector>

#include "backend/verilog/stream_window.hpp"

namespace nnfpga::backend::verilog {

enum class LineStorage { kRegisters, kLutRam, kBlockRam };

// A stretch of the buffer, taps first..last (tap k: the beat read k reads ago).
struct LineSegment {
  std::int64_t first = 1;
  std::int64_t last = 1;
  // kRegisters: a shift register of these taps. A RAM: a delay line of last - first + 1 beats,
  // written with tap first - 1; its read register is tap last + 1, the next segment's head.
  LineStorage storage = LineStorage::kRegisters;
  std::int64_t beats() const { return last - first + 1; }
};

// Stretches of fewer bits stay in registers; from this many bits they become a RAM.
inline constexpr std::int64_t kLineRamMinBits = 256;
// A RAM shallower than this is a register chain in all but name: it stays in registers.
inline constexpr std::int64_t kLineRamMinBeats = 4;
// RAMs of at least this many bits, or deeper than a RAM64, take block RAM; smaller ones LUT RAM.
inline constexpr std::int64_t kLineBlockRamMinBits = 1024;
inline constexpr std::int64_t kLineLutRamMaxBeats = 64;

// The storage of an unread stretch of `beats` beats of `beat_bits` bits, by the rule above.
LineStorage line_storage(std::int64_t beats, std::int64_t beat_bits);

// The buffer of `reads` (a window op) as segments covering taps 1..buffer_beats in order; every
// tap a window element reads (k, or k + 1 when the write does not share its cycle with a read) is
// in a register segment. A single register segment when no stretch qualifies for RAM.
std::vector<LineSegment> plan_line_buffer(const StreamReads& reads, std::int64_t beat_bits);

// Whether some segment is a RAM.
bool has_ram(const std::vector<LineSegment>& segments);

// Resources of a RAM segment of `beats` x `beat_bits` under Yosys synth_xilinx (7-series), as
// measured with Yosys 0.23: one read/write address, read before write.
// LUT RAM: a RAM32M (4 LUTs) per 8 bits up to 32 beats, a RAM64X1S (1 LUT) per bit up to 64.
std::int64_t line_lut_ram_luts(std::int64_t beats, std::int64_t beat_bits);
// Block RAM in 18 Kb units: 36 bits wide and 512 deep each (a RAMB36 counts two).
std::int64_t line_block_ram18(std::int64_t beats, std::int64_t beat_bits);

}  // namespace nnfpga::backend::verilog
