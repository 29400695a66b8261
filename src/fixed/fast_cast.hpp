// FastCast: the cast of exact.hpp specialised, at construction, to one source fraction and one
// target type, for the emulator's hot loops. Inline and branch-light: the per-value work is a
// shift, an add of a precomputed rounding bias, and a range check with conditional moves.
//
// It is exact (equal to cast()) for every mode. The fast path covers sources that fit in
// int64, |from_frac - to.frac()| <= kMaxFastShift, and every overflow mode but AP_WRAP_SM and
// N != 0; anything else is delegated to cast(), which exact_fast() reports.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fixed/exact.hpp"
#include "fixed/fixed_type.hpp"

namespace nnfpga::fixed {

class FastCast;
// FastCast::cast_array for a right shift, vectorized (fast_cast.cpp).
std::size_t cast_array_right(const FastCast& c, const std::int64_t* in, std::int64_t* out,
                             std::size_t n);

class FastCast {
 public:
  static constexpr int kMaxFastShift = 62;

  FastCast(int from_frac, const FixedType& to) : to_(to), from_frac_(from_frac) {
    const int shift = from_frac - to.frac();
    right_ = shift > 0 ? shift : 0;
    left_ = shift < 0 ? -shift : 0;
    fast_ = shift >= -kMaxFastShift && shift <= kMaxFastShift && to.sat_bits == 0 &&
            to.overflow != Overflow::kWrapSm && to.width >= 1 && to.width <= kMaxTypeWidth;
    if (!fast_) return;
    rem_mask_ = right_ == 0 ? 0 : (std::uint64_t{1} << right_) - 1;
    // inc = (rem + bias) >> right: bias = half gives "rem >= half", half - 1 gives "rem > half",
    // rem_mask gives "rem != 0", 0 gives never. AP_RND_CONV adds the floor's low bit to half - 1.
    const std::uint64_t half = right_ == 0 ? 0 : std::uint64_t{1} << (right_ - 1);
    const std::uint64_t above = right_ == 0 ? 0 : half - 1;
    switch (to.quant) {
      case Quantization::kTrn:
        bias_pos_ = bias_neg_ = 0;
        break;
      case Quantization::kTrnZero:
        bias_pos_ = 0, bias_neg_ = rem_mask_;
        break;
      case Quantization::kRnd:
        bias_pos_ = bias_neg_ = half;
        break;
      case Quantization::kRndZero:
        bias_pos_ = above, bias_neg_ = half;
        break;
      case Quantization::kRndMinInf:
        bias_pos_ = bias_neg_ = above;
        break;
      case Quantization::kRndInf:
        bias_pos_ = half, bias_neg_ = above;
        break;
      case Quantization::kRndConv:
        bias_pos_ = bias_neg_ = above;
        conv_mask_ = right_ == 0 ? 0 : 1;
        break;
    }
    const i128 lo = min_mantissa(to);
    const i128 hi = max_mantissa(to);
    constexpr i128 kI64Max = INT64_MAX;
    lo_ = static_cast<std::int64_t>(lo);
    hi_ = static_cast<std::int64_t>(hi > kI64Max ? kI64Max : hi);
    sat_lo_ = static_cast<std::uint64_t>(lo_);
    sat_hi_ = static_cast<std::uint64_t>(static_cast<u128>(hi));
    // AP_SAT_SYM never yields the most negative code, except at W=1 where the header yields -1.
    if (to.overflow == Overflow::kSatSym && to.is_signed && to.width > 1) {
      lo_ += 1;
      sat_lo_ += 1;
    }
    wide_unsigned_ = !to.is_signed && to.width == 64;
    if (to.overflow == Overflow::kSatZero) sat_lo_ = sat_hi_ = 0;
    wrap_mask_ = to.overflow == Overflow::kWrap ? ~std::uint64_t{0} : 0;
    unused_ = 64 - to.width;
    signed_mask_ = to.is_signed ? ~std::uint64_t{0} : 0;
  }

  // True when operator() runs the inline path; false when it delegates to cast().
  bool exact_fast() const { return fast_; }
  const FixedType& target() const { return to_; }
  int from_frac() const { return from_frac_; }

  CastResult operator()(std::int64_t m) const {
    if (!fast_) return cast(m, from_frac_, to_);
    if (left_ != 0) return shifted_left(m);
    const std::int64_t floor = m >> right_;
    const std::uint64_t rem = static_cast<std::uint64_t>(m) & rem_mask_;
    const std::uint64_t bias =
        (m < 0 ? bias_neg_ : bias_pos_) + (static_cast<std::uint64_t>(floor) & conv_mask_);
    const std::int64_t q = floor + static_cast<std::int64_t>((rem + bias) >> right_);
    return finish(q, q<lo_, q> hi_);
  }

  CastResult operator()(std::int32_t m) const { return (*this)(static_cast<std::int64_t>(m)); }

  // The mantissa alone, for loops that do not count overflows.
  std::int64_t value(std::int64_t m) const { return (*this)(m).mantissa; }

  // Casts n values (in and out may alias); returns how many overflowed. The loop is written in
  // unsigned 64-bit operations only (fast_cast.cpp), which AVX2 vectorizes.
  std::size_t cast_array(const std::int64_t* in, std::int64_t* out, std::size_t n) const {
    if (!fast_ || left_ != 0) {
      std::size_t overflows = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const CastResult r = (*this)(in[i]);
        out[i] = r.mantissa;
        overflows += r.overflowed ? 1 : 0;
      }
      return overflows;
    }
    return cast_array_right(*this, in, out, n);
  }

 private:
  friend std::size_t cast_array_right(const FastCast& c, const std::int64_t* in, std::int64_t* out,
                                      std::size_t n);

  // Selects with masks rather than ?: so that the compiler emits no data-dependent branch.
  CastResult finish(std::int64_t q, bool below, bool above) const {
    const std::uint64_t uq = static_cast<std::uint64_t>(q);
    const std::uint64_t below_mask = -static_cast<std::uint64_t>(below);
    const std::uint64_t out_mask = -static_cast<std::uint64_t>(below || above);
    const std::uint64_t shifted = uq << unused_;
    const std::uint64_t wrapped =
        (static_cast<std::uint64_t>(static_cast<std::int64_t>(shifted) >> unused_) & signed_mask_) |
        ((shifted >> unused_) & ~signed_mask_);
    const std::uint64_t sat = (sat_lo_ & below_mask) | (sat_hi_ & ~below_mask);
    const std::uint64_t repl = (wrapped & wrap_mask_) | (sat & ~wrap_mask_);
    const std::uint64_t res = (repl & out_mask) | (uq & ~out_mask);
    return {static_cast<std::int64_t>(res), out_mask != 0};  // out of range always changes it
  }

  // Left shifts can leave int64: `lost` says so, and then only the sign decides the side (an
  // ap_ufixed<64,...> also holds values in [2^63, 2^64)).
  CastResult shifted_left(std::int64_t m) const {
    const std::uint64_t uq = static_cast<std::uint64_t>(m) << left_;
    const std::int64_t q = static_cast<std::int64_t>(uq);
    const bool lost = (q >> left_) != m;
    const bool fits_unsigned64 =
        wide_unsigned_ && m >= 0 && (uq >> left_) == static_cast<std::uint64_t>(m);
    const bool below = lost ? m < 0 : q < lo_;
    const bool above = lost ? (m > 0 && !fits_unsigned64) : q > hi_;
    return finish(q, below, above);
  }

  FixedType to_;
  int from_frac_ = 0;
  int right_ = 0;
  int left_ = 0;
  bool fast_ = false;
  bool wide_unsigned_ = false;  // ap_ufixed<64,...>: values up to 2^64 - 1
  int unused_ = 0;
  std::uint64_t wrap_mask_ = 0;    // all ones for AP_WRAP
  std::uint64_t signed_mask_ = 0;  // all ones for a signed target
  std::uint64_t rem_mask_ = 0;
  std::uint64_t bias_pos_ = 0;
  std::uint64_t bias_neg_ = 0;
  std::uint64_t conv_mask_ = 0;
  std::int64_t lo_ = 0;
  std::int64_t hi_ = 0;
  std::uint64_t sat_lo_ = 0;  // what an underflow becomes
  std::uint64_t sat_hi_ = 0;  // what an overflow becomes
};

}  // namespace nnfpga::fixed
