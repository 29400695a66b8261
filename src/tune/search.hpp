// The search strategy: from a safe wide start, greedy coordinate descent on fraction bits (the
// knob whose next step saves the most objective per unit of quality lost, steps of 4, 2, 1
// bits), then reuse factors and strategies under the latency bounds, then a final local
// refinement of single bits, integer bits included where the search part shows no new overflow.
// Every evaluated point is kept.
#pragma once

#include <vector>

#include "tune/evaluator.hpp"

namespace nnfpga::tune {

struct SearchOutcome {
  std::vector<Point> points;
  std::vector<std::string> notes;
};

// `baseline`: a candidate evaluated first and kept among the points (the uniform type).
// Throws nnfpga::Error (kConfig) when even the widest start fails the constraints.
SearchOutcome search(const Evaluator& evaluator, const std::vector<Knob>& knobs,
                     const Candidate& baseline, const TuneOptions& options);

}  // namespace nnfpga::tune
