// The greedy search. A round proposes one move per live knob from the current point, evaluates
// the proposals in parallel, and takes the best feasible one; a knob whose proposal fails halves
// its step, and leaves the round at step 0. Points already evaluated are not run again.
#include "tune/search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <string>

#include "ir/geometry.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::tune {
namespace {

using Clock = std::chrono::steady_clock;

// A proposed change of the current point.
struct Move {
  Candidate candidate;
  std::size_t knob = 0;
  bool needs_no_new_overflow = false;  // integer-bit moves
};

class GreedySearch {
 public:
  GreedySearch(const Evaluator& evaluator, const std::vector<Knob>& knobs,
               const TuneOptions& options)
      : evaluator_(evaluator), knobs_(knobs), options_(options), started_(Clock::now()) {}

  // Evaluates the candidates not seen yet; returns every candidate's point id, in order.
  std::vector<int> run_batch(const std::vector<Candidate>& candidates, const std::string& stage);

  int start(const Candidate& baseline);
  int precision_descent(int current, const std::string& stage, int first_step, bool integers);
  int reuse_descent(int current);

  SearchOutcome outcome() { return {std::move(points_), std::move(notes_)}; }

 private:
  fixed::FixedType& type_of(Candidate& c, std::size_t k) const {
    return c.layers[knobs_[k].layer].types[knobs_[k].kind];
  }
  std::optional<Candidate> narrowed(const Candidate& c, std::size_t k, int bits) const;
  std::optional<Candidate> fewer_integer_bits(const Candidate& c, std::size_t k) const;
  // The index into `moves` of the best feasible move from `current`, or none.
  std::optional<std::size_t> best_move(const Point& current, const std::vector<Move>& moves,
                                       const std::vector<int>& ids) const;
  void report(const std::string& stage, double remaining_rounds, double per_round);

  const Evaluator& evaluator_;
  const std::vector<Knob>& knobs_;
  const TuneOptions& options_;
  Clock::time_point started_;
  std::vector<Point> points_;
  std::map<std::string, int> seen_;  // the candidate's configuration text -> point id
  std::vector<std::string> notes_;
};

std::string key_of(const Candidate& c) {
  return to_config(config::Tree::object(), c).dump();
}

std::vector<int> GreedySearch::run_batch(const std::vector<Candidate>& candidates,
                                         const std::string& stage) {
  std::vector<Candidate> fresh;
  for (const Candidate& c : candidates) {
    const std::string key = key_of(c);
    if (seen_.contains(key)) continue;
    seen_[key] = -1;  // reserved: a duplicate within this batch runs once
    fresh.push_back(c);
  }
  std::vector<Point> evaluated = evaluator_.evaluate_all(fresh);
  for (Point& p : evaluated) {
    p.id = static_cast<int>(points_.size());
    p.stage = stage;
    seen_[key_of(p.candidate)] = p.id;
    points_.push_back(std::move(p));
  }
  std::vector<int> ids;
  for (const Candidate& c : candidates) ids.push_back(seen_.at(key_of(c)));
  return ids;
}

void GreedySearch::report(const std::string& stage, double remaining_rounds, double per_round) {
  if (!options_.progress) return;
  Progress p;
  p.evaluated = static_cast<std::int64_t>(points_.size());
  p.stage = stage;
  const int best = best_feasible(points_);
  if (best >= 0) {
    p.best_objective = points_[best].objective;
    p.best_loss = points_[best].loss;
  }
  p.elapsed_seconds = std::chrono::duration<double>(Clock::now() - started_).count();
  p.left_seconds = remaining_rounds * per_round;
  options_.progress(p);
}

std::optional<Candidate> GreedySearch::narrowed(const Candidate& c, std::size_t k, int bits) const {
  Candidate out = c;
  fixed::FixedType& t = type_of(out, k);
  const int min_width = t.is_signed ? 2 : 1;
  if (t.width - bits < min_width) return std::nullopt;
  t.width -= bits;
  return out;
}

std::optional<Candidate> GreedySearch::fewer_integer_bits(const Candidate& c, std::size_t k) const {
  Candidate out = c;
  fixed::FixedType& t = type_of(out, k);
  const int min_width = t.is_signed ? 2 : 1;
  if (t.integer <= knobs_[k].floor_integer || t.width - 1 < min_width) return std::nullopt;
  t.integer -= 1;
  t.width -= 1;  // the same fraction bits
  return out;
}

std::optional<std::size_t> GreedySearch::best_move(const Point& current,
                                                   const std::vector<Move>& moves,
                                                   const std::vector<int>& ids) const {
  std::optional<std::size_t> best;
  // Rank: moves that save objective first, by saving per output error added (smooth, unlike an
  // accuracy, which says nothing until a sample flips: the move that disturbs the outputs least
  // per LUT saved leaves the most of the bound to the moves after it); then free moves (no
  // saving: narrower types the estimate does not see) by the lowest error.
  constexpr double kErrorFloor = 1e-9;
  auto rank = [&](const Point& p) {
    const double saved = current.objective - p.objective;
    const double added = std::max(p.output_error - current.output_error, 0.0);
    if (saved > 0) return std::pair{1, saved / (added + kErrorFloor)};
    return std::pair{0, -p.output_error};
  };
  for (std::size_t i = 0; i < moves.size(); ++i) {
    const Point& p = points_[ids[i]];
    if (!p.feasible()) continue;
    if (moves[i].needs_no_new_overflow && p.result_overflows > current.result_overflows) continue;
    if (p.id == current.id) continue;
    if (!best || rank(p) > rank(points_[ids[*best]])) best = i;
  }
  return best;
}

int GreedySearch::start(const Candidate& baseline) {
  run_batch({baseline}, "baseline");
  for (int frac : {options_.start_fraction_bits, options_.start_fraction_bits + 8}) {
    const int id = run_batch({wide_candidate(knobs_, frac)}, "start").front();
    const Point& p = points_[id];
    if (!p.meets_timing) {
      throw Error(ErrorKind::kConfig,
                  fmt::format("the widest start point takes {} cycles of latency and an interval "
                              "of {}, beyond the bound (--max-latency / --max-interval): larger "
                              "reuse factors only add latency; raise the bound",
                              p.resources.latency_cycles, p.resources.interval_cycles));
    }
    if (p.meets_quality) return id;
  }
  const Point& widest = points_.back();
  throw Error(
      ErrorKind::kConfig,
      fmt::format("no configuration meets the quality bound: even the widest start ({} "
                  "fraction bits everywhere, integer bits from the calibration) has a "
                  "{} loss of {:.4g}, above the bound {:.4g}; loosen the bound "
                  "(--max-accuracy-drop / --max-error) or check the data and labels",
                  options_.start_fraction_bits + 8, evaluator_.quality_name(), widest.loss,
                  evaluator_.quality_name() == "accuracy" ? options_.quality.max_accuracy_drop
                                                          : options_.quality.max_error));
}

int GreedySearch::precision_descent(int current, const std::string& stage, int first_step,
                                    bool integers) {
  std::vector<int> step(knobs_.size(), first_step);
  std::vector<int> integer_live(knobs_.size(), integers ? 1 : 0);
  while (true) {
    const auto round_start = Clock::now();
    std::vector<Move> moves;
    for (std::size_t k = 0; k < knobs_.size(); ++k) {
      while (step[k] > 0) {
        if (auto c = narrowed(points_[current].candidate, k, step[k])) {
          moves.push_back({std::move(*c), k, false});
          break;
        }
        step[k] /= 2;
      }
      if (integer_live[k]) {
        if (auto c = fewer_integer_bits(points_[current].candidate, k)) {
          moves.push_back({std::move(*c), k, true});
        } else {
          integer_live[k] = 0;
        }
      }
    }
    if (moves.empty()) return current;
    std::vector<Candidate> candidates;
    for (const Move& m : moves) candidates.push_back(m.candidate);
    const std::vector<int> ids = run_batch(candidates, stage);
    const std::optional<std::size_t> best = best_move(points_[current], moves, ids);
    for (std::size_t i = 0; i < moves.size(); ++i) {
      if (best && i == *best) continue;
      const Point& p = points_[ids[i]];
      const bool failed = !p.feasible() || (moves[i].needs_no_new_overflow &&
                                            p.result_overflows > points_[current].result_overflows);
      if (!failed) continue;
      if (moves[i].needs_no_new_overflow) {
        integer_live[moves[i].knob] = 0;
      } else {
        step[moves[i].knob] /= 2;
      }
    }
    // Rounds left, at most: every remaining bit of every live knob taken one at a time.
    double remaining = 0;
    for (std::size_t k = 0; k < knobs_.size(); ++k) {
      if (step[k] > 0) remaining += type_of(points_[current].candidate, k).width / 2.0;
    }
    report(stage, remaining, std::chrono::duration<double>(Clock::now() - round_start).count());
    if (!best) {
      // No feasible move: every failed knob halved its step; go on until all reach 0.
      const bool live =
          std::any_of(step.begin(), step.end(), [](int s) { return s > 0; }) ||
          std::any_of(integer_live.begin(), integer_live.end(), [](int v) { return v != 0; });
      if (!live) return current;
      continue;
    }
    current = ids[*best];
  }
}

// The valid reuse factors of a layer (the divisors of its multiplications), ascending.
std::vector<int> reuse_factors(const ir::Node& node) {
  const std::int64_t products = ir::weighted_sum_geometry(node).products();
  std::vector<int> rfs;
  for (std::int64_t d = 1; d <= products && d <= 1 << 20; ++d) {
    if (products % d == 0) rfs.push_back(static_cast<int>(d));
  }
  return rfs;
}

int GreedySearch::reuse_descent(int current) {
  const ir::Graph graph = evaluator_.configured(points_[current].candidate);
  std::map<std::string, std::vector<int>> layers;
  for (const ir::Node& node : graph.nodes) {
    if (ir::op_info(node.op).shares_multipliers) layers[node.name] = reuse_factors(node);
  }
  while (true) {
    const auto round_start = Clock::now();
    std::vector<Candidate> candidates;
    for (const auto& [layer, rfs] : layers) {
      const ir::Node& node = graph.at(layer);
      Candidate c = points_[current].candidate;
      LayerChoice& choice = c.layers[layer];
      const int rf = choice.reuse_factor > 0 ? choice.reuse_factor : node.settings.reuse_factor;
      const auto next = std::upper_bound(rfs.begin(), rfs.end(), rf);
      if (next != rfs.end()) {
        Candidate larger = c;
        larger.layers[layer].reuse_factor = *next;
        candidates.push_back(larger);
      }
      const std::string strategy =
          choice.strategy.empty() ? ir::to_string(node.settings.strategy) : choice.strategy;
      Candidate other = c;
      other.layers[layer].strategy = strategy == "Latency" ? "Resource" : "Latency";
      other.layers[layer].reuse_factor = rf;
      candidates.push_back(other);
    }
    if (candidates.empty()) return current;
    const std::vector<int> ids = run_batch(candidates, "reuse");
    const Point& cur = points_[current];
    int best = -1;
    double best_score = 0;
    for (int id : ids) {
      const Point& p = points_[id];
      const double saved = cur.objective - p.objective;
      if (!p.feasible() || saved <= 0) continue;
      const double added =
          static_cast<double>(p.resources.latency_cycles - cur.resources.latency_cycles);
      const double score = saved / std::max(added, 1.0);
      if (best < 0 || score > best_score) {
        best = id;
        best_score = score;
      }
    }
    report("reuse", static_cast<double>(layers.size()),
           std::chrono::duration<double>(Clock::now() - round_start).count());
    if (best < 0) return current;
    current = best;
  }
}

}  // namespace

SearchOutcome search(const Evaluator& evaluator, const std::vector<Knob>& knobs,
                     const Candidate& baseline, const TuneOptions& options) {
  GreedySearch s(evaluator, knobs, options);
  int current = s.start(baseline);
  current = s.precision_descent(current, "greedy", 4, /*integers=*/false);
  if (options.search_reuse || options.max_latency || options.max_interval) {
    current = s.reuse_descent(current);
  }
  s.precision_descent(current, "refine", 1, /*integers=*/true);
  return s.outcome();
}

}  // namespace nnfpga::tune
