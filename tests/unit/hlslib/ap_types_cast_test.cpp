// Casts and conversions of nnfpga's ap_types headers against src/fixed: for every target type
// (every Q x O pair of signed and unsigned formats at several widths, saturation bits N, ap_int
// and ap_uint), construction from double, float and ten source types, assignment, compound
// assignment, unary minus, to_double, shifts and integer conversions. Shared pieces are in
// ap_types_reference.hpp.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>

#include "ap_fixed.h"
#include "ap_int.h"
#include "ap_types_reference.hpp"
#include "fixed/exact.hpp"
#include "fixed/fixed_type.hpp"

namespace nnfpga::hlslib::testing {
namespace {

const int kDoubles = 1200;

// Per target type, only small functions are instantiated (each works on mantissas); the loops,
// the random values and the reference live in the non-template drivers below, so that hundreds
// of target types compile in reasonable time.
typedef ap_fixed<16, 6> CompoundB;
const int kSources = 10;

fx::FixedType source_type(int k) {
  switch (k) {
    case 0:
      return ref_type<ap_fixed<64, 20> >();
    case 1:
      return ref_type<ap_fixed<40, -3> >();
    case 2:
      return ref_type<ap_ufixed<64, 64> >();
    case 3:
      return ref_type<ap_fixed<24, 30, AP_RND, AP_SAT> >();
    case 4:
      return ref_type<ap_fixed<1, 1> >();
    case 5:
      return ref_type<ap_int<64> >();
    case 6:
      return ref_type<ap_uint<7> >();
    case 7:
      return ref_type<int>();
    case 8:
      return ref_type<unsigned long long>();
    default:
      return ref_type<bool>();
  }
}

struct TargetOps {
  fx::FixedType type;
  bool is_int;
  i128 (*from_double)(double);
  i128 (*from_float)(float);
  i128 (*from_source[kSources])(i128);
  i128 (*assign_source0)(i128);
  i128 (*compound)(int op, i128 t, i128 b);      // t op= CompoundB
  i128 (*compound_int)(int op, i128 t, i128 b);  // t op= int
  i128 (*from_fixed_20_12)(i128);
  i128 (*from_fixed_8_m1)(i128);
  i128 (*neg)(i128);
  double (*to_double)(i128);
  i128 (*shift)(i128, int);  // left for >= 0
  i128 (*shift_right)(i128, int);
  long long (*to_int64)(i128);
  int (*to_int)(i128);
  int (*op_int)(i128);
};

template <class T, class Src>
i128 from_src(i128 m) {
  return mant(T(make<Src>(m)));
}

// t op= b for a right operand of type B (CompoundB or int; make<int> is a static_cast).
template <class T, class B>
i128 compound_op(int op, i128 mt, i128 mb) {
  T t = make<T>(mt);
  const B b = make<B>(mb);
  if (op == 0) t += b;
  if (op == 1) t -= b;
  if (op == 2) t *= b;
  return mant(t);
}

template <class T>
TargetOps target_ops() {
  TargetOps o;
  o.type = ref_type<T>();
  o.is_int = Info<T>::is_int;
  o.from_double = [](double x) { return mant(T(x)); };
  o.from_float = [](float x) { return mant(T(x)); };
  o.from_source[0] = from_src<T, ap_fixed<64, 20> >;
  o.from_source[1] = from_src<T, ap_fixed<40, -3> >;
  o.from_source[2] = from_src<T, ap_ufixed<64, 64> >;
  o.from_source[3] = from_src<T, ap_fixed<24, 30, AP_RND, AP_SAT> >;
  o.from_source[4] = from_src<T, ap_fixed<1, 1> >;
  o.from_source[5] = from_src<T, ap_int<64> >;
  o.from_source[6] = from_src<T, ap_uint<7> >;
  o.from_source[7] = from_src<T, int>;
  o.from_source[8] = from_src<T, unsigned long long>;
  o.from_source[9] = from_src<T, bool>;
  o.assign_source0 = [](i128 m) {
    T t;
    t = make<ap_fixed<64, 20> >(m);
    return mant(t);
  };
  o.compound = compound_op<T, CompoundB>;
  o.compound_int = compound_op<T, int>;
  o.from_fixed_20_12 = from_src<T, ap_fixed<20, 12> >;
  o.from_fixed_8_m1 = from_src<T, ap_fixed<8, -1> >;
  o.neg = [](i128 m) { return mant(-make<T>(m)); };
  o.to_double = [](i128 m) { return make<T>(m).to_double(); };
  o.shift = [](i128 m, int sh) { return mant(make<T>(m) << sh); };
  o.shift_right = [](i128 m, int sh) { return mant(make<T>(m) >> sh); };
  o.to_int64 = [](i128 m) { return static_cast<long long>(make<T>(m).to_int64()); };
  o.to_int = [](i128 m) { return make<T>(m).to_int(); };
  o.op_int = [](i128 m) { return static_cast<int>(make<T>(m)); };
  return o;
}

i128 ref_cast(i128 m, int frac, const fx::FixedType& t) {
  return fx::mantissa_value(fx::cast(m, frac, t).mantissa, t);
}

void check_compound(const TargetOps& o, const fx::FixedType& rb, bool int_operand,
                    std::mt19937_64& g) {
  const fx::FixedType& rt = o.type;
  const fx::FixedType trn_zero =
      fx::make_fixed(rb.integer > 1 ? rb.integer : 1, rb.integer > 1 ? rb.integer : 1, rb.is_signed,
                     fx::Quantization::kTrnZero);
  for (int k = 0; k < kPerSource; ++k) {
    const i128 mt = random_mantissa(rt, g), mb = random_mantissa(rb, g);
    const std::string what =
        fx::to_string(rt) + " op= " + fx::to_string(rb) + " " + str(mt) + " " + str(mb);
    for (int op = 0; op < 3; ++op) {
      const i128 got = int_operand ? o.compound_int(op, mt, mb) : o.compound(op, mt, mb);
      i128 want = 0;
      if (o.is_int && !int_operand) {
        // An ap_int cuts a fixed right operand to its integer part, then wraps.
        const i128 cut = fx::cast(mb, rb.frac(), trn_zero).mantissa;
        want = wrap_to(rt, static_cast<u128>(op == 0 ? mt + cut : op == 1 ? mt - cut : mt * cut));
      } else if (op == 0) {
        want = ref_cast(fx::exact_sum(mt, rt, mb, rb), fx::sum_type(rt, rb).frac(), rt);
      } else if (op == 1) {
        want =
            ref_cast(fx::exact_difference(mt, rt, mb, rb), fx::difference_type(rt, rb).frac(), rt);
      } else {
        want = ref_cast(fx::exact_product(mt, rt, mb, rb), rt.frac() + rb.frac(), rt);
      }
      EXPECT_MANT(got, want, what << " op " << op);
    }
  }
}

// Everything about one target type: construction from double, float and ten source types,
// assignment, compound assignment, unary minus, to_double, shifts, integer conversions.
void check_target(const TargetOps& o, std::mt19937_64& g) {
  const fx::FixedType& rt = o.type;
  const fx::FixedType trn_zero = with_modes(rt, fx::Quantization::kTrnZero, fx::Overflow::kWrap);
  for (int k = 0; k < kDoubles; ++k) {
    const double x = random_double(rt, g);
    i128 want = fx::mantissa_value(fx::cast_double(x, rt).mantissa, rt);
    if (o.is_int) {
      // The headers' ap_int_base(double): toward zero, then wrap; (-1/2, 0) gives 1.
      want = x < 0 && x > -0.5 ? wrap_to(rt, 1)
                               : fx::mantissa_value(fx::cast_double(x, trn_zero).mantissa, rt);
    }
    EXPECT_MANT(o.from_double(x), want, fx::to_string(rt) << " from double " << x);
    const float f = static_cast<float>(x);
    if (k % 8 == 0 && !o.is_int && std::isfinite(f)) {
      const i128 wf = fx::mantissa_value(fx::cast_double(f, rt).mantissa, rt);
      EXPECT_MANT(o.from_float(f), wf, fx::to_string(rt) << " from float " << f);
    }
  }
  const fx::FixedType plain = with_modes(rt, fx::Quantization::kTrn, fx::Overflow::kWrap);
  for (int s = 0; s < kSources; ++s) {
    const fx::FixedType rs = source_type(s);
    // An ap_int takes a fixed source's integer part: toward zero, or floor when I <= 0.
    const bool fixed_source = s <= 4;
    const fx::FixedType to = o.is_int && fixed_source ? (rs.integer > 0 ? trn_zero : plain) : rt;
    for (int k = 0; k < kPerSource; ++k) {
      const i128 m = random_mantissa(rs, g);
      const i128 want = ref_cast(m, rs.frac(), to);
      EXPECT_MANT(o.from_source[s](m), want,
                  fx::to_string(rt) << " from " << fx::to_string(rs) << " " << str(m));
      if (s == 0) {
        EXPECT_MANT(o.assign_source0(m), want,
                    fx::to_string(rt) << " = " << fx::to_string(rs) << " " << str(m));
      }
    }
  }
  check_compound(o, ref_type<CompoundB>(), false, g);
  check_compound(o, ref_type<int>(), true, g);
  const fx::FixedType int64_cut = fx::make_fixed(
      64, 64, true, rt.integer > 0 ? fx::Quantization::kTrnZero : fx::Quantization::kTrn);
  const fx::FixedType r20 = ref_type<ap_fixed<20, 12> >(), r8 = ref_type<ap_fixed<8, -1> >();
  for (int k = 0; k < kPerSource; ++k) {
    const i128 m = random_mantissa(rt, g);
    const std::string what = fx::to_string(rt) + " " + str(m);
    EXPECT_MANT(o.neg(m), -m, what << " unary minus");
    const double d = o.to_double(m), want_d = fx::to_double(m, rt);
    EXPECT_MANT(std::memcmp(&d, &want_d, sizeof d) == 0, 1,
                what << " to_double " << d << " " << want_d);
    const int sh = static_cast<int>(g() % (2 * rt.width + 7)) - rt.width - 3;
    EXPECT_MANT(o.shift(m, sh), ref_cast(m, rt.frac() - sh, plain), what << " << " << sh);
    EXPECT_MANT(o.shift_right(m, sh), ref_cast(m, rt.frac() + sh, plain), what << " >> " << sh);
    const i128 want_int = fx::cast(m, rt.frac(), int64_cut).mantissa;
    EXPECT_MANT(o.to_int64(m), want_int, what << " to_int64");
    EXPECT_MANT(o.to_int(m), static_cast<int>(want_int), what << " to_int");
    if (!o.is_int) EXPECT_MANT(o.op_int(m), static_cast<int>(want_int), what << " operator int");
    if (o.is_int) {
      // ap_int from fixed: the headers' integer part (toward zero; floor when I <= 0), wrapped.
      const i128 m20 = random_mantissa(r20, g), m8 = random_mantissa(r8, g);
      EXPECT_MANT(o.from_fixed_20_12(m20), ref_cast(m20, r20.frac(), trn_zero),
                  what << " from fixed<20,12> " << str(m20));
      EXPECT_MANT(o.from_fixed_8_m1(m8), ref_cast(m8, r8.frac(), plain),
                  what << " from fixed<8,-1> " << str(m8));
    }
  }
}

#define QO_ROW(FIXED, W, I, O)                                    \
  check_target(target_ops<FIXED<W, I, AP_TRN, O> >(), g);         \
  check_target(target_ops<FIXED<W, I, AP_TRN_ZERO, O> >(), g);    \
  check_target(target_ops<FIXED<W, I, AP_RND, O> >(), g);         \
  check_target(target_ops<FIXED<W, I, AP_RND_ZERO, O> >(), g);    \
  check_target(target_ops<FIXED<W, I, AP_RND_MIN_INF, O> >(), g); \
  check_target(target_ops<FIXED<W, I, AP_RND_INF, O> >(), g);     \
  check_target(target_ops<FIXED<W, I, AP_RND_CONV, O> >(), g);
// Every Q x O pair for a signed and an unsigned format (AP_WRAP_SM is signed only).
#define ALL_MODES(W, I)                                                    \
  QO_ROW(ap_fixed, W, I, AP_WRAP)                                          \
  QO_ROW(ap_fixed, W, I, AP_SAT)                                           \
  QO_ROW(ap_fixed, W, I, AP_SAT_ZERO)                                      \
  QO_ROW(ap_fixed, W, I, AP_SAT_SYM)                                       \
  QO_ROW(ap_fixed, W, I, AP_WRAP_SM) QO_ROW(ap_ufixed, W, I, AP_WRAP)      \
      QO_ROW(ap_ufixed, W, I, AP_SAT) QO_ROW(ap_ufixed, W, I, AP_SAT_ZERO) \
          QO_ROW(ap_ufixed, W, I, AP_SAT_SYM)

TEST_F(ApTypes, CastsNarrowAndNegativeI) {
  std::mt19937_64 g(1);
  ALL_MODES(1, 1)
  ALL_MODES(8, 3)
  ALL_MODES(8, -2)
}

TEST_F(ApTypes, CastsWideAndLargeI) {
  std::mt19937_64 g(2);
  ALL_MODES(8, 12)
  ALL_MODES(16, 6)
  ALL_MODES(63, 10)
  ALL_MODES(64, 32)
  ALL_MODES(64, 70)
}

TEST_F(ApTypes, SaturatedBitsN) {
  std::mt19937_64 g(3);
  check_target(target_ops<ap_fixed<8, 4, AP_RND, AP_WRAP, 1> >(), g);
  check_target(target_ops<ap_fixed<8, 4, AP_TRN, AP_WRAP, 3> >(), g);
  check_target(target_ops<ap_fixed<8, 4, AP_RND_CONV, AP_WRAP_SM, 1> >(), g);
  check_target(target_ops<ap_fixed<8, 4, AP_TRN, AP_WRAP_SM, 2> >(), g);
  check_target(target_ops<ap_fixed<16, 6, AP_RND, AP_WRAP_SM, 5> >(), g);
  check_target(target_ops<ap_fixed<64, 32, AP_TRN, AP_WRAP, 64> >(), g);
  check_target(target_ops<ap_ufixed<8, 4, AP_RND, AP_WRAP, 2> >(), g);
  check_target(target_ops<ap_ufixed<32, 40, AP_TRN_ZERO, AP_WRAP, 32> >(), g);
}

TEST_F(ApTypes, IntegerTargets) {
  std::mt19937_64 g(4);
  check_target(target_ops<ap_int<1> >(), g);
  check_target(target_ops<ap_int<8> >(), g);
  check_target(target_ops<ap_int<32> >(), g);
  check_target(target_ops<ap_int<64> >(), g);
  check_target(target_ops<ap_uint<1> >(), g);
  check_target(target_ops<ap_uint<8> >(), g);
  check_target(target_ops<ap_uint<63> >(), g);
  check_target(target_ops<ap_uint<64> >(), g);
}

}  // namespace
}  // namespace nnfpga::hlslib::testing
