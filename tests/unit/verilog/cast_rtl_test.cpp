// The cast generator against fixed::cast: many source/target pairs in one Verilator build,
// on random codes and on the adversarial ones (ties, one LSB around them, the target's limits at
// the source's fraction, the source's extremes, zero).
#include "backend/verilog/cast_rtl.hpp"

#include <gtest/gtest.h>

#include <random>

#include "bench_util.hpp"
#include "fixed/exact.hpp"

namespace nnfpga::backend::verilog {
namespace {

using fixed::i128;

struct CastCase {
  int ws = 8;  // source net width (signed)
  int frac = 0;
  fixed::FixedType to;
};

fixed::FixedType random_type(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> pick(0, 99);
  fixed::FixedType t;
  t.width = pick(rng) < 85 ? 1 + pick(rng) % 20 : 1 + pick(rng) % 64;
  t.integer = t.width / 2 - 6 + pick(rng) % 14;
  t.is_signed = pick(rng) % 3 != 0;
  t.quant = static_cast<fixed::Quantization>(pick(rng) % 7);
  t.overflow = static_cast<fixed::Overflow>(pick(rng) % 5);
  if (!t.is_signed && t.overflow == fixed::Overflow::kWrapSm) t.overflow = fixed::Overflow::kWrap;
  const bool wraps = t.overflow == fixed::Overflow::kWrap || t.overflow == fixed::Overflow::kWrapSm;
  t.sat_bits = wraps && pick(rng) % 3 == 0 ? pick(rng) % (t.width + 1) : 0;
  return t;
}

// A source code near `target` (a value at the source's fraction), or an extreme, or random.
i128 adversarial(std::mt19937_64& rng, const CastCase& c) {
  std::uniform_int_distribution<int> pick(0, 99);
  const i128 smax = (static_cast<i128>(1) << (c.ws - 1)) - 1;
  const i128 smin = -smax - 1;
  const int r = pick(rng);
  auto clamp = [&](i128 v) { return v < smin ? smin : (v > smax ? smax : v); };
  auto random_code = [&] {
    const auto u = static_cast<fixed::u128>(rng()) << 64 | rng();
    return static_cast<i128>(u << (128 - c.ws)) >> (128 - c.ws);
  };
  const int shift = c.frac - c.to.frac();
  if (r < 35) return random_code();
  if (r < 45) {
    const i128 edges[] = {smin, smax, 0, 1, -1, smin + 1, smax - 1};
    return clamp(edges[pick(rng) % 7]);
  }
  // Target codes near its limits or random, moved to the source's fraction, plus a tie or an
  // offset of one source LSB.
  const i128 lo = fixed::min_mantissa(c.to), hi = fixed::max_mantissa(c.to);
  const i128 anchors[] = {lo, hi, lo - 1, hi + 1, 0, -1, 1};
  i128 base = r < 75 ? anchors[pick(rng) % 7] : (random_code() >> (shift > 0 ? shift : 0));
  if (shift <= 0) return clamp(base >> -shift);
  if (shift >= 100) return random_code();
  i128 v = base * (static_cast<i128>(1) << shift);
  const i128 half = static_cast<i128>(1) << (shift - 1);
  const int d = pick(rng) % 5;
  v += d == 0 ? 0 : (d == 1 ? half : (d == 2 ? half + 1 : (d == 3 ? half - 1 : -1)));
  return clamp(v);
}

TEST(CastRtl, MatchesFixedCastOnManyTypePairs) {
  NNFPGA_REQUIRE_VERILATOR();
  std::mt19937_64 rng(11);
  std::vector<CastCase> cases;
  for (int k = 0; k < 160; ++k) {
    CastCase c;
    c.to = random_type(rng);
    c.ws = 1 + static_cast<int>(rng() % 72);
    c.frac = c.to.frac() - 12 + static_cast<int>(rng() % 30);
    cases.push_back(c);
  }
  // Ties at a single dropped bit, every mode; and the widest targets.
  for (int q = 0; q < 7; ++q) {
    for (int o = 0; o < 4; ++o) {
      cases.push_back({6, 3,
                       fixed::make_fixed(4, 3, true, static_cast<fixed::Quantization>(q),
                                         static_cast<fixed::Overflow>(o))});
    }
  }
  cases.push_back(
      {100, 10,
       fixed::make_fixed(64, 40, true, fixed::Quantization::kRndConv, fixed::Overflow::kSat)});
  cases.push_back(
      {100, 10,
       fixed::make_fixed(64, 40, false, fixed::Quantization::kRnd, fixed::Overflow::kSatSym)});
  Netlist nl(1e9, 0.0);
  int in_bits = 0;
  std::vector<int> offsets;
  for (const CastCase& c : cases) {
    offsets.push_back(in_bits);
    in_bits += c.ws;
  }
  nl.add_input_port("in_data", in_bits);
  std::vector<NetId> outs;
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const NetId src = nl.slice("in_data", offsets[k], cases[k].ws, true);
    outs.push_back(emit_cast(nl, {src, cases[k].frac}, cases[k].to, "c"));
  }
  constexpr int kOutWidth = 65;
  const int latency = nl.set_outputs(outs, kOutWidth, true).stage;
  constexpr int kSamples = 3000;
  std::vector<std::vector<i128>> codes(kSamples);
  std::vector<std::optional<Bits>> inputs;
  for (int s = 0; s < kSamples; ++s) {
    Bits b(static_cast<std::size_t>((in_bits + 31) / 32), 0);
    for (std::size_t k = 0; k < cases.size(); ++k) {
      codes[s].push_back(adversarial(rng, cases[k]));
      deposit(b, offsets[k], cases[k].ws, codes[s].back());
    }
    inputs.push_back(b);
  }
  const std::vector<BenchOutput> got =
      testing::simulate("cast_pairs", nl.module_text("cast_pairs", true), in_bits,
                        kOutWidth * static_cast<int>(cases.size()), latency, inputs);
  ASSERT_EQ(got.size(), static_cast<std::size_t>(kSamples));
  int failures = 0;
  for (int s = 0; s < kSamples; ++s) {
    EXPECT_EQ(got[s].cycle, s + latency);
    for (std::size_t k = 0; k < cases.size() && failures < 20; ++k) {
      const fixed::FixedType& t = cases[k].to;
      const i128 want =
          fixed::mantissa_value(fixed::cast(codes[s][k], cases[k].frac, t).mantissa, t);
      const i128 have = extract(got[s].data, static_cast<int>(k) * kOutWidth, t.width, t.is_signed);
      if (want != have) {
        ++failures;
        ADD_FAILURE() << "case " << k << ": source " << static_cast<long long>(codes[s][k]) << " ("
                      << cases[k].ws << " bits, frac " << cases[k].frac << ") to "
                      << fixed::to_string(t) << ": RTL " << static_cast<long long>(have)
                      << ", fixed::cast " << static_cast<long long>(want);
      }
    }
  }
}

}  // namespace
}  // namespace nnfpga::backend::verilog
