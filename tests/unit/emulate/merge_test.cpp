// The merge kernels on hand-computed values: inputs of different types (binary points aligned
// exactly), ties under every rounding mode, saturation and wrap of the one final cast.
#include <gtest/gtest.h>

#include "emulate/emulator.hpp"
#include "fixed/exact.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::emulate {
namespace {

using fixed::FixedType;
using fixed::make_fixed;
using fixed::Overflow;
using fixed::Quantization;
using K = ir::OpKind;

const FixedType kA = make_fixed(8, 4);         // step 1/16, [-8, 8)
const FixedType kB = make_fixed(6, 3, false);  // step 1/8, [0, 8)
const FixedType kC = make_fixed(4, 2);         // step 1/4, [-2, 2)

FixedType res(int w, int i, Quantization q = Quantization::kTrn, Overflow o = Overflow::kWrap) {
  return make_fixed(w, i, true, q, o);
}

// Inputs of one element each (or `shapes`), one merge node of `op` with result type `r`.
ir::Graph merge_graph(K op, const std::vector<FixedType>& types, const FixedType& r,
                      std::vector<ir::Shape> shapes = {}) {
  ir::Graph g;
  ir::Node m;
  m.name = "m";
  m.op = op;
  m.types["result"] = r;
  for (std::size_t i = 0; i < types.size(); ++i) {
    ir::Node in;
    in.name = "x" + std::to_string(i);
    in.op = K::kInput;
    const ir::Shape shape = shapes.empty() ? ir::Shape{1} : shapes[i];
    in.attrs.set("shape", shape);
    in.types["result"] = types[i];
    g.inputs.push_back(in.name);
    m.inputs.push_back(in.name);
    g.nodes.push_back(in);
  }
  g.nodes.push_back(m);
  g.outputs = {"m"};
  ir::infer_shapes(g);
  return g;
}

struct Case {
  K op;
  std::vector<FixedType> types;
  std::vector<double> x;
  FixedType result;
  double want;
  int overflows;
};

void check(const Case& c) {
  std::vector<Array> inputs;
  for (double v : c.x) inputs.push_back(Array{{1, 1}, {v}});
  const RunResult r = Emulator(merge_graph(c.op, c.types, c.result)).run(inputs);
  EXPECT_EQ(r.outputs[0].data[0], c.want)
      << ir::op_name(c.op) << " -> " << fixed::to_string(c.result);
  EXPECT_EQ(r.overflows.back().result_overflows, c.overflows) << ir::op_name(c.op);
}

TEST(Merge, AddAlignsBinaryPointsAndRoundsOnce) {
  const std::vector<FixedType> ab = {kA, kB};
  for (const Case& c : {
           // 1.0625 + 0.125 = 1.1875 = 4.75 quarters
           Case{K::kAdd, ab, {1.0625, 0.125}, res(6, 4, Quantization::kRnd), 1.25, 0},
           Case{K::kAdd, ab, {1.0625, 0.125}, res(6, 4), 1.0, 0},
           // 0.125 = half a quarter: ties
           Case{K::kAdd, ab, {0.0, 0.125}, res(6, 4, Quantization::kRnd), 0.25, 0},
           Case{K::kAdd, ab, {0.0, 0.125}, res(6, 4, Quantization::kRndConv), 0.0, 0},
           Case{K::kAdd, ab, {0.25, 0.125}, res(6, 4, Quantization::kRndConv), 0.5, 0},
           // 7.5 + 7.875 = 15.375 beyond [-8, 7.75]
           Case{K::kAdd, ab, {7.5, 7.875}, res(6, 4, Quantization::kTrn, Overflow::kSat), 7.75, 1},
           Case{K::kAdd, ab, {7.5, 7.875}, res(6, 4), -0.75, 1},  // 61 quarters wrap to -3
           // three inputs: 1.0625 + 0.125 - 1.25 = -0.0625
           Case{K::kAdd, {kA, kB, kC}, {1.0625, 0.125, -1.25}, res(6, 4), -0.25, 0},
           Case{K::kAdd,
                {kA, kB, kC},
                {1.0625, 0.125, -1.25},
                res(6, 4, Quantization::kRnd),
                0.0,
                0},
       }) {
    check(c);
  }
}

TEST(Merge, SubtractTiesUnderEveryMode) {
  const std::vector<FixedType> ab = {kA, kB};
  // -0.5 - 0.125 = -0.625 = -2.5 quarters
  const std::pair<Quantization, double> modes[] = {
      {Quantization::kTrn, -0.75},       {Quantization::kTrnZero, -0.5},
      {Quantization::kRnd, -0.5},        {Quantization::kRndZero, -0.5},
      {Quantization::kRndMinInf, -0.75}, {Quantization::kRndInf, -0.75},
      {Quantization::kRndConv, -0.5},
  };
  for (const auto& [q, want] : modes)
    check({K::kSubtract, ab, {-0.5, 0.125}, res(6, 4, q), want, 0});
  // -8 - 7.875 = -15.875
  check({K::kSubtract, ab, {-8, 7.875}, res(6, 4, Quantization::kTrn, Overflow::kSat), -8, 1});
  check(
      {K::kSubtract, ab, {-8, 7.875}, res(6, 4, Quantization::kTrn, Overflow::kSatSym), -7.75, 1});
  check({K::kSubtract, ab, {-8, 7.875}, res(6, 4, Quantization::kTrn, Overflow::kSatZero), 0, 1});
}

TEST(Merge, MultiplyIsExactBeforeTheCast) {
  const std::vector<FixedType> ab = {kA, kB};
  check({K::kMultiply, ab, {-1.5, 2.625}, res(8, 3, Quantization::kRnd), -3.9375, 0});
  // 1.0625 * 0.375 = 51/128 = 12.75 / 32
  check({K::kMultiply, ab, {1.0625, 0.375}, res(8, 3, Quantization::kRnd), 0.40625, 0});
  check({K::kMultiply, ab, {1.0625, 0.375}, res(8, 3), 0.375, 0});
  // -1.5 * 2.625 * -1.25 = 4.921875
  const std::vector<FixedType> abc = {kA, kB, kC};
  check({K::kMultiply, abc, {-1.5, 2.625, -1.25}, res(10, 4), 4.921875, 0});
  check({K::kMultiply,
         abc,
         {-1.5, 2.625, -1.25},
         res(8, 3, Quantization::kRnd, Overflow::kSat),
         3.96875,
         1});
}

TEST(Merge, AverageDividesTheExactSum) {
  // (1.0625 + 0.125) / 2 = 0.59375 = 9.5 sixteenths
  check({K::kAverage, {kA, kB}, {1.0625, 0.125}, res(8, 4, Quantization::kRnd), 0.625, 0});
  check({K::kAverage, {kA, kB}, {1.0625, 0.125}, res(8, 4, Quantization::kRndZero), 0.5625, 0});
  // (1.0625 + 0.125 - 1.25 + 0.5) / 4 = 0.109375 = 1.75 sixteenths
  const std::vector<FixedType> four = {kA, kB, kC, kA};
  check({K::kAverage, four, {1.0625, 0.125, -1.25, 0.5}, res(8, 4, Quantization::kRnd), 0.125, 0});
  check({K::kAverage, four, {1.0625, 0.125, -1.25, 0.5}, res(8, 4), 0.0625, 0});
}

TEST(Merge, AverageOfThreeIsRefused) {
  const ir::Graph g = merge_graph(K::kAverage, {kA, kA, kA}, res(8, 4));
  try {
    Emulator{g};
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
    EXPECT_NE(std::string(e.what()).find("power-of-two"), std::string::npos) << e.what();
  }
}

TEST(Merge, MaximumAndMinimumCompareExactly) {
  const std::vector<FixedType> ab = {kA, kB};
  check({K::kMaximum, ab, {-0.5, 0.125}, res(4, 2), 0.0, 0});
  check({K::kMaximum, ab, {0.5625, 0.5}, res(4, 2, Quantization::kRnd), 0.5, 0});
  check({K::kMaximum, ab, {0.5, 0.5}, res(8, 4), 0.5, 0});
  check({K::kMaximum, {kA, kB, kC}, {-3, 0.0, -1.25}, res(8, 4), 0.0, 0});
  check({K::kMinimum, ab, {-0.5625, 0.125}, res(4, 2, Quantization::kRnd), -0.5, 0});
  check({K::kMinimum, ab, {-0.5625, 0.125}, res(4, 2), -0.75, 0});
  check({K::kMinimum, ab, {7.9375, 7.875}, res(4, 2, Quantization::kTrn, Overflow::kSat), 1.75, 1});
  check({K::kMinimum, {kA, kB, kC}, {-3, 0.0, -1.25}, res(8, 4), -3.0, 0});
}

TEST(Merge, ConcatenateCastsEachInputOnTheLastAxis) {
  const FixedType r = res(6, 3, Quantization::kRnd, Overflow::kSat);  // step 1/8, [-4, 3.875]
  const ir::Graph g = merge_graph(K::kConcatenate, {kA, kB}, r, {{2, 2}, {2, 1}});
  EXPECT_EQ(g.at("m").output_shape, (ir::Shape{2, 3}));
  const RunResult out = Emulator(g).run(
      {Array{{1, 2, 2}, {1.0625, -7.5, 0.5, -0.0625}}, Array{{1, 2, 1}, {7.875, 0.25}}});
  // Row 0: 1.0625 (8.5 eighths, tie up), -7.5 (saturated), 7.875 (saturated); row 1 likewise.
  EXPECT_EQ(out.outputs[0].data, (std::vector<double>{1.125, -4, 3.875, 0.5, 0, 0.25}));
  EXPECT_EQ(out.overflows.back().result_overflows, 2);
}

TEST(Merge, FloatPathFollowsTheSameDefinitions) {
  const std::vector<FixedType> abc = {kA, kB, kC};
  const std::vector<Array> in = {Array{{1, 1}, {1.5}}, Array{{1, 1}, {2.5}}, Array{{1, 1}, {-1}}};
  const std::pair<K, double> cases[] = {
      {K::kAdd, 3.0}, {K::kMultiply, -3.75}, {K::kMaximum, 2.5}, {K::kMinimum, -1.0}};
  for (const auto& [op, want] : cases) {
    EXPECT_EQ(Emulator(merge_graph(op, abc, res(16, 6))).run_float(in).outputs[0].data[0], want);
  }
  EXPECT_EQ(Emulator(merge_graph(K::kSubtract, {kA, kB}, res(16, 6)))
                .run_float({in[0], in[1]})
                .outputs[0]
                .data[0],
            -1.0);
}

}  // namespace
}  // namespace nnfpga::emulate
