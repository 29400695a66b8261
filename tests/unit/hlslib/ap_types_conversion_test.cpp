// What nnfpga's ap_types headers give out of a value, against src/fixed, for every target type of
// ap_types_targets.hpp: unary minus, to_double, shifts both ways, to_int64, to_int and the
// implicit conversion to int.
#include <gtest/gtest.h>

#include <cstring>
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

struct ConversionOps {
  fx::FixedType type;
  bool is_int;
  i128 (*neg)(i128);
  double (*to_double)(i128);
  i128 (*shift)(i128, int);  // left for >= 0
  i128 (*shift_right)(i128, int);
  long long (*to_int64)(i128);
  int (*to_int)(i128);
  int (*op_int)(i128);
};

template <class T>
ConversionOps conversion_ops() {
  ConversionOps o;
  o.type = ref_type<T>();
  o.is_int = Info<T>::is_int;
  o.neg = [](i128 m) { return mant(-make<T>(m)); };
  o.to_double = [](i128 m) { return make<T>(m).to_double(); };
  o.shift = [](i128 m, int sh) { return mant(make<T>(m) << sh); };
  o.shift_right = [](i128 m, int sh) { return mant(make<T>(m) >> sh); };
  o.to_int64 = [](i128 m) { return static_cast<long long>(make<T>(m).to_int64()); };
  o.to_int = [](i128 m) { return make<T>(m).to_int(); };
  o.op_int = [](i128 m) { return static_cast<int>(make<T>(m)); };
  return o;
}

void check_conversions(const ConversionOps& o, std::mt19937_64& g) {
  const fx::FixedType& rt = o.type;
  const fx::FixedType plain = with_modes(rt, fx::Quantization::kTrn, fx::Overflow::kWrap);
  const fx::FixedType int64_cut = fx::make_fixed(
      64, 64, true, rt.integer > 0 ? fx::Quantization::kTrnZero : fx::Quantization::kTrn);
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
  }
}

#define CHECK_CONVERSIONS(...) check_conversions(conversion_ops<__VA_ARGS__>(), g);
AP_TYPES_TARGET_TESTS(Conversion, CHECK_CONVERSIONS)

}  // namespace
}  // namespace nnfpga::hlslib::testing
