// An evaluated point of the search: the candidate, its quality on the search part, its
// estimated resources and latency, and whether it meets the constraints.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tune/candidate.hpp"
#include "tune/quality.hpp"

namespace nnfpga::tune {

struct Point {
  int id = 0;
  std::string stage;  // "baseline", "start", "greedy", "reuse", "refine"
  Candidate candidate;
  double quality = 0;  // accuracy (fraction) with labels, else the output error
  double loss = 0;  // accuracy drop in points (lost_fraction), or the output error: lower is better
  // ||fixed - reference||_2 / ||reference||_2 over every output: the smooth measure the search
  // ranks its moves by (an accuracy moves in whole samples and says nothing until one flips).
  double output_error = 0;
  Resources resources;
  double objective = 0;
  std::int64_t result_overflows = 0;  // on the search part, over every layer
  std::int64_t accum_overflows = 0;
  bool meets_quality = false;
  bool meets_timing = true;  // the latency and interval bounds, when given
  bool feasible() const { return meets_quality && meets_timing; }
};

// The ids of the points no other point dominates in (loss, objective, latency): no other is at
// least as good in all three and better in one. Of points equal in all three, the first stands
// for them. Sorted by objective, then loss.
std::vector<int> pareto_front(const std::vector<Point>& points);

// Whether `a` is preferred to `b`: the lower objective, then the lower loss, then the lower
// latency, then the fewer LUT + FF, then the earlier.
bool picked_before(const Point& a, const Point& b);

// The ids of the feasible points (on the search part), the preferred first.
std::vector<int> feasible_in_pick_order(const std::vector<Point>& points);

// The first of feasible_in_pick_order; -1 when none is feasible.
int best_feasible(const std::vector<Point>& points);

}  // namespace nnfpga::tune
