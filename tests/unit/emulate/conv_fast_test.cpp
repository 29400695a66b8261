// The convolution's 16-bit fast path (conv.cpp's ConvMadd, conv_madd.cpp's hot loops): each
// instruction set against the scalar loop on random and extreme operands, and the whole kernel
// against the general path (im2col through Dense's exact kernel, one cast per step) on fuzzed
// shapes with random and saturating inputs, outputs and overflow counts value for value.
#include <gtest/gtest.h>

#include <limits>

#include "api/model_io.hpp"
#include "emulate/conv_madd.hpp"
#include "emulate/program.hpp"
#include "graph_builder.hpp"

namespace nnfpga::emulate {
namespace {

using fixed::make_fixed;
using testing::GraphBuilder;

// A hot-loop problem over a random "image" of `values` codes: random runs and positions inside
// it, `outputs` columns. Codes and weights are drawn within +-`limit`.
struct Problem {
  std::vector<std::int16_t> image, weight;
  std::vector<std::int64_t> runs, positions;
  std::int64_t pairs = 0, stride = 0;
  MaddProblem view(std::vector<std::int32_t>& acc) {
    acc.assign(positions.size() * static_cast<std::size_t>(stride), -1);
    return {.image = image.data(),
            .weight = weight.data(),
            .segment_offset = runs.data(),
            .segments = static_cast<std::int64_t>(runs.size()),
            .segment_pairs = pairs,
            .position_offset = positions.data(),
            .positions = static_cast<std::int64_t>(positions.size()),
            .stride = stride,
            .acc = acc.data()};
  }
};

Problem random_problem(std::mt19937_64& rng, int limit) {
  auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  Problem p;
  p.pairs = pick(1, 9);
  p.stride = kMaddLanes * pick(1, 5);
  // Runs start up to 20 values after a position; every read stays inside the image.
  const std::int64_t values = pick(2 * p.pairs + 22, 300);
  p.image.resize(static_cast<std::size_t>(values));
  for (auto& v : p.image) v = static_cast<std::int16_t>(pick(-limit, limit));
  for (std::int64_t s = pick(1, 4); s > 0; --s) p.runs.push_back(pick(0, 20));
  for (std::int64_t k = pick(1, 13); k > 0; --k) {
    p.positions.push_back(pick(0, values - 2 * p.pairs - 21));
  }
  p.weight.resize(static_cast<std::size_t>(p.runs.size() * p.pairs * p.stride * 2));
  for (auto& w : p.weight) w = static_cast<std::int16_t>(pick(-limit, limit));
  return p;
}

TEST(ConvMadd, EveryInstructionSetEqualsTheScalarLoop) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    // Small codes, and codes near the int16 limit with few enough pairs that every sum fits
    // int32 (the caller's proof): 9 pairs * 4 runs * 2 * 2047^2 < 2^31.
    Problem p = random_problem(rng, trial % 2 == 0 ? 50 : 2047);
    std::vector<std::int32_t> want, got;
    madd_conv(p.view(want), MaddIsa::kScalar);
    for (MaddIsa isa : {MaddIsa::kSse2, MaddIsa::kAvx2, MaddIsa::kBest}) {
      madd_conv(p.view(got), isa);
      ASSERT_EQ(got, want) << "trial " << trial << " " << madd_isa_name(isa);
    }
  }
}

TEST(ConvMadd, ExtremePairsAreExact) {
  // One pair of the largest magnitudes the proof admits: 2 * 32767^2 = 2147352578 fits int32, as
  // does -2147352578; pmaddwd must not wrap.
  constexpr std::int16_t kMax = std::numeric_limits<std::int16_t>::max();
  for (int sign : {1, -1}) {
    Problem p;
    p.image = {kMax, kMax, 0, 0};
    p.runs = {0};
    p.positions = {0};
    p.pairs = 1;
    p.stride = kMaddLanes;
    p.weight.assign(static_cast<std::size_t>(2 * p.stride), 0);
    p.weight[0] = p.weight[1] = static_cast<std::int16_t>(sign * kMax);
    for (MaddIsa isa : {MaddIsa::kScalar, MaddIsa::kSse2, MaddIsa::kAvx2}) {
      std::vector<std::int32_t> acc;
      madd_conv(p.view(acc), isa);
      EXPECT_EQ(acc[0], sign * 2147352578) << madd_isa_name(isa);
      EXPECT_EQ(acc[1], 0) << madd_isa_name(isa);
    }
  }
}

TEST(ConvMadd, BestIsWhatTheCpuHas) {
  const MaddIsa best = best_madd_isa();
#if defined(__x86_64__)
  EXPECT_EQ(best, __builtin_cpu_supports("avx2") ? MaddIsa::kAvx2 : MaddIsa::kSse2);
#else
  EXPECT_EQ(best, MaddIsa::kScalar);
#endif
  EXPECT_STREQ(madd_isa_name(MaddIsa::kBest), madd_isa_name(best));
}

struct ConvCase {
  ir::Graph graph;
  std::vector<Array> inputs;
};

// A convolution whose operands fit 16 bits and sums 32: inputs up to 12 bits, 8-bit weights,
// an exact accumulator, mostly a narrow saturating result (so result overflows happen and are
// counted), else the exact one.
// With `extreme`, every input is its type's largest or smallest value.
ConvCase madd_case(std::mt19937_64& rng, bool two, bool extreme) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const std::int64_t c = pick(1, 7), f = pick(1, 19);
  const std::int64_t kh = two ? pick(1, 4) : 1, kw = pick(1, 5);
  const std::int64_t sh = pick(1, 4), sw = pick(1, 4), dh = pick(1, 2), dw = pick(1, 3);
  const std::int64_t pt = pick(0, 2), pb = pick(0, 3), pl = pick(0, 3), pr = pick(0, 3);
  const std::int64_t h =
      two ? std::max<std::int64_t>(dh * (kh - 1) + 1 - pt - pb, 1) + pick(0, 9) : 1;
  const std::int64_t w = std::max<std::int64_t>(dw * (kw - 1) + 1 - pl - pr, 1) + pick(0, 12);
  const bool is_signed = pick(0, 1) == 1;
  const fixed::FixedType x_t = make_fixed(pick(4, 12), pick(1, 4), is_signed);
  const fixed::FixedType w_t = make_fixed(8, pick(0, 3));
  const fixed::FixedType acc_t = make_fixed(48, 20);  // 28 fraction bits: every product exact
  // A quarter of the cases keep the exact sum (the cast to result_t is then a shift).
  const fixed::FixedType res_t =
      pick(0, 3) == 0 ? acc_t
                      : make_fixed(pick(4, 10), pick(1, 4), true, fixed::Quantization::kRndConv,
                                   fixed::Overflow::kSat);
  const ir::Shape in_shape = two ? ir::Shape{h, w, c} : ir::Shape{w, c};
  const ir::Shape w_shape = two ? ir::Shape{kh, kw, c, f} : ir::Shape{kw, c, f};
  GraphBuilder b(in_shape, x_t);
  const auto n_w = static_cast<std::size_t>(kh * kw * c * f);
  std::vector<double> weights = testing::normal(n_w, extreme ? 8.0 : 0.7, rng);
  b.conv(two ? ir::OpKind::kConv2D : ir::OpKind::kConv1D, w_shape, weights,
         testing::normal(static_cast<std::size_t>(f), 0.5, rng),
         two ? std::vector<std::int64_t>{sh, sw} : std::vector<std::int64_t>{sw},
         two ? std::vector<std::int64_t>{dh, dw} : std::vector<std::int64_t>{dw},
         two ? std::vector<std::int64_t>{pt, pb, pl, pr} : std::vector<std::int64_t>{pl, pr}, w_t,
         make_fixed(10, 4), acc_t, res_t);
  ConvCase out;
  out.graph = b.build();
  const std::int64_t rows = pick(1, 4);
  const auto n_x = static_cast<std::size_t>(rows * ir::element_count(in_shape));
  std::vector<double> x = testing::normal(n_x, 3.0, rng);
  if (extreme) {
    const double hi = fixed::to_double(fixed::max_mantissa(x_t), x_t);
    const double lo = fixed::to_double(fixed::min_mantissa(x_t), x_t);
    for (double& v : x) v = pick(0, 1) ? hi : lo;
  }
  out.inputs = {testing::batch(rows, in_shape, x)};
  return out;
}

RunResult run(const ir::Graph& g, const std::vector<Array>& inputs, bool general,
              std::string* variant) {
  Program p;
  build_program(g, general, p);
  *variant = p.steps.at(1).kernel->variant();
  return execute(p, inputs, {});
}

TEST(ConvMadd, FastPathEqualsTheGeneralPathOnFuzzedConvolutions) {
  std::mt19937_64 rng(1616);
  int saturated = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const bool two = trial % 2 == 0, extreme = trial % 4 >= 2;
    const ConvCase c = madd_case(rng, two, extreme);
    const ir::Node& conv = c.graph.nodes.at(1);
    SCOPED_TRACE("trial " + std::to_string(trial) + ": " + ir::to_string(conv.input_shapes[0]) +
                 " -> " + ir::to_string(conv.output_shape));
    std::string fast_variant, general_variant;
    const RunResult fast = run(c.graph, c.inputs, false, &fast_variant);
    const RunResult general = run(c.graph, c.inputs, true, &general_variant);
    ASSERT_EQ(fast_variant, "fast-i16");
    ASSERT_EQ(general_variant, "general");
    ASSERT_EQ(fast.outputs[0].data, general.outputs[0].data);
    EXPECT_EQ(fast.overflows.at(1).result_overflows, general.overflows.at(1).result_overflows);
    EXPECT_EQ(fast.overflows.at(1).accum_overflows, 0);
    EXPECT_EQ(general.overflows.at(1).accum_overflows, 0);
    saturated += general.overflows.at(1).result_overflows > 0;
  }
  EXPECT_GT(saturated, 100);  // the saturating result cast was exercised
}

TEST(ConvMadd, OperandsOrSumsPastTheLanesKeepTheWiderPath) {
  std::mt19937_64 rng(3);
  // 16-bit inputs can hold -32768, which pmaddwd cannot take in every pair: the int32 path.
  GraphBuilder b({6, 6, 3}, make_fixed(16, 8));
  b.conv(ir::OpKind::kConv2D, {3, 3, 3, 4}, testing::normal(108, 0.7, rng), {}, {1, 1}, {1, 1},
         {1, 1, 1, 1}, make_fixed(8, 2), make_fixed(8, 2), make_fixed(48, 24), make_fixed(16, 6));
  Program p;
  build_program(b.build(), false, p);
  EXPECT_STREQ(p.steps.at(1).kernel->variant(), "fast-i32");
}

TEST(ConvMadd, BenchmarkCnnRunsTheFastPathBitExact) {
  // The CNN benchmark's model and types (bench/models/make_cnn_bench.py): every convolution takes
  // the 16-bit path, and two images give the general path's outputs exactly.
  const std::string dir = std::string(NNFPGA_FIXTURES_DIR) + "/../../bench/models/";
  const ir::Graph g = load_model(dir + "cnn_32x32x3.json", {dir + "cnn_32x32x3.yml"}, {});
  Program fast, general;
  build_program(g, false, fast);
  build_program(g, true, general);
  int convs = 0;
  for (const ProgramStep& step : fast.steps) {
    if (step.node->op != ir::OpKind::kConv2D) continue;
    EXPECT_STREQ(step.kernel->variant(), "fast-i16") << step.node->name;
    ++convs;
  }
  EXPECT_EQ(convs, 5);
  std::mt19937_64 rng(5);
  std::vector<double> x(2 * 32 * 32 * 3);
  for (double& v : x) v = std::uniform_int_distribution<int>(0, 255)(rng) / 256.0;
  const std::vector<Array> in{testing::batch(2, {32, 32, 3}, x)};
  const RunResult a = execute(fast, in, {}), b = execute(general, in, {});
  EXPECT_EQ(a.outputs[0].data, b.outputs[0].data);
  for (std::size_t l = 0; l < a.overflows.size(); ++l) {
    EXPECT_EQ(a.overflows[l].result_overflows, b.overflows[l].result_overflows) << l;
    EXPECT_EQ(a.overflows[l].accum_overflows, b.overflows[l].accum_overflows) << l;
  }
}

}  // namespace
}  // namespace nnfpga::emulate
