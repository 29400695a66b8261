// The casts kernels use. Every rounding and overflow decision is made by src/fixed/ (house rule
// 2); these wrappers only fix the source fraction and target type once per layer.
#pragma once

#include <cstdint>
#include <string>

#include "fixed/exact.hpp"
#include "fixed/fast_cast.hpp"
#include "ir/graph.hpp"

namespace nnfpga::emulate {

using fixed::i128;

// Casts int64 mantissas at a fixed source fraction into one type, through fixed::FastCast
// (exact for every mode; it falls back to fixed::cast where its inline path does not apply).
class Caster {
 public:
  Caster() = default;
  Caster(int from_frac, const fixed::FixedType& to) : fast_(from_frac, to) {}
  fixed::CastResult operator()(std::int64_t mantissa) const { return fast_(mantissa); }
  // A whole row at once (branch-light, so the loop pipelines); returns the overflow count.
  std::int64_t cast_array(const std::int64_t* in, std::int64_t* out, std::int64_t n) const {
    return static_cast<std::int64_t>(fast_.cast_array(in, out, static_cast<std::size_t>(n)));
  }

 private:
  fixed::FastCast fast_{0, fixed::FixedType{}};
};

// When every value in [lo, hi] at fraction `from_frac` casts into `to` with neither rounding nor
// overflow, the cast is the left shift this returns (0 to 62); otherwise -1. Kernels use it to
// replace casts by shifts on ranges they have proven.
int exact_cast_shift(int from_frac, i128 lo, i128 hi, const fixed::FixedType& to);

// The node's type for `key`, checked to be one the emulator computes with (kConfig otherwise,
// naming the node and the key).
const fixed::FixedType& checked_type(const ir::Node& node, const std::string& key);

// The result type of a node's producer.
const fixed::FixedType& producer_type(const ir::Node& producer);

// Throws nnfpga::Error (kConfig) naming the node when an exact intermediate of `bits` bits would
// not fit the 128-bit integers the general path computes with.
void require_exact_width(const ir::Node& node, int bits, const std::string& what);

}  // namespace nnfpga::emulate
