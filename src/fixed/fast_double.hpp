// Doubles in and out of mantissas at emulator speed, both exact (equal to cast_double() and
// to_double()), with those as the fallback outside the ranges where the shortcuts are exact.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "fixed/exact.hpp"
#include "fixed/fast_cast.hpp"
#include "fixed/fixed_type.hpp"

namespace nnfpga::fixed {

// cast_double(x, to) for finite x. v = x * 2^F is exact (a power-of-two scale) while v stays
// normal. Every quantization mode depends only on floor(v), on the sign, and on which of the
// classes {0, (0, 1/2), 1/2, (1/2, 1)} the remainder v - floor(v) falls in. Encoding that class
// as two extra fraction bits, 4*floor(v) + class, gives an int64 mantissa at fraction F + 2 that
// rounds exactly like x, so FastCast finishes the job with the type's rounding and overflow.
class FastDoubleCast {
 public:
  explicit FastDoubleCast(const FixedType& to)
      : to_(to), scale_(std::ldexp(1.0, to.frac())), cast_(to.frac() + 2, to) {
    usable_ = to.frac() > -900 && to.frac() < 900 && cast_.exact_fast();
  }

  CastResult operator()(double x) const {
    const double v = x * scale_;
    // 2^60 keeps 4*floor(v)+3 inside int64; 2^-900 keeps v normal, so the scale was exact.
    if (!usable_ || !(std::fabs(v) < 0x1p60) || (x != 0 && std::fabs(v) < 0x1p-900)) {
      return cast_double(x, to_);
    }
    const double fl = std::floor(v);
    // v != fl implies |v| < 2^52, where fl + 0.5 is exact.
    const double half = fl + 0.5;
    const std::int64_t cls = v != fl ? 1 + (v >= half) + (v > half) : 0;
    return cast_(static_cast<std::int64_t>(fl) * 4 + cls);
  }

 private:
  FixedType to_;
  double scale_;
  FastCast cast_;
  bool usable_ = false;
};

// to_double(m, frac) for an array: m * 2^-frac is one exact multiply while |m| <= 2^53 and the
// result stays normal; other values take the exact general conversion.
inline void to_double_array(const std::int64_t* m, std::size_t n, int frac, double* out) {
  const bool scalable = frac > -900 && frac < 900;
  const double scale = std::ldexp(1.0, -frac);
  constexpr std::int64_t kExact = std::int64_t{1} << 53;
  for (std::size_t k = 0; k < n; ++k) {
    out[k] = scalable && m[k] <= kExact && m[k] >= -kExact ? static_cast<double>(m[k]) * scale
                                                           : to_double(m[k], frac);
  }
}

}  // namespace nnfpga::fixed
