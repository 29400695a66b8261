// nnfpga's ap_int<W> / ap_uint<W> for C simulation with plain g++ (see README.md). Arithmetic is
// that of ap_fixed<W,W> / ap_ufixed<W,W>; conversions follow the headers' integer rules: from a
// float, double or fixed value the integer part is taken by truncation toward zero, then wrapped.
#ifndef NNFPGA_HLSLIB_AP_INT_H_
#define NNFPGA_HLSLIB_AP_INT_H_

#include "nnfpga_ap_core.h"

namespace nnfpga_ap {

// The smallest C integer holding W bits, so that arrays of ap types stay as compact as AMD's.
template <int W>
struct Storage {
  typedef typename std::conditional<
      (W <= 8), std::uint8_t,
      typename std::conditional<
          (W <= 16), std::uint16_t,
          typename std::conditional<(W <= 32), std::uint32_t,
                                    typename std::conditional<(W <= 64), std::uint64_t,
                                                              u128>::type>::type>::type>::type type;
};

template <class T>
struct IsFixed {
  static const bool value = Info<T>::ok && Info<T>::is_ap && !Info<T>::is_int;
};

}  // namespace nnfpga_ap

template <int W, bool S>
struct ap_int_base {
  static_assert(W >= 1 && W <= 128, "nnfpga ap_int supports widths 1..128");
  static const int width = W;

  ap_int_base() : raw_(0) {}

#define NNFPGA_AP_INT_FROM_C(T)                      \
  ap_int_base(T v) {                                 \
    nnfpga_set_raw(nnfpga_ap::Info<T>::value(v).lo); \
  }
  NNFPGA_AP_INT_FROM_C(bool)
  NNFPGA_AP_INT_FROM_C(char)
  NNFPGA_AP_INT_FROM_C(signed char)
  NNFPGA_AP_INT_FROM_C(unsigned char)
  NNFPGA_AP_INT_FROM_C(short)
  NNFPGA_AP_INT_FROM_C(unsigned short)
  NNFPGA_AP_INT_FROM_C(int)
  NNFPGA_AP_INT_FROM_C(unsigned)
  NNFPGA_AP_INT_FROM_C(long)
  NNFPGA_AP_INT_FROM_C(unsigned long)
  NNFPGA_AP_INT_FROM_C(long long)
  NNFPGA_AP_INT_FROM_C(unsigned long long)
#undef NNFPGA_AP_INT_FROM_C
  ap_int_base(double v) {
    nnfpga_set_raw(nnfpga_ap::int_from_double(v));
  }
  ap_int_base(float v) {
    nnfpga_set_raw(nnfpga_ap::int_from_float(v));
  }

  template <int W2, bool S2>
  ap_int_base(const ap_int_base<W2, S2>& v) {
    nnfpga_set_raw(v.nnfpga_raw());
  }

  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
  ap_int_base(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& v) {
    nnfpga_set_raw(nnfpga_ap::integer_part<W2, I2, S2>(v.nnfpga_wide()));
  }

  // Compound assignment: exact operation, then wrap. A fixed-point right operand is first cut to
  // its integer part, as the headers do (ap_int<8> k = 5; k += -2.5 gives 3).
#define NNFPGA_AP_INT_COMPOUND(OP, NAME)                                                           \
  template <class B>                                                                               \
  typename std::enable_if<nnfpga_ap::Info<B>::ok, ap_int_base&>::type operator OP##=(const B& b) { \
    return NAME(b, std::integral_constant<bool, nnfpga_ap::IsFixed<B>::value>());                  \
  }
  NNFPGA_AP_INT_COMPOUND(+, add_assign_)
  NNFPGA_AP_INT_COMPOUND(-, sub_assign_)
  NNFPGA_AP_INT_COMPOUND(*, mul_assign_)
#undef NNFPGA_AP_INT_COMPOUND

  ap_int_base& operator++() {
    return *this += ap_int_base<2, true>(1);
  }
  ap_int_base& operator--() {
    return *this -= ap_int_base<2, true>(1);
  }
  ap_int_base operator++(int) {
    ap_int_base old(*this);
    ++*this;
    return old;
  }
  ap_int_base operator--(int) {
    ap_int_base old(*this);
    --*this;
    return old;
  }

  ap_int_base operator+() const {
    return *this;
  }
  ap_int<W + 1> operator-() const {
    return nnfpga_ap::from_raw<ap_int<W + 1> >(-nnfpga_raw());
  }
  bool operator!() const {
    return raw_ == 0;
  }

  // Shifts keep the type and apply no rounding or saturation; a negative count shifts the other
  // way; counts of W or more give 0 (left) or the sign fill (right).
  template <class T>
  typename std::enable_if<std::is_integral<T>::value, ap_int_base>::type operator<<(T sh) const {
    return shifted(static_cast<long long>(sh));
  }
  template <class T>
  typename std::enable_if<std::is_integral<T>::value, ap_int_base>::type operator>>(T sh) const {
    return shifted(-static_cast<long long>(sh));
  }
  template <int W2, bool S2>
  ap_int_base operator<<(const ap_int_base<W2, S2>& sh) const {
    return shifted(sh.to_int64());
  }
  template <int W2, bool S2>
  ap_int_base operator>>(const ap_int_base<W2, S2>& sh) const {
    return shifted(-sh.to_int64());
  }
  template <class T>
  ap_int_base& operator<<=(const T& sh) {
    return *this = *this << sh;
  }
  template <class T>
  ap_int_base& operator>>=(const T& sh) {
    return *this = *this >> sh;
  }

  // The headers' single implicit conversion: to a 64-bit C integer (the low 64 bits).
  typedef typename std::conditional<S, long long, unsigned long long>::type RetType;
  operator RetType() const {
    return static_cast<RetType>(nnfpga_raw());
  }

  bool to_bool() const {
    return raw_ != 0;
  }
  char to_char() const {
    return static_cast<char>(nnfpga_raw());
  }
  int to_int() const {
    return static_cast<int>(nnfpga_raw());
  }
  unsigned to_uint() const {
    return static_cast<unsigned>(nnfpga_raw());
  }
  long to_long() const {
    return static_cast<long>(nnfpga_raw());
  }
  unsigned long to_ulong() const {
    return static_cast<unsigned long>(nnfpga_raw());
  }
  long long to_int64() const {
    return static_cast<long long>(nnfpga_raw());
  }
  unsigned long long to_uint64() const {
    return static_cast<unsigned long long>(nnfpga_raw());
  }
  double to_double() const {
    return nnfpga_ap::to_floating<double>(nnfpga_wide(), 0);
  }
  float to_float() const {
    return nnfpga_ap::to_floating<float>(nnfpga_wide(), 0);
  }
  int length() const {
    return W;
  }

  // nnfpga extensions (not in AMD's API): the canonical 128-bit pattern and the exact value.
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
  ap_int_base shifted(long long left) const {
    ap_int_base r;
    if (left >= 0) {
      r.nnfpga_set_raw(left >= W ? nnfpga_ap::u128(0) : nnfpga_raw() << left);
    } else {
      const long long right = -left;
      const nnfpga_ap::Wide v = nnfpga_wide();
      r.nnfpga_set_raw(nnfpga_ap::ashr(v, right >= W ? 128 : static_cast<int>(right)).lo);
    }
    return r;
  }

#define NNFPGA_AP_INT_ASSIGN_OP(OP, NAME)                                   \
  template <class B>                                                        \
  ap_int_base& NAME(const B& b, std::false_type) {                          \
    return *this = *this OP b;                                              \
  }                                                                         \
  template <class B>                                                        \
  ap_int_base& NAME(const B& b, std::true_type) {                           \
    typedef nnfpga_ap::Info<B> IB;                                          \
    return *this = *this OP ap_int_base<(IB::I > 1 ? IB::I : 1), IB::S>(b); \
  }
  NNFPGA_AP_INT_ASSIGN_OP(+, add_assign_)
  NNFPGA_AP_INT_ASSIGN_OP(-, sub_assign_)
  NNFPGA_AP_INT_ASSIGN_OP(*, mul_assign_)
#undef NNFPGA_AP_INT_ASSIGN_OP

  // Canonical (sign- or zero-extended) pattern, narrowed to the storage width.
  typename nnfpga_ap::Storage<W>::type raw_;
};

// Definition of the static constant, for code that binds it to a reference (C++14).
template <int W, bool S>
const int ap_int_base<W, S>::width;

// The constructors every integer type forwards to ap_int_base.
#define NNFPGA_AP_INT_CTORS(NAME)                                        \
  NAME() : Base() {}                                                     \
  template <int W2, bool S2>                                             \
  NAME(const ap_int_base<W2, S2>& v) : Base(v) {}                        \
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2> \
  NAME(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& v) : Base(v) {}      \
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

template <int W>
struct ap_int : ap_int_base<W, true> {
  typedef ap_int_base<W, true> Base;
  NNFPGA_AP_INT_CTORS(ap_int)
};

template <int W>
struct ap_uint : ap_int_base<W, false> {
  typedef ap_int_base<W, false> Base;
  NNFPGA_AP_INT_CTORS(ap_uint)
};
#undef NNFPGA_AP_INT_CTORS

namespace nnfpga_ap {

template <int Width, bool Signed>
struct IntInfo {
  static const bool ok = true;
  static const bool is_ap = true;
  static const bool is_int = true;
  static const int W = Width, I = Width;
  static const bool S = Signed;
  static Wide value(const ap_int_base<Width, Signed>& x) { return x.nnfpga_wide(); }
};

template <int W, bool S>
struct Info<ap_int_base<W, S> > : IntInfo<W, S> {};
template <int W>
struct Info<ap_int<W> > : IntInfo<W, true> {};
template <int W>
struct Info<ap_uint<W> > : IntInfo<W, false> {};

}  // namespace nnfpga_ap

template <int W, bool S>
inline std::ostream& operator<<(std::ostream& out, const ap_int_base<W, S>& x) {
  return out << nnfpga_ap::decimal(x.nnfpga_wide());
}

#endif  // NNFPGA_HLSLIB_AP_INT_H_
