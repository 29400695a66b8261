// Exact C++ literals for quantized values. A mantissa m of type T is written as the decimal
// double m * 2^-F with 17 significant digits, which reads back as the same double; the double is
// exact when |m| <= 2^53 and the value stays a normal double, and assigning it to T is then
// exact. Wider values are refused rather than written rounded.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fixed/fixed_type.hpp"

namespace nnfpga::backend::hls {

// Throws nnfpga::Error (kUnsupported) naming `what` when a value cannot be written exactly.
std::string value_literal(std::int64_t mantissa, const fixed::FixedType& type,
                          const std::string& what);

// "{v0, v1, ...}" with line breaks every few values, for array initializers.
std::string array_literal(const std::vector<std::int64_t>& mantissas, const fixed::FixedType& type,
                          const std::string& what);

}  // namespace nnfpga::backend::hls
