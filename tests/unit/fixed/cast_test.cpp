// Casts with every quantization mode on hand-picked ties, overflow edge cases, doubles, and the
// result types of products and sums. (tests/oracle/ compares millions of cases with ap_types.)
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "fixed/exact.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::fixed {
namespace {

struct TieRow {
  int mantissa;  // the value is mantissa * 2^-frac
  int frac;
  int expect[7];  // TRN, TRN_ZERO, RND, RND_ZERO, RND_MIN_INF, RND_INF, RND_CONV
};

TEST(Cast, QuantizationTies) {
  const TieRow rows[] = {
      {1, 1, {0, 0, 1, 0, 0, 1, 0}},          // +0.5
      {-1, 1, {-1, 0, 0, 0, -1, -1, 0}},      // -0.5
      {3, 1, {1, 1, 2, 1, 1, 2, 2}},          // +1.5
      {-3, 1, {-2, -1, -1, -1, -2, -2, -2}},  // -1.5
      {5, 1, {2, 2, 3, 2, 2, 3, 2}},          // +2.5
      {-5, 1, {-3, -2, -2, -2, -3, -3, -2}},  // -2.5
      {3, 2, {0, 0, 1, 1, 1, 1, 1}},          // +0.75
      {-3, 2, {-1, 0, -1, -1, -1, -1, -1}},   // -0.75
      {1, 2, {0, 0, 0, 0, 0, 0, 0}},          // +0.25
      {-1, 2, {-1, 0, 0, 0, 0, 0, 0}},        // -0.25
      {7, 0, {7, 7, 7, 7, 7, 7, 7}},          // exact
      {-7, 0, {-7, -7, -7, -7, -7, -7, -7}},  // exact
      // a tie far below: 2^40 + 2^39 at frac 40 is 1.5
      {0, 0, {0, 0, 0, 0, 0, 0, 0}},
  };
  for (const auto& row : rows) {
    for (int q = 0; q < 7; ++q) {
      const FixedType t = make_fixed(8, 8, true, static_cast<Quantization>(q));
      const CastResult r = cast(row.mantissa, row.frac, t);
      EXPECT_EQ(r.mantissa, row.expect[q]) << row.mantissa << "*2^-" << row.frac << " " << q;
      EXPECT_FALSE(r.overflowed);
    }
  }
  const i128 far = (static_cast<i128>(3) << 99);  // 1.5 at frac 100
  EXPECT_EQ(cast(far, 100, make_fixed(8, 8, true, Quantization::kRndConv)).mantissa, 2);
  EXPECT_EQ(cast(-far, 100, make_fixed(8, 8, true, Quantization::kRndZero)).mantissa, -1);
  EXPECT_EQ(cast(-far + 1, 100, make_fixed(8, 8, true, Quantization::kRndZero)).mantissa, -1);
  EXPECT_EQ(cast(-far - 1, 100, make_fixed(8, 8, true, Quantization::kRndZero)).mantissa, -2);
}

struct OverflowRow {
  int value;
  int expect[5];  // WRAP, SAT, SAT_ZERO, SAT_SYM, WRAP_SM
};

TEST(Cast, OverflowSigned) {
  // ap_fixed<4,4>: -8..7.
  const OverflowRow rows[] = {
      {7, {7, 7, 7, 7, 7}},      {-7, {-7, -7, -7, -7, -7}}, {-8, {-8, -8, -8, -7, -8}},
      {8, {-8, 7, 0, 7, 7}},     {9, {-7, 7, 0, 7, 6}},      {-9, {7, -8, 0, -7, -8}},
      {-10, {6, -8, 0, -7, -7}}, {16, {0, 7, 0, 7, -1}},     {-16, {0, -8, 0, -7, -1}},
      {100, {4, 7, 0, 7, 4}},
  };
  for (const auto& row : rows) {
    for (int o = 0; o < 5; ++o) {
      const FixedType t = make_fixed(4, 4, true, Quantization::kTrn, static_cast<Overflow>(o));
      const CastResult r = cast(row.value, 0, t);
      EXPECT_EQ(r.mantissa, row.expect[o]) << row.value << " mode " << o;
      EXPECT_EQ(r.overflowed, r.mantissa != row.value) << row.value << " mode " << o;
    }
  }
}

TEST(Cast, OverflowUnsigned) {
  // ap_ufixed<4,4>: 0..15; AP_SAT_SYM behaves as AP_SAT.
  const OverflowRow rows[] = {
      {15, {15, 15, 15, 15, 0}}, {16, {0, 15, 0, 15, 0}}, {-1, {15, 0, 0, 0, 0}},
      {-16, {0, 0, 0, 0, 0}},    {0, {0, 0, 0, 0, 0}},
  };
  for (const auto& row : rows) {
    for (int o = 0; o < 4; ++o) {
      const FixedType t = make_fixed(4, 4, false, Quantization::kTrn, static_cast<Overflow>(o));
      EXPECT_EQ(cast(row.value, 0, t).mantissa, row.expect[o]) << row.value << " mode " << o;
    }
  }
}

TEST(Cast, RoundingCarriesIntoOverflow) {
  const auto t = [](Overflow o) { return make_fixed(4, 4, true, Quantization::kRnd, o); };
  EXPECT_EQ(cast(15, 1, t(Overflow::kSat)).mantissa, 7);  // 7.5 rounds to 8
  EXPECT_TRUE(cast(15, 1, t(Overflow::kSat)).overflowed);
  EXPECT_EQ(cast(15, 1, t(Overflow::kWrap)).mantissa, -8);
  EXPECT_EQ(cast(-17, 1, t(Overflow::kSat)).mantissa, -8);  // -8.5 rounds to -8: fits
  EXPECT_FALSE(cast(-17, 1, t(Overflow::kSat)).overflowed);
  // A negative value rounding to zero is not an underflow of an unsigned type.
  const FixedType u = make_fixed(4, 4, false, Quantization::kRnd, Overflow::kSat);
  EXPECT_EQ(cast(-1, 2, u).mantissa, 0);
  EXPECT_FALSE(cast(-1, 2, u).overflowed);
}

TEST(Cast, SatSymOneBit) {
  // ap_fixed<1,1,AP_TRN,AP_SAT_SYM>: the header yields -1 for negative values (1<<0 | 1).
  const FixedType t = make_fixed(1, 1, true, Quantization::kTrn, Overflow::kSatSym);
  EXPECT_EQ(cast(-5, 0, t).mantissa, -1);
  EXPECT_EQ(cast(-1, 0, t).mantissa, -1);
  EXPECT_EQ(cast(3, 0, t).mantissa, 0);
}

TEST(Cast, SaturatedBitsN) {
  // ap_fixed<8,8,AP_TRN,AP_WRAP,2>: the sign and the next bit saturate, the rest wraps.
  FixedType t = make_fixed(8, 8);
  t.sat_bits = 2;
  EXPECT_EQ(cast(130, 0, t).mantissa, 66);    // 0b1000'0010 -> 0b0100'0010
  EXPECT_EQ(cast(-130, 0, t).mantissa, -66);  // ...0111'1110 -> 0b1011'1110
  EXPECT_EQ(cast(100, 0, t).mantissa, 100);   // fits: unchanged
  t.is_signed = false;                        // unsigned: the top N bits become ones
  EXPECT_EQ(cast(260, 0, t).mantissa, 0xc4);
}

TEST(Cast, FarShiftsAndWideSources) {
  const FixedType t = make_fixed(8, 4, true, Quantization::kRnd, Overflow::kSat);
  const i128 huge = static_cast<i128>(1) << 126;
  EXPECT_EQ(cast(huge, 0, t).mantissa, 127);
  EXPECT_EQ(cast(-huge, 0, t).mantissa, -128);
  EXPECT_EQ(cast(1, -400, t).mantissa, 127);
  EXPECT_EQ(cast(1, 400, t).mantissa, 0);
  EXPECT_EQ(cast(-1, 400, make_fixed(8, 4)).mantissa, -1);  // AP_TRN floors
  EXPECT_EQ(cast(1, -400, make_fixed(8, 4)).mantissa, 0);   // wraps to the low bits: 0
  EXPECT_EQ(cast(-huge, 140, make_fixed(8, 4, true, Quantization::kRndInf)).mantissa, 0);
}

TEST(CastDouble, Values) {
  const FixedType t = make_fixed(8, 4, true, Quantization::kRnd, Overflow::kSat);
  EXPECT_EQ(cast_double(1.25, t).mantissa, 20);
  EXPECT_EQ(cast_double(-1.25, t).mantissa, -20);
  EXPECT_EQ(cast_double(1.0 / 32, t).mantissa, 1);   // tie rounds up
  EXPECT_EQ(cast_double(-1.0 / 32, t).mantissa, 0);  // tie toward +inf
  EXPECT_EQ(cast_double(1e300, t).mantissa, 127);
  EXPECT_EQ(cast_double(-1e300, t).mantissa, -128);
  EXPECT_EQ(cast_double(1e300, make_fixed(8, 4)).mantissa, 0);
  EXPECT_EQ(cast_double(-0.0, make_fixed(8, 4)).mantissa, 0);
  EXPECT_EQ(cast_double(-5e-324, make_fixed(8, 4)).mantissa, -1);  // AP_TRN floors
  EXPECT_EQ(cast_double(5e-324, make_fixed(8, 4)).mantissa, 0);
  EXPECT_EQ(cast_double(0.1, make_fixed(64, 1, false)).mantissa,
            static_cast<std::int64_t>(0x0ccccccccccccd00ULL));
}

TEST(CastDouble, RefusesNanAndInfinity) {
  for (double v :
       {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity()}) {
    try {
      cast_double(v, make_fixed(8, 4));
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInput);
      EXPECT_NE(std::string(e.what()).find("ap_fixed<8,4>"), std::string::npos);
    }
  }
}

TEST(ResultTypes, ProductAndSum) {
  EXPECT_EQ(product_type(make_fixed(8, 3), make_fixed(6, 2, false)), make_fixed(14, 5, true));
  EXPECT_EQ(product_type(make_fixed(8, 3, false), make_fixed(6, -2, false)),
            make_fixed(14, 1, false));
  EXPECT_EQ(sum_type(make_fixed(8, 4), make_fixed(8, 4)), make_fixed(9, 5));
  EXPECT_EQ(sum_type(make_fixed(8, 6), make_fixed(8, 2, false)), make_fixed(13, 7));
  EXPECT_EQ(sum_type(make_fixed(8, 2), make_fixed(8, 4, false)), make_fixed(12, 6));
  EXPECT_EQ(sum_type(make_fixed(8, 4, false), make_fixed(4, 4, false)), make_fixed(9, 5, false));
  EXPECT_EQ(difference_type(make_fixed(8, 4, false), make_fixed(4, 4, false)), make_fixed(9, 5));
  EXPECT_EQ(exact_sum(3, make_fixed(8, 6), 5, make_fixed(8, 2, false)), 3 * 16 + 5);
  EXPECT_EQ(exact_difference(3, make_fixed(8, 6), 5, make_fixed(8, 2, false)), 3 * 16 - 5);
  EXPECT_EQ(exact_product(-3, make_fixed(8, 6), 5, make_fixed(8, 2, false)), -15);
  EXPECT_THROW(exact_product(1, make_int(64, false), 1, make_int(64, false)), Error);
}

// The narrowest type holding both operands exactly: no carry bit (unlike the sum), one more
// integer bit for an unsigned operand meeting a signed one.
TEST(ResultTypes, CommonType) {
  EXPECT_EQ(common_type(make_fixed(8, 4), make_fixed(8, 4)), make_fixed(8, 4));
  EXPECT_EQ(common_type(make_fixed(8, 6), make_fixed(8, 2, false)), make_fixed(12, 6));
  EXPECT_EQ(common_type(make_fixed(8, 2), make_fixed(8, 4, false)), make_fixed(11, 5));
  EXPECT_EQ(common_type(make_fixed(8, 4, false), make_fixed(4, 6, false)),
            make_fixed(10, 6, false));
  EXPECT_EQ(common_type(make_fixed(4, -2), make_fixed(4, -1)), make_fixed(5, -1));
}

}  // namespace
}  // namespace nnfpga::fixed
