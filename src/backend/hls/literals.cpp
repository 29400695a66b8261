// Exact value literals for generated C++.
#include "backend/hls/literals.hpp"

#include <cmath>
#include <cstdio>

#include "nnfpga/error.hpp"

namespace nnfpga::backend::hls {

std::string value_literal(std::int64_t mantissa, const fixed::FixedType& type,
                          const std::string& what) {
  constexpr std::int64_t kExact = std::int64_t{1} << 53;
  const int frac = type.frac();
  if (mantissa > kExact || mantissa < -kExact || frac > 1000 || frac < -900) {
    throw Error(ErrorKind::kUnsupported,
                what + ": the value with mantissa " + std::to_string(mantissa) + " in " +
                    fixed::to_string(type) +
                    " has no exact double literal; the HLS backend writes parameters of at most "
                    "53 significant bits");
  }
  const double value = std::ldexp(static_cast<double>(mantissa), -frac);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  std::string text = buffer;
  // A literal without '.', 'e' or "inf" reads as an integer, which is fine for ap_fixed but
  // ambiguous for overloads; keep every literal a double.
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

std::string array_literal(const std::vector<std::int64_t>& mantissas, const fixed::FixedType& type,
                          const std::string& what) {
  constexpr std::size_t kPerLine = 8;
  std::string out = "{";
  for (std::size_t k = 0; k < mantissas.size(); ++k) {
    if (k % kPerLine == 0) out += "\n    ";
    out += value_literal(mantissas[k], type, what);
    if (k + 1 != mantissas.size()) out += k % kPerLine == kPerLine - 1 ? "," : ", ";
  }
  out += "}";
  return out;
}

}  // namespace nnfpga::backend::hls
