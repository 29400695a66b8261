// nnfpga's ap_fixed<W,I,Q,O,N> / ap_ufixed for C simulation with plain g++ (see README.md).
// Every conversion into a fixed type quantizes with the target's Q, then applies its O, exactly
// as src/fixed/exact.hpp's cast() and cast_double() (the tests hold the two to the same bits).
#ifndef NNFPGA_HLSLIB_AP_FIXED_H_
#define NNFPGA_HLSLIB_AP_FIXED_H_

#include "ap_int.h"
#include "nnfpga_ap_core.h"

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
struct ap_fixed_base {
  static_assert(W >= 1 && W <= 128, "nnfpga ap_fixed supports widths 1..128");
  static_assert(N >= 0 && N <= W, "ap_fixed: N (saturated bits) must be within 0..W");
  static_assert(S || O != AP_WRAP_SM,
                "AP_WRAP_SM needs a signed type (AMD's ap_ufixed rejects it)");
  static const int width = W;
  static const int iwidth = I;
  static const ap_q_mode qmode = Q;
  static const ap_o_mode omode = O;

  ap_fixed_base() : raw_(0) {}

#define NNFPGA_AP_FIXED_FROM_C(T)               \
  ap_fixed_base(T v) {                          \
    cast_from(nnfpga_ap::Info<T>::value(v), 0); \
  }
  NNFPGA_AP_FIXED_FROM_C(bool)
  NNFPGA_AP_FIXED_FROM_C(char)
  NNFPGA_AP_FIXED_FROM_C(signed char)
  NNFPGA_AP_FIXED_FROM_C(unsigned char)
  NNFPGA_AP_FIXED_FROM_C(short)
  NNFPGA_AP_FIXED_FROM_C(unsigned short)
  NNFPGA_AP_FIXED_FROM_C(int)
  NNFPGA_AP_FIXED_FROM_C(unsigned)
  NNFPGA_AP_FIXED_FROM_C(long)
  NNFPGA_AP_FIXED_FROM_C(unsigned long)
  NNFPGA_AP_FIXED_FROM_C(long long)
  NNFPGA_AP_FIXED_FROM_C(unsigned long long)
#undef NNFPGA_AP_FIXED_FROM_C

  ap_fixed_base(double v) : raw_(0) {
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

  ap_fixed_base& operator++() {
    return *this += ap_uint<1>(1);
  }
  ap_fixed_base& operator--() {
    return *this -= ap_uint<1>(1);
  }
  ap_fixed_base operator++(int) {
    ap_fixed_base old(*this);
    ++*this;
    return old;
  }
  ap_fixed_base operator--(int) {
    ap_fixed_base old(*this);
    --*this;
    return old;
  }

  ap_fixed_base operator+() const {
    return *this;
  }
  // Exact: one bit wider and always signed, as in the headers.
  ap_fixed<W + 1, I + 1> operator-() const {
    return nnfpga_ap::from_raw<ap_fixed<W + 1, I + 1> >(-nnfpga_raw());
  }
  bool operator!() const {
    return raw_ == 0;
  }

  // Shifts move the bits inside the same type: no quantization, no overflow handling (the
  // headers' behaviour without __SC_COMPATIBLE__). A negative count shifts the other way.
  template <class T>
  typename std::enable_if<std::is_integral<T>::value, ap_fixed_base>::type operator<<(T sh) const {
    return shifted(static_cast<long long>(sh));
  }
  template <class T>
  typename std::enable_if<std::is_integral<T>::value, ap_fixed_base>::type operator>>(T sh) const {
    return shifted(-static_cast<long long>(sh));
  }
  template <int W2, bool S2>
  ap_fixed_base operator<<(const ap_int_base<W2, S2>& sh) const {
    return shifted(sh.to_int64());
  }
  template <int W2, bool S2>
  ap_fixed_base operator>>(const ap_int_base<W2, S2>& sh) const {
    return shifted(-sh.to_int64());
  }
  template <class T>
  ap_fixed_base& operator<<=(const T& sh) {
    return *this = *this << sh;
  }
  template <class T>
  ap_fixed_base& operator>>=(const T& sh) {
    return *this = *this >> sh;
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
  int length() const {
    return W;
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
    return raw_ != 0;
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

  // nnfpga extensions (not in AMD's API): the canonical 128-bit mantissa pattern (value =
  // mantissa * 2^-(W-I)) and the exact mantissa.
  nnfpga_ap::u128 nnfpga_raw() const {
    return nnfpga_ap::normalize<W, S>(static_cast<nnfpga_ap::u128>(raw_));
  }
  nnfpga_ap::Wide nnfpga_wide() const {
    return S ? nnfpga_ap::wide_signed(nnfpga_raw()) : nnfpga_ap::wide_unsigned(nnfpga_raw());
  }
  void nnfpga_set_raw(nnfpga_ap::u128 bits) {
    raw_ = static_cast<typename nnfpga_ap::Storage<W>::type>(nnfpga_ap::normalize<W, S>(bits));
  }

 private:
  void cast_from(const nnfpga_ap::Wide& v, int frac) {
    nnfpga_set_raw(nnfpga_ap::cast_bits<W, W - I, S, Q, O, N>(v, frac));
  }
  nnfpga_ap::u128 int_part() const {
    return nnfpga_ap::integer_part<W, I, S>(nnfpga_wide());
  }

  ap_fixed_base shifted(long long left) const {
    ap_fixed_base r;
    if (left >= 0) {
      r.nnfpga_set_raw(left >= W ? nnfpga_ap::u128(0) : nnfpga_raw() << left);
    } else {
      const long long right = -left;
      r.nnfpga_set_raw(
          nnfpga_ap::ashr(nnfpga_wide(), right >= W ? 128 : static_cast<int>(right)).lo);
    }
    return r;
  }

  // Canonical (sign- or zero-extended) pattern, narrowed to the storage width.
  typename nnfpga_ap::Storage<W>::type raw_;
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

// The constructors every fixed type forwards to ap_fixed_base.
#define NNFPGA_AP_FIXED_CTORS(NAME)                                      \
  NAME() : Base() {}                                                     \
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2> \
  NAME(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& v) : Base(v) {}      \
  template <int W2, bool S2>                                             \
  NAME(const ap_int_base<W2, S2>& v) : Base(v) {}                        \
  NAME(bool v) : Base(v) {}                                              \
  NAME(char v) : Base(v) {}                                              \
  NAME(signed char v) : Base(v) {}                                       \
  NAME(unsigned char v) : Base(v) {}                                     \
  NAME(short v) : Base(v) {}                                             \
  NAME(unsigned short v) : Base(v) {}                                    \
  NAME(int v) : Base(v) {}                                               \
  NAME(unsigned v) : Base(v) {}                                          \
  NAME(long v) : Base(v) {}                                              \
  NAME(unsigned long v) : Base(v) {}                                     \
  NAME(long long v) : Base(v) {}                                         \
  NAME(unsigned long long v) : Base(v) {}                                \
  NAME(float v) : Base(v) {}                                             \
  NAME(double v) : Base(v) {}

template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct ap_fixed : ap_fixed_base<W, I, true, Q, O, N> {
  typedef ap_fixed_base<W, I, true, Q, O, N> Base;
  NNFPGA_AP_FIXED_CTORS(ap_fixed)
};

template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct ap_ufixed : ap_fixed_base<W, I, false, Q, O, N> {
  typedef ap_fixed_base<W, I, false, Q, O, N> Base;
  NNFPGA_AP_FIXED_CTORS(ap_ufixed)
};
#undef NNFPGA_AP_FIXED_CTORS

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
