// The range analysis of a weighted sum y_j = b_j + sum_i x_i * w_ij, done once for every consumer.
//
// Every partial sum of output j, in any order of addition (the emulator's input order, the RTL's
// adder tree), is the bias plus a sum over a subset of the terms. Each term x_i * w_ij lies in
// [min(0, x_lo w, x_hi w), max(0, x_lo w, x_hi w)] (0 included: the empty subset), so every partial
// sum lies in [b_j + sum of the lows, b_j + sum of the highs]. When an accumulator holds that
// whole interval, no cast into it changes a value, and the order of additions cannot matter.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "fixed/exact.hpp"
#include "fixed/fixed_type.hpp"

namespace nnfpga::linear {

using fixed::i128;

// An inclusive interval of mantissas.
struct Range {
  i128 lo = 0;
  i128 hi = 0;
  bool operator==(const Range&) const = default;
};

// Every code of `t`.
Range type_range(const fixed::FixedType& t);

// A weight matrix of mantissas, [n_in][n_out] row-major, viewed in place.
struct WeightView {
  std::span<const std::int64_t> mantissa;
  std::int64_t n_in = 0;
  std::int64_t n_out = 0;
  std::int64_t at(std::int64_t i, std::int64_t j) const { return mantissa[i * n_out + j]; }
};

// Per output j, the interval of every partial sum of x_i * w_ij (no bias), in the product's units
// (x's fraction plus w's), for inputs in the ranges `x` (one per row of w). nullopt when a bound
// could leave 2^120 in magnitude (the caller then has no proof).
std::optional<std::vector<Range>> product_sum_ranges(const WeightView& w, std::span<const Range> x);

// The interval shifted left by `shift` bits (>= 0) and offset by `bias`: the partial sums in the
// accumulator's units with its bias first. nullopt when it could leave 2^126 in magnitude.
std::optional<Range> scaled(const Range& products, int shift, i128 bias);

// True when every value of `r` (in acc's units) is a code of `acc` that a cast into acc keeps:
// within its range, and not AP_SAT_SYM's most negative code.
bool holds(const fixed::FixedType& acc, const Range& r);

// True when every cast into `acc` is arithmetic modulo 2^W (AP_WRAP, no saturated bits): then a
// sum's final value does not depend on the order of additions even when partial sums wrap.
bool is_modular(const fixed::FixedType& acc);

}  // namespace nnfpga::linear
