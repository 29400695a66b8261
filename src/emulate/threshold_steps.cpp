#include "emulate/threshold_steps.hpp"

#include <cmath>

#include "fixed/exact.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::emulate {
namespace {

// The smallest mantissa at `frac` fraction bits that passes threshold t (x >= t, or x > t when
// strict), clamped to [lo, hi + 1]: lo is passed by every value, hi + 1 by none.
fixed::i128 bound(double t, bool strict, int frac, fixed::i128 lo, fixed::i128 hi) {
  const double scaled = std::ldexp(t, frac);  // exact: only the exponent moves
  if (scaled <= static_cast<double>(lo))
    return strict && scaled == static_cast<double>(lo) ? lo + 1 : lo;
  if (scaled > static_cast<double>(hi)) return hi + 1;
  const double b = strict ? std::floor(scaled) + 1 : std::ceil(scaled);
  return static_cast<fixed::i128>(b);
}

}  // namespace

ThresholdSteps threshold_steps(const ir::Node& node, const fixed::FixedType& input,
                               const fixed::FixedType& result) {
  const std::vector<double>& thresholds = node.attrs.get_floats("thresholds");
  const std::vector<std::int64_t>& strict = node.attrs.get_ints("strict");
  const std::vector<double>& values = node.attrs.get_floats("values");
  if (strict.size() != thresholds.size() || values.size() != thresholds.size() + 1) {
    throw Error(ErrorKind::kInternal,
                "a Threshold layer needs one strictness flag per threshold and one more value "
                "than thresholds",
                {.node = node.name});
  }
  const fixed::i128 lo = fixed::min_mantissa(input);
  const fixed::i128 hi = fixed::max_mantissa(input);
  ThresholdSteps steps;
  fixed::i128 previous = lo;
  for (std::size_t i = 0; i < thresholds.size(); ++i) {
    if (i > 0 && !(thresholds[i] > thresholds[i - 1] ||
                   (thresholds[i] == thresholds[i - 1] && strict[i] >= strict[i - 1]))) {
      throw Error(ErrorKind::kInternal, "a Threshold layer's thresholds must ascend",
                  {.node = node.name});
    }
    const fixed::i128 b = bound(thresholds[i], strict[i] != 0, input.frac(), lo, hi);
    if (b < previous) {
      throw Error(ErrorKind::kInternal, "a Threshold layer's thresholds must ascend",
                  {.node = node.name});
    }
    previous = b;
    if (b <= lo) {
      ++steps.first;
    } else if (b <= hi) {
      steps.bounds.push_back(static_cast<std::int64_t>(b));
    }
  }
  for (double v : values) steps.values.push_back(fixed::cast_double(v, result).mantissa);
  return steps;
}

}  // namespace nnfpga::emulate
