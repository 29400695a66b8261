// Evaluates candidates: configure the canonical graph with the candidate's configuration,
// run the bit-exact emulator on one part of the data, compare with the float model, and estimate
// the resources and latency with the chosen backend's estimate. Candidates run in parallel, one
// per thread (each emulation single-threaded, so that threads never oversubscribe the cores).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tune/point.hpp"
#include "tune/remote.hpp"
#include "tune/tune.hpp"

namespace nnfpga::tune {

class Evaluator {
 public:
  // Runs the float model on `data` once: the reference outputs and (with labels) its accuracy.
  Evaluator(const ir::Graph& canonical, config::Tree base, Dataset data,
            const TuneOptions& options);

  // Takes the fixed-point outputs of `candidate` as the reference instead of the float model's
  // (a quantization-aware model, whose float path ignores the quantizers it was trained with).
  void use_reference(const Candidate& candidate);
  // The same with the reference's whole configuration (a remote worker receives it so).
  void use_reference_config(const config::Tree& full);
  // Sends evaluate_all's batches to `remote` instead of this process's threads.
  void use_remote(std::shared_ptr<RemoteMeasurer> remote) { remote_ = std::move(remote); }

  // Thread-safe: touches nothing shared.
  Measurement measure(const Candidate& candidate) const;
  // `full`: the whole configuration, the base included (what to_config returns).
  Measurement measure_config(const config::Tree& full) const;
  // measure() as a point (its id and stage left for the caller).
  Point evaluate(const Candidate& candidate) const;
  // evaluate() for every candidate, on the options' threads or the remote measurer, in order.
  std::vector<Point> evaluate_all(const std::vector<Candidate>& candidates) const;

  // The configured graph of a candidate (configure() of the canonical graph).
  ir::Graph configured(const Candidate& candidate) const;
  // Every layer's largest magnitude and sign in the float model on this data (the calibration).
  std::map<std::string, ValueRange> float_ranges() const;

  double float_quality() const { return float_quality_; }
  std::int64_t samples() const;
  const config::Tree& base() const { return base_; }
  const Dataset& data() const { return data_; }
  std::string quality_name() const;

 private:
  Resources estimate(const ir::Graph& graph) const;
  Measurement measure_graph(const ir::Graph& graph) const;
  void use_reference_graph(const ir::Graph& graph);
  Point to_point(const Candidate& candidate, Measurement m) const;
  std::vector<Point> evaluate_remotely(const std::vector<Candidate>& candidates) const;

  const ir::Graph& canonical_;
  config::Tree base_;
  Dataset data_;
  const TuneOptions& options_;
  std::vector<emulate::Array> reference_;  // the float model's outputs, or use_reference's
  std::vector<std::int64_t> float_classes_;
  double float_quality_ = 0;
  std::shared_ptr<RemoteMeasurer> remote_;
};

}  // namespace nnfpga::tune
