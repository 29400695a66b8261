#include "fixed/exact_type.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>

namespace nnfpga::fixed {

std::optional<FixedType> exact_type_of(const std::vector<double>& values) {
  int frac = INT_MIN;     // fraction bits of the finest value
  int top_bit = INT_MIN;  // exponent of the largest magnitude's leading bit
  for (double v : values) {
    if (!std::isfinite(v)) return std::nullopt;
    if (v == 0) continue;
    int exponent = 0;
    double m = std::frexp(std::fabs(v), &exponent);  // |v| = m * 2^exponent, m in [0.5, 1)
    top_bit = std::max(top_bit, exponent - 1);
    // The lowest set bit of the 53-bit significand.
    int lowest = exponent - 53;
    auto significand = static_cast<std::uint64_t>(std::ldexp(m, 53));
    while ((significand & 1) == 0) {
      significand >>= 1;
      ++lowest;
    }
    frac = std::max(frac, -lowest);
  }
  if (top_bit == INT_MIN) return make_fixed(2, 2);  // all zeros
  // Signed: the leading bit needs one bit above it for the sign (-2^k itself would fit in one
  // fewer, but one spare bit keeps the rule simple).
  const int integer = top_bit + 2;
  const int width = integer + frac;
  if (width > kMaxTypeWidth || width < 1) return std::nullopt;
  return make_fixed(width, integer);
}

}  // namespace nnfpga::fixed
