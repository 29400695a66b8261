// The constant matrix-vector multiplication (CMVM) optimizer: turns y = x·W into a shift-and-add
// network in which common subexpressions are computed once for the whole matrix.
//
// Method (our own implementation of two published ideas):
//  - Two-term common-subexpression elimination over canonical signed digits (R. I. Hartley,
//    "Subexpression sharing in filters using canonic signed digit multipliers", IEEE TCAS-II
//    43(10), 1996): every output starts as the list of its CSD terms ±x[i] << s. A pattern is a
//    pair of terms up to a common shift and sign, normalized to x[a] ± (x[b] << d) with d >= 0.
//    The most frequent pattern becomes one adder and replaces its occurrences everywhere; this
//    repeats until no pattern occurs twice.
//  - Its extension from one constant vector to a whole matrix with a delay constraint, as in
//    da4ml (C. Sun et al., "da4ml: Distributed Arithmetic for Real-time Neural Networks on
//    FPGAs", arXiv:2507.04535, 2025): patterns are counted across all outputs, ties go to the
//    narrower adder (widths from the input ranges) and then the shallower, and an occurrence is
//    not replaced when it would make its output deeper than allowed.
// Each output's remaining terms are then summed pairwise, narrowest adder first (an adder that
// already exists costs nothing), among the pairs that keep the depth bound. Terms of adder
// depths d_k can be summed within depth D exactly when sum_k 2^d_k <= 2^D (Kraft's inequality;
// summing the two shallowest first, as Huffman coding does, attains it), which is how the depth
// bound is checked in O(1) per occurrence and per pair.
// Pattern counts are updated incrementally as terms are replaced, and the most frequent pattern
// is taken from a heap whose entries are upper bounds, re-checked when they reach the top.
#pragma once

#include <vector>

#include "arith/adder_graph.hpp"
#include "arith/value_ranges.hpp"

namespace nnfpga::arith {

struct CmvmOptions {
  // The range of each input (one per matrix row), which sets adder widths in the cost. Empty:
  // all inputs are taken as equally wide.
  std::vector<IntRange> input_ranges;
  // Every output's adder depth is at most its minimal depth (that of its CSD terms summed in a
  // balanced tree: ceil(log2(#digits of its column))) plus this slack. -1: unconstrained (each
  // output's final sum still takes the least depth its shared terms allow).
  int depth_slack = 0;
};

// A graph with `evaluate(g, x)[j] == sum_i x[i] * m[i][j]` for every x (exact). Throws Error
// (kInput) when the matrix is ragged or the options do not match its shape.
AdderGraph optimize_cmvm(const ConstantMatrix& m, const CmvmOptions& o = {});

// The minimal adder depth of each output: ceil(log2(#CSD digits of its column)), 0 when it has
// at most one digit. What `depth_slack` counts from.
std::vector<int> minimal_output_depths(const ConstantMatrix& m);

}  // namespace nnfpga::arith
