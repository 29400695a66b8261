// The values a layer gets when no level of the configuration sets them.
#pragma once

#include <string>
#include <string_view>

#include "fixed/fixed_type.hpp"

namespace nnfpga::config::detail {

// The default spelling of a precision key: ap_fixed<16,6> for weight, bias, scale and result;
// ap_fixed<18,8,AP_RND,AP_SAT> for table; ap_fixed<18,2,AP_RND_CONV,AP_SAT> for param (a
// LeakyReLU alpha such as 0.01 needs fraction bits); "auto" for accum (accumulator.hpp).
std::string default_spelling(std::string_view key);

// The parsed default of every key but accum.
fixed::FixedType default_type(std::string_view key);

}  // namespace nnfpga::config::detail
