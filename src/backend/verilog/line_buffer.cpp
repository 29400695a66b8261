// plan_line_buffer: which taps of a window op's line buffer stay in registers and which unread
// stretches become RAM delay lines (line_buffer.hpp).
#include "backend/verilog/line_buffer.hpp"

#include <algorithm>
#include <set>

namespace nnfpga::backend::verilog {
namespace {

std::int64_t line_ceil_div(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

}  // namespace

LineStorage line_storage(std::int64_t beats, std::int64_t beat_bits) {
  const std::int64_t bits = beats * beat_bits;
  if (beats < kLineRamMinBeats || bits < kLineRamMinBits) return LineStorage::kRegisters;
  if (bits >= kLineBlockRamMinBits || beats > kLineLutRamMaxBeats) return LineStorage::kBlockRam;
  return LineStorage::kLutRam;
}

std::vector<LineSegment> plan_line_buffer(const StreamReads& reads, std::int64_t beat_bits) {
  // The taps some element reads: its case's tap, and one further back (a write without a read).
  std::set<std::int64_t> read_taps;
  for (const std::vector<std::int64_t>& taps : reads.case_taps) {
    for (std::int64_t k : taps) {
      if (k == kPadding) continue;
      if (k >= 1) read_taps.insert(k);
      read_taps.insert(k + 1);
    }
  }
  std::vector<LineSegment> segments;
  std::int64_t previous = 0;  // the last read tap placed (0: the beat on in_data)
  for (std::int64_t k : read_taps) {
    const std::int64_t gap = k - previous - 1;
    if (gap > 0 && line_storage(gap, beat_bits) != LineStorage::kRegisters) {
      segments.push_back(
          {.first = previous + 1, .last = k - 1, .storage = line_storage(gap, beat_bits)});
      segments.push_back({.first = k, .last = k});
    } else if (segments.empty() || segments.back().storage != LineStorage::kRegisters) {
      segments.push_back({.first = previous + 1, .last = k});
    } else {
      segments.back().last = k;
    }
    previous = k;
  }
  return segments;
}

bool has_ram(const std::vector<LineSegment>& segments) {
  return std::any_of(segments.begin(), segments.end(),
                     [](const LineSegment& g) { return g.storage != LineStorage::kRegisters; });
}

std::int64_t line_lut_ram_luts(std::int64_t beats, std::int64_t beat_bits) {
  if (beats <= 32) return 4 * line_ceil_div(beat_bits, 8);
  return line_ceil_div(beats, 64) * beat_bits;
}

std::int64_t line_block_ram18(std::int64_t beats, std::int64_t beat_bits) {
  return line_ceil_div(beat_bits, 36) * line_ceil_div(beats, 512);
}

}  // namespace nnfpga::backend::verilog
