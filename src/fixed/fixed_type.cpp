// FixedType helpers: bounds, conversion to double, and the supported-type check.
#include "fixed/fixed_type.hpp"

#include <cmath>

#include "nnfpga/error.hpp"

namespace nnfpga::fixed {

FixedType make_fixed(int width, int integer, bool is_signed, Quantization q, Overflow o) {
  FixedType t;
  t.width = width;
  t.integer = integer;
  t.is_signed = is_signed;
  t.quant = q;
  t.overflow = o;
  t.sat_bits = 0;
  return t;
}

FixedType make_int(int width, bool is_signed) {
  return make_fixed(width, width, is_signed);
}

i128 min_mantissa(const FixedType& t) {
  if (!t.is_signed) return 0;
  return -(static_cast<i128>(1) << (t.width - 1));
}

i128 max_mantissa(const FixedType& t) {
  if (t.is_signed) return (static_cast<i128>(1) << (t.width - 1)) - 1;
  return (static_cast<i128>(1) << t.width) - 1;
}

double to_double(i128 mantissa, int frac) {
  // Convert the magnitude in two 64-bit halves so that the only rounding is the final one: the
  // high half is exact as a double times 2^64 only if it has <= 53 bits, so round explicitly.
  const bool negative = mantissa < 0;
  u128 magnitude = negative ? -static_cast<u128>(mantissa) : static_cast<u128>(mantissa);
  int exponent = -frac;
  // Keep at most 64 significant bits plus a sticky bit, then let the u64 -> double conversion
  // round (to nearest even), which is exact because the sticky bit breaks ties correctly.
  int shift = 0;
  while ((magnitude >> shift) > static_cast<u128>(~std::uint64_t{0}) >> 1) ++shift;
  std::uint64_t top = static_cast<std::uint64_t>(magnitude >> shift);
  if (shift > 0 && (magnitude & ((static_cast<u128>(1) << shift) - 1)) != 0) top |= 1;
  const double value = std::ldexp(static_cast<double>(top), exponent + shift);
  return negative ? -value : value;
}

void check_supported(const FixedType& t, const std::string& what) {
  const std::string where = what.empty() ? std::string() : what + ": ";
  if (t.width < 1 || t.width > kMaxTypeWidth) {
    throw Error(ErrorKind::kConfig, where + "type width " + std::to_string(t.width) +
                                        " is outside 1.." + std::to_string(kMaxTypeWidth));
  }
  if (t.integer < kMinIntegerBits || t.integer > kMaxIntegerBits) {
    throw Error(ErrorKind::kConfig, where + "integer bits " + std::to_string(t.integer) +
                                        " are outside " + std::to_string(kMinIntegerBits) + ".." +
                                        std::to_string(kMaxIntegerBits));
  }
  if (t.sat_bits < 0 || t.sat_bits > t.width) {
    throw Error(ErrorKind::kConfig, where + "saturation bits N=" + std::to_string(t.sat_bits) +
                                        " must be within 0..W (W=" + std::to_string(t.width) + ")");
  }
  if (!t.is_signed && t.overflow == Overflow::kWrapSm) {
    throw Error(ErrorKind::kConfig,
                where + "AP_WRAP_SM needs a signed type (AMD's ap_ufixed rejects it)");
  }
}

}  // namespace nnfpga::fixed
