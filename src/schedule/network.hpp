// A dataflow network of streaming processes, as the schedule sees it: processes that read and
// write streams of beats in a fixed token order, and the streams between them. Both backends
// describe what they build in these terms (src/plan/ for the HLS dataflow, the Verilog writer for
// its streaming RTL) and ask the schedule (schedule.hpp) when each beat moves and how deep each
// FIFO must be.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nnfpga::schedule {

// The end of a stream that is a port of the top function instead of a process.
inline constexpr int kPort = -1;

struct Stream {
  std::string name;        // for messages: "producer -> consumer"
  int producer = kPort;    // index into Network::processes, or kPort (a graph input)
  int consumer = kPort;    // index into Network::processes, or kPort (a graph output)
  std::int64_t beats = 1;  // beats per sample
};

// One process and its token order per sample: for output beat o = 0, 1, ... it first reads, input
// by input in `inputs` order, every beat up to need[k][o] of input k (a count, non-decreasing in
// o), then writes beat o to every stream of `outputs` in that order. After the last output it reads
// what is left of each input. This is contract item 2 ("eager raster") in data: token_order.hpp
// fills `need` from an op's geometry.
struct Process {
  std::string name;
  std::vector<int> inputs;   // stream indices, in the order a step reads them
  std::vector<int> outputs;  // stream indices; each carries the same out_beats
  std::int64_t out_beats = 1;
  std::vector<std::vector<std::int64_t>> need;  // [input k][output beat o]
  // The timing model: a new input beat every cycles_per_read cycles at best (the reuse factor of
  // a per-pixel product, 1 otherwise), a new output beat every cycles_per_write cycles at best (a
  // folded product that takes that many cycles per output, as the Verilog backend's does), and
  // `latency` cycles from the read that completes an output beat's inputs to that beat's arrival
  // in the output FIFO.
  std::int64_t cycles_per_read = 1;
  std::int64_t latency = 1;
  std::int64_t cycles_per_write = 1;  // last: positional initializers of the fields above stay
};

// Processes in a topological order (every stream's producer before its consumer).
struct Network {
  std::vector<Process> processes;
  std::vector<Stream> streams;
};

}  // namespace nnfpga::schedule
