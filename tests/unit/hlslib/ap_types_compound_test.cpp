// Compound assignment (+=, -=, *=) of nnfpga's ap_types headers against src/fixed, for every
// target type of ap_types_targets.hpp, with a fixed-point and an int right operand.
#include <gtest/gtest.h>

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

typedef ap_fixed<16, 6> CompoundB;

struct CompoundOps {
  fx::FixedType type;
  bool is_int;
  i128 (*compound)(int op, i128 t, i128 b);      // t op= CompoundB
  i128 (*compound_int)(int op, i128 t, i128 b);  // t op= int
};

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
CompoundOps compound_ops() {
  return {ref_type<T>(), Info<T>::is_int, compound_op<T, CompoundB>, compound_op<T, int>};
}

void check_compound(const CompoundOps& o, const fx::FixedType& rb, bool int_operand,
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

void check_compounds(const CompoundOps& o, std::mt19937_64& g) {
  check_compound(o, ref_type<CompoundB>(), false, g);
  check_compound(o, ref_type<int>(), true, g);
}

#define CHECK_COMPOUND(...) check_compounds(compound_ops<__VA_ARGS__>(), g);
AP_TYPES_TARGET_TESTS(Compound, CHECK_COMPOUND)

}  // namespace
}  // namespace nnfpga::hlslib::testing
