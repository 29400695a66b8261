// Shared by the ap_types differential tests (ap_types_*_test.cpp):
// the mapping of the headers' quantization and overflow modes to src/fixed's, mantissa access to
// any ap_fixed, ap_int or C integer value, random and adversarial mantissas and doubles, the
// EXPECT_MANT check that counts every compared case, and the ApTypes fixture that reports them.
//
// Differential test of nnfpga's own ap_types headers (hlslib/ap_types/) against src/fixed, the
// project's reference semantics: casts from double, from other fixed and integer types, products,
// sums, differences, compound assignment, comparisons, unary minus, shifts and conversions, over
// every Q x O pair at widths 1..64, with random and adversarial values. Mantissas are compared bit
// for bit.
#pragma once

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <type_traits>

#include "ap_fixed.h"
#include "ap_int.h"
#include "fixed/exact.hpp"
#include "fixed/fixed_type.hpp"

namespace nnfpga::hlslib::testing {

namespace fx = nnfpga::fixed;
using fx::i128;
using fx::u128;
using nnfpga_ap::Info;

inline long long g_cases = 0;
inline int g_failures = 0;
const int kMaxReported = 30;

inline fx::Quantization ref_q(ap_q_mode q) {
  switch (q) {
    case AP_RND:
      return fx::Quantization::kRnd;
    case AP_RND_ZERO:
      return fx::Quantization::kRndZero;
    case AP_RND_MIN_INF:
      return fx::Quantization::kRndMinInf;
    case AP_RND_INF:
      return fx::Quantization::kRndInf;
    case AP_RND_CONV:
      return fx::Quantization::kRndConv;
    case AP_TRN:
      return fx::Quantization::kTrn;
    case AP_TRN_ZERO:
      return fx::Quantization::kTrnZero;
  }
  return fx::Quantization::kTrn;
}

inline fx::Overflow ref_o(ap_o_mode o) {
  switch (o) {
    case AP_SAT:
      return fx::Overflow::kSat;
    case AP_SAT_ZERO:
      return fx::Overflow::kSatZero;
    case AP_SAT_SYM:
      return fx::Overflow::kSatSym;
    case AP_WRAP:
      return fx::Overflow::kWrap;
    case AP_WRAP_SM:
      return fx::Overflow::kWrapSm;
  }
  return fx::Overflow::kWrap;
}

// The modes of a type (C integers and ap_int use the defaults).
template <class T>
struct Modes {
  static const ap_q_mode Q = AP_TRN;
  static const ap_o_mode O = AP_WRAP;
  static const int N = 0;
};
template <int W, int I, ap_q_mode Q_, ap_o_mode O_, int N_>
struct Modes<ap_fixed<W, I, Q_, O_, N_> > {
  static const ap_q_mode Q = Q_;
  static const ap_o_mode O = O_;
  static const int N = N_;
};
template <int W, int I, ap_q_mode Q_, ap_o_mode O_, int N_>
struct Modes<ap_ufixed<W, I, Q_, O_, N_> > {
  static const ap_q_mode Q = Q_;
  static const ap_o_mode O = O_;
  static const int N = N_;
};

template <class T>
fx::FixedType ref_type() {
  fx::FixedType t =
      fx::make_fixed(Info<T>::W, Info<T>::I, Info<T>::S, ref_q(Modes<T>::Q), ref_o(Modes<T>::O));
  t.sat_bits = Modes<T>::N;
  return t;
}

inline fx::FixedType with_modes(fx::FixedType t, fx::Quantization q, fx::Overflow o) {
  t.quant = q;
  t.overflow = o;
  t.sat_bits = 0;
  return t;
}

// The exact mantissa of a value (exact for every width the test uses: signed <= 128 bits,
// unsigned <= 127 bits).
template <class T>
i128 mant(const T& x) {
  return static_cast<i128>(Info<T>::value(x).lo);
}

template <class T>
typename std::enable_if<!std::is_integral<T>::value, T>::type make(i128 m) {
  T t;
  t.nnfpga_set_raw(static_cast<u128>(m));
  return t;
}
template <class T>
typename std::enable_if<std::is_integral<T>::value, T>::type make(i128 m) {
  return static_cast<T>(m);
}

inline std::string str(i128 v) {
  return nnfpga_ap::decimal(nnfpga_ap::wide_signed(static_cast<u128>(v)));
}

#define EXPECT_MANT(got, want, what)                                             \
  do {                                                                           \
    ++g_cases;                                                                   \
    const i128 got_ = (got), want_ = (want);                                     \
    if (got_ != want_ && ++g_failures <= kMaxReported) {                         \
      ADD_FAILURE() << what << ": got " << str(got_) << ", want " << str(want_); \
    }                                                                            \
  } while (0)

inline i128 wrap_to(const fx::FixedType& t, u128 bits) {
  const u128 mask = t.width >= 128 ? ~u128(0) : (u128(1) << t.width) - 1;
  bits &= mask;
  if (t.is_signed && ((bits >> (t.width - 1)) & 1) != 0) return static_cast<i128>(bits | ~mask);
  return static_cast<i128>(bits);
}

// Random mantissas of a type, one in two at or next to an edge.
inline i128 random_mantissa(const fx::FixedType& t, std::mt19937_64& g) {
  const i128 lo = fx::min_mantissa(t), hi = fx::max_mantissa(t);
  const int pick = static_cast<int>(g() % 8);
  i128 m = 0;
  if (pick == 0) m = lo + static_cast<i128>(g() % 3);
  if (pick == 1) m = hi - static_cast<i128>(g() % 3);
  if (pick == 2) m = static_cast<i128>(g() % 17) - 8;
  if (pick == 3) m = t.is_signed ? -hi : hi / 2;
  if (pick >= 4) return wrap_to(t, (static_cast<u128>(g()) << 64) | g());
  return m < lo ? lo : m > hi ? hi : m;
}

// Doubles aimed at the target: grid points and ties near the range edges and zero, values far out
// of range, and random doubles of every magnitude.
inline double random_double(const fx::FixedType& t, std::mt19937_64& g) {
  const int f = t.frac();
  static const double offsets[] = {0, 0.5, -0.5, 0.25, 0.75, 0.5000001, 0.4999999};
  const double off = offsets[g() % 7];
  switch (g() % 7) {
    case 0: {
      const i128 base = (g() % 2) ? fx::min_mantissa(t) : fx::max_mantissa(t);
      return std::ldexp(static_cast<double>(base + static_cast<i128>(g() % 9) - 4) + off, -f);
    }
    case 1:
      return std::ldexp(static_cast<double>(static_cast<int>(g() % 2001) - 1000) + off, -f);
    case 2: {
      const std::uniform_real_distribution<double> u(-1.0, 1.0);
      std::uniform_real_distribution<double> d = u;
      return std::ldexp(d(g), t.integer - 80 + static_cast<int>(g() % 96));
    }
    case 3:
      return std::ldexp(static_cast<double>(random_mantissa(t, g)) + off, -f);
    case 4: {
      static const double extremes[] = {0.0,     -0.0,     1e300,  -1e300,  1e-300, -1e-300,
                                        DBL_MAX, -DBL_MAX, 5e-324, -5e-324, 0.5,    -0.5};
      return extremes[g() % 12];
    }
    default: {
      std::uint64_t raw = g();
      double d = 0;
      std::memcpy(&d, &raw, sizeof d);
      return std::isfinite(d) ? d : 1.0;
    }
  }
}

const int kPerSource = 150;

class ApTypes : public ::testing::Test {
 protected:
  void SetUp() override {
    g_cases = 0;
    g_failures = 0;
  }
  void TearDown() override {
    std::printf("[ap_types] %lld cases compared, %d mismatches\n", g_cases, g_failures);
    EXPECT_EQ(g_failures, 0);
  }
};

}  // namespace nnfpga::hlslib::testing
