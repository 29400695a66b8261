// nnfpga's ap_fixed<W,I,Q,O,N> / ap_ufixed for C simulation with plain g++ (see README.md).
// Every conversion into a fixed type quantizes with the target's Q, then applies its O, exactly
// as src/fixed/exact.hpp's cast() and cast_double() (the tests hold the two to the same bits).
#ifndef NNFPGA_HLSLIB_AP_FIXED_H_
#define NNFPGA_HLSLIB_AP_FIXED_H_

#include "ap_int.h"
#include "nnfpga_ap_core.h"
#include "nnfpga_ap_pattern.h"

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
struct ap_fixed_base : nnfpga_ap::Pattern<ap_fixed_base<W, I, S, Q, O, N>, W, S> {
  static_assert(W >= 1 && W <= 128, "nnfpga ap_fixed supports widths 1..128");
  static_assert(N >= 0 && N <= W, "ap_fixed: N (saturated bits) must be within 0..W");
  static_assert(S || O != AP_WRAP_SM,
                "AP_WRAP_SM needs a signed type (AMD's ap_ufixed rejects it)");
  static const int width = W;
  static const int iwidth = I;
  static const ap_q_mode qmode = Q;
  static const ap_o_mode omode = O;
  typedef nnfpga_ap::Pattern<ap_fixed_base, W, S> PatternBase;
  using PatternBase::nnfpga_raw;
  using PatternBase::nnfpga_set_raw;
  using PatternBase::nnfpga_wide;

  ap_fixed_base() {}

#define NNFPGA_AP_FIXED_FROM_C(NAME, T)         \
  NAME(T v) {                                   \
    cast_from(nnfpga_ap::Info<T>::value(v), 0); \
  }
  NNFPGA_AP_C_INTEGER_TYPES(NNFPGA_AP_FIXED_FROM_C, ap_fixed_base)
#undef NNFPGA_AP_FIXED_FROM_C

  ap_fixed_base(double v) {
    nnfpga_ap::Wide w;
    int frac = 0;
    if (nnfpga_ap::decode_double(v, w, frac)) cast_from(w, frac);
  }
  ap_fixed_base(float v) : ap_fixed_base(static_cast<double>(v)) {}

  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
  ap_fixed_base(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& v) {
    cast_from(v.nnfpga_wide(), W2 - I2);
  }
  template <int W2, bool S2>
  ap_fixed_base(const ap_int_base<W2, S2>& v) {
    cast_from(v.nnfpga_wide(), 0);
  }

  // Compound assignment: the exact result, cast into this type with its Q and O.
#define NNFPGA_AP_FIXED_COMPOUND(OP)                                                    \
  template <class B>                                                                    \
  typename std::enable_if<nnfpga_ap::Info<B>::ok, ap_fixed_base&>::type operator OP##=( \
      const B& b) {                                                                     \
    return *this = *this OP b;                                                          \
  }
  NNFPGA_AP_FIXED_COMPOUND(+)
  NNFPGA_AP_FIXED_COMPOUND(-)
  NNFPGA_AP_FIXED_COMPOUND(*)
#undef NNFPGA_AP_FIXED_COMPOUND

  // Exact: one bit wider and always signed, as in the headers.
  ap_fixed<W + 1, I + 1> operator-() const {
    return nnfpga_ap::from_raw<ap_fixed<W + 1, I + 1> >(-nnfpga_raw());
  }

  // Comparisons with a double go through to_double(), as in the headers (exact up to 53 bits).
#define NNFPGA_AP_FIXED_CMP_DOUBLE(OP)            \
  bool operator OP(double d) const {              \
    return to_double() OP d;                      \
  }                                               \
  bool operator OP(float f) const {               \
    return to_double() OP static_cast<double>(f); \
  }
  NNFPGA_AP_FIXED_CMP_DOUBLE(==)
  NNFPGA_AP_FIXED_CMP_DOUBLE(!=)
  NNFPGA_AP_FIXED_CMP_DOUBLE(<)
  NNFPGA_AP_FIXED_CMP_DOUBLE(<=)
  NNFPGA_AP_FIXED_CMP_DOUBLE(>)
  NNFPGA_AP_FIXED_CMP_DOUBLE(>=)
#undef NNFPGA_AP_FIXED_CMP_DOUBLE

  double to_double() const {
    return nnfpga_ap::to_floating<double>(nnfpga_wide(), W - I);
  }
  float to_float() const {
    return nnfpga_ap::to_floating<float>(nnfpga_wide(), W - I);
  }
  // Integer conversions take the headers' integer part (truncation toward zero, see
  // nnfpga_ap::integer_part), then its low 32 or 64 bits.
  char to_char() const {
    return static_cast<char>(int_part());
  }
  int to_int() const {
    return static_cast<int>(int_part());
  }
  unsigned to_uint() const {
    return static_cast<unsigned>(int_part());
  }
  long long to_int64() const {
    return static_cast<long long>(int_part());
  }
  unsigned long long to_uint64() const {
    return static_cast<unsigned long long>(int_part());
  }
  // The headers make all of these implicit; the same set keeps overload resolution the same.
  operator long double() const {
    return static_cast<long double>(to_double());
  }
  operator double() const {
    return to_double();
  }
  operator float() const {
    return to_float();
  }
  operator bool() const {
    return this->raw_ != 0;
  }
  operator char() const {
    return static_cast<char>(to_int());
  }
  operator signed char() const {
    return static_cast<signed char>(to_int());
  }
  operator unsigned char() const {
    return static_cast<unsigned char>(to_uint());
  }
  operator short() const {
    return static_cast<short>(to_int());
  }
  operator unsigned short() const {
    return static_cast<unsigned short>(to_uint());
  }
  operator int() const {
    return to_int();
  }
  operator unsigned int() const {
    return to_uint();
  }
  operator long() const {
    return static_cast<long>(to_int64());
  }
  operator unsigned long() const {
    return static_cast<unsigned long>(to_uint64());
  }
  operator long long() const {
    return to_int64();
  }
  operator unsigned long long() const {
    return to_uint64();
  }

 private:
  void cast_from(const nnfpga_ap::Wide& v, int frac) {
    nnfpga_set_raw(nnfpga_ap::cast_bits<W, W - I, S, Q, O, N>(v, frac));
  }
  nnfpga_ap::u128 int_part() const {
    return nnfpga_ap::integer_part<W, I, S>(nnfpga_wide());
  }
};

// Definitions of the static constants, for code that binds them to references (C++14).
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
const int ap_fixed_base<W, I, S, Q, O, N>::width;
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
const int ap_fixed_base<W, I, S, Q, O, N>::iwidth;
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
const ap_q_mode ap_fixed_base<W, I, S, Q, O, N>::qmode;
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
const ap_o_mode ap_fixed_base<W, I, S, Q, O, N>::omode;

#define NNFPGA_AP_FIXED_CMP_DOUBLE_REV(OP, REV)                                 \
  template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>              \
  inline bool operator OP(double d, const ap_fixed_base<W, I, S, Q, O, N>& x) { \
    return x.operator REV(d);                                                   \
  }
NNFPGA_AP_FIXED_CMP_DOUBLE_REV(==, ==)
NNFPGA_AP_FIXED_CMP_DOUBLE_REV(!=, !=)
NNFPGA_AP_FIXED_CMP_DOUBLE_REV(<, >)
NNFPGA_AP_FIXED_CMP_DOUBLE_REV(<=, >=)
NNFPGA_AP_FIXED_CMP_DOUBLE_REV(>, <)
NNFPGA_AP_FIXED_CMP_DOUBLE_REV(>=, <=)
#undef NNFPGA_AP_FIXED_CMP_DOUBLE_REV

template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct ap_fixed : ap_fixed_base<W, I, true, Q, O, N> {
  typedef ap_fixed_base<W, I, true, Q, O, N> Base;
  NNFPGA_AP_FORWARDING_CTORS(ap_fixed)
};

template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct ap_ufixed : ap_fixed_base<W, I, false, Q, O, N> {
  typedef ap_fixed_base<W, I, false, Q, O, N> Base;
  NNFPGA_AP_FORWARDING_CTORS(ap_ufixed)
};

namespace nnfpga_ap {

template <int Width, int Int, bool Signed, ap_q_mode Q, ap_o_mode O, int N>
struct FixedInfo {
  static const bool ok = true;
  static const bool is_ap = true;
  static const bool is_int = false;
  static const int W = Width, I = Int;
  static const bool S = Signed;
  static Wide value(const ap_fixed_base<Width, Int, Signed, Q, O, N>& x) { return x.nnfpga_wide(); }
};

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
struct Info<ap_fixed_base<W, I, S, Q, O, N> > : FixedInfo<W, I, S, Q, O, N> {};
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct Info<ap_fixed<W, I, Q, O, N> > : FixedInfo<W, I, true, Q, O, N> {};
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct Info<ap_ufixed<W, I, Q, O, N> > : FixedInfo<W, I, false, Q, O, N> {};

}  // namespace nnfpga_ap

// Printed as the double value with the stream's formatting (AMD prints a decimal string cut to
// the stream's precision; the two agree for values a double holds exactly within that precision).
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
inline std::ostream& operator<<(std::ostream& out, const ap_fixed_base<W, I, S, Q, O, N>& x) {
  return out << x.to_double();
}

#endif  // NNFPGA_HLSLIB_AP_FIXED_H_
