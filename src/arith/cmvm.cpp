#include "arith/cmvm.hpp"

#include <queue>

#include "arith/cmvm_state.hpp"
#include "arith/csd.hpp"

namespace nnfpga::arith {
namespace {

using cmvm::CseState;
using cmvm::Occurrence;
using cmvm::Pattern;

// A heap entry. `count` is an upper bound on how many occurrences of the pattern can be
// replaced: counts only fall (depth budgets only tighten, terms only go) except when a new term
// forms new pairs, and then the pattern is pushed again with its new count.
struct Candidate {
  int count = 0;
  int depth = 0;
  int width = 0;
  std::uint64_t key = 0;
};

// Max-heap order: more occurrences, then narrower, then shallower, then the key (determinism).
bool worse(const Candidate& x, const Candidate& y) {
  if (x.count != y.count) return x.count < y.count;
  if (x.width != y.width) return x.width > y.width;
  if (x.depth != y.depth) return x.depth > y.depth;
  return x.key > y.key;
}

class Selector {
 public:
  explicit Selector(CseState& state) : state_(state) {
    for (std::uint64_t key : state_.all_keys()) push(key, state_.pattern_count(key));
  }

  // Replaces the most frequent pattern everywhere it may be; false when none occurs twice.
  bool step() {
    while (!heap_.empty()) {
      const Candidate top = heap_.top();
      heap_.pop();
      state_.dequeued(top.key, top.count);
      const int raw = state_.pattern_count(top.key);
      if (raw < top.count) {
        push(top.key, raw);  // stale: some of its pairs have been replaced since
        continue;
      }
      const Pattern p = cmvm::unpack(top.key);
      std::vector<std::pair<int, std::vector<Occurrence>>> found;
      int total = 0;
      for (int j : state_.candidate_outputs(top.key)) {
        auto occ = state_.occurrences(j, p);
        total += static_cast<int>(occ.size());
        if (!occ.empty()) found.emplace_back(j, std::move(occ));
      }
      if (total < top.count) {
        push(top.key, total);  // overlapping pairs or the depth bound: fewer than counted
        continue;
      }
      const int source = state_.adder_for(p);
      for (const auto& [j, occs] : found)
        for (const Occurrence& o : occs) state_.replace(j, o, source);
      for (std::uint64_t key : state_.take_touched()) push(key, state_.pattern_count(key));
      return true;
    }
    return false;
  }

 private:
  void push(std::uint64_t key, int count) {
    if (!state_.should_queue(key, count)) return;  // an entry at least as high is queued
    const Pattern p = cmvm::unpack(key);
    heap_.push(
        {.count = count, .depth = state_.depth_of(p), .width = state_.width_of(p), .key = key});
  }

  CseState& state_;
  std::priority_queue<Candidate, std::vector<Candidate>, decltype(&worse)> heap_{&worse};
};

}  // namespace

std::vector<int> minimal_output_depths(const ConstantMatrix& m) {
  const size_t n_out = m.empty() ? 0 : m.front().size();
  std::vector<int> depths;
  for (size_t j = 0; j < n_out; ++j) {
    size_t digits = 0;
    for (const auto& row : m) digits += csd_digits(row.at(j)).size();
    int d = 0;
    while ((size_t{1} << d) < digits) ++d;
    depths.push_back(d);
  }
  return depths;
}

AdderGraph optimize_cmvm(const ConstantMatrix& m, const CmvmOptions& o) {
  CseState state(m, o);
  Selector selector(state);
  while (selector.step()) {
  }
  return std::move(state).finish();
}

}  // namespace nnfpga::arith
