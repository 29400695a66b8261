// FastCast::cast_array's loop for right shifts, restated in unsigned 64-bit operations so that
// g++ vectorizes it: AVX2 has no 64-bit arithmetic right shift, so sra() forms one from logical
// shifts, and every choice is a mask. Each step is the same as FastCast::operator() and
// FastCast::finish (the test FastCast.CastArrayMatchesCast holds them equal).
#include "fixed/fast_cast.hpp"

namespace nnfpga::fixed {
namespace {

constexpr std::uint64_t kMsb = std::uint64_t{1} << 63;

// Arithmetic right shift of the two's complement value u: offset binary, shift, remove offset.
inline std::uint64_t sra(std::uint64_t u, int r) {
  return ((u ^ kMsb) >> r) - (kMsb >> r);
}

// Signed a < b on two's complement values, as a mask.
inline std::uint64_t less_mask(std::uint64_t a, std::uint64_t b) {
  return -static_cast<std::uint64_t>(static_cast<std::int64_t>(a) < static_cast<std::int64_t>(b));
}

}  // namespace

__attribute__((target_clones("avx2", "default"))) std::size_t cast_array_right(
    const FastCast& c, const std::int64_t* in, std::int64_t* out, std::size_t n) {
  const int right = c.right_;
  const int unused = c.unused_;
  const std::uint64_t rem_mask = c.rem_mask_, bias_pos = c.bias_pos_, bias_neg = c.bias_neg_;
  const std::uint64_t conv_mask = c.conv_mask_, wrap_mask = c.wrap_mask_;
  const std::uint64_t signed_mask = c.signed_mask_, sat_lo = c.sat_lo_, sat_hi = c.sat_hi_;
  const std::uint64_t lo = static_cast<std::uint64_t>(c.lo_);
  const std::uint64_t hi = static_cast<std::uint64_t>(c.hi_);
  std::uint64_t overflows = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t m = static_cast<std::uint64_t>(in[i]);
    const std::uint64_t negative = sra(m, 63);  // all ones when m < 0
    const std::uint64_t floor = sra(m, right);
    const std::uint64_t bias =
        ((bias_neg & negative) | (bias_pos & ~negative)) + (floor & conv_mask);
    const std::uint64_t q = floor + (((m & rem_mask) + bias) >> right);
    const std::uint64_t below = less_mask(q, lo);
    const std::uint64_t out_mask = below | less_mask(hi, q);
    const std::uint64_t shifted = q << unused;
    const std::uint64_t wrapped =
        (sra(shifted, unused) & signed_mask) | ((shifted >> unused) & ~signed_mask);
    const std::uint64_t sat = (sat_lo & below) | (sat_hi & ~below);
    const std::uint64_t repl = (wrapped & wrap_mask) | (sat & ~wrap_mask);
    out[i] = static_cast<std::int64_t>((repl & out_mask) | (q & ~out_mask));
    overflows += out_mask & 1;
  }
  return static_cast<std::size_t>(overflows);
}

}  // namespace nnfpga::fixed
