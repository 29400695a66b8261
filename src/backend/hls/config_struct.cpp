// ConfigStruct: one line per member, in the order the emitter adds them.
#include "backend/hls/config_struct.hpp"

#include <fmt/format.h>

#include <cmath>

namespace nnfpga::backend::hls {

ConfigStruct& ConfigStruct::int_constant(const std::string& name, std::int64_t value) {
  members_ += fmt::format("  static const int {} = {};\n", name, value);
  return *this;
}

ConfigStruct& ConfigStruct::bool_constant(const std::string& name, bool value) {
  members_ += fmt::format("  static const bool {} = {};\n", name, value);
  return *this;
}

ConfigStruct& ConfigStruct::double_constant(const std::string& name, const std::string& literal) {
  members_ += fmt::format("  static constexpr double {} = {};\n", name, literal);
  return *this;
}

ConfigStruct& ConfigStruct::type(const std::string& name, const std::string& spelling) {
  members_ += fmt::format("  typedef {} {};\n", spelling, name);
  return *this;
}

ConfigStruct& ConfigStruct::pow2(const std::string& name, int e) {
  // %.17g of an exact power of two reads back as the same double (fmt's {:.17g} is printf's).
  type(name + "_t", fmt::format("ap_ufixed<1, {}>", e + 1));
  return double_constant(name, fmt::format("{:.17g}", std::ldexp(1.0, e)));
}

std::string ConfigStruct::text() const {
  return fmt::format("struct {} {{\n{}}};\n", name_, members_);
}

}  // namespace nnfpga::backend::hls
