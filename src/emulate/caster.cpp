#include "emulate/caster.hpp"

#include "nnfpga/error.hpp"

namespace nnfpga::emulate {

int exact_cast_shift(int from_frac, i128 lo, i128 hi, const fixed::FixedType& to) {
  const int shift = to.frac() - from_frac;
  if (shift < 0 || shift > 62) return -1;
  const i128 limit = i128{1} << (100 - shift);  // keeps the shifted bounds in range
  if (lo <= -limit || hi >= limit) return -1;
  const bool fits = lo * (i128{1} << shift) >= fixed::min_mantissa(to) &&
                    hi * (i128{1} << shift) <= fixed::max_mantissa(to);
  return fits ? shift : -1;
}

const fixed::FixedType& checked_type(const ir::Node& node, const std::string& key) {
  const fixed::FixedType& t = node.type(key);
  try {
    fixed::check_supported(t, key + "_t");
  } catch (const Error& e) {
    throw e.located({.node = node.name});
  }
  return t;
}

const fixed::FixedType& producer_type(const ir::Node& producer) {
  return checked_type(producer, "result");
}

void require_exact_width(const ir::Node& node, int bits, const std::string& what) {
  // One bit of headroom below 128 keeps every aligned sum of two such values in range.
  if (bits > fixed::kMaxExactWidth - 2) {
    throw Error(ErrorKind::kConfig,
                "the exact " + what + " needs " + std::to_string(bits) +
                    " bits, more than the emulator's 126; narrow the layer's types",
                {.node = node.name});
  }
}

}  // namespace nnfpga::emulate
