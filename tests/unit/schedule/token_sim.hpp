// A brute-force token-level simulation of a dataflow network with bounded FIFOs, independent of
// schedule.cpp: every process steps through its token order one action at a time, a read blocked
// on an empty FIFO, a write on a full one, until every process is done (no deadlock) or none can
// move (deadlock). Bounded Kahn networks block the same way whatever the interleaving, so one
// greedy interleaving decides. The smallest deadlock-free depth of a FIFO is found by search.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "schedule/network.hpp"

namespace nnfpga::schedule::testing {

struct TokenSimResult {
  bool deadlock = false;
  std::vector<std::string> blocked;  // "<process> waits on <stream>"
};

// One action of a process: read input k, or write output j.
struct Action {
  bool read;
  int index;
};

inline std::vector<Action> actions_of(const Network& net, const Process& p) {
  std::vector<Action> a;
  std::vector<std::int64_t> count(p.inputs.size(), 0);
  auto read_to = [&](std::size_t k, std::int64_t n) {
    for (; count[k] < n; ++count[k]) a.push_back({true, static_cast<int>(k)});
  };
  for (std::int64_t o = 0; o < p.out_beats; ++o) {
    for (std::size_t k = 0; k < p.inputs.size(); ++k)
      read_to(k, p.need[k][static_cast<std::size_t>(o)]);
    for (std::size_t j = 0; j < p.outputs.size(); ++j) a.push_back({false, static_cast<int>(j)});
  }
  for (std::size_t k = 0; k < p.inputs.size(); ++k) {
    read_to(k, net.streams[static_cast<std::size_t>(p.inputs[k])].beats);
  }
  return a;
}

// `depth[i]` bounds stream i (ignored for ports: a graph input always has its next beat, a graph
// output always takes one).
inline TokenSimResult simulate_tokens(const Network& net, const std::vector<std::int64_t>& depth,
                                      int samples = 2) {
  std::vector<std::vector<Action>> acts;
  for (const Process& p : net.processes) acts.push_back(actions_of(net, p));
  std::vector<std::size_t> pc(net.processes.size(), 0);
  std::vector<int> sample(net.processes.size(), 0);
  std::vector<std::int64_t> fill(net.streams.size(), 0);
  auto port = [](int end) { return end == kPort; };
  for (;;) {
    bool moved = false, done = true;
    for (std::size_t p = 0; p < net.processes.size(); ++p) {
      const Process& proc = net.processes[p];
      while (sample[p] < samples) {
        const Action& a = acts[p][pc[p]];
        const std::size_t s =
            static_cast<std::size_t>(a.read ? proc.inputs[a.index] : proc.outputs[a.index]);
        if (a.read) {
          if (!port(net.streams[s].producer)) {
            if (fill[s] == 0) break;
            --fill[s];
          }
        } else if (!port(net.streams[s].consumer)) {
          if (fill[s] >= depth[s]) break;
          ++fill[s];
        }
        moved = true;
        if (++pc[p] == acts[p].size()) {
          pc[p] = 0;
          ++sample[p];
        }
      }
      done = done && sample[p] == samples;
    }
    if (done) return {};
    if (!moved) {
      TokenSimResult r{true, {}};
      for (std::size_t p = 0; p < net.processes.size(); ++p) {
        if (sample[p] == samples) continue;
        const Action& a = acts[p][pc[p]];
        const int s = a.read ? net.processes[p].inputs[a.index] : net.processes[p].outputs[a.index];
        r.blocked.push_back(net.processes[p].name + " waits on " +
                            net.streams[static_cast<std::size_t>(s)].name);
      }
      return r;
    }
  }
}

// The smallest depth of stream `i` that does not deadlock, the other FIFOs at `depth`; -1 when
// even a FIFO holding both samples deadlocks (another FIFO is too small).
inline std::int64_t smallest_deadlock_free_depth(const Network& net,
                                                 std::vector<std::int64_t> depth, std::size_t i) {
  for (std::int64_t d = 1; d <= 2 * net.streams[i].beats + 1; ++d) {
    depth[i] = d;
    if (!simulate_tokens(net, depth).deadlock) return d;
  }
  return -1;
}

}  // namespace nnfpga::schedule::testing
