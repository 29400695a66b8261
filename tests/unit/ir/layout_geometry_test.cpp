// The channels-last rule's helpers, the source layout of graph ports, and Dense's geometry.
#include <gtest/gtest.h>

#include "ir/geometry.hpp"
#include "ir/json_io.hpp"
#include "ir/layout.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::ir {
namespace {

TEST(LayoutTest, ChannelsAreTheLastAxis) {
  EXPECT_EQ(channels({8, 8, 3}), 3);
  EXPECT_EQ(positions({8, 8, 3}), 64);
  EXPECT_EQ(channels({16}), 16);
  EXPECT_EQ(positions({16}), 1);
  EXPECT_EQ(channels({}), 1);
  EXPECT_EQ(positions({}), 1);
}

TEST(LayoutTest, ChannelsFirstRoundTrip) {
  // IR [H=2, W=3, C=4]; a channels-first file holds [C, H, W]: its axis 0 is IR axis 2.
  const Shape ir_shape = {2, 3, 4};
  const SourceAxes chw = {2, 0, 1};
  EXPECT_EQ(source_shape(ir_shape, chw), (Shape{4, 2, 3}));
  const std::int64_t n = element_count(ir_shape);
  std::vector<double> source(static_cast<std::size_t>(2 * n));
  for (std::size_t k = 0; k < source.size(); ++k) source[k] = static_cast<double>(k);
  std::vector<double> ir(source.size()), back(source.size());
  source_to_ir(source.data(), ir.data(), 2, ir_shape, chw);
  // IR element (h, w, c) of sample b is source element (c, h, w).
  for (std::int64_t b = 0; b < 2; ++b) {
    for (std::int64_t h = 0; h < 2; ++h) {
      for (std::int64_t w = 0; w < 3; ++w) {
        for (std::int64_t c = 0; c < 4; ++c) {
          EXPECT_EQ(ir[b * n + (h * 3 + w) * 4 + c], source[b * n + c * 6 + h * 3 + w]);
        }
      }
    }
  }
  ir_to_source(ir.data(), back.data(), 2, ir_shape, chw);
  EXPECT_EQ(back, source);
}

TEST(LayoutTest, RejectsAxesThatArePermutationsOfNothing) {
  EXPECT_THROW(source_shape({2, 3}, {0, 0}), Error);
  EXPECT_THROW(source_shape({2, 3}, {0, 1, 2}), Error);
  EXPECT_TRUE(is_identity({0, 1, 2}));
  EXPECT_FALSE(is_identity({1, 0}));
}

Graph two_by_three() {
  Graph g;
  Node in;
  in.name = "x";
  in.op = OpKind::kInput;
  in.attrs.set("shape", Shape{2, 3});
  Node relu;
  relu.name = "y";
  relu.op = OpKind::kRelu;
  relu.inputs = {"x"};
  g.nodes = {in, relu};
  g.inputs = {"x"};
  g.outputs = {"y"};
  infer_shapes(g);
  return g;
}

TEST(LayoutTest, SourceAxesSurviveJsonAndAreValidated) {
  Graph g = two_by_three();
  g.source_axes["x"] = {1, 0};
  g.source_axes["y"] = {1, 0};
  validate(g);
  EXPECT_EQ(graph_from_json(to_json(g)), g);
  Graph bad = g;
  bad.source_axes["nowhere"] = {0, 1};
  EXPECT_THROW(validate(bad), Error);
  bad = g;
  bad.source_axes["x"] = {1, 1};
  EXPECT_THROW(validate(bad), Error);
  // No source axes: nothing is written, so every IR file of a channels-last model is unchanged.
  EXPECT_FALSE(to_json(two_by_three()).contains("source_axes"));
}

TEST(GeometryTest, DenseOverEveryPosition) {
  Node d;
  d.name = "fc";
  d.op = OpKind::kDense;
  d.input_shapes = {{5, 8}};
  d.output_shape = {5, 3};
  d.params["weight"] = Tensor{{8, 3}, std::vector<double>(24, 0.0)};
  const DenseGeometry g = dense_geometry(d);
  EXPECT_EQ(g.n_in, 8);
  EXPECT_EQ(g.n_out, 3);
  EXPECT_EQ(g.positions, 5);
  EXPECT_EQ(g.products(), 24);
  d.params["weight"] = Tensor{{3, 8}, std::vector<double>(24, 0.0)};
  EXPECT_THROW(dense_geometry(d), Error);
  d.op = OpKind::kRelu;
  EXPECT_THROW(dense_geometry(d), Error);
}

}  // namespace
}  // namespace nnfpga::ir
