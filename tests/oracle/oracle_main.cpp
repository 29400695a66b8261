// Differential test of src/fixed/ against AMD's ap_types headers: random and constructed cases
// (ties, bounds, far shifts, doubles, products and sums) over the generated target list.
// Usage: oracle_test [--seed N] [--scale K]. Exits 1 on any mismatch.
#include <array>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "../unit/split_mix.hpp"
#include "fixed/exact.hpp"
#include "fixed/fast_cast.hpp"
#include "oracle_driver.hpp"

namespace oracle {
namespace {

using namespace nnfpga::fixed;

// The tests' generator, and 128 random bits.
struct Rng : nnfpga::testing::SplitMix64 {
  u128 wide() { return (static_cast<u128>(next()) << 64) | next(); }
};

u128 mask(int width) {
  return width >= 128 ? ~static_cast<u128>(0) : (static_cast<u128>(1) << width) - 1;
}

i128 value_of(u128 bits, int width, bool is_signed) {
  bits &= mask(width);
  if (is_signed && width < 128 && ((bits >> (width - 1)) & 1)) bits |= ~mask(width);
  return static_cast<i128>(bits);
}

std::string hex(u128 v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "0x%016" PRIx64 "%016" PRIx64, static_cast<std::uint64_t>(v >> 64),
                static_cast<std::uint64_t>(v));
  return buf;
}

std::string dec(i128 v) {
  if (v == 0) return "0";
  const bool neg = v < 0;
  u128 m = neg ? -static_cast<u128>(v) : static_cast<u128>(v);
  std::string s;
  while (m != 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(m % 10)));
    m /= 10;
  }
  return neg ? "-" + s : s;
}

struct Stats {
  std::map<std::string, std::array<std::uint64_t, 2>> categories;  // cases, mismatches
  std::array<std::array<std::uint64_t, 5>, 7> mode_pairs{};
  std::vector<std::string> details;
  std::uint64_t mismatches = 0;

  // `detail` is only called (to describe the case) when it failed.
  template <typename Detail>
  void check(const std::string& category, bool ok, const Detail& detail) {
    auto& c = categories[category];
    ++c[0];
    if (ok) return;
    ++c[1];
    ++mismatches;
    if (details.size() < 12) details.push_back(category + ": " + detail());
  }
};

// A mantissa of `t` near something interesting: a bound, zero, or random.
i128 interesting(Rng& rng, const FixedType& t) {
  const i128 lo = min_mantissa(t);
  const i128 hi = max_mantissa(t);
  switch (rng.below(12)) {
    case 0:
      return lo;
    case 1:
      return hi;
    case 2:
      return lo - 1;
    case 3:
      return hi + 1;
    case 4:
      return lo + 1;
    case 5:
      return hi - 1;
    case 6:
      return static_cast<i128>(rng.between(-3, 3));
    case 7:
      return static_cast<i128>(rng.next() >> rng.between(1, 63)) * (rng.below(2) ? -1 : 1);
    case 8:
      return hi * 2 + rng.between(-2, 2);
    default:
      return lo + static_cast<i128>(static_cast<u128>(rng.wide()) % static_cast<u128>(hi - lo + 1));
  }
}

// The dropped bits below a target LSB: exact ties and their neighbours.
u128 tail(Rng& rng, int d) {
  const u128 half = static_cast<u128>(1) << (d - 1);
  switch (rng.below(6)) {
    case 0:
      return 0;
    case 1:
    case 2:
      return half;
    case 3:
      return half - 1;
    case 4:
      return half + (d > 1 ? 1 : 0);
    default:
      return rng.wide() & mask(d);
  }
}

u128 source_bits(Rng& rng, const FixedType& src, const FixedType& to) {
  const int d = src.frac() - to.frac();
  const std::uint64_t kind = rng.below(8);
  if (kind < 2) return rng.wide() & mask(src.width);
  if (kind == 7) {
    return static_cast<u128>(static_cast<i128>(rng.between(-3, 3)) << rng.between(0, 8)) &
           mask(src.width);
  }
  i128 k = interesting(rng, to);
  i128 m = 0;
  if (d > 0 && d < 100) {
    const i128 limit = static_cast<i128>(1) << (126 - d);
    if (k >= limit || k <= -limit) k = rng.between(-5, 5);
    m = k * (static_cast<i128>(1) << d) + static_cast<i128>(tail(rng, d));
  } else if (d <= 0 && d > -120) {
    m = (k >> -d) + rng.between(-1, 1);
  } else {
    m = rng.between(-9, 9);
  }
  return static_cast<u128>(m) & mask(src.width);
}

std::string describe(const FixedType& t) {
  return to_string(t);
}

void check_cast(Stats& st, const std::string& cat, const FixedType& to, const FixedType& src,
                i128 value, u128 expect) {
  const u128 wmask = mask(to.width);
  const CastResult got = cast(value, src.frac(), to);
  const u128 got_bits = static_cast<u128>(static_cast<i128>(got.mantissa)) & wmask;
  const auto detail = [&](const char* who, u128 bits) {
    return std::string(who) + " " + describe(src) + " mantissa " + dec(value) + " -> " +
           describe(to) + ": ap_types bits " + hex(expect & wmask) + ", nnfpga " + hex(bits);
  };
  const bool ok = got_bits == (expect & wmask);
  st.check(cat, ok, [&] { return detail("cast", got_bits); });
  if (value >= std::numeric_limits<std::int64_t>::min() &&
      value <= std::numeric_limits<std::int64_t>::max()) {
    const FastCast fast(src.frac(), to);
    const CastResult f = fast(static_cast<std::int64_t>(value));
    const u128 fbits = static_cast<u128>(static_cast<i128>(f.mantissa)) & wmask;
    const bool fok = fbits == (expect & wmask) && f.overflowed == got.overflowed;
    st.check(fast.exact_fast() ? "FastCast (inline path)" : "FastCast (delegated)", fok, [&] {
      return detail("FastCast", fbits) + " (overflowed: cast " + (got.overflowed ? "yes" : "no") +
             ", FastCast " + (f.overflowed ? "yes" : "no") + ")";
    });
  }
}

double random_double(Rng& rng, const FixedType& to) {
  const int f = to.frac();
  switch (rng.below(10)) {
    case 0: {
      static const double kSpecial[] = {0.0,
                                        -0.0,
                                        5e-324,
                                        -5e-324,
                                        2.2250738585072014e-308,
                                        -2.2250738585072014e-308,
                                        1.7976931348623157e308,
                                        -1.7976931348623157e308,
                                        1e300,
                                        -1e300,
                                        0.5,
                                        -0.5,
                                        1.5,
                                        -1.5,
                                        2.5,
                                        -2.5,
                                        1.0,
                                        -1.0};
      const double v = kSpecial[rng.below(sizeof kSpecial / sizeof kSpecial[0])];
      return rng.below(2) ? v : std::ldexp(v, -f);
    }
    case 1:
    case 2:
    case 3:
    case 4:
    case 5: {  // a tie or near-tie in units of the target LSB, exactly representable
      i128 k = interesting(rng, to);
      if (k > (static_cast<i128>(1) << 40) || k < -(static_cast<i128>(1) << 40)) {
        k = static_cast<i128>(static_cast<std::int64_t>(rng.next()) >> 24);
      }
      const int s = rng.between(1, 10);
      const i128 v = k * (static_cast<i128>(1) << s) + static_cast<i128>(tail(rng, s));
      return std::ldexp(static_cast<double>(static_cast<std::int64_t>(v)), -(f + s));
    }
    default: {
      const double m = static_cast<double>(static_cast<std::int64_t>(rng.next()) >> 11);
      return std::ldexp(m, rng.between(-f - 70, to.integer + 10) - 52);
    }
  }
}

void run_arith(Stats& st, Rng& rng, const FixedType& a, const PartnerCase& p, int cases) {
  const FixedType& b = p.type;
  const FixedType expect_types[3] = {product_type(a, b), sum_type(a, b), difference_type(a, b)};
  const char* names[3] = {"product", "sum", "difference"};
  for (int n = 0; n < cases; ++n) {
    const u128 abits =
        (rng.below(2) ? rng.wide() : static_cast<u128>(interesting(rng, a))) & mask(a.width);
    const u128 bbits =
        (rng.below(2) ? rng.wide() : static_cast<u128>(interesting(rng, b))) & mask(b.width);
    const i128 va = value_of(abits, a.width, a.is_signed);
    const i128 vb = value_of(bbits, b.width, b.is_signed);
    HeaderResult r[3];
    p.fn(abits, bbits, r);
    for (int op = 0; op < 3; ++op) {
      const FixedType& t = expect_types[op];
      const bool types_ok =
          t.width == r[op].width && t.integer == r[op].integer && t.is_signed == r[op].is_signed;
      if (n == 0) {
        st.check(std::string(names[op]) + " type", types_ok, [&] {
          return describe(a) + " , " + describe(b) + ": ap_types " + std::to_string(r[op].width) +
                 "," + std::to_string(r[op].integer) + (r[op].is_signed ? " signed" : " unsigned") +
                 ", nnfpga " + describe(t);
        });
      }
      const i128 v = op == 0   ? exact_product(va, a, vb, b)
                     : op == 1 ? exact_sum(va, a, vb, b)
                               : exact_difference(va, a, vb, b);
      const u128 m = mask(r[op].width);
      const bool ok = (static_cast<u128>(v) & m) == (r[op].bits & m);
      st.check(std::string(names[op]) + " value", ok, [&] {
        return describe(a) + " " + dec(va) + " , " + describe(b) + " " + dec(vb) + ": ap_types " +
               hex(r[op].bits & m) + ", nnfpga " + hex(static_cast<u128>(v) & m);
      });
    }
  }
}

void run_target(Stats& st, const TargetCase& c, std::uint64_t seed, int index, int scale) {
  Rng rng{seed ^ (0x5851f42d4c957f2dULL * static_cast<std::uint64_t>(index + 1))};
  const FixedType& to = c.type;
  std::uint64_t before = 0;
  for (auto& [k, v] : st.categories) before += v[0];
  for (const SourceCase& s : c.sources) {
    const std::string cat = std::string("cast from ") + (s.type.is_signed ? "signed" : "unsigned") +
                            (s.type.width > 64 ? " >64-bit" : "") +
                            (s.type.frac() > to.frac()   ? " (quantizing)"
                             : s.type.frac() < to.frac() ? " (left shift)"
                                                         : " (same frac)");
    for (int n = 0; n < 400 * scale; ++n) {
      const u128 bits = source_bits(rng, s.type, to);
      const i128 value = value_of(bits, s.type.width, s.type.is_signed);
      check_cast(st, cat, to, s.type, value, s.fn(bits));
    }
  }
  for (int n = 0; n < 600 * scale; ++n) {
    double d = random_double(rng, to);
    if (!std::isfinite(d)) d = std::copysign(1.7976931348623157e308, d);  // NaN/inf are refused
    const u128 expect = c.from_double(d) & mask(to.width);
    const CastResult got = cast_double(d, to);
    const u128 got_bits = static_cast<u128>(static_cast<i128>(got.mantissa)) & mask(to.width);
    st.check("cast from double", got_bits == expect, [&] {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g (%a)", d, d);
      return std::string(buf) + " -> " + describe(to) + ": ap_types " + hex(expect) + ", nnfpga " +
             hex(got_bits);
    });
  }
  std::uint64_t after = 0;
  for (auto& [k, v] : st.categories) after += v[0];
  st.mode_pairs[static_cast<int>(to.quant)][static_cast<int>(to.overflow)] += after - before;
  for (const PartnerCase& p : c.partners) run_arith(st, rng, to, p, 60 * scale);
}

void print_summary(const Stats& st, std::uint64_t seed, std::size_t targets, double seconds) {
  std::printf("ap_types differential test: seed %" PRIu64 ", %zu target types, %.2f s\n", seed,
              targets, seconds);
  std::uint64_t total = 0;
  for (const auto& [name, v] : st.categories) {
    std::printf("  %-40s %10" PRIu64 " cases %6" PRIu64 " mismatches\n", name.c_str(), v[0], v[1]);
    total += v[0];
  }
  std::printf("  %-40s %10" PRIu64 " cases %6" PRIu64 " mismatches\n", "TOTAL", total,
              st.mismatches);
  static const char* kQ[] = {"TRN",         "TRN_ZERO", "RND",     "RND_ZERO",
                             "RND_MIN_INF", "RND_INF",  "RND_CONV"};
  std::printf("  cast cases per target mode (rows Q, cols WRAP SAT SAT_ZERO SAT_SYM WRAP_SM):\n");
  for (int q = 0; q < 7; ++q) {
    std::printf("    %-12s", kQ[q]);
    for (int o = 0; o < 5; ++o) std::printf(" %8" PRIu64, st.mode_pairs[q][o]);
    std::printf("\n");
  }
  for (const auto& d : st.details) std::printf("MISMATCH %s\n", d.c_str());
}

}  // namespace
}  // namespace oracle

int main(int argc, char** argv) {
  std::uint64_t seed = 20240601;
  int scale = 1;
  if (const char* env = std::getenv("NNFPGA_ORACLE_SEED")) seed = std::strtoull(env, nullptr, 0);
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--seed") == 0) seed = std::strtoull(argv[i + 1], nullptr, 0);
    if (std::strcmp(argv[i], "--scale") == 0) scale = std::atoi(argv[i + 1]);
  }
  const auto start = std::chrono::steady_clock::now();
  std::vector<oracle::TargetCase> cases;
  oracle::register_chunks(cases);
  oracle::Stats st;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    oracle::run_target(st, cases[i], seed, static_cast<int>(i), scale);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  oracle::print_summary(st, seed, cases.size(), seconds);
  return st.mismatches == 0 ? 0 : 1;
}
