// One interface for every code generator, and the registry that finds them by name. A backend
// checks a typed graph (every node it cannot write, named at once), writes its project, verifies
// a written project bit for bit against the emulator (csim, rtlsim) and estimates what it would
// build. The CLI, the public API and Python reach the backends only through this interface, so
// a new backend (a board package, a streaming variant) is one more row in registry.cpp.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "ir/graph.hpp"
#include "plan/plan.hpp"

namespace nnfpga::backend {

struct WriteOptions {
  std::string top;  // top function or module name; empty: choose_top (project_files.hpp)
  // The implementation plan to build (a tuner's edit of plan::make_plan(graph)); nullptr: the
  // graph's own. A backend that cannot build the plan refuses it.
  const plan::Plan* plan = nullptr;
};

// What a backend estimates for a typed graph, in the units every backend shares. `table` and
// `json` carry the backend's own per-layer detail.
struct EstimateReport {
  double clock_period_ns = 0;
  std::int64_t latency_cycles = 0;   // first input to last output
  std::int64_t interval_cycles = 1;  // cycles between samples at full throughput
  std::int64_t lut = 0;
  std::int64_t dsp = 0;
  std::int64_t bram18 = 0;
  std::string table;
  nlohmann::json json;
};

struct WrittenProject {
  std::string backend;  // the backend's name
  std::string dir;
  std::string top;                 // the top's (sanitized) name
  std::vector<std::string> files;  // relative paths written, in order
  EstimateReport estimate;
  std::string summary;  // what `nnfpga convert` prints: what was written and what to run next
};

struct VerifyOptions {
  std::int64_t samples = 10000;
  std::uint64_t seed = 1;
  // The HLS backend's C simulation (ignored by the others):
  std::string cxx;           // the compiler; empty: $CXX, else g++
  std::string amd_ap_types;  // AMD's headers; empty: $NNFPGA_AP_TYPES_DIR, else hls4ml's
  bool require_amd = false;  // fail when AMD's headers are not found
  bool sanitize = false;     // build the nnfpga-headers run with ASan and UBSan
};

// One simulation of the project (the HLS backend runs one per header set).
struct VerifyRun {
  std::string simulator;  // "g++ with nnfpga's ap_types", "Verilator", ...
  std::int64_t samples = 0;
  std::int64_t outputs = 0;        // values compared with the emulator
  std::int64_t differing = 0;      // values not bit-identical
  std::int64_t timing_errors = 0;  // samples out of step with the reported latency, or missing
  std::string first_difference;
};

struct VerifyReport {
  std::string backend;
  std::vector<VerifyRun> runs;
  std::string text;  // what the command prints, one line per run and its notes
  nlohmann::json json;
  bool ok() const {
    for (const VerifyRun& r : runs) {
      if (r.differing != 0 || r.timing_errors != 0 || r.samples == 0) return false;
    }
    return !runs.empty();
  }
};

class Backend {
 public:
  virtual ~Backend() = default;

  virtual std::string_view name() const = 0;                  // "hls", "verilog"
  virtual std::string_view label() const = 0;                 // "HLS", "Verilog": in messages
  virtual std::vector<std::string_view> aliases() const = 0;  // other names it answers to
  virtual std::string_view description() const = 0;           // one line for --help
  virtual std::string_view verify_command() const = 0;        // "csim", "rtlsim"
  // A file every project of this backend has, relative to its directory.
  virtual std::string_view project_marker() const = 0;

  // Throws nnfpga::Error (kUnsupported) naming every node the backend cannot write, at once,
  // and any other reason it would refuse the graph; returns quietly otherwise.
  virtual void check(const ir::Graph& graph) const = 0;
  // Writes the project into `dir` (created if needed; files of the same names are replaced).
  virtual WrittenProject write(const ir::Graph& graph, const std::string& dir,
                               const WriteOptions& options) const = 0;
  // Simulates a project this backend wrote on random and adversarial inputs and compares every
  // output with the emulator. Throws kInput when `dir` is not such a project.
  virtual VerifyReport verify(const std::string& dir, const VerifyOptions& options) const = 0;
  // Latency, interval and resources of what `write` would build for `graph`.
  virtual EstimateReport estimate(const ir::Graph& graph) const = 0;
};

// Every backend, in the order `--help` lists them.
const std::vector<const Backend*>& all_backends();

// The backend called `name` or one of its aliases (case-insensitive). Throws nnfpga::Error
// (kUnsupported) listing the names there are.
const Backend& find_backend(std::string_view name);

// The backend whose project `dir` holds (by its marker file); nullptr when none does.
const Backend* project_backend(const std::string& dir);

}  // namespace nnfpga::backend
