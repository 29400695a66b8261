// FixedType: the description of an ap_fixed / ap_ufixed / ap_int / ap_uint type, and its
// HLS spelling. Semantics follow shared/spec/fixed-point.md; AMD's ap_types headers are the oracle.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nnfpga::fixed {

using i128 = __int128;
using u128 = unsigned __int128;

enum class Quantization : std::uint8_t {
  kTrn,        // AP_TRN: toward minus infinity
  kTrnZero,    // AP_TRN_ZERO: toward zero
  kRnd,        // AP_RND: nearest, tie toward plus infinity
  kRndZero,    // AP_RND_ZERO: nearest, tie toward zero
  kRndMinInf,  // AP_RND_MIN_INF: nearest, tie toward minus infinity
  kRndInf,     // AP_RND_INF: nearest, tie away from zero
  kRndConv,    // AP_RND_CONV: nearest, tie to even
};

enum class Overflow : std::uint8_t {
  kWrap,     // AP_WRAP
  kSat,      // AP_SAT
  kSatZero,  // AP_SAT_ZERO
  kSatSym,   // AP_SAT_SYM
  kWrapSm,   // AP_WRAP_SM
};

// Widths nnfpga accepts for a declared type; intermediates may be up to kMaxExactWidth.
inline constexpr int kMaxTypeWidth = 64;
inline constexpr int kMaxExactWidth = 128;
// Integer-bit counts nnfpga accepts for a declared type, so that every frac() fits in [-512, 512].
inline constexpr int kMinIntegerBits = -448;
inline constexpr int kMaxIntegerBits = 512;

struct FixedType {
  int width = 16;   // W: total bits, 1..64
  int integer = 6;  // I: integer bits including the sign bit; may be < 0 or > W
  bool is_signed = true;
  Quantization quant = Quantization::kTrn;
  Overflow overflow = Overflow::kWrap;
  int sat_bits = 0;  // N of ap_fixed<W,I,Q,O,N>

  int frac() const { return width - integer; }
  bool operator==(const FixedType&) const = default;
};

// Convenience constructors for the common spellings.
FixedType make_fixed(int width, int integer, bool is_signed = true,
                     Quantization q = Quantization::kTrn, Overflow o = Overflow::kWrap);
FixedType make_int(int width, bool is_signed = true);

// Parses `ap_fixed<16,6>`, `ap_ufixed<8,0,AP_RND,AP_SAT>`, `ap_int<8>`, `ap_uint<1>`,
// `fixed<16,6>`, `ufixed<...>` (spaces allowed). Throws nnfpga::Error (kConfig) quoting the text.
FixedType parse_type(std::string_view text);

// The canonical HLS spelling: defaults are omitted (`ap_fixed<16,6>`), ap_int/ap_uint when I == W
// and the modes are the defaults.
std::string to_string(const FixedType& t);

// Smallest and largest mantissa of the type (value = mantissa * 2^-frac).
i128 min_mantissa(const FixedType& t);
i128 max_mantissa(const FixedType& t);

// The exact value of a mantissa of this type as a double (rounded to nearest if it has more than
// 53 significant bits).
double to_double(i128 mantissa, int frac);
inline double to_double(i128 mantissa, const FixedType& t) {
  return to_double(mantissa, t.frac());
}

// Checks that nnfpga can compute with the type; throws nnfpga::Error (kConfig) naming `what`.
// Refused: width outside 1..64, integer bits outside [kMinIntegerBits, kMaxIntegerBits],
// N outside 0..W, and AP_WRAP_SM on an unsigned type (AMD's ap_ufixed exits on it).
void check_supported(const FixedType& t, const std::string& what);

// The numeric value of a CastResult mantissa: CastResult holds the W-bit pattern in an int64,
// which for ap_ufixed<64,...> values >= 2^63 reads as negative.
inline i128 mantissa_value(std::int64_t bits, const FixedType& t) {
  if (!t.is_signed && t.width == 64) return static_cast<i128>(static_cast<std::uint64_t>(bits));
  return bits;
}

// Spellings of the modes as in the HLS headers ("AP_RND_CONV", "AP_SAT_SYM", ...).
std::string_view to_string(Quantization q);
std::string_view to_string(Overflow o);

}  // namespace nnfpga::fixed
