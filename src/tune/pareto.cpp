// The non-dominated set, by pairwise comparison: the searches here evaluate thousands of points,
// not millions, so the quadratic scan costs milliseconds and stays obviously right.
#include <algorithm>
#include <tuple>

#include "tune/point.hpp"

namespace nnfpga::tune {
namespace {

bool dominates(const Point& a, const Point& b) {
  const bool no_worse = a.loss <= b.loss && a.objective <= b.objective &&
                        a.resources.latency_cycles <= b.resources.latency_cycles;
  const bool better = a.loss < b.loss || a.objective < b.objective ||
                      a.resources.latency_cycles < b.resources.latency_cycles;
  return no_worse && better;
}

bool same_measures(const Point& a, const Point& b) {
  return a.loss == b.loss && a.objective == b.objective &&
         a.resources.latency_cycles == b.resources.latency_cycles;
}

}  // namespace

std::vector<int> pareto_front(const std::vector<Point>& points) {
  std::vector<int> front;
  for (const Point& p : points) {
    const bool dominated =
        std::any_of(points.begin(), points.end(), [&p](const Point& q) { return dominates(q, p); });
    // Of points equal in all three measures, the first evaluated stands for all.
    const bool repeated = std::any_of(front.begin(), front.end(),
                                      [&](int id) { return same_measures(points[id], p); });
    if (!dominated && !repeated) front.push_back(p.id);
  }
  std::stable_sort(front.begin(), front.end(), [&points](int a, int b) {
    return std::tie(points[a].objective, points[a].loss) <
           std::tie(points[b].objective, points[b].loss);
  });
  return front;
}

bool picked_before(const Point& a, const Point& b) {
  // Then the fewest LUT + FF: the objective may not count FF, the hardware still has them.
  const std::int64_t a_rest = a.resources.lut + a.resources.ff;
  const std::int64_t b_rest = b.resources.lut + b.resources.ff;
  return std::tie(a.objective, a.loss, a.resources.latency_cycles, a_rest, a.id) <
         std::tie(b.objective, b.loss, b.resources.latency_cycles, b_rest, b.id);
}

std::vector<int> feasible_in_pick_order(const std::vector<Point>& points) {
  std::vector<int> ids;
  for (const Point& p : points) {
    if (p.feasible()) ids.push_back(p.id);
  }
  std::sort(ids.begin(), ids.end(),
            [&points](int a, int b) { return picked_before(points[a], points[b]); });
  return ids;
}

int best_feasible(const std::vector<Point>& points) {
  const std::vector<int> ids = feasible_in_pick_order(points);
  return ids.empty() ? -1 : ids.front();
}

}  // namespace nnfpga::tune
