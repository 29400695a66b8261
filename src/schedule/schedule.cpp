// compute_schedule: the ASAP times of every read and write (schedule.hpp), run twice, and the FIFO
// depths from the occupancies they reach.
#include "schedule/schedule.hpp"

#include <algorithm>
#include <limits>

#include "nnfpga/error.hpp"

namespace nnfpga::schedule {
namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::min() / 4;
// Vitis HLS's default FIFO depth: a FIFO shallower than 2 would gain nothing (an SRL holds two
// beats at the cost of one) and is a depth the tools warn about.
constexpr std::int64_t kMinimumDepth = 2;

struct RunMode {
  bool timed = true;      // the timing model; false: latency 0, one read per cycle
  int samples = 1;        // consecutive samples
  std::int64_t pace = 0;  // cycles per sample of the input ports; 0: one beat per cycle
};

// Per stream: when each beat becomes visible (written) and when it is read, over every sample.
struct Trace {
  std::vector<std::vector<std::int64_t>> visible;
  std::vector<std::vector<std::int64_t>> read;
  std::vector<ProcessTiming> processes;
};

[[noreturn]] void bad_network(const std::string& process, const std::string& why) {
  throw Error(ErrorKind::kInternal, "dataflow network: " + why, {.node = process});
}

void check_network(const Network& net) {
  for (std::size_t p = 0; p < net.processes.size(); ++p) {
    const Process& proc = net.processes[p];
    if (proc.need.size() != proc.inputs.size()) {
      bad_network(proc.name, "one token order per input expected");
    }
    if (proc.out_beats < 1 || proc.cycles_per_read < 1 || proc.cycles_per_write < 1 ||
        proc.latency < 0) {
      bad_network(proc.name,
                  "out_beats, cycles_per_read and cycles_per_write must be >= 1, latency >= 0");
    }
    for (std::size_t k = 0; k < proc.inputs.size(); ++k) {
      const Stream& s = net.streams.at(static_cast<std::size_t>(proc.inputs[k]));
      if (s.consumer != static_cast<int>(p)) bad_network(proc.name, "reads " + s.name);
      if (s.producer != kPort && s.producer >= static_cast<int>(p)) {
        bad_network(proc.name, "reads " + s.name + " before its producer runs");
      }
      const std::vector<std::int64_t>& need = proc.need[k];
      if (static_cast<std::int64_t>(need.size()) != proc.out_beats) {
        bad_network(proc.name, "token order of " + s.name + " has the wrong length");
      }
      std::int64_t prev = 0;
      for (std::int64_t n : need) {
        if (n < prev || n > s.beats) {
          bad_network(proc.name, "token order of " + s.name + " is not a count of its beats");
        }
        prev = n;
      }
    }
    for (int out : proc.outputs) {
      const Stream& s = net.streams.at(static_cast<std::size_t>(out));
      if (s.producer != static_cast<int>(p) || s.beats != proc.out_beats) {
        bad_network(proc.name, "writes " + s.name);
      }
    }
  }
}

// The cycle a port's beat `b` of sample `s` is offered: paced evenly over `pace` cycles a sample,
// or one beat per cycle.
std::int64_t port_time(std::int64_t beats, int s, std::int64_t b, std::int64_t pace) {
  if (pace == 0) return s * beats + b;
  return s * pace + b * pace / beats;
}

// One process's actions over every sample, in its token order, each at its earliest cycle.
void run_process(const Network& net, int p, const RunMode& mode, Trace& trace) {
  const Process& proc = net.processes[static_cast<std::size_t>(p)];
  const std::int64_t every = mode.timed ? proc.cycles_per_read : 1;
  const std::int64_t write_every = mode.timed ? proc.cycles_per_write : 1;
  const std::int64_t latency = mode.timed ? proc.latency : 0;
  std::int64_t cur = 0;
  std::int64_t last_write = kNever;
  std::vector<std::int64_t> last_read(proc.inputs.size(), kNever);
  ProcessTiming& timing = trace.processes[static_cast<std::size_t>(p)];
  for (int s = 0; s < mode.samples; ++s) {
    std::vector<std::int64_t> count(proc.inputs.size(), 0);
    auto read_up_to = [&](std::size_t k, std::int64_t n) {
      const int id = proc.inputs[k];
      const Stream& st = net.streams[static_cast<std::size_t>(id)];
      for (; count[k] < n; ++count[k]) {
        const std::int64_t beat = s * st.beats + count[k];
        const std::int64_t ready =
            st.producer == kPort
                ? port_time(st.beats, s, count[k], mode.pace)
                : trace.visible[static_cast<std::size_t>(id)][static_cast<std::size_t>(beat)] + 1;
        const std::int64_t t = std::max({cur, ready, last_read[k] + every});
        trace.read[static_cast<std::size_t>(id)].push_back(t);
        last_read[k] = cur = t;
        if (s == 0 && beat == 0 && k == 0) timing.first_read = t;
      }
    };
    for (std::int64_t o = 0; o < proc.out_beats; ++o) {
      for (std::size_t k = 0; k < proc.inputs.size(); ++k) {
        read_up_to(k, proc.need[k][static_cast<std::size_t>(o)]);
      }
      last_write = cur = std::max(cur, last_write + write_every);
      for (int out : proc.outputs)
        trace.visible[static_cast<std::size_t>(out)].push_back(cur + latency);
      if (s == 0) timing.last_write = cur + latency;
    }
    for (std::size_t k = 0; k < proc.inputs.size(); ++k) {
      read_up_to(k, net.streams[static_cast<std::size_t>(proc.inputs[k])].beats);
    }
  }
}

Trace run(const Network& net, const RunMode& mode) {
  Trace trace;
  trace.visible.resize(net.streams.size());
  trace.read.resize(net.streams.size());
  trace.processes.resize(net.processes.size());
  for (std::size_t p = 0; p < net.processes.size(); ++p)
    run_process(net, static_cast<int>(p), mode, trace);
  return trace;
}

// The most beats a FIFO holds: after write k, the beats written so far less those read in an
// earlier cycle (a read in the write's own cycle does not free its place in time).
std::int64_t largest_occupancy(const std::vector<std::int64_t>& visible,
                               const std::vector<std::int64_t>& read) {
  std::int64_t best = 0;
  std::size_t j = 0;
  for (std::size_t k = 0; k < visible.size(); ++k) {
    while (j < read.size() && read[j] < visible[k]) ++j;
    best = std::max(best, static_cast<std::int64_t>(k + 1 - j));
  }
  return best;
}

std::vector<std::int64_t> depths(const Network& net, const Trace& trace) {
  std::vector<std::int64_t> d(net.streams.size(), 0);
  for (std::size_t i = 0; i < net.streams.size(); ++i) {
    const Stream& s = net.streams[i];
    if (s.producer == kPort || s.consumer == kPort) continue;
    d[i] = std::max(kMinimumDepth, largest_occupancy(trace.visible[i], trace.read[i]));
  }
  return d;
}

}  // namespace

std::int64_t process_interval(const Network& net, const Process& proc) {
  // Two samples with every input beat ready: the second starts when the first's last action is
  // done (its token order is strict), so their ends are one interval apart.
  std::int64_t cur = 0, last_write = kNever;
  std::vector<std::int64_t> last_read(proc.inputs.size(), kNever);
  std::int64_t end[2] = {0, 0};
  for (int s = 0; s < 2; ++s) {
    std::vector<std::int64_t> count(proc.inputs.size(), 0);
    auto read_up_to = [&](std::size_t k, std::int64_t n) {
      for (; count[k] < n; ++count[k]) {
        last_read[k] = cur = std::max(cur, last_read[k] + proc.cycles_per_read);
      }
    };
    for (std::int64_t o = 0; o < proc.out_beats; ++o) {
      for (std::size_t k = 0; k < proc.inputs.size(); ++k) {
        read_up_to(k, proc.need[k][static_cast<std::size_t>(o)]);
      }
      last_write = cur = std::max(cur, last_write + proc.cycles_per_write);
    }
    for (std::size_t k = 0; k < proc.inputs.size(); ++k) {
      read_up_to(k, net.streams.at(static_cast<std::size_t>(proc.inputs[k])).beats);
    }
    end[s] = cur;
  }
  return std::max<std::int64_t>(1, end[1] - end[0]);
}

Schedule compute_schedule(const Network& net) {
  check_network(net);
  Schedule sched;
  for (const Process& p : net.processes) {
    sched.interval = std::max(sched.interval, process_interval(net, p));
  }
  for (const Stream& s : net.streams) {
    if (s.producer == kPort) sched.interval = std::max(sched.interval, s.beats);
  }
  const Trace order = run(net, {.timed = false, .samples = 1, .pace = 0});
  // Three samples: the second overlaps the first's tail and the third shows the steady state.
  const Trace throughput = run(net, {.timed = true, .samples = 3, .pace = sched.interval});
  const Trace latency = run(net, {.timed = true, .samples = 1, .pace = 0});
  sched.order_depth = depths(net, order);
  sched.throughput_depth = depths(net, throughput);
  sched.fifo_depth.resize(net.streams.size());
  for (std::size_t i = 0; i < net.streams.size(); ++i) {
    sched.fifo_depth[i] = std::max(sched.order_depth[i], sched.throughput_depth[i]);
  }
  sched.processes = latency.processes;
  for (std::size_t p = 0; p < net.processes.size(); ++p) {
    sched.processes[p].interval = process_interval(net, net.processes[p]);
  }
  for (std::size_t i = 0; i < net.streams.size(); ++i) {
    if (net.streams[i].consumer == kPort && !latency.visible[i].empty()) {
      sched.latency = std::max(sched.latency, latency.visible[i].back() + 1);
    }
  }
  return sched;
}

}  // namespace nnfpga::schedule
