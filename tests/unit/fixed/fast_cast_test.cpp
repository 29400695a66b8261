// FastCast must equal cast() bit for bit (mantissa and overflow flag) for every mode pair.
#include <gtest/gtest.h>

#include <cstdint>
#include <ctime>
#include <vector>

#include "../split_mix.hpp"
#include "fixed/exact.hpp"
#include "fixed/fast_cast.hpp"
#include "random_types.hpp"

namespace nnfpga::fixed {
namespace {

using Rng = testing::SplitMix64;

// Mostly values near the target's bounds and ties, some uniform.
std::int64_t pick(Rng& rng, const FixedType& to, int from_frac) {
  const int shift = from_frac - to.frac();
  const std::uint64_t kind = rng.next() % 4;
  if (kind == 0) return static_cast<std::int64_t>(rng.next()) >> rng.between(0, 63);
  if (shift <= 0) {
    const i128 unit = rng.next() % 2 ? max_mantissa(to) : min_mantissa(to);
    const i128 m = (unit >> -shift) + rng.between(-2, 2);
    return m > INT64_MAX || m < INT64_MIN ? rng.between(-9, 9) : static_cast<std::int64_t>(m);
  }
  i128 k = kind == 1 ? max_mantissa(to) + rng.between(-2, 2)
                     : (kind == 2 ? min_mantissa(to) + rng.between(-2, 2) : rng.between(-4, 4));
  if (shift > 56) k = rng.between(-4, 4);  // keep k * 2^shift within 128 bits
  const i128 half = static_cast<i128>(1) << (shift - 1);
  const i128 tails[] = {0, half, half - 1, half + 1, (half << 1) - 1};
  const i128 m = k * (half << 1) + tails[rng.next() % 5];
  return m > INT64_MAX || m < INT64_MIN ? static_cast<std::int64_t>(rng.next())
                                        : static_cast<std::int64_t>(m);
}

TEST(FastCast, EqualsCastForEveryModePair) {
  Rng rng{12345};
  std::uint64_t compared = 0;
  for_random_types(
      rng, {1, 2, 3, 7, 8, 16, 31, 32, 33, 48, 63, 64}, 6, 8, [&](const FixedType& to) {
        const int from_frac = to.frac() + rng.between(-70, 70);
        const FastCast fast(from_frac, to);
        const bool in_range = from_frac - to.frac() >= -FastCast::kMaxFastShift &&
                              from_frac - to.frac() <= FastCast::kMaxFastShift;
        EXPECT_EQ(fast.exact_fast(),
                  in_range && to.sat_bits == 0 && to.overflow != Overflow::kWrapSm);
        std::vector<std::int64_t> batch;
        std::vector<CastResult> wanted;
        for (int n = 0; n < 400; ++n) {
          const std::int64_t m = pick(rng, to, from_frac);
          const CastResult want = cast(m, from_frac, to);
          batch.push_back(m);
          wanted.push_back(want);
          const CastResult got = fast(m);
          ASSERT_EQ(got.mantissa, want.mantissa)
              << to_string(to) << " from frac " << from_frac << " m=" << m;
          ASSERT_EQ(got.overflowed, want.overflowed)
              << to_string(to) << " from frac " << from_frac << " m=" << m;
          const auto m32 = static_cast<std::int32_t>(m);
          ASSERT_EQ(fast(m32).mantissa, cast(m32, from_frac, to).mantissa);
          ++compared;
        }
        // The vectorized array form, on the same values.
        std::vector<std::int64_t> out(batch.size());
        const std::size_t overflows = fast.cast_array(batch.data(), out.data(), out.size());
        std::size_t want_overflows = 0;
        for (std::size_t k = 0; k < batch.size(); ++k) {
          ASSERT_EQ(out[k], static_cast<std::int64_t>(wanted[k].mantissa))
              << "cast_array " << to_string(to) << " from frac " << from_frac << " m=" << batch[k];
          want_overflows += wanted[k].overflowed ? 1 : 0;
        }
        ASSERT_EQ(overflows, want_overflows) << "cast_array " << to_string(to);
      });
  EXPECT_GT(compared, 500000u);
}

TEST(FastCast, DelegatesOutsideTheFastRange) {
  const FixedType to = make_fixed(8, 4, true, Quantization::kRnd, Overflow::kSat);
  const FastCast far(to.frac() + 100, to);
  EXPECT_FALSE(far.exact_fast());
  EXPECT_EQ(far(std::int64_t{1} << 62).mantissa,
            cast(std::int64_t{1} << 62, to.frac() + 100, to).mantissa);
  FixedType sm = to;
  sm.overflow = Overflow::kWrapSm;
  EXPECT_FALSE(FastCast(10, sm).exact_fast());
}

// The row-at-a-time form the emulator's Dense uses gives the same mantissas and overflow count.
// (Speed is measured by bench/, not asserted here: timed unit tests fail on loaded machines.)
TEST(FastCast, CastArrayMatchesCast) {
  const FixedType to = make_fixed(16, 6, true, Quantization::kRnd, Overflow::kSat);
  const FastCast fast(20, to);
  std::vector<std::int64_t> in(1 << 14);
  Rng rng{7};
  for (auto& v : in) v = static_cast<std::int64_t>(rng.next()) >> 30;
  std::vector<std::int64_t> out(in.size());
  const std::size_t overflows = fast.cast_array(in.data(), out.data(), out.size());
  std::size_t expected_overflows = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const CastResult r = cast(in[i], 20, to);
    EXPECT_EQ(out[i], r.mantissa);
    expected_overflows += r.overflowed ? 1 : 0;
  }
  EXPECT_EQ(overflows, expected_overflows);
  EXPECT_GT(overflows, 0u);  // the inputs do reach saturation
}

}  // namespace
}  // namespace nnfpga::fixed
