// The narrowest fixed-point type that holds given values exactly: how a reader keeps constants a
// framework computed (quantized weights, an unquantized float bias) without rounding them again.
#pragma once

#include <optional>
#include <vector>

#include "fixed/fixed_type.hpp"

namespace nnfpga::fixed {

// Signed, with one spare integer bit for the sign; ap_fixed<2,2> when every value is 0. Nullopt
// for NaN, infinity, or values whose exponents span more than 64 bits.
std::optional<FixedType> exact_type_of(const std::vector<double>& values);

}  // namespace nnfpga::fixed
