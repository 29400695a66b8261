// nnfpga's own arbitrary-precision core: the mode enums, forward declarations of the public
// types, and the integer arithmetic every conversion needs. Written from
// shared/spec/fixed-point.md and docs/fixed-point.md; the public names follow AMD's API so that
// generated HLS C++ compiles against either header set.
//
// Values are held as 128-bit two's complement patterns. Sources of a conversion are widened to
// 129 bits (`Wide`) so that an ap_uint<128> and a negative value share one representation.
#ifndef NNFPGA_HLSLIB_AP_CORE_H_
#define NNFPGA_HLSLIB_AP_CORE_H_

#ifndef __cplusplus
#error "nnfpga ap_types need C++"
#endif

#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ostream>
#include <string>
#include <type_traits>

#ifndef AP_MAX
#define AP_MAX(a, b) ((a) > (b) ? (a) : (b))
#endif
#ifndef AP_MIN
#define AP_MIN(a, b) ((a) < (b) ? (a) : (b))
#endif

enum ap_q_mode {
  AP_RND,
  AP_RND_ZERO,
  AP_RND_MIN_INF,
  AP_RND_INF,
  AP_RND_CONV,
  AP_TRN,
  AP_TRN_ZERO
};
enum ap_o_mode { AP_SAT, AP_SAT_ZERO, AP_SAT_SYM, AP_WRAP, AP_WRAP_SM };

template <int W, int I, bool S = true, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0>
struct ap_fixed_base;
template <int W, int I, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0>
struct ap_fixed;
template <int W, int I, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0>
struct ap_ufixed;
template <int W, bool S = true>
struct ap_int_base;
template <int W>
struct ap_int;
template <int W>
struct ap_uint;

namespace nnfpga_ap {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

// Ones in bits 0..bits-1; bits may be 0..128.
inline u128 low_mask(int bits) {
  return bits >= 128 ? ~u128(0) : bits <= 0 ? u128(0) : (u128(1) << bits) - 1;
}

// Sign- or zero-extends the low W bits of `bits` to the canonical 128-bit pattern.
template <int W, bool S>
inline u128 normalize(u128 bits) {
  if (S) {
    const u128 sign = u128(1) << (W - 1);
    const u128 low = bits & low_mask(W);
    return (low ^ sign) - sign;  // unsigned arithmetic: no UB, wraps as two's complement
  }
  return bits & low_mask(W);
}

// A 129-bit two's complement integer: value = lo - (neg ? 2^128 : 0).
struct Wide {
  u128 lo;
  bool neg;
};

inline Wide wide_signed(u128 canonical) {
  return Wide{canonical, (canonical >> 127) != 0};
}
inline Wide wide_unsigned(u128 canonical) {
  return Wide{canonical, false};
}
inline bool bit_at(const Wide& v, int k) {
  return k >= 128 ? v.neg : ((v.lo >> k) & 1) != 0;
}
inline bool is_zero(const Wide& v) {
  return v.lo == 0 && !v.neg;
}
inline bool equal(const Wide& a, const Wide& b) {
  return a.neg == b.neg && a.lo == b.lo;
}
inline bool less(const Wide& a, const Wide& b) {
  return a.neg != b.neg ? a.neg : a.lo < b.lo;
}

// floor(v / 2^s) for s >= 0.
inline Wide ashr(const Wide& v, int s) {
  if (s <= 0) return v;
  if (s >= 128) return Wide{v.neg ? ~u128(0) : u128(0), v.neg};
  const u128 fill = v.neg ? ~u128(0) << (128 - s) : u128(0);
  return Wide{(v.lo >> s) | fill, v.neg};
}

// Whether any of bits 0..k-1 is set.
inline bool low_nonzero(const Wide& v, int k) {
  if (k <= 0) return false;
  if (k <= 128) return (v.lo & low_mask(k)) != 0;
  return !is_zero(v);
}

// Callers guarantee that v + 1 fits in 129 bits (v is a floor of a right shift).
inline Wide add_one(const Wide& v) {
  Wide r{v.lo + 1, v.neg};
  if (r.lo == 0) r.neg = false;
  return r;
}

// Whether v * 2^l still fits in 129 bits (l >= 1).
inline bool fits_shl(const Wide& v, int l) {
  if (l > 128) return is_zero(v);
  const Wide t = ashr(v, 128 - l);
  return is_zero(t) || (t.neg && t.lo == ~u128(0));
}

// The rounding increment of the spec's quantization table, given the floor's dropped bits.
inline bool round_up(ap_q_mode q, bool negative, bool half, bool sticky, bool lsb) {
  switch (q) {
    case AP_TRN:
      return false;
    case AP_TRN_ZERO:
      return negative && (half || sticky);
    case AP_RND:
      return half;
    case AP_RND_ZERO:
      return half && (negative || sticky);
    case AP_RND_MIN_INF:
      return half && sticky;
    case AP_RND_INF:
      return half && (!negative || sticky);
    case AP_RND_CONV:
      return half && (lsb || sticky);
  }
  return false;
}

inline u128 set_range(u128 v, int lo, int hi, bool ones) {
  if (hi < lo) return v;
  const u128 mask = low_mask(hi - lo + 1) << lo;
  return ones ? (v | mask) : (v & ~mask);
}

// Overflow of the wrapping modes, N saturated bits included (see docs/fixed-point.md: the
// headers' AP_WRAP_SM inverts the pattern when the bit above it disagrees with its sign bit).
template <int W, bool S, ap_o_mode O, int N>
inline u128 wrap_n(u128 v, bool lead_bit, bool negative) {
  if (O == AP_WRAP) {
    if (N == 0) return v;
    if (!S) return set_range(v, W - N, W - 1, true);
    v = set_range(v, W - 1, W - 1, negative);
    return N > 1 ? set_range(v, W - N, W - 2, !negative) : v;
  }
  const bool top = ((v >> (W - 1)) & 1) != 0;
  if (N == 0) return lead_bit != top ? set_range(~v, W - 1, W - 1, lead_bit) : v;
  if (N == 1 && negative != top) {
    v = ~v;
  } else if (N > 1) {
    if ((((v >> (W - N)) & 1) != 0) == negative) v = ~v;
    v = set_range(v, W - N, W - 2, !negative);
  }
  return set_range(v, W - 1, W - 1, negative);
}

// Casts the exact value v * 2^-src_frac into ap_fixed_base<W, W - F, S, Q, O, N>: quantization,
// then overflow. Returns the canonical 128-bit pattern.
template <int W, int F, bool S, ap_q_mode Q, ap_o_mode O, int N>
inline u128 cast_bits(const Wide& v, int src_frac) {
  const int shift = src_frac - F;
  Wide floor = v;
  bool half = false, sticky = false, big = false, lead = false;
  if (shift > 0) {
    floor = ashr(v, shift);
    half = bit_at(v, shift - 1);
    sticky = low_nonzero(v, shift - 1);
    lead = bit_at(floor, W);
  } else if (shift < 0) {
    const int l = -shift;
    big = !fits_shl(v, l);
    floor = Wide{l >= 128 ? u128(0) : v.lo << l, v.neg};
    // When the shifted value left 129 bits only its low 128 bits are kept; bit W comes from v.
    lead = big && W >= 128 ? (W - l >= 0 && bit_at(v, W - l)) : bit_at(floor, W);
  } else {
    lead = bit_at(floor, W);
  }
  const bool up = round_up(Q, v.neg, half, sticky, (floor.lo & 1) != 0);
  const Wide q = up ? add_one(floor) : floor;
  const Wide min_v = S ? Wide{~u128(0) << (W - 1), true} : Wide{0, false};
  const Wide max_v = Wide{low_mask(S ? W - 1 : W), false};
  const bool over = big ? !v.neg : less(max_v, q);
  const bool under = big ? v.neg : (less(q, min_v) || (O == AP_SAT_SYM && S && equal(q, min_v)));
  const u128 bits = q.lo & low_mask(W);
  if (!over && !under) return normalize<W, S>(bits);
  u128 out = 0;
  switch (O) {
    case AP_WRAP:
    case AP_WRAP_SM:
      out = wrap_n<W, S, O, N>(bits, lead, q.neg);
      break;
    case AP_SAT_ZERO:
      out = 0;
      break;
    case AP_SAT:
    case AP_SAT_SYM:
      // A 1-bit signed AP_SAT_SYM underflow is -1 (the pattern 1 | 1), as in the headers.
      if (over) {
        out = max_v.lo;
      } else if (S) {
        out = (u128(1) << (W - 1)) | (O == AP_SAT_SYM ? 1 : 0);
      }
      break;
  }
  return normalize<W, S>(out);
}

inline void warn_nan(bool nan, const char* what) {
  if (nan) std::fprintf(stderr, "WARNING: assign NaN to %s\n", what);
}

// A double as v * 2^-frac. As the headers do, the hidden bit is always set (subnormals read as
// twice their value, infinities as 2^1024, NaN as a huge number). Returns false for +-0.
inline bool decode_double(double d, Wide& v, int& frac) {
  std::uint64_t raw = 0;
  std::memcpy(&raw, &d, sizeof raw);
  if ((raw << 1) == 0) return false;
  const int field = static_cast<int>((raw >> 52) & 0x7ff);
  const std::uint64_t man52 = raw & ((std::uint64_t(1) << 52) - 1);
  warn_nan(field == 0x7ff && man52 != 0, "fixed point value");
  const u128 mag = man52 | (std::uint64_t(1) << 52);
  v = (raw >> 63) != 0 ? Wide{~mag + 1, true} : Wide{mag, false};
  frac = 1075 - field;
  return true;
}

// The headers' integer conversion of a float or double (ap_int_base(double)): truncation toward
// zero, then wrap; a negative value of magnitude below 1/2 gives 1. `man` has the hidden bit at
// `man_bits`, `field - bias` is the binary exponent. Returns the low 128 bits.
inline u128 int_from_float_bits(bool neg, std::uint64_t man, int exponent, int man_bits) {
  const int right = man_bits - exponent;
  u128 t = 0;
  if (right >= man_bits + 2) {
    return neg ? 1 : 0;
  } else if (right >= 0) {
    t = man >> right;
  } else if (-right < 128) {
    t = u128(man) << -right;
  }
  return neg ? ~t + 1 : t;
}

inline u128 int_from_double(double d) {
  std::uint64_t raw = 0;
  std::memcpy(&raw, &d, sizeof raw);
  if ((raw << 1) == 0) return 0;
  const int field = static_cast<int>((raw >> 52) & 0x7ff);
  const std::uint64_t man52 = raw & ((std::uint64_t(1) << 52) - 1);
  warn_nan(field == 0x7ff && man52 != 0, "ap integer value");
  return int_from_float_bits((raw >> 63) != 0, man52 | (std::uint64_t(1) << 52), field - 1023, 52);
}

inline u128 int_from_float(float f) {
  std::uint32_t raw = 0;
  std::memcpy(&raw, &f, sizeof raw);
  if ((raw << 1) == 0) return 0;
  const int field = static_cast<int>((raw >> 23) & 0xff);
  const std::uint32_t man23 = raw & ((std::uint32_t(1) << 23) - 1);
  warn_nan(field == 0xff && man23 != 0, "ap integer value");
  return int_from_float_bits((raw >> 31) != 0, man23 | (std::uint32_t(1) << 23), field - 127, 23);
}

// v * 2^-frac rounded to nearest even. The magnitude is cut to 63 bits with a sticky bit, so the
// single rounding of the u64 -> floating conversion is the correct one.
template <class Fp>
inline Fp to_floating(const Wide& v, int frac) {
  if (is_zero(v)) return Fp(0);
  const u128 mag = v.neg ? ~v.lo + 1 : v.lo;
  const std::uint64_t hi = static_cast<std::uint64_t>(mag >> 64);
  const int bits =
      hi != 0 ? 128 - __builtin_clzll(hi) : 64 - __builtin_clzll(static_cast<std::uint64_t>(mag));
  const int shift = bits > 63 ? bits - 63 : 0;
  std::uint64_t top = static_cast<std::uint64_t>(mag >> shift);
  if ((mag & low_mask(shift)) != 0) top |= 1;
  const Fp r = std::ldexp(static_cast<Fp>(top), shift - frac);
  return v.neg ? -r : r;
}

// The headers' integer part of a fixed value (to_ap_int_base): truncation toward zero when there
// are integer bits, and for I <= 0 the quirk -1 for negative values, 0 otherwise.
template <int W, int I, bool S>
inline u128 integer_part(const Wide& v) {
  if (I >= W) return I - W >= 128 ? u128(0) : v.lo << (I - W);
  if (I <= 0) return S && v.neg ? ~u128(0) : u128(0);
  const Wide fl = ashr(v, W - I);
  return fl.lo + ((S && v.neg && low_nonzero(v, W - I)) ? 1 : 0);
}

// Compares a * 2^-fa with b * 2^-fb exactly: -1, 0 or 1. Only right shifts, so nothing overflows.
inline int compare(const Wide& a, int fa, const Wide& b, int fb) {
  if (fa > fb) return -compare(b, fb, a, fa);
  const Wide fl = ashr(b, fb - fa);
  if (less(a, fl)) return -1;
  if (less(fl, a)) return 1;
  return low_nonzero(b, fb - fa) ? -1 : 0;
}

// Decimal text of a 129-bit value, for printing ap_int.
inline std::string decimal(const Wide& v) {
  u128 mag = v.neg ? ~v.lo + 1 : v.lo;
  char buf[48];
  int pos = 47;
  buf[pos] = '\0';
  do {
    buf[--pos] = static_cast<char>('0' + static_cast<int>(mag % 10));
    mag /= 10;
  } while (mag != 0);
  if (v.neg) buf[--pos] = '-';
  return std::string(buf + pos);
}

// What the binary operators need to know about an operand: its format, whether it is an integer
// (ap_int, ap_uint or a C integer) and its exact value. Specialised per type below and in
// ap_int.h / ap_fixed.h.
template <class T>
struct Info {
  static const bool ok = false;
  static const bool is_ap = false;
  static const bool is_int = false;
  static const int W = 1, I = 1;
  static const bool S = false;
};

template <class T, int Bits, bool Signed>
struct CInfo {
  static const bool ok = true;
  static const bool is_ap = false;
  static const bool is_int = true;
  static const int W = Bits, I = Bits;
  static const bool S = Signed;
  static Wide value(T x) {
    return Signed ? wide_signed(static_cast<u128>(static_cast<i128>(x)))
                  : wide_unsigned(static_cast<u128>(x));
  }
};

template <>
struct Info<bool> : CInfo<bool, 1, false> {};
template <>
struct Info<char> : CInfo<char, 8, (CHAR_MIN < 0)> {};
template <>
struct Info<signed char> : CInfo<signed char, 8, true> {};
template <>
struct Info<unsigned char> : CInfo<unsigned char, 8, false> {};
template <>
struct Info<short> : CInfo<short, sizeof(short) * 8, true> {};
template <>
struct Info<unsigned short> : CInfo<unsigned short, sizeof(short) * 8, false> {};
template <>
struct Info<int> : CInfo<int, sizeof(int) * 8, true> {};
template <>
struct Info<unsigned> : CInfo<unsigned, sizeof(int) * 8, false> {};
template <>
struct Info<long> : CInfo<long, sizeof(long) * 8, true> {};
template <>
struct Info<unsigned long> : CInfo<unsigned long, sizeof(long) * 8, false> {};
template <>
struct Info<long long> : CInfo<long long, sizeof(long long) * 8, true> {};
template <>
struct Info<unsigned long long> : CInfo<unsigned long long, sizeof(long long) * 8, false> {};

// X(ARG, T) for every C integer type T: the types each ap type has a constructor from.
#define NNFPGA_AP_C_INTEGER_TYPES(X, ARG) \
  X(ARG, bool)                            \
  X(ARG, char)                            \
  X(ARG, signed char)                     \
  X(ARG, unsigned char)                   \
  X(ARG, short)                           \
  X(ARG, unsigned short)                  \
  X(ARG, int)                             \
  X(ARG, unsigned)                        \
  X(ARG, long)                            \
  X(ARG, unsigned long)                   \
  X(ARG, long long)                       \
  X(ARG, unsigned long long)

// The type of an exact result: ap_int/ap_uint when both operands are integers, else ap_fixed.
template <int W, int I, bool S, bool IsInt>
struct Make;
template <int W, int I>
struct Make<W, I, true, false> {
  typedef ap_fixed<W, I> type;
};
template <int W, int I>
struct Make<W, I, false, false> {
  typedef ap_ufixed<W, I> type;
};
template <int W, int I>
struct Make<W, I, true, true> {
  typedef ap_int<W> type;
};
template <int W, int I>
struct Make<W, I, false, true> {
  typedef ap_uint<W> type;
};

template <class A, class B, bool = Info<A>::ok&& Info<B>::ok && (Info<A>::is_ap || Info<B>::is_ap)>
struct BinOp {};

// Result formats of the spec, with docs/fixed-point.md's rule for mixed signedness: an unsigned
// operand meeting a signed one counts one integer bit more.
template <class A, class B>
struct BinOp<A, B, true> {
  typedef Info<A> a;
  typedef Info<B> b;
  static const int Fa = a::W - a::I, Fb = b::W - b::I;
  static const int F = Fa > Fb ? Fa : Fb;
  static const int Ia = a::I + ((b::S && !a::S) ? 1 : 0);
  static const int Ib = b::I + ((a::S && !b::S) ? 1 : 0);
  static const int Isum = (Ia > Ib ? Ia : Ib) + 1;
  static const bool S = a::S || b::S;
  static const bool is_int = a::is_int && b::is_int;
  typedef typename Make<a::W + b::W, a::I + b::I, S, is_int>::type mult;
  typedef typename Make<Isum + F, Isum, S, is_int>::type plus;
  typedef typename Make<Isum + F, Isum, true, is_int>::type minus;
  typedef bool cmp;
};

inline u128 align(u128 v, int s) {
  return s >= 128 ? u128(0) : v << s;
}

template <class R>
inline R from_raw(u128 bits) {
  R r;
  r.nnfpga_set_raw(bits);
  return r;
}

}  // namespace nnfpga_ap

// Exact products, sums and differences of any two ap types, or an ap type and a C integer (which
// counts as ap_int<bits> / ap_uint<bits>, as in the headers). The result type holds every bit, so
// 128-bit wrapping arithmetic is exact. Operations with double do not compile, as in the headers.
template <class A, class B>
inline typename nnfpga_ap::BinOp<A, B>::mult operator*(const A& a, const B& b) {
  return nnfpga_ap::from_raw<typename nnfpga_ap::BinOp<A, B>::mult>(
      nnfpga_ap::Info<A>::value(a).lo * nnfpga_ap::Info<B>::value(b).lo);
}

template <class A, class B>
inline typename nnfpga_ap::BinOp<A, B>::plus operator+(const A& a, const B& b) {
  typedef nnfpga_ap::BinOp<A, B> Op;
  return nnfpga_ap::from_raw<typename Op::plus>(
      nnfpga_ap::align(nnfpga_ap::Info<A>::value(a).lo, Op::F - Op::Fa) +
      nnfpga_ap::align(nnfpga_ap::Info<B>::value(b).lo, Op::F - Op::Fb));
}

template <class A, class B>
inline typename nnfpga_ap::BinOp<A, B>::minus operator-(const A& a, const B& b) {
  typedef nnfpga_ap::BinOp<A, B> Op;
  return nnfpga_ap::from_raw<typename Op::minus>(
      nnfpga_ap::align(nnfpga_ap::Info<A>::value(a).lo, Op::F - Op::Fa) -
      nnfpga_ap::align(nnfpga_ap::Info<B>::value(b).lo, Op::F - Op::Fb));
}

#define NNFPGA_AP_CMP(OP)                                                                     \
  template <class A, class B>                                                                 \
  inline typename nnfpga_ap::BinOp<A, B>::cmp operator OP(const A& a, const B& b) {           \
    typedef nnfpga_ap::Info<A> IA;                                                            \
    typedef nnfpga_ap::Info<B> IB;                                                            \
    return nnfpga_ap::compare(IA::value(a), IA::W - IA::I, IB::value(b), IB::W - IB::I) OP 0; \
  }
NNFPGA_AP_CMP(==)
NNFPGA_AP_CMP(!=)
NNFPGA_AP_CMP(<)
NNFPGA_AP_CMP(<=)
NNFPGA_AP_CMP(>)
NNFPGA_AP_CMP(>=)
#undef NNFPGA_AP_CMP

#endif  // NNFPGA_HLSLIB_AP_CORE_H_
