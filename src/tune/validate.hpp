// The pick, validated: the search meets the bound on the data it searched by construction, and a
// greedy search that spends the whole bound there overfits it (one sample of a few hundred is
// the whole 0.5 points). So the holdout part serves as a validation set: of the points that meet
// the bound on the search part, the cheapest that also meets it on the holdout part is chosen.
// A test set for the final figure must then be a third part the search never saw.
#pragma once

#include <vector>

#include "tune/evaluator.hpp"
#include "tune/point.hpp"

namespace nnfpga::tune {

struct ValidatedPick {
  int chosen = -1;
  int checked = 0;         // feasible points measured on the validation part
  bool validated = false;  // the chosen point meets the bound there too
  int search_best = -1;    // the point the search part alone would have chosen
};

// Measures the feasible points in pick order on `validation`, a batch (one per thread) at a
// time, and stops at the first that meets the quality bound there. When none does: the one with
// the lowest validation loss (then the pick order), `validated` false. Throws nnfpga::Error
// (kInternal) when no point is feasible (the search guarantees one).
ValidatedPick pick_validated(const std::vector<Point>& points, const Evaluator& validation,
                             int threads);

}  // namespace nnfpga::tune
