#include "linear/sum_ranges.hpp"

#include <algorithm>

namespace nnfpga::linear {
namespace {

constexpr i128 kLimit = i128{1} << 120;

i128 absolute(i128 v) {
  return v < 0 ? -v : v;
}

}  // namespace

Range type_range(const fixed::FixedType& t) {
  return {fixed::min_mantissa(t), fixed::max_mantissa(t)};
}

std::optional<std::vector<Range>> product_sum_ranges(const WeightView& w,
                                                     std::span<const Range> x) {
  // |x_i| < 2^64 and |w_ij| < 2^64: each term is exact in i128; the sums are checked as they grow.
  std::vector<Range> out(static_cast<std::size_t>(w.n_out));
  for (std::int64_t j = 0; j < w.n_out; ++j) {
    Range r;
    for (std::int64_t i = 0; i < w.n_in; ++i) {
      const i128 wij = w.at(i, j);
      if (wij == 0) continue;
      const i128 a = x[static_cast<std::size_t>(i)].lo * wij;
      const i128 b = x[static_cast<std::size_t>(i)].hi * wij;
      r.lo += std::min({a, b, i128{0}});
      r.hi += std::max({a, b, i128{0}});
      if (absolute(r.lo) >= kLimit || r.hi >= kLimit) return std::nullopt;
    }
    out[static_cast<std::size_t>(j)] = r;
  }
  return out;
}

std::optional<Range> scaled(const Range& products, int shift, i128 bias) {
  if (shift < 0 || shift > 125) return std::nullopt;
  const i128 limit = (i128{1} << 126) >> shift;
  if (absolute(products.lo) >= limit || absolute(products.hi) >= limit) return std::nullopt;
  if (absolute(bias) >= (i128{1} << 125)) return std::nullopt;
  return Range{bias + products.lo * (i128{1} << shift), bias + products.hi * (i128{1} << shift)};
}

bool holds(const fixed::FixedType& acc, const Range& r) {
  const bool symmetric = acc.overflow == fixed::Overflow::kSatSym && acc.is_signed;
  const i128 lo = fixed::min_mantissa(acc) + (symmetric ? 1 : 0);
  return r.lo >= lo && r.hi <= fixed::max_mantissa(acc);
}

bool is_modular(const fixed::FixedType& acc) {
  return acc.overflow == fixed::Overflow::kWrap && acc.sat_bits == 0;
}

}  // namespace nnfpga::linear
