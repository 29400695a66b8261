// Property test: random small networks (random shapes, types, rounding and overflow modes,
// weights, activations and clock periods) simulated by Verilator against the emulator. One
// Verilator build per network, many samples per build, a few networks per run so the suite stays
// within a CI budget; NNFPGA_RTL_NETWORKS raises the count and NNFPGA_RTL_SEED moves the seed.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <cmath>
#include <cstdlib>

#include "../emulate/graph_builder.hpp"
#include "backend/verilog/project.hpp"
#include "backend/verilog/rtlsim.hpp"
#include "bench_util.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

using emulate::testing::GraphBuilder;
using emulate::testing::normal;

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atoi(v) : fallback;
}

fixed::FixedType random_type(std::mt19937_64& rng, int max_width) {
  std::uniform_int_distribution<int> pick(0, 999);
  fixed::FixedType t;
  t.width = 2 + pick(rng) % (max_width - 1);
  t.integer = 1 + pick(rng) % (t.width + 2) - 1;
  t.is_signed = pick(rng) % 4 != 0;
  t.quant = static_cast<fixed::Quantization>(pick(rng) % 7);
  t.overflow = static_cast<fixed::Overflow>(pick(rng) % (t.is_signed ? 5 : 4));
  return t;
}

// An accumulator the RTL accepts: wrapping, or saturating and wide enough that nothing overflows.
fixed::FixedType random_accum(std::mt19937_64& rng, const fixed::FixedType& x_t,
                              const fixed::FixedType& w_t, std::int64_t n_in) {
  fixed::FixedType a = random_type(rng, 24);
  if (rng() % 2 == 0) {
    a.overflow = fixed::Overflow::kWrap;
    a.sat_bits = 0;
    return a;
  }
  const int grow = 2 + static_cast<int>(std::log2(static_cast<double>(n_in)) + 1);
  a.integer = x_t.integer + w_t.integer + grow;
  a.width = a.integer + static_cast<int>(rng() % 12);
  a.is_signed = true;
  return a;
}

ir::Graph random_network(std::mt19937_64& rng) {
  const std::int64_t n0 = 1 + static_cast<std::int64_t>(rng() % 6);
  GraphBuilder b({n0}, random_type(rng, 12));
  const int layers = 1 + static_cast<int>(rng() % 3);
  for (int l = 0; l < layers; ++l) {
    const fixed::FixedType x_t = b.last().type("result");
    const std::int64_t n_in = b.last().output_shape.back();
    const std::int64_t n_out = 1 + static_cast<std::int64_t>(rng() % 6);
    const fixed::FixedType w_t = random_type(rng, 10);
    b.dense(n_out, normal(static_cast<std::size_t>(n_in * n_out), 1.0, rng),
            normal(static_cast<std::size_t>(n_out), 1.0, rng), w_t, random_type(rng, 10),
            random_accum(rng, x_t, w_t, n_in), random_type(rng, 12));
    switch (rng() % 5) {
      case 0:
        b.unary(ir::OpKind::kRelu, random_type(rng, 10));
        break;
      case 1:
        b.leaky(0.1 + 0.2 * static_cast<double>(rng() % 4), random_type(rng, 8),
                random_type(rng, 10));
        break;
      case 2:
        b.clip(-1.0, 1.5, random_type(rng, 10));
        break;
      case 3:
        b.unary(ir::OpKind::kQuantize, random_type(rng, 10));
        break;
      default:
        break;
    }
  }
  ir::Graph g = b.build();
  g.settings.clock_period_ns = 1.0 + static_cast<double>(rng() % 8);
  return g;
}

TEST(RandomNetworkRtl, MatchesTheEmulatorBitForBit) {
  NNFPGA_REQUIRE_VERILATOR();
  const int seed = env_int("NNFPGA_RTL_SEED", 2026);
  const int networks = env_int("NNFPGA_RTL_NETWORKS", 3);
  std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
  for (int k = 0; k < networks; ++k) {
    ir::Graph g = random_network(rng);
    g.name = fmt::format("random_{}", k);
    SCOPED_TRACE(fmt::format("seed {} network {}: {} nodes, clock {} ns", seed, k, g.nodes.size(),
                             g.settings.clock_period_ns));
    const std::filesystem::path dir = testing::scratch_dir(g.name);
    const Project p = write_project(g, dir.string());
    const RtlsimReport r = run_rtlsim(dir.string(), {.samples = 3000, .seed = 4});
    EXPECT_EQ(r.differing, 0) << r.first_difference;
    EXPECT_EQ(r.late_or_early, 0);
    EXPECT_EQ(r.missing, 0);
    EXPECT_EQ(r.latency_cycles, p.latency_cycles);
  }
}

}  // namespace
}  // namespace nnfpga::backend::verilog
