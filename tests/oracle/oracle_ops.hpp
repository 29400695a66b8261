// The template side of the differential test: each function performs one operation with AMD's
// ap_fixed types (from the installed hls4ml package) on raw bit patterns, so that the generated
// chunk files instantiate only these small functions and all case generation stays non-template.
#pragma once

#include <ap_fixed.h>

#include <type_traits>

#include "oracle_driver.hpp"

namespace oracle {

template <int W, int I, bool S, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0>
using Fx = std::conditional_t<S, ap_fixed<W, I, Q, O, N>, ap_ufixed<W, I, Q, O, N>>;

template <typename T>
void set_bits(T& x, u128 bits) {
  constexpr int kW = T::width;
  x.setBits(static_cast<ap_ulong>(bits));
  if constexpr (kW > 64) x.range(kW - 1, 64) = static_cast<ap_ulong>(bits >> 64);
}

template <typename T>
u128 get_bits(const T& x) {
  constexpr int kW = T::width;
  u128 lo = x.range(kW > 64 ? 63 : kW - 1, 0).to_uint64();
  if constexpr (kW > 64) lo |= static_cast<u128>(x.range(kW - 1, 64).to_uint64()) << 64;
  return lo;
}

template <typename T>
constexpr bool is_signed_fixed() {
  return std::is_same_v<T, ap_fixed<T::width, T::iwidth>>;
}

template <typename Target, typename Source>
u128 cast_op(u128 source_bits) {
  Source s;
  set_bits(s, source_bits);
  Target t;
  t = s;
  return get_bits(t);
}

template <typename Target>
u128 double_op(double d) {
  Target t(d);
  return get_bits(t);
}

template <typename R>
HeaderResult result_of(const R& r) {
  return {get_bits(r), R::width, R::iwidth, is_signed_fixed<R>()};
}

template <typename A, typename B>
void arith_op(u128 a_bits, u128 b_bits, HeaderResult out[3]) {
  A a;
  B b;
  set_bits(a, a_bits);
  set_bits(b, b_bits);
  out[0] = result_of(a * b);
  out[1] = result_of(a + b);
  out[2] = result_of(a - b);
}

}  // namespace oracle
