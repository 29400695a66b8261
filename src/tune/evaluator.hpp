// Evaluates candidates: configure the canonical graph with the candidate's configuration,
// run the bit-exact emulator on one part of the data, compare with the float model, and estimate
// the resources and latency with the chosen backend's estimate. Candidates run in parallel, one
// per thread (each emulation single-threaded, so that threads never oversubscribe the cores).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tune/point.hpp"
#include "tune/tune.hpp"

namespace nnfpga::tune {

// The measurement of one candidate on one part of the data.
struct Measurement {
  double quality = 0;
  double loss = 0;
  bool meets_quality = false;
  double output_error = 0;  // relative, against the reference
  Resources resources;
  std::vector<emulate::LayerOverflow> overflows;
};

class Evaluator {
 public:
  // Runs the float model on `data` once: the reference outputs and (with labels) its accuracy.
  Evaluator(const ir::Graph& canonical, config::Tree base, Dataset data,
            const TuneOptions& options);

  // Takes the fixed-point outputs of `candidate` as the reference instead of the float model's
  // (a quantization-aware model, whose float path ignores the quantizers it was trained with).
  void use_reference(const Candidate& candidate);

  // Thread-safe: touches nothing shared.
  Measurement measure(const Candidate& candidate) const;
  // measure() as a point (its id and stage left for the caller).
  Point evaluate(const Candidate& candidate) const;
  // evaluate() for every candidate, on the options' threads, in order.
  std::vector<Point> evaluate_all(const std::vector<Candidate>& candidates) const;

  // The configured graph of a candidate (configure() of the canonical graph).
  ir::Graph configured(const Candidate& candidate) const;
  // Every layer's largest magnitude and sign in the float model on this data (the calibration).
  std::map<std::string, ValueRange> float_ranges() const;

  double float_quality() const { return float_quality_; }
  std::int64_t samples() const;
  const config::Tree& base() const { return base_; }
  std::string quality_name() const;

 private:
  Resources estimate(const ir::Graph& graph) const;

  const ir::Graph& canonical_;
  config::Tree base_;
  Dataset data_;
  const TuneOptions& options_;
  std::vector<emulate::Array> reference_;  // the float model's outputs, or use_reference's
  std::vector<std::int64_t> float_classes_;
  double float_quality_ = 0;
};

}  // namespace nnfpga::tune
