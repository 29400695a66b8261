// The static schedule of a dataflow network (network.hpp) and the FIFO depths that follow from it.
//
// Every process runs its token order (contract item 2) under the timing model (item 3): reads of
// one input at least cycles_per_read apart, at most one output beat written per cycle, an output
// beat visible `latency` cycles after it is written, and a beat readable the cycle after it became
// visible. Times are computed as soon as possible, process by process in topological order, from
// the times of the beats each action waits for (a max-plus recurrence: no search, no iteration).
//
// Two runs give the depth of every FIFO (docs/hls.md, "FIFO depths"):
// - the order run (every latency 0, one read per cycle, one sample as fast as the input allows):
//   its largest occupancy per FIFO is enough for the token order alone, so the network cannot
//   deadlock with it, whatever the timing;
// - the throughput run (the timing model, three samples, the input paced at the model's interval
//   evenly over its beats): its largest occupancy per FIFO lets every process keep the schedule
//   that sustains that interval.
// A FIFO gets the larger of the two. Both are occupancies of executions in which every FIFO is
// unbounded, so FIFOs of those depths let the same execution happen with them bounded.
#pragma once

#include <cstdint>
#include <vector>

#include "schedule/network.hpp"

namespace nnfpga::schedule {

struct ProcessTiming {
  std::int64_t interval = 1;    // cycles of one sample at full rate (process_interval)
  std::int64_t first_read = 0;  // of the first sample, FIFOs unbounded, input at full speed
  std::int64_t last_write = 0;  // the cycle its last output beat of that sample becomes visible
};

struct Schedule {
  // Cycles between samples at full throughput: the slowest process's interval (or the input's
  // beats, when every process is faster than one beat per cycle).
  std::int64_t interval = 1;
  // Cycles from the first input beat of a sample to its last output beat, FIFOs unbounded and the
  // input at one beat per cycle.
  std::int64_t latency = 0;
  std::vector<ProcessTiming> processes;  // per process of the network
  // Per stream (0 for a port): the depth the token order needs, the depth the throughput run
  // needs, and the larger of the two.
  std::vector<std::int64_t> order_depth;
  std::vector<std::int64_t> throughput_depth;
  std::vector<std::int64_t> fifo_depth;
};

// Throws nnfpga::Error (kInternal) naming the process when the network is not topologically
// ordered, a stream is read or written by the wrong process, or a token order does not match its
// streams (need not non-decreasing, above an input's beats, or not one entry per output beat).
Schedule compute_schedule(const Network& network);

// A process's interval: the cycles between samples of its token order when every input beat is
// ready, reads of an input cycles_per_read apart and writes cycles_per_write apart. At least the
// beats of each input times cycles_per_read, and its output beats; more when outputs follow the
// last read (a 'same' convolution's last row) or a step reads several beats of one input between
// writes.
std::int64_t process_interval(const Network& network, const Process& process);

}  // namespace nnfpga::schedule
