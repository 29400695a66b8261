// nnfpga's ap_int<W> / ap_uint<W> for C simulation with plain g++ (see README.md). Arithmetic is
// that of ap_fixed<W,W> / ap_ufixed<W,W>; conversions follow the headers' integer rules: from a
// float, double or fixed value the integer part is taken by truncation toward zero, then wrapped.
#ifndef NNFPGA_HLSLIB_AP_INT_H_
#define NNFPGA_HLSLIB_AP_INT_H_

#include "nnfpga_ap_core.h"
#include "nnfpga_ap_pattern.h"

namespace nnfpga_ap {

template <class T>
struct IsFixed {
  static const bool value = Info<T>::ok && Info<T>::is_ap && !Info<T>::is_int;
};

}  // namespace nnfpga_ap

template <int W, bool S>
struct ap_int_base : nnfpga_ap::Pattern<ap_int_base<W, S>, W, S> {
  static_assert(W >= 1 && W <= 128, "nnfpga ap_int supports widths 1..128");
  static const int width = W;
  typedef nnfpga_ap::Pattern<ap_int_base, W, S> PatternBase;
  using PatternBase::nnfpga_raw;
  using PatternBase::nnfpga_set_raw;
  using PatternBase::nnfpga_wide;

  ap_int_base() {}

#define NNFPGA_AP_INT_FROM_C(NAME, T)                \
  NAME(T v) {                                        \
    nnfpga_set_raw(nnfpga_ap::Info<T>::value(v).lo); \
  }
  NNFPGA_AP_C_INTEGER_TYPES(NNFPGA_AP_INT_FROM_C, ap_int_base)
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

  // The headers' only unary minus: exact, one bit wider and signed.
  ap_int<W + 1> operator-() const {
    return nnfpga_ap::from_raw<ap_int<W + 1> >(-nnfpga_raw());
  }

  // The headers' single implicit conversion: to a 64-bit C integer (the low 64 bits).
  typedef typename std::conditional<S, long long, unsigned long long>::type RetType;
  operator RetType() const {
    return static_cast<RetType>(nnfpga_raw());
  }

  bool to_bool() const {
    return this->raw_ != 0;
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

 private:
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
};

// Definition of the static constant, for code that binds it to a reference (C++14).
template <int W, bool S>
const int ap_int_base<W, S>::width;

template <int W>
struct ap_int : ap_int_base<W, true> {
  typedef ap_int_base<W, true> Base;
  NNFPGA_AP_FORWARDING_CTORS(ap_int)
};

template <int W>
struct ap_uint : ap_int_base<W, false> {
  typedef ap_int_base<W, false> Base;
  NNFPGA_AP_FORWARDING_CTORS(ap_uint)
};

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
