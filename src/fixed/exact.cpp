// Exact casts into a fixed-point type, as AMD's ap_fixed_base::operator= and its constructor from
// double do: the source is shifted to the target's fraction bits, a rounding increment is added
// (quantization_adjust), then overflow_adjust runs on the W-bit result.
#include "fixed/exact.hpp"

#include <bit>
#include <cstring>

#include "nnfpga/error.hpp"

namespace nnfpga::fixed {
namespace {

// The source value expressed in units of the target's LSB: floor(value * 2^F), and the two facts
// about the dropped bits that every rounding mode needs.
struct Aligned {
  i128 floor;   // exact, or for huge values a stand-in with the same low 66 bits and sign
  bool half;    // the first dropped bit (weight 1/2 LSB)
  bool sticky;  // any dropped bit below it
};

constexpr i128 kOne = 1;
constexpr int kHugeExponent = 100;  // magnitude of the stand-in for values far out of range

Aligned align(i128 m, int shift) {
  if (shift <= 0) {
    const int left = -shift;
    if (m == 0) return {0, false, false};
    const bool fits = left < 120 && m < (kOne << (120 - left)) && m > -(kOne << (120 - left));
    if (fits) return {m * (kOne << left), false, false};
    // Far beyond any 64-bit type: only the sign and the low bits (wrap, lD) matter.
    const u128 low = left < 128 ? (static_cast<u128>(m) << left) : 0;
    const i128 low66 = static_cast<i128>(low & ((static_cast<u128>(1) << 66) - 1));
    const i128 big = kOne << kHugeExponent;
    return {(m < 0 ? -big : big) + low66, false, false};
  }
  const int right = shift;
  Aligned a{};
  a.floor = right >= 127 ? (m < 0 ? -1 : 0) : (m >> right);
  a.half = right - 1 >= 127 ? m < 0 : ((m >> (right - 1)) & 1) != 0;
  if (right - 1 >= 128) {
    a.sticky = m != 0;
  } else if (right - 1 > 0) {
    a.sticky = (static_cast<u128>(m) & ((static_cast<u128>(1) << (right - 1)) - 1)) != 0;
  } else {
    a.sticky = false;
  }
  return a;
}

// ap_fixed_base::quantization_adjust: whether to add one LSB to the floor.
bool round_up(Quantization q, bool negative, bool half, bool sticky, bool lsb) {
  switch (q) {
    case Quantization::kTrn:
      return false;
    case Quantization::kTrnZero:
      return negative && (half || sticky);
    case Quantization::kRnd:
      return half;
    case Quantization::kRndZero:
      return half && (negative || sticky);
    case Quantization::kRndMinInf:
      return half && sticky;
    case Quantization::kRndInf:
      return half && (!negative || sticky);
    case Quantization::kRndConv:
      return half && (lsb || sticky);
  }
  return false;
}

std::uint64_t low_mask(int bits) {
  return bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
}

// Sets bits lo..hi (inclusive) of v to all ones or all zeros.
std::uint64_t set_range(std::uint64_t v, int lo, int hi, bool ones) {
  if (hi < lo) return v;
  const std::uint64_t mask = low_mask(hi - lo + 1) << lo;
  return ones ? (v | mask) : (v & ~mask);
}

std::uint64_t set_bit(std::uint64_t v, int bit, bool one) {
  return set_range(v, bit, bit, one);
}
bool get_bit(std::uint64_t v, int bit) {
  return ((v >> bit) & 1) != 0;
}

// The W-bit pattern as CastResult stores it: sign-extended for signed types.
std::int64_t finish(std::uint64_t bits, const FixedType& to) {
  const int unused = 64 - to.width;
  bits <<= unused;
  if (to.is_signed) return static_cast<std::int64_t>(bits) >> unused;
  return static_cast<std::int64_t>(bits >> unused);
}

// ap_fixed_base::overflow_adjust for the wrapping modes with N saturated bits.
std::uint64_t wrap_n(std::uint64_t v, const FixedType& to, bool lead_bit, bool negative) {
  const int w = to.width;
  const int n = to.sat_bits;
  if (to.overflow == Overflow::kWrap) {
    if (n == 0) return v;
    if (!to.is_signed) return set_range(v, w - n, w - 1, true);
    v = set_bit(v, w - 1, negative);
    if (n > 1) v = set_range(v, w - n, w - 2, !negative);
    return v;
  }
  // AP_WRAP_SM (signed only; check_supported refuses it for unsigned types).
  const bool top = get_bit(v, w - 1);
  if (n == 0) {
    if (lead_bit != top) v = set_bit(~v, w - 1, lead_bit);
    return v;
  }
  if (n == 1 && negative != top) {
    v = ~v;
  } else if (n > 1) {
    if (get_bit(v, w - n) == negative) v = ~v;
    v = set_range(v, w - n, w - 2, !negative);
  }
  return set_bit(v, w - 1, negative);
}

CastResult cast_aligned(const Aligned& a, bool negative_source, const FixedType& to) {
  const bool up = round_up(to.quant, negative_source, a.half, a.sticky, (a.floor & 1) != 0);
  const i128 q = a.floor + (up ? 1 : 0);
  const i128 lo = min_mantissa(to);
  const i128 hi = max_mantissa(to);
  const bool overflow = q > hi;
  // AP_SAT_SYM never produces the most negative code of a signed type.
  const bool underflow = q < lo || (to.overflow == Overflow::kSatSym && to.is_signed && q == lo);
  const std::uint64_t bits = static_cast<std::uint64_t>(static_cast<u128>(q)) & low_mask(to.width);
  if (!overflow && !underflow) return {finish(bits, to), false};

  std::uint64_t out = 0;
  switch (to.overflow) {
    case Overflow::kWrap:
    case Overflow::kWrapSm: {
      const bool lead_bit = ((a.floor >> to.width) & 1) != 0;
      out = wrap_n(bits, to, lead_bit, q < 0);
      break;
    }
    case Overflow::kSatZero:
      out = 0;
      break;
    case Overflow::kSat:
    case Overflow::kSatSym:
      if (overflow) {
        out = static_cast<std::uint64_t>(static_cast<u128>(hi));
      } else if (to.is_signed) {
        // The header builds 1 << (W-1), or-ed with 1 for AP_SAT_SYM (so W=1 gives -1).
        out = (std::uint64_t{1} << (to.width - 1)) | (to.overflow == Overflow::kSatSym ? 1 : 0);
      } else {
        out = 0;
      }
      break;
  }
  const std::int64_t result = finish(out & low_mask(to.width), to);
  return {result, static_cast<i128>(mantissa_value(result, to)) != q};
}

void check_representable(const FixedType& t, const char* what) {
  if (t.width > kMaxExactWidth || (!t.is_signed && t.width >= kMaxExactWidth)) {
    throw Error(ErrorKind::kUnsupported, std::string(what) + " needs a " + std::to_string(t.width) +
                                             "-bit exact intermediate; nnfpga computes with at "
                                             "most 128 bits (127 for unsigned)");
  }
}

}  // namespace

CastResult cast(i128 mantissa, int frac, const FixedType& to) {
  return cast_aligned(align(mantissa, frac - to.frac()), mantissa < 0, to);
}

CastResult cast_double(double value, const FixedType& to) {
  std::uint64_t raw = 0;
  std::memcpy(&raw, &value, sizeof raw);
  const bool negative = (raw >> 63) != 0;
  const int exponent_field = static_cast<int>((raw >> 52) & 0x7ff);
  if (exponent_field == 0x7ff) {
    throw Error(ErrorKind::kInput, "cannot convert " +
                                       std::string(value != value ? "NaN" : "infinity") +
                                       " to fixed point " + to_string(to));
  }
  if ((raw & ~(std::uint64_t{1} << 63)) == 0) return {0, false};  // +0 and -0
  // Like ap_fixed_base(double): the hidden bit is set and the exponent is field - 1023 even for
  // subnormals (which therefore read as twice their value; invisible at frac <= 512).
  const std::int64_t magnitude =
      static_cast<std::int64_t>((raw & low_mask(52)) | (std::uint64_t{1} << 52));
  const int exponent = exponent_field - 1023 - 52;
  return cast(negative ? -magnitude : magnitude, -exponent, to);
}

FixedType product_type(const FixedType& a, const FixedType& b) {
  return make_fixed(a.width + b.width, a.integer + b.integer, a.is_signed || b.is_signed);
}

namespace {
// The integer part both operands of + and - are widened to: an unsigned operand meeting a signed
// one gets one more integer bit (ap_fixed_base::RType::plus_i minus one).
int common_integer(const FixedType& a, const FixedType& b) {
  const int ia = a.integer + ((b.is_signed && !a.is_signed) ? 1 : 0);
  const int ib = b.integer + ((a.is_signed && !b.is_signed) ? 1 : 0);
  return ia > ib ? ia : ib;
}
}  // namespace

FixedType sum_type(const FixedType& a, const FixedType& b) {
  const int integer = common_integer(a, b) + 1;
  const int frac = a.frac() > b.frac() ? a.frac() : b.frac();
  return make_fixed(integer + frac, integer, a.is_signed || b.is_signed);
}

FixedType common_type(const FixedType& a, const FixedType& b) {
  const int integer = common_integer(a, b);
  const int frac = a.frac() > b.frac() ? a.frac() : b.frac();
  return make_fixed(integer + frac, integer, a.is_signed || b.is_signed);
}

FixedType difference_type(const FixedType& a, const FixedType& b) {
  FixedType t = sum_type(a, b);
  t.is_signed = true;
  return t;
}

i128 exact_product(i128 ma, const FixedType& a, i128 mb, const FixedType& b) {
  check_representable(product_type(a, b), "the product");
  return ma * mb;
}

i128 exact_sum(i128 ma, const FixedType& a, i128 mb, const FixedType& b) {
  const FixedType t = sum_type(a, b);
  check_representable(t, "the sum");
  return (ma << (t.frac() - a.frac())) + (mb << (t.frac() - b.frac()));
}

i128 exact_difference(i128 ma, const FixedType& a, i128 mb, const FixedType& b) {
  const FixedType t = difference_type(a, b);
  check_representable(t, "the difference");
  return (ma << (t.frac() - a.frac())) - (mb << (t.frac() - b.frac()));
}

}  // namespace nnfpga::fixed
