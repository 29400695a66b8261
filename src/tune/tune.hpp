// nnfpga tune: a post-training search over every layer's fixed-point types and reuse factors. It
// calibrates integer bits on the search part of the data, searches fraction bits (and reuse
// factor, strategy) against an estimated-resource objective under a quality constraint measured
// by the bit-exact emulator, keeps every evaluated point, and reports the Pareto front and the
// chosen configuration: the cheapest that meets the bound on the search part and on a holdout
// part the search never saw (a validation set). It adds no arithmetic of
// its own: configure (config/), emulate/ and the estimates do the work (docs/tune.md).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "emulate/emulator.hpp"
#include "ir/graph.hpp"
#include "tune/candidate.hpp"
#include "tune/point.hpp"
#include "tune/quality.hpp"
#include "tune/remote.hpp"

namespace nnfpga::tune {

// What one progress report says (after each batch of evaluations).
struct Progress {
  std::int64_t evaluated = 0;
  std::string stage;
  std::optional<double> best_objective;  // of the best point that meets the constraints
  double best_loss = 0;
  double elapsed_seconds = 0;
  double left_seconds = 0;  // an upper-bound estimate from the steps the search may still take
};

struct TuneOptions {
  std::string backend = "hls";  // whose estimate: "hls" or "verilog"
  ObjectiveSpec objective;
  QualitySpec quality;
  std::optional<std::int64_t> max_latency;   // cycles
  std::optional<std::int64_t> max_interval;  // cycles
  // Reuse factors and strategies are searched when a latency or interval bound is given (without
  // one, a larger reuse factor always saves resources and only costs latency), or when forced.
  bool search_reuse = false;
  double holdout_fraction = 0.3;
  std::uint64_t seed = 1;
  int integer_margin_bits = 1;   // added to the integer bits the calibration range needs
  int start_fraction_bits = 16;  // the safe wide starting point
  bool allow_qat_changes = false;
  int threads = 0;  // 0: every core
  std::function<void(const Progress&)> progress;
  // When set, the search's evaluations run there (a Dask cluster) instead of on `threads`; the
  // points, and so the front and the choice, are the same (src/tune/remote.hpp).
  std::shared_ptr<RemoteMeasurer> remote;
};

// The data: one array per model input ([N, ...] in the model file's layout), and class labels
// (indices) or none.
struct Dataset {
  std::vector<emulate::Array> inputs;
  std::optional<std::vector<std::int64_t>> labels;
};

// The chosen (or baseline) configuration measured on the holdout part.
struct HoldoutReport {
  std::int64_t samples = 0;
  double quality = 0;        // accuracy (fraction) with labels, else the error
  double loss = 0;           // accuracy drop in points (lost_fraction), or the error
  double float_quality = 0;  // the float model's accuracy (labels only)
  bool meets_constraint = false;
  std::vector<emulate::LayerOverflow> overflows;
};

struct TuneResult {
  std::vector<Point> points;  // every evaluated point, id = index
  std::vector<int> front;     // ids of the non-dominated points (loss, objective, latency)
  // The cheapest point that meets the bound on the search part and on the holdout part, which
  // serves as its validation set (src/tune/validate.hpp).
  int chosen = -1;
  int search_best = -1;      // the cheapest that meets it on the search part alone
  int validated_points = 0;  // points measured on the holdout part to find `chosen`
  int baseline = -1;         // the uniform ap_fixed<16,6> point
  config::Tree config;       // the chosen configuration, ready for `nnfpga convert -c`
  HoldoutReport holdout;
  HoldoutReport baseline_holdout;
  std::string quality_name;  // "accuracy", "relative error", "absolute error"
  double float_quality = 0;  // on the search part (accuracy with labels)
  std::int64_t search_samples = 0;
  double seconds = 0;
  std::vector<std::string> notes;  // what the search decided and why (QAT types kept, ...)
};

// Runs the search on a canonical graph (read_model's) with the base configuration `base` (the
// user's -c files and settings: part, clock, IO type). Throws nnfpga::Error (kInput) for data
// that do not fit the model or a split with an empty part, and (kConfig) naming the bound when
// even the widest configuration cannot meet the constraints.
TuneResult run_tune(const ir::Graph& canonical, const config::Tree& base, const Dataset& data,
                    const TuneOptions& options);

// The uniform type of the baseline every front is compared with.
inline constexpr const char* kBaselinePrecision = "ap_fixed<16,6>";

}  // namespace nnfpga::tune
