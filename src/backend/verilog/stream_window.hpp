// How a streaming layer reads its input stream (docs/verilog.md, "Streaming CNNs"): for each
// output beat, how many input beats it waits for (the schedule's token order, the same numbers the
// FIFO depths come from), and which recent input beat each element of its window is. A window op
// (convolution, pool, Flatten's gather) keeps the beats it still needs in a line buffer, a shift
// register that moves on every read; element e of output o is the beat need[o] - 1 - p_e reads
// back (p_e its input position), one further when the write does not share its cycle with the
// read that completed it. Outputs with the same taps share a "case", so the RTL selects each
// element from a few taps by a small case ROM, not from the whole buffer.
#pragma once

#include <cstdint>
#include <vector>

#include "ir/graph.hpp"

namespace nnfpga::backend::verilog {

struct StreamReads {
  std::int64_t in_beats = 1;
  std::int64_t out_beats = 1;
  std::vector<std::int64_t> need;  // [o]: input beats read before output beat o is written
  // One output per input beat, computed from that beat alone: no line buffer, no window.
  bool per_position = false;
  // Window ops: beats per window, in the order the per-pixel function takes them (the im2col
  // order: kh, then kw), and per case the tap of each element (need[o] - 1 - p), or kPadding.
  std::int64_t elements = 1;
  std::vector<std::vector<std::int64_t>> case_taps;
  std::vector<int> case_of;             // [o]: the case of output beat o
  std::vector<std::int64_t> case_real;  // [case]: its elements not on padding (an average's count)
  std::int64_t buffer_beats = 0;        // line buffer length: the largest tap + 1
  // The tail: the outputs written after the sample's last read (a 'same' window's bottom rows),
  // from output tail_first, the first with need = in_beats. With tail_shifts, the buffer also
  // moves on each tail write after the first (no read can share those cycles but the next
  // sample's at the last write, which moves it once), so that the tail's taps stay those of the
  // rows above instead of sliding over the whole buffer; what moves in is never read. A buffer
  // with RAM delay lines needs it (line_buffer.hpp): a RAM is read at one place only.
  std::int64_t tail_first = 0;
  bool tail_shifts = false;
};

inline constexpr std::int64_t kPadding = -1;

// The reads of `node` as a streaming process, with the tail shifts above when `tail_shifts`. Throws
// nnfpga::Error (kUnsupported) naming the node when its op cannot stream in this backend (merge
// inputs of other positions, a Reshape that moves values between positions), with the reason.
StreamReads stream_reads(const ir::Node& node, bool tail_shifts = false);

}  // namespace nnfpga::backend::verilog
