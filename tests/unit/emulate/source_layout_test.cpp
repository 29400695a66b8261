// predict and trace in the model file's layout: a channels-first port is transposed on the way in
// and out, and the result equals the IR-order run's.
#include <gtest/gtest.h>

#include "emulate/source_layout.hpp"
#include "graph_builder.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::emulate {
namespace {

using testing::GraphBuilder;

// x [positions 2, channels 3] -> Dense 3 -> 2 at each position -> y [2, 2]; the file holds both
// ports channels-first ([3, 2] and [2, 2]).
ir::Graph channels_first_model() {
  const fixed::FixedType t = fixed::make_fixed(16, 6);
  ir::Graph g =
      GraphBuilder({2, 3}, t)
          .dense(2, {1, -2, 0.5, 3, 0.25, -1}, {0.5, -0.5}, t, t, fixed::make_fixed(32, 12), t)
          .build();
  g.source_axes[g.inputs[0]] = {1, 0};
  g.source_axes[g.outputs[0]] = {1, 0};
  return g;
}

TEST(SourceLayoutTest, ChannelsFirstPortsMatchTheIrRun) {
  const ir::Graph g = channels_first_model();
  const Emulator emulator(g);
  // Two samples, source order [c][p].
  const std::vector<double> source = {1, 2, 3, 4, 5, 6, -1, -2, -3, -4, -5, -6};
  std::vector<double> ir(source.size());
  for (int b = 0; b < 2; ++b) {
    for (int p = 0; p < 2; ++p) {
      for (int c = 0; c < 3; ++c) ir[b * 6 + p * 3 + c] = source[b * 6 + c * 2 + p];
    }
  }
  const RunOptions options{.trace = true};
  const RunResult in_source = run_in_layout(emulator, {testing::batch(2, {3, 2}, source)}, options,
                                            false, ArrayLayout::kSource);
  const RunResult in_ir =
      run_in_layout(emulator, {testing::batch(2, {2, 3}, ir)}, options, false, ArrayLayout::kIr);
  ASSERT_EQ(in_source.outputs[0].shape, (std::vector<std::int64_t>{2, 2, 2}));
  for (int b = 0; b < 2; ++b) {
    for (int p = 0; p < 2; ++p) {
      for (int j = 0; j < 2; ++j) {
        EXPECT_EQ(in_source.outputs[0].data[b * 4 + j * 2 + p],
                  in_ir.outputs[0].data[b * 4 + p * 2 + j]);
      }
    }
  }
  // The trace of the input is in the file's layout too: what the user gave.
  EXPECT_EQ(in_source.trace.front().second.data, source);
  EXPECT_EQ(shape_in_layout(g, g.inputs[0], ArrayLayout::kSource), (ir::Shape{3, 2}));
  EXPECT_EQ(shape_in_layout(g, g.inputs[0], ArrayLayout::kIr), (ir::Shape{2, 3}));
}

TEST(SourceLayoutTest, UnknownLayoutIsAnInputError) {
  EXPECT_EQ(parse_array_layout("ir"), ArrayLayout::kIr);
  try {
    parse_array_layout("nchw");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(std::string(e.what()).find("source"), std::string::npos);
  }
}

}  // namespace
}  // namespace nnfpga::emulate
