// The exact arithmetic operators of nnfpga's ap_types headers against src/fixed: for pairs of
// fixed, ap_int and C integer types, the result types of *, + and -, their values bit for bit,
// the six comparisons both ways round, and comparisons with doubles. Shared pieces are in
// ap_types_reference.hpp.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "ap_fixed.h"
#include "ap_int.h"
#include "ap_types_reference.hpp"
#include "fixed/exact.hpp"
#include "fixed/fixed_type.hpp"

namespace nnfpga::hlslib::testing {
namespace {

// The exact results of a op b for one pair of types, as mantissas; cmp is a bit set of the six
// comparisons a==b, a!=b, a<b, a<=b, a>b, a>=b, and then the same with the operands swapped.
struct PairOps {
  fx::FixedType a, b;
  int mult_w, mult_i, plus_w, plus_i, minus_w, minus_i;
  bool mult_s, plus_s, minus_s;
  i128 (*mult)(i128, i128);
  u128 (*mult_bits)(i128, i128);
  i128 (*plus)(i128, i128);
  i128 (*minus)(i128, i128);
  int (*cmp)(i128, i128);
};

template <class A, class B>
PairOps pair_ops() {
  typedef nnfpga_ap::BinOp<A, B> Op;
  PairOps p;
  p.a = ref_type<A>();
  p.b = ref_type<B>();
  p.mult_w = Info<typename Op::mult>::W;
  p.mult_i = Info<typename Op::mult>::I;
  p.mult_s = Info<typename Op::mult>::S;
  p.plus_w = Info<typename Op::plus>::W;
  p.plus_i = Info<typename Op::plus>::I;
  p.plus_s = Info<typename Op::plus>::S;
  p.minus_w = Info<typename Op::minus>::W;
  p.minus_i = Info<typename Op::minus>::I;
  p.minus_s = Info<typename Op::minus>::S;
  p.mult = [](i128 x, i128 y) { return mant(make<A>(x) * make<B>(y)); };
  p.mult_bits = [](i128 x, i128 y) {
    return Info<typename Op::mult>::value(make<A>(x) * make<B>(y)).lo;
  };
  p.plus = [](i128 x, i128 y) { return mant(make<A>(x) + make<B>(y)); };
  p.minus = [](i128 x, i128 y) { return mant(make<A>(x) - make<B>(y)); };
  p.cmp = [](i128 x, i128 y) {
    const A a = make<A>(x);
    const B b = make<B>(y);
    return (a == b) + 2 * (a != b) + 4 * (a < b) + 8 * (a <= b) + 16 * (a > b) + 32 * (a >= b) +
           64 * ((b == a) + 2 * (b != a) + 4 * (b < a) + 8 * (b <= a) + 16 * (b > a) +
                 32 * (b >= a));
  };
  return p;
}

int cmp_bits(int sign) {
  return (sign == 0) + 2 * (sign != 0) + 4 * (sign < 0) + 8 * (sign <= 0) + 16 * (sign > 0) +
         32 * (sign >= 0);
}

void check_ops(const PairOps& p, std::mt19937_64& g, int count) {
  const fx::FixedType tp = fx::product_type(p.a, p.b), ts = fx::sum_type(p.a, p.b),
                      td = fx::difference_type(p.a, p.b);
  const std::string types = fx::to_string(p.a) + ", " + fx::to_string(p.b);
  EXPECT_EQ(p.mult_w, tp.width) << types;
  EXPECT_EQ(p.mult_i, tp.integer) << types;
  EXPECT_EQ(p.mult_s, tp.is_signed) << types;
  EXPECT_EQ(p.plus_w, ts.width) << types;
  EXPECT_EQ(p.plus_i, ts.integer) << types;
  EXPECT_EQ(p.plus_s, ts.is_signed) << types;
  EXPECT_EQ(p.minus_w, td.width) << types;
  EXPECT_EQ(p.minus_i, td.integer) << types;
  EXPECT_EQ(p.minus_s, td.is_signed) << types;
  const bool unsigned128 = !tp.is_signed && tp.width == 128;  // beyond src/fixed's exact range
  for (int k = 0; k < count; ++k) {
    const i128 ma = random_mantissa(p.a, g);
    // Equal values now and then, so that == and the ties of <= and >= are exercised.
    const bool equal = k % 16 == 0 && p.a.frac() == p.b.frac() && ma >= fx::min_mantissa(p.b) &&
                       ma <= fx::max_mantissa(p.b);
    const i128 mb = equal ? ma : random_mantissa(p.b, g);
    const std::string what = types + ": " + str(ma) + ", " + str(mb);
    if (unsigned128) {
      EXPECT_MANT(p.mult_bits(ma, mb) == static_cast<u128>(ma) * static_cast<u128>(mb), 1,
                  what << " *");
    } else {
      EXPECT_MANT(p.mult(ma, mb), fx::exact_product(ma, p.a, mb, p.b), what << " *");
    }
    EXPECT_MANT(p.plus(ma, mb), fx::exact_sum(ma, p.a, mb, p.b), what << " +");
    const i128 diff = fx::exact_difference(ma, p.a, mb, p.b);
    EXPECT_MANT(p.minus(ma, mb), diff, what << " -");
    const int sign = diff < 0 ? -1 : diff > 0 ? 1 : 0;
    EXPECT_MANT(p.cmp(ma, mb), cmp_bits(sign) + 64 * cmp_bits(-sign), what << " comparisons");
  }
}

template <class T>
void check_double_compare(std::mt19937_64& g) {
  const fx::FixedType rt = ref_type<T>();
  for (int k = 0; k < kPerSource; ++k) {
    const i128 m = random_mantissa(rt, g);
    const T t = make<T>(m);
    const double v = fx::to_double(m, rt);
    const double x = k % 3 == 0 ? v : random_double(rt, g);
    const int got = (t == x) + 2 * (t < x) + 4 * (t > x) + 8 * (x <= t) + 16 * (x != t);
    const int want = (v == x) + 2 * (v < x) + 4 * (v > x) + 8 * (x <= v) + 16 * (x != v);
    EXPECT_MANT(got, want, fx::to_string(rt) << " vs double " << x);
  }
}

TEST_F(ApTypes, ExactOperators) {
  std::mt19937_64 g(5);
  const int n = 6000;
  check_ops(pair_ops<ap_fixed<8, 3>, ap_fixed<8, 3> >(), g, n);
  check_ops(pair_ops<ap_fixed<16, 6>, ap_ufixed<8, 2> >(), g, n);
  check_ops(pair_ops<ap_ufixed<8, 2>, ap_fixed<16, 6, AP_RND, AP_SAT> >(), g, n);
  check_ops(pair_ops<ap_fixed<8, 6>, ap_ufixed<8, 2> >(), g, n);
  check_ops(pair_ops<ap_fixed<64, 32>, ap_fixed<64, 10> >(), g, n);
  check_ops(pair_ops<ap_fixed<64, 64>, ap_fixed<64, 64> >(), g, n);
  check_ops(pair_ops<ap_ufixed<64, 64>, ap_ufixed<32, -2> >(), g, n);
  check_ops(pair_ops<ap_ufixed<64, 0>, ap_ufixed<64, 0> >(), g, n);
  check_ops(pair_ops<ap_fixed<1, 1>, ap_ufixed<1, 0> >(), g, n);
  check_ops(pair_ops<ap_ufixed<1, 1>, ap_ufixed<1, 1> >(), g, n);
  check_ops(pair_ops<ap_fixed<8, -2>, ap_fixed<8, 12> >(), g, n);
  check_ops(pair_ops<ap_fixed<63, 10>, ap_ufixed<63, 70> >(), g, n);
  check_ops(pair_ops<ap_ufixed<32, -4>, ap_fixed<5, 40> >(), g, n);
  check_ops(pair_ops<ap_int<64>, ap_uint<64> >(), g, n);
  check_ops(pair_ops<ap_int<8>, ap_fixed<16, 6> >(), g, n);
  check_ops(pair_ops<ap_uint<1>, ap_int<1> >(), g, n);
  check_ops(pair_ops<ap_int<8>, int>(), g, n);
  check_ops(pair_ops<unsigned, ap_int<8> >(), g, n);
  check_ops(pair_ops<ap_fixed<16, 6>, int>(), g, n);
  check_ops(pair_ops<long long, ap_ufixed<24, 8> >(), g, n);
  check_ops(pair_ops<ap_uint<32>, unsigned long long>(), g, n);
  check_ops(pair_ops<ap_fixed<20, 10>, bool>(), g, n);
  check_ops(pair_ops<char, ap_fixed<20, -10> >(), g, n);
  check_double_compare<ap_fixed<16, 6> >(g);
  check_double_compare<ap_fixed<64, 20> >(g);
  check_double_compare<ap_ufixed<8, -3> >(g);
}

}  // namespace
}  // namespace nnfpga::hlslib::testing
