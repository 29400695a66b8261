// The executor: overflow accounting, trace, threads, input checks, the op-kind walk, the float
// path.
#include <gtest/gtest.h>

#include "emulate/kernel.hpp"
#include "graph_builder.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::emulate {
namespace {

using fixed::make_fixed;
using testing::GraphBuilder;

const fixed::FixedType kT = make_fixed(16, 6);

ir::Graph small_mlp(std::mt19937_64& rng) {
  GraphBuilder b({8}, kT);
  b.dense(6, testing::normal(48, 0.5, rng), testing::normal(6, 0.1, rng), kT, kT,
          make_fixed(40, 20), kT)
      .unary(ir::OpKind::kRelu, kT)
      .dense(3, testing::normal(18, 0.5, rng), testing::normal(3, 0.1, rng), kT, kT,
             make_fixed(40, 20), kT)
      .table(ir::OpKind::kSoftmax, 1024, make_fixed(18, 8), make_fixed(16, 0, false),
             make_fixed(18, 8));
  return b.build();
}

TEST(Executor, OverflowCountsOnConstructedCase) {
  // Dense 2 -> 1 with weights 1, 1: x = 20 + 20 = 40 overflows ap_fixed<16,6> (max ~32) once per
  // row; the narrow accum ap_fixed<8,6> wraps the sum too. Bias cast and products do not.
  const fixed::FixedType acc = make_fixed(8, 6);
  GraphBuilder b({2}, kT);
  b.dense(1, {1.0, 1.0}, {0.0}, kT, kT, acc, kT);
  const RunResult r =
      Emulator(b.build()).run({testing::batch(3, {2}, {20.0, 20.0, 1.0, 2.0, 10.0, 10.0})});
  ASSERT_EQ(r.overflows.size(), 2u);
  EXPECT_EQ(r.overflows[1].layer, b.last().name);
  EXPECT_EQ(r.overflows[1].values, 3);
  // Row 0: 0 + 20 = 20 fits [-32, 32); 20 + 20 = 40 wraps: one accum overflow. Row 2: 10 + 10
  // fits. So one accumulator overflow, and the wrapped value -24 fits result_t.
  EXPECT_EQ(r.overflows[1].accum_overflows, 1);
  EXPECT_EQ(r.overflows[1].result_overflows, 0);
  EXPECT_EQ(r.outputs[0].data, (std::vector<double>{-24.0, 3.0, 20.0}));
}

TEST(Executor, ClippingAQuantizerDefinesIsNoOverflow) {
  // A ReLU whose result type ap_ufixed<6,0,AP_TRN,AP_SAT> is the model's own (QKeras
  // quantized_relu(6,0)): 2.0 and 5.0 saturate below 1 by definition. The same type set by a
  // configuration is an overflow of the chosen type.
  const fixed::FixedType relu_t =
      make_fixed(6, 0, false, fixed::Quantization::kTrn, fixed::Overflow::kSat);
  for (const bool declared : {true, false}) {
    GraphBuilder b({2}, kT);
    b.unary(ir::OpKind::kRelu, relu_t);
    if (declared) {
      b.last().declared_types["result"] = "ap_ufixed<6,0,AP_TRN,AP_SAT>";
      b.last().declared_by = "QKeras quantized_relu(6,0)";
    }
    const RunResult r = Emulator(b.build()).run({testing::batch(2, {2}, {2.0, 0.5, 5.0, -1.0})});
    EXPECT_EQ(r.overflows[1].result_overflows, declared ? 0 : 2) << declared;
    EXPECT_EQ(r.overflows[1].quantizer_clips, declared ? 2 : 0) << declared;
  }
}

TEST(Executor, TraceGivesEveryLayerInOrder) {
  std::mt19937_64 rng(1);
  const ir::Graph g = small_mlp(rng);
  const RunResult r =
      Emulator(g).run({testing::batch(4, {8}, testing::normal(32, 1, rng))}, {.trace = true});
  ASSERT_EQ(r.trace.size(), g.nodes.size());
  ASSERT_EQ(r.overflows.size(), g.nodes.size());
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    EXPECT_EQ(r.trace[i].first, g.nodes[i].name);
    EXPECT_EQ(r.overflows[i].layer, g.nodes[i].name);
    EXPECT_EQ(r.trace[i].second.shape[0], 4);
  }
  EXPECT_EQ(r.trace.back().second.data, r.outputs[0].data);
}

TEST(Executor, ThreadCountDoesNotChangeResults) {
  std::mt19937_64 rng(2);
  const ir::Graph g = small_mlp(rng);
  const std::vector<Array> in = {testing::batch(3000, {8}, testing::normal(24000, 4, rng))};
  const Emulator em(g);
  const RunResult one = em.run(in, {.threads = 1});
  for (int t : {2, 3, 7}) {
    const RunResult many = em.run(in, {.threads = t});
    EXPECT_EQ(many.outputs[0].data, one.outputs[0].data);
    for (std::size_t l = 0; l < one.overflows.size(); ++l) {
      EXPECT_EQ(many.overflows[l].result_overflows, one.overflows[l].result_overflows);
      EXPECT_EQ(many.overflows[l].accum_overflows, one.overflows[l].accum_overflows);
    }
  }
}

TEST(Executor, NanInputNamesInputAndRow) {
  const Emulator em(GraphBuilder({2}, kT).build());
  try {
    em.run({testing::batch(3, {2}, {0, 0, 1, 1, 2, std::nan("")})});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(std::string(e.what()).find("row 2"), std::string::npos) << e.what();
    EXPECT_EQ(e.where().node, "x");
  }
  EXPECT_THROW(em.run({testing::batch(1, {3}, {0, 0, 0})}), Error);  // wrong shape
}

TEST(Executor, EveryOpKindRunsOrIsRefused) {
  for (const ir::OpInfo& info : ir::all_ops()) {
    const bool canonical_supported = info.canonical;
    EXPECT_EQ(kernel_factory(info.kind) != nullptr, canonical_supported) << info.name;
    if (kernel_factory(info.kind) != nullptr) continue;
    GraphBuilder b({2}, kT);
    b.unary(info.kind, kT);
    try {
      Emulator em(b.build());
      FAIL() << info.name;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
      EXPECT_EQ(e.message(), "not supported by the emulator: " + std::string(info.name));
      EXPECT_EQ(e.where().node, b.last().name);
    }
  }
}

TEST(Executor, FloatPathIsExact) {
  std::mt19937_64 rng(3);
  const ir::Graph g = small_mlp(rng);
  const std::vector<double> x = testing::normal(8, 1, rng);
  const RunResult r = Emulator(g).run_float({testing::batch(1, {8}, x)});
  const ir::Node& d1 = g.nodes[1];
  const ir::Node& d2 = g.nodes[3];
  std::vector<double> h(6), z(3);
  for (int j = 0; j < 6; ++j) {
    h[j] = d1.params.at("bias").data[j];
    for (int i = 0; i < 8; ++i) h[j] += x[i] * d1.params.at("weight").data[i * 6 + j];
    h[j] = std::max(h[j], 0.0);
  }
  double sum = 0;
  for (int j = 0; j < 3; ++j) {
    z[j] = d2.params.at("bias").data[j];
    for (int i = 0; i < 6; ++i) z[j] += h[i] * d2.params.at("weight").data[i * 3 + j];
  }
  const double mx = *std::max_element(z.begin(), z.end());
  for (double& v : z) sum += v = std::exp(v - mx);
  for (int j = 0; j < 3; ++j) EXPECT_NEAR(r.outputs[0].data[j], z[j] / sum, 1e-12);
}

}  // namespace
}  // namespace nnfpga::emulate
