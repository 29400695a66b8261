// Internal to the CMVM optimizer: the terms each output still has to sum, the adders made so
// far, and the count of every two-term pattern across all outputs, kept up to date as terms are
// replaced (never recounted from scratch).
#pragma once

#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "arith/cmvm.hpp"
#include "arith/cmvm_pattern.hpp"
#include "arith/cmvm_pattern_table.hpp"

namespace nnfpga::arith::cmvm {

struct SourceInfo {
  int depth = 0;
  // A bound on the values (interval arithmetic in double: only the cost heuristic reads it, and
  // it must not overflow where the exact ranges would).
  double lo = 0;
  double hi = 0;
};

struct OutputTerms {
  std::vector<Term> terms;
  bool limited = false;     // whether a depth bound applies
  std::int64_t kraft = 0;   // sum over terms of 2^depth
  std::int64_t budget = 0;  // 2^(depth bound): the terms fit when kraft <= budget
};

// One occurrence of a pattern in an output: the low-shift term and the high-shift term.
using Occurrence = std::pair<Term, Term>;

class CseState {
 public:
  CseState(const ConstantMatrix& m, const CmvmOptions& o);

  int pattern_count(std::uint64_t key);
  // The outputs that may hold `key`, deduplicated (dropping outputs that no longer do).
  std::vector<int> candidate_outputs(std::uint64_t key);
  // The occurrences of `p` in output j that can be replaced now: disjoint, and each within the
  // depth bound given the ones before it.
  std::vector<Occurrence> occurrences(int j, const Pattern& p) const;
  // Depth and estimated width (bits) of the adder `p` would become.
  int depth_of(const Pattern& p) const;
  int width_of(const Pattern& p) const;

  // Makes the adder for `p` (or finds the one already made) and returns its source index.
  int adder_for(const Pattern& p);
  // Replaces one occurrence in output j by `source` (the adder of its pattern).
  void replace(int j, const Occurrence& occ, int source);
  // Keys whose count rose since the last call (a new candidate for the most frequent).
  std::vector<std::uint64_t> take_touched();
  std::vector<std::uint64_t> all_keys() const;
  // Bookkeeping for the selector's heap: whether `key` at `count` needs a (new) heap entry, and
  // that the entry holding `count` has left the heap.
  bool should_queue(std::uint64_t key, int count);
  void dequeued(std::uint64_t key, int count);

  // Sums each output's remaining terms in a depth-optimal tree and returns the graph.
  AdderGraph finish() &&;

 private:
  void add_term(int j, const Term& t);
  void remove_term(int j, const Term& t);
  void count_pair(int j, const Term& t, const Term& u, int delta);
  // Sums an output's remaining terms within its depth bound.
  Term sum_terms(std::vector<Term> terms, const OutputTerms& out);
  // Sums the two shallowest terms until `keep` are left (at least one).
  std::vector<Term> huffman_sum(std::vector<Term> terms, size_t keep);

  int n_inputs_ = 0;
  std::vector<SourceInfo> sources_;
  std::vector<Adder> adders_;
  std::vector<OutputTerms> outputs_;
  PatternTable patterns_;
  std::unordered_map<std::uint64_t, int> adder_of_;
  std::vector<std::uint64_t> touched_;
};

}  // namespace nnfpga::arith::cmvm
