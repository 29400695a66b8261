// The accumulator rule (docs/configuration.md, "The accumulator rule"): the smallest signed type
// that holds every partial sum of y_j = b_j + sum_i w_ij * x exactly, for every x of the input
// type. It bounds the interval of sum_ranges.hpp for the symmetric input range [-X, X], X the
// input type's largest magnitude: every partial sum lies within column_j * X + |b_j|, column_j =
// sum_i |w_ij|. The bound is taken in bit lengths so that it also answers past 128 bits; an
// accumulator it gives always passes accumulation_is_exact (tests/unit/linear).
#pragma once

#include <span>
#include <string>

#include "fixed/fixed_type.hpp"

namespace nnfpga::linear {

using fixed::u128;

// `columns` holds column_j (mantissas at `weight_frac`), `b` the bias magnitudes |b_j| (at
// `bias_frac`; ignored without a bias). At least one integer bit, at most 64 bits (fraction bits
// are dropped first). Throws nnfpga::Error (kConfig) naming `node` when even the integer bits
// exceed 64.
fixed::FixedType affine_accumulator(const std::string& node, std::span<const u128> columns,
                                    int weight_frac, std::span<const u128> b, int bias_frac,
                                    bool has_bias, const fixed::FixedType& x);

}  // namespace nnfpga::linear
