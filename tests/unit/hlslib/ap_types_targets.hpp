// The target types of the ap_types conversion tests (construction, compound assignment,
// conversions out): every Q x O pair of a signed and an unsigned format at eight (W, I), the
// saturated-bit types and ap_int / ap_uint, in four groups of one test each. Each operation's
// file checks the same targets with its own CHECK, so that the files compile apart (and in
// parallel) while no target is left out of any operation.
#pragma once

#include <random>

#include "ap_types_reference.hpp"

// CHECK(T) for every Q of FIXED<W, I, Q, O>. CHECK takes the type as __VA_ARGS__: its commas would
// split a plain macro argument.
#define AP_TYPES_QO_ROW(CHECK, FIXED, W, I, O) \
  CHECK(FIXED<W, I, AP_TRN, O>)                \
  CHECK(FIXED<W, I, AP_TRN_ZERO, O>)           \
  CHECK(FIXED<W, I, AP_RND, O>)                \
  CHECK(FIXED<W, I, AP_RND_ZERO, O>)           \
  CHECK(FIXED<W, I, AP_RND_MIN_INF, O>)        \
  CHECK(FIXED<W, I, AP_RND_INF, O>)            \
  CHECK(FIXED<W, I, AP_RND_CONV, O>)

// Every Q x O pair for a signed and an unsigned format (AP_WRAP_SM is signed only).
#define AP_TYPES_ALL_MODES(CHECK, W, I)                \
  AP_TYPES_QO_ROW(CHECK, ap_fixed, W, I, AP_WRAP)      \
  AP_TYPES_QO_ROW(CHECK, ap_fixed, W, I, AP_SAT)       \
  AP_TYPES_QO_ROW(CHECK, ap_fixed, W, I, AP_SAT_ZERO)  \
  AP_TYPES_QO_ROW(CHECK, ap_fixed, W, I, AP_SAT_SYM)   \
  AP_TYPES_QO_ROW(CHECK, ap_fixed, W, I, AP_WRAP_SM)   \
  AP_TYPES_QO_ROW(CHECK, ap_ufixed, W, I, AP_WRAP)     \
  AP_TYPES_QO_ROW(CHECK, ap_ufixed, W, I, AP_SAT)      \
  AP_TYPES_QO_ROW(CHECK, ap_ufixed, W, I, AP_SAT_ZERO) \
  AP_TYPES_QO_ROW(CHECK, ap_ufixed, W, I, AP_SAT_SYM)

#define AP_TYPES_SATURATED_BITS(CHECK)              \
  CHECK(ap_fixed<8, 4, AP_RND, AP_WRAP, 1>)         \
  CHECK(ap_fixed<8, 4, AP_TRN, AP_WRAP, 3>)         \
  CHECK(ap_fixed<8, 4, AP_RND_CONV, AP_WRAP_SM, 1>) \
  CHECK(ap_fixed<8, 4, AP_TRN, AP_WRAP_SM, 2>)      \
  CHECK(ap_fixed<16, 6, AP_RND, AP_WRAP_SM, 5>)     \
  CHECK(ap_fixed<64, 32, AP_TRN, AP_WRAP, 64>)      \
  CHECK(ap_ufixed<8, 4, AP_RND, AP_WRAP, 2>)        \
  CHECK(ap_ufixed<32, 40, AP_TRN_ZERO, AP_WRAP, 32>)

#define AP_TYPES_INTEGERS(CHECK) \
  CHECK(ap_int<1>)               \
  CHECK(ap_int<8>)               \
  CHECK(ap_int<32>)              \
  CHECK(ap_int<64>)              \
  CHECK(ap_uint<1>)              \
  CHECK(ap_uint<8>)              \
  CHECK(ap_uint<63>)             \
  CHECK(ap_uint<64>)

// The four tests of one operation, named <OP><group>; CHECK(T) checks one target type with the
// generator g.
#define AP_TYPES_TARGET_TESTS(OP, CHECK)    \
  TEST_F(ApTypes, OP##NarrowAndNegativeI) { \
    std::mt19937_64 g(1);                   \
    AP_TYPES_ALL_MODES(CHECK, 1, 1)         \
    AP_TYPES_ALL_MODES(CHECK, 8, 3)         \
    AP_TYPES_ALL_MODES(CHECK, 8, -2)        \
  }                                         \
  TEST_F(ApTypes, OP##WideAndLargeI) {      \
    std::mt19937_64 g(2);                   \
    AP_TYPES_ALL_MODES(CHECK, 8, 12)        \
    AP_TYPES_ALL_MODES(CHECK, 16, 6)        \
    AP_TYPES_ALL_MODES(CHECK, 63, 10)       \
    AP_TYPES_ALL_MODES(CHECK, 64, 32)       \
    AP_TYPES_ALL_MODES(CHECK, 64, 70)       \
  }                                         \
  TEST_F(ApTypes, OP##SaturatedBitsN) {     \
    std::mt19937_64 g(3);                   \
    AP_TYPES_SATURATED_BITS(CHECK)          \
  }                                         \
  TEST_F(ApTypes, OP##IntegerTargets) {     \
    std::mt19937_64 g(4);                   \
    AP_TYPES_INTEGERS(CHECK)                \
  }

namespace nnfpga::hlslib::testing {

// The reference cast: mantissa m with `frac` fraction bits, cast into t by src/fixed.
inline i128 ref_cast(i128 m, int frac, const fx::FixedType& t) {
  return fx::mantissa_value(fx::cast(m, frac, t).mantissa, t);
}

}  // namespace nnfpga::hlslib::testing
