// The front is the non-dominated set in (loss, objective, latency), and the pick is the cheapest
// point that meets the constraints.
#include <gtest/gtest.h>

#include <vector>

#include "tune/point.hpp"

namespace nnfpga::tune {
namespace {

Point point(int id, double loss, double objective, std::int64_t latency, bool feasible = true) {
  Point p;
  p.id = id;
  p.loss = loss;
  p.objective = objective;
  p.resources.latency_cycles = latency;
  p.meets_quality = feasible;
  return p;
}

TEST(ParetoFront, KeepsExactlyTheNonDominatedPoints) {
  const std::vector<Point> points = {
      point(0, 0.0, 100, 10),  // best loss
      point(1, 1.0, 50, 10),   // cheaper, worse loss
      point(2, 1.0, 60, 10),   // dominated by 1
      point(3, 2.0, 50, 12),   // dominated by 1
      point(4, 3.0, 40, 9),    // cheapest and fastest
      point(5, 0.5, 120, 8),   // fastest trade-off: kept
  };
  EXPECT_EQ(pareto_front(points), (std::vector<int>{4, 1, 0, 5}));
}

TEST(ParetoFront, EqualPointsAppearOnce) {
  const std::vector<Point> points = {point(0, 1, 10, 3), point(1, 1, 10, 3), point(2, 0, 20, 3)};
  EXPECT_EQ(pareto_front(points), (std::vector<int>{0, 2}));
}

TEST(BestFeasible, TakesTheCheapestPointThatMeetsTheConstraints) {
  std::vector<Point> points = {point(0, 0.1, 100, 5), point(1, 0.9, 10, 5, false),
                               point(2, 0.4, 40, 6), point(3, 0.2, 40, 6)};
  EXPECT_EQ(best_feasible(points), 3);  // 40 ties 2, with the lower loss
  points[3].meets_timing = false;
  EXPECT_EQ(best_feasible(points), 2);
  for (Point& p : points) p.meets_quality = false;
  EXPECT_EQ(best_feasible(points), -1);
}

}  // namespace
}  // namespace nnfpga::tune
