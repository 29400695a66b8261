// Batches of the pick order on the validation part: the cheapest points are the likeliest to
// fail there, so a batch as wide as the threads usually finds the answer in one or two rounds.
#include "tune/validate.hpp"

#include <algorithm>
#include <thread>

#include "nnfpga/error.hpp"

namespace nnfpga::tune {

ValidatedPick pick_validated(const std::vector<Point>& points, const Evaluator& validation,
                             int threads) {
  const std::vector<int> order = feasible_in_pick_order(points);
  if (order.empty()) throw Error(ErrorKind::kInternal, "tune: no feasible point to pick");
  const std::size_t batch =
      threads > 0 ? static_cast<std::size_t>(threads)
                  : static_cast<std::size_t>(std::max(1u, std::thread::hardware_concurrency()));
  ValidatedPick pick;
  pick.search_best = order.front();
  int least_loss = -1;
  double least = 0;
  for (std::size_t first = 0; first < order.size(); first += batch) {
    const std::size_t last = std::min(order.size(), first + batch);
    std::vector<Candidate> candidates;
    for (std::size_t i = first; i < last; ++i) candidates.push_back(points[order[i]].candidate);
    const std::vector<Point> measured = validation.evaluate_all(candidates);
    for (std::size_t i = 0; i < measured.size(); ++i) {
      ++pick.checked;
      if (measured[i].meets_quality) {
        pick.chosen = order[first + i];
        pick.validated = true;
        return pick;
      }
      if (least_loss < 0 || measured[i].loss < least) {
        least_loss = order[first + i];
        least = measured[i].loss;
      }
    }
  }
  pick.chosen = least_loss;
  return pick;
}

}  // namespace nnfpga::tune
