// What ap_int_base and ap_fixed_base share (see README.md): the W-bit two's complement pattern
// they hold, stored in the smallest C integer that fits, and the operators that depend on the
// pattern alone. D is the type deriving from it (ap_int_base or ap_fixed_base), so that each
// operator returns that type, as the headers' operators do. Arithmetic, casts and conversions,
// which differ between integers and fixed-point values, stay in ap_int.h and ap_fixed.h.
#ifndef NNFPGA_HLSLIB_AP_PATTERN_H_
#define NNFPGA_HLSLIB_AP_PATTERN_H_

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

template <class D, int W, bool S>
struct Pattern {
  // ++ and -- add or subtract one with D's own +=, so D's rules (a fixed type's Q and O, an
  // integer's wrap) decide the result.
  D& operator++() { return self() += ap_uint<1>(1); }
  D& operator--() { return self() -= ap_uint<1>(1); }
  D operator++(int) {
    D old(self());
    ++*this;
    return old;
  }
  D operator--(int) {
    D old(self());
    --*this;
    return old;
  }

  D operator+() const { return self(); }
  bool operator!() const { return raw_ == 0; }

  // Shifts move the bits inside the same type: no quantization, no overflow handling (the
  // headers' behaviour without __SC_COMPATIBLE__). A negative count shifts the other way; counts
  // of W or more give 0 (left) or the sign fill (right).
  template <class T>
  typename std::enable_if<std::is_integral<T>::value, D>::type operator<<(T sh) const {
    return shifted(static_cast<long long>(sh));
  }
  template <class T>
  typename std::enable_if<std::is_integral<T>::value, D>::type operator>>(T sh) const {
    return shifted(-static_cast<long long>(sh));
  }
  template <int W2, bool S2>
  D operator<<(const ap_int_base<W2, S2>& sh) const {
    return shifted(sh.to_int64());
  }
  template <int W2, bool S2>
  D operator>>(const ap_int_base<W2, S2>& sh) const {
    return shifted(-sh.to_int64());
  }
  template <class T>
  D& operator<<=(const T& sh) {
    return self() = self() << sh;
  }
  template <class T>
  D& operator>>=(const T& sh) {
    return self() = self() >> sh;
  }

  int length() const { return W; }

  // nnfpga extensions (not in AMD's API): the canonical 128-bit pattern (sign- or zero-extended;
  // for a fixed type the mantissa, value = mantissa * 2^-(W-I)), and the exact value of it.
  u128 nnfpga_raw() const { return normalize<W, S>(static_cast<u128>(raw_)); }
  Wide nnfpga_wide() const { return S ? wide_signed(nnfpga_raw()) : wide_unsigned(nnfpga_raw()); }
  void nnfpga_set_raw(u128 bits) {
    raw_ = static_cast<typename Storage<W>::type>(normalize<W, S>(bits));
  }

 protected:
  Pattern() : raw_(0) {}

  // The canonical pattern, narrowed to the storage width.
  typename Storage<W>::type raw_;

 private:
  D& self() { return static_cast<D&>(*this); }
  const D& self() const { return static_cast<const D&>(*this); }

  D shifted(long long left) const {
    D r;
    if (left >= 0) {
      r.nnfpga_set_raw(left >= W ? u128(0) : nnfpga_raw() << left);
    } else {
      const long long right = -left;
      r.nnfpga_set_raw(ashr(nnfpga_wide(), right >= W ? 128 : static_cast<int>(right)).lo);
    }
    return r;
  }
};

}  // namespace nnfpga_ap

// The constructors every public type (ap_int, ap_uint, ap_fixed, ap_ufixed) forwards to its base
// (its typedef Base): from every ap type, every C integer type, float and double.
#define NNFPGA_AP_FORWARD_CTOR(NAME, T) \
  NAME(T v) : Base(v) {}
#define NNFPGA_AP_FORWARDING_CTORS(NAME)                                 \
  NAME() : Base() {}                                                     \
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2> \
  NAME(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& v) : Base(v) {}      \
  template <int W2, bool S2>                                             \
  NAME(const ap_int_base<W2, S2>& v) : Base(v) {}                        \
  NNFPGA_AP_C_INTEGER_TYPES(NNFPGA_AP_FORWARD_CTOR, NAME)                \
  NAME(float v) : Base(v) {}                                             \
  NAME(double v) : Base(v) {}

#endif  // NNFPGA_HLSLIB_AP_PATTERN_H_
