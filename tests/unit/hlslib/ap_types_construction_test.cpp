// Construction and assignment of nnfpga's ap_types headers against src/fixed, for every target
// type of ap_types_targets.hpp: from double, float and ten source types (fixed, integer, C
// integer), assignment, and ap_int's integer part of a fixed value.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "ap_fixed.h"
#include "ap_int.h"
#include "ap_types_reference.hpp"
#include "ap_types_targets.hpp"
#include "fixed/exact.hpp"
#include "fixed/fixed_type.hpp"

namespace nnfpga::hlslib::testing {
namespace {

const int kDoubles = 1200;
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

// Per target type, only small functions are instantiated (each works on mantissas); the loops,
// the random values and the reference live in the non-template driver below, so that hundreds
// of target types compile in reasonable time.
struct ConstructionOps {
  fx::FixedType type;
  bool is_int;
  i128 (*from_double)(double);
  i128 (*from_float)(float);
  i128 (*from_source[kSources])(i128);
  i128 (*assign_source0)(i128);
  i128 (*from_fixed_20_12)(i128);
  i128 (*from_fixed_8_m1)(i128);
};

template <class T, class Src>
i128 from_src(i128 m) {
  return mant(T(make<Src>(m)));
}

template <class T>
ConstructionOps construction_ops() {
  ConstructionOps o;
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
  o.from_fixed_20_12 = from_src<T, ap_fixed<20, 12> >;
  o.from_fixed_8_m1 = from_src<T, ap_fixed<8, -1> >;
  return o;
}

void check_construction(const ConstructionOps& o, std::mt19937_64& g) {
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
  if (!o.is_int) return;
  // ap_int from fixed: the headers' integer part (toward zero; floor when I <= 0), wrapped.
  const fx::FixedType r20 = ref_type<ap_fixed<20, 12> >(), r8 = ref_type<ap_fixed<8, -1> >();
  for (int k = 0; k < kPerSource; ++k) {
    const i128 m20 = random_mantissa(r20, g), m8 = random_mantissa(r8, g);
    EXPECT_MANT(o.from_fixed_20_12(m20), ref_cast(m20, r20.frac(), trn_zero),
                fx::to_string(rt) << " from fixed<20,12> " << str(m20));
    EXPECT_MANT(o.from_fixed_8_m1(m8), ref_cast(m8, r8.frac(), plain),
                fx::to_string(rt) << " from fixed<8,-1> " << str(m8));
  }
}

#define CHECK_CONSTRUCTION(...) check_construction(construction_ops<__VA_ARGS__>(), g);
AP_TYPES_TARGET_TESTS(Construction, CHECK_CONSTRUCTION)

}  // namespace
}  // namespace nnfpga::hlslib::testing
