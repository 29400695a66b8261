// A timed simulation of a dataflow network with bounded FIFOs, independent of schedule.cpp: the
// timing model of docs/hls.md with back-pressure (a beat enters a FIFO only once the beat `depth`
// places ahead of it has left, in an earlier cycle) and the input at one beat per cycle. The times
// are the least solution of that max-plus system, found by sweeping over the processes until no
// time moves; a deadlock shows as times that never settle.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "schedule/network.hpp"

namespace nnfpga::schedule::testing {

struct TimedRun {
  bool settled = false;
  // Per stream, over every sample: when each beat became visible and when it was read.
  std::vector<std::vector<std::int64_t>> visible, read;
};

inline TimedRun simulate_timed(const Network& net, const std::vector<std::int64_t>& depth,
                               int samples, int max_sweeps = 10000) {
  constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::min() / 4;
  TimedRun run;
  run.visible.resize(net.streams.size());
  run.read.resize(net.streams.size());
  for (std::size_t i = 0; i < net.streams.size(); ++i) {
    const auto n = static_cast<std::size_t>(net.streams[i].beats * samples);
    run.visible[i].assign(n, kNever);
    run.read[i].assign(n, kNever);
  }
  for (int sweep = 0; sweep < max_sweeps; ++sweep) {
    bool moved = false;
    auto set = [&moved](std::int64_t& slot, std::int64_t t) {
      if (slot != t) moved = true;
      slot = t;
    };
    for (const Process& p : net.processes) {
      std::int64_t cur = 0, last_write = kNever;
      std::vector<std::int64_t> last_read(p.inputs.size(), kNever);
      for (int s = 0; s < samples; ++s) {
        std::vector<std::int64_t> count(p.inputs.size(), 0);
        auto read_to = [&](std::size_t k, std::int64_t n) {
          const auto id = static_cast<std::size_t>(p.inputs[k]);
          const Stream& st = net.streams[id];
          for (; count[k] < n; ++count[k]) {
            const std::int64_t beat = s * st.beats + count[k];
            const std::int64_t ready =
                st.producer == kPort ? beat : run.visible[id][static_cast<std::size_t>(beat)] + 1;
            cur = std::max({cur, ready, last_read[k] + p.cycles_per_read});
            last_read[k] = cur;
            set(run.read[id][static_cast<std::size_t>(beat)], cur);
          }
        };
        for (std::int64_t o = 0; o < p.out_beats; ++o) {
          for (std::size_t k = 0; k < p.inputs.size(); ++k) {
            read_to(k, p.need[k][static_cast<std::size_t>(o)]);
          }
          std::int64_t t = std::max(cur, last_write + p.cycles_per_write);
          const std::int64_t beat = s * p.out_beats + o;
          for (int out : p.outputs) {
            const auto id = static_cast<std::size_t>(out);
            const std::int64_t d = depth[id];
            if (net.streams[id].consumer != kPort && beat >= d) {
              t = std::max(t, run.read[id][static_cast<std::size_t>(beat - d)] + 1 - p.latency);
            }
          }
          last_write = cur = t;
          for (int out : p.outputs) {
            set(run.visible[static_cast<std::size_t>(out)][static_cast<std::size_t>(beat)],
                t + p.latency);
          }
        }
        for (std::size_t k = 0; k < p.inputs.size(); ++k) {
          read_to(k, net.streams[static_cast<std::size_t>(p.inputs[k])].beats);
        }
      }
    }
    if (!moved) {
      run.settled = true;
      return run;
    }
  }
  return run;
}

// The cycles between the last output beats of the last two samples (steady state).
inline std::int64_t measured_interval(const Network& net, const TimedRun& run) {
  std::int64_t interval = 0;
  for (std::size_t i = 0; i < net.streams.size(); ++i) {
    if (net.streams[i].consumer != kPort || net.streams[i].producer == kPort) continue;
    const std::vector<std::int64_t>& v = run.visible[i];
    const auto b = static_cast<std::size_t>(net.streams[i].beats);
    interval = std::max(interval, v[v.size() - 1] - v[v.size() - 1 - b]);
  }
  return interval;
}

}  // namespace nnfpga::schedule::testing
