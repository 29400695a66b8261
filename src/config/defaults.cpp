#include "config/defaults.hpp"

#include "config/schema.hpp"

namespace nnfpga::config::detail {

std::string default_spelling(std::string_view key) {
  if (key == "accum") return std::string(kAuto);
  if (key == "table") return "ap_fixed<18,8,AP_RND,AP_SAT>";
  if (key == "param") return "ap_fixed<18,2,AP_RND_CONV,AP_SAT>";
  return "ap_fixed<16,6>";
}

fixed::FixedType default_type(std::string_view key) {
  return fixed::parse_type(default_spelling(key));
}

}  // namespace nnfpga::config::detail
