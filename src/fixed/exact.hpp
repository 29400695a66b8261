// Exact fixed-point arithmetic: casts with every quantization and overflow mode, and the result
// types of exact products and sums. The only place that defines numeric semantics.
#pragma once

#include "fixed/fixed_type.hpp"

namespace nnfpga::fixed {

// The result of casting into a type: the target mantissa, and whether overflow handling changed
// the value (saturated, zeroed or wrapped). Quantization alone never sets `overflowed`.
struct CastResult {
  std::int64_t mantissa;
  bool overflowed;
};

// Casts the exact value `mantissa * 2^-frac` into `to` (quantization, then overflow).
// `frac` may be any int (shifts far beyond 128 bits are handled); `mantissa` is any 128-bit
// integer. `to` must pass check_supported. The result is the W-bit pattern (see mantissa_value).
CastResult cast(i128 mantissa, int frac, const FixedType& to);

// Casts a double's exact binary value into `to`. Throws nnfpga::Error (kInput) on NaN or infinity.
// -0.0 gives 0 in every mode.
CastResult cast_double(double value, const FixedType& to);

// Types of exact results, as ap_fixed defines them (spec: "Conversions and operators").
// Their width may exceed 64 (up to 128); such a type is only an intermediate.
FixedType product_type(const FixedType& a, const FixedType& b);
FixedType sum_type(const FixedType& a, const FixedType& b);
// The narrowest type that holds every value of a and of b exactly (what max(a, b) needs).
FixedType common_type(const FixedType& a, const FixedType& b);
// a - b: as sum_type but always signed (ap_fixed's minus type).
FixedType difference_type(const FixedType& a, const FixedType& b);

// Exact results as mantissas of product_type / sum_type / difference_type(a, b); `ma` and `mb`
// are values of a and b (see mantissa_value). Throw nnfpga::Error (kUnsupported) when the result
// type does not fit a signed 128-bit integer (wider than 128 bits, or unsigned and 128 bits wide).
i128 exact_product(i128 ma, const FixedType& a, i128 mb, const FixedType& b);
i128 exact_sum(i128 ma, const FixedType& a, i128 mb, const FixedType& b);
i128 exact_difference(i128 ma, const FixedType& a, i128 mb, const FixedType& b);

}  // namespace nnfpga::fixed
