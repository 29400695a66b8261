// The accumulator rule's arithmetic: bit lengths of the bound, exact while it fits 128 bits.
#include "linear/accumulator_rule.hpp"

#include <algorithm>

#include "fixed/exact.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::linear {
namespace {

int bit_length(u128 v) {
  int n = 0;
  while (v) {
    v >>= 1;
    ++n;
  }
  return n;
}

u128 magnitude(fixed::i128 v) {
  return v < 0 ? static_cast<u128>(-v) : static_cast<u128>(v);
}

// An upper bound of bit_length(a * 2^shift + b * 2^shift_b); exact when it fits in 128 bits,
// else from bit lengths (bitlen(xy) <= bitlen(x) + bitlen(y), bitlen(x + y) <= max + 1), which is
// still a true bound: the caller needs no extra margin either way.
int bound_bits(u128 a, int shift_a, u128 b, int shift_b) {
  const int bits_a = a ? bit_length(a) + shift_a : 0;
  const int bits_b = b ? bit_length(b) + shift_b : 0;
  if (bits_a < 127 && bits_b < 127) {
    const u128 sum = (a << (a ? shift_a : 0)) + (b << (b ? shift_b : 0));
    return bit_length(sum);
  }
  return std::max(bits_a, bits_b) + 1;
}

// The smallest signed accumulator with `frac` fraction bits holding every value whose mantissa
// magnitude has at most `bits` bits; at least one integer bit, at most 64 bits (fraction bits
// are dropped first).
fixed::FixedType accumulator_type(int bits, int frac, const std::string& node) {
  int integer = std::max({bits + 1 - frac, 1, 1 - frac});
  if (integer > fixed::kMaxTypeWidth) {
    throw Error(ErrorKind::kConfig,
                "the accumulator that cannot overflow needs " + std::to_string(integer) +
                    " integer bits, more than 64; narrow the input, weight or bias types, or set "
                    "Precision.accum for this layer",
                {.node = node});
  }
  const int width = std::min(integer + frac, fixed::kMaxTypeWidth);
  return fixed::make_fixed(width, integer);
}

// The smallest accumulator holding sum_i (column_j * x) + b_j exactly for every output j, where
// column_j is the sum of the weight magnitudes feeding output j (mantissas at `weight_frac`), x
// ranges over the input type and b_j is at `bias_frac` (ignored when there is no bias).
}  // namespace

fixed::FixedType affine_accumulator(const std::string& node, std::span<const u128> columns,
                                    int weight_frac, std::span<const u128> b, int bias_frac,
                                    bool has_bias, const fixed::FixedType& x) {
  // max(|w x_min|, |w x_max|) = |w| * max(|x_min|, |x_max|).
  const u128 x_max = std::max(magnitude(fixed::min_mantissa(x)), magnitude(fixed::max_mantissa(x)));
  const int product_frac = x.frac() + weight_frac;
  const int frac = has_bias ? std::max(product_frac, bias_frac) : product_frac;

  int bits = 0;
  for (std::size_t j = 0; j < columns.size(); ++j) {
    const u128 column = columns[j];
    // |x| * column as a product of bit lengths when it would overflow 128 bits.
    const int product_bits = column && x_max ? bit_length(column) + bit_length(x_max) : 0;
    if (product_bits <= 127) {
      bits = std::max(bits, bound_bits(column * x_max, frac - product_frac, b[j],
                                       frac - (has_bias ? bias_frac : frac)));
    } else {
      const int bias_bits = b[j] ? bit_length(b[j]) + frac - bias_frac : 0;
      bits = std::max(bits, std::max(product_bits + frac - product_frac, bias_bits) + 1);
    }
  }
  return accumulator_type(bits, frac, node);
}

}  // namespace nnfpga::linear
