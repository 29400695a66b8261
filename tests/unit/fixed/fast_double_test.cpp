// FastDoubleCast must equal cast_double() and to_double_array() must equal to_double(), bit for
// bit, for every mode pair, on ties, near-ties, bounds, tiny and huge values.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "../split_mix.hpp"
#include "fixed/exact.hpp"
#include "fixed/fast_double.hpp"
#include "random_types.hpp"

namespace nnfpga::fixed {
namespace {

using Rng = testing::SplitMix64;

// Values at and around the rounding grid of `to` (exact ties, one ulp either side), near its
// bounds, random doubles of every magnitude, and the awkward ones.
double pick(Rng& rng, const FixedType& to) {
  const double step = std::ldexp(1.0, -to.frac());
  const double top = static_cast<double>(max_mantissa(to)) * step;
  switch (rng.next() % 6) {
    case 0: {  // k + 1/2 grid steps, and its neighbours
      const double k = static_cast<double>(rng.between(-300, 300));
      const double tie = (k + 0.5) * step;
      const int side = rng.between(-1, 1);
      return side == 0 ? tie : std::nextafter(tie, side * 1e300);
    }
    case 1:  // on the grid
      return rng.between(-300, 300) * step;
    case 2: {  // near either bound
      const double b = rng.next() % 2 ? top : -top;
      return b + rng.between(-3, 3) * step * 0.5;
    }
    case 3:  // any magnitude
      return (rng.next() % 2 ? 1 : -1) * rng.unit() * std::ldexp(1.0, rng.between(-1074, 1023));
    case 4: {
      const double special[] = {0.0,
                                -0.0,
                                std::numeric_limits<double>::denorm_min(),
                                -std::numeric_limits<double>::denorm_min(),
                                std::numeric_limits<double>::max(),
                                -std::numeric_limits<double>::max(),
                                0x1p52 + 1,
                                -0x1p52 - 1,
                                0x1p60,
                                -0x1p60,
                                -0x1p-901,
                                0x1p-899};
      return special[rng.next() % (sizeof(special) / sizeof(special[0]))] * step;
    }
    default:
      return (rng.unit() - 0.5) * 4 * top;
  }
}

TEST(FastDoubleCast, EqualsCastDoubleForEveryModePair) {
  Rng rng{777};
  std::uint64_t compared = 0;
  for_random_types(rng, {1, 2, 5, 8, 12, 16, 24, 32, 40, 53, 54, 63, 64}, 4, 10,
                   [&](const FixedType& to) {
                     const FastDoubleCast fast(to);
                     for (int k = 0; k < 400; ++k) {
                       const double x = pick(rng, to);
                       if (!std::isfinite(x))
                         continue;  // refused before any cast (cast_double throws)
                       const CastResult want = cast_double(x, to);
                       const CastResult got = fast(x);
                       ASSERT_EQ(static_cast<std::int64_t>(got.mantissa),
                                 static_cast<std::int64_t>(want.mantissa))
                           << to_string(to) << " x=" << x;
                       ASSERT_EQ(got.overflowed, want.overflowed) << to_string(to) << " x=" << x;
                       ++compared;
                     }
                   });
  EXPECT_GT(compared, 500000u);
}

TEST(ToDoubleArray, EqualsToDouble) {
  Rng rng{4242};
  std::vector<std::int64_t> m;
  for (int k = 0; k < 20000; ++k) {
    const std::int64_t v = static_cast<std::int64_t>(rng.next()) >> rng.between(0, 63);
    m.push_back(v);
  }
  const std::int64_t edges[] = {0,
                                1,
                                -1,
                                (std::int64_t{1} << 53),
                                -(std::int64_t{1} << 53),
                                (std::int64_t{1} << 53) + 1,
                                INT64_MAX,
                                INT64_MIN};
  m.insert(m.end(), std::begin(edges), std::end(edges));
  for (int frac : {-1100, -950, -64, -3, 0, 1, 10, 40, 63, 64, 899, 950, 1100}) {
    std::vector<double> out(m.size());
    to_double_array(m.data(), m.size(), frac, out.data());
    for (std::size_t k = 0; k < m.size(); ++k) {
      const double want = to_double(m[k], frac);
      ASSERT_EQ(std::memcmp(&want, &out[k], sizeof(double)), 0) << m[k] << " frac " << frac;
    }
  }
}

}  // namespace
}  // namespace nnfpga::fixed
