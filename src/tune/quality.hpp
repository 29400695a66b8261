// The two measures a point is judged by: its quality against the float model (accuracy drop in
// points with labels, else an output error) and its objective (estimated resources).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emulate/emulator.hpp"

namespace nnfpga::tune {

enum class ErrorMeasure {
  kRelative,  // ||fixed - float||_2 / ||float||_2 over every output value
  kAbsolute,  // max |fixed - float|
};

struct QualitySpec {
  double max_accuracy_drop = 0.5;  // percentage points, with labels
  ErrorMeasure error_measure = ErrorMeasure::kRelative;
  double max_error = 0.01;  // without labels: the bound of error_measure
  double threshold = 0.5;   // a single-output classifier: class 1 at or above this
};

// What a point costs. kWeighted: LUT + dsp_weight * DSP + bram_weight * BRAM18 ("LUT
// equivalents"; FF are not counted since the LUT-bound designs here have FF to spare).
enum class Objective { kLut, kDsp, kFf, kBram, kWeighted };

struct ObjectiveSpec {
  Objective kind = Objective::kWeighted;
  double dsp_weight = 100;
  double bram_weight = 200;
};

Objective parse_objective(const std::string& text);  // lut, dsp, ff, bram, weighted
std::string to_string(Objective objective);

struct Resources {
  std::int64_t lut = 0;
  std::int64_t dsp = 0;
  std::int64_t ff = 0;
  std::int64_t bram18 = 0;
  std::int64_t latency_cycles = 0;
  std::int64_t interval_cycles = 1;
};

double objective_value(const ObjectiveSpec& spec, const Resources& r);

// The class of each sample: the argmax of its row, or for one column whether it reaches the
// threshold.
std::vector<std::int64_t> classes_of(const emulate::Array& outputs, double threshold);

// The fraction of `classes` equal to `labels`.
double accuracy(const std::vector<std::int64_t>& classes, const std::vector<std::int64_t>& labels);

// The accuracy drop the search bounds, as a fraction: the samples the reference classifies
// right and `classes` wrong. Samples it gets right where the reference was wrong do not offset
// them, so the drop on unseen data is not understated by lucky flips (it bounds the plain
// difference of accuracies from above).
double lost_fraction(const std::vector<std::int64_t>& reference,
                     const std::vector<std::int64_t>& classes,
                     const std::vector<std::int64_t>& labels);

// The error of `fixed` against `reference` (the float outputs), over every output.
double output_error(const std::vector<emulate::Array>& fixed,
                    const std::vector<emulate::Array>& reference, ErrorMeasure measure);

}  // namespace nnfpga::tune
