#include <gtest/gtest.h>

#include "config/config.hpp"
#include "graphs.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::config {
namespace {

class StartingConfigTest : public ::testing::TestWithParam<Granularity> {};

// Resolving the starting configuration, also after a YAML round trip, gives exactly what the
// defaults give: it writes the defaults out and nothing else.
TEST_P(StartingConfigTest, ResolvesLikeTheDefaults) {
  const ir::Graph base = testing::every_op();
  ir::Graph by_default = base;
  resolve(by_default, Tree());
  const Tree start = starting_config(base, GetParam());
  ir::Graph from_start = base;
  resolve(from_start, start);
  EXPECT_EQ(from_start, by_default);
  ir::Graph from_yaml = base;
  resolve(from_yaml, parse_yaml(to_yaml(start), "start.yml"));
  EXPECT_EQ(from_yaml, by_default) << to_yaml(start);
}

INSTANTIATE_TEST_SUITE_P(All, StartingConfigTest,
                         ::testing::Values(Granularity::kModel, Granularity::kType,
                                           Granularity::kName));

TEST(StartingConfigShapeTest, Granularities) {
  const ir::Graph g = testing::every_op();
  const Tree model = starting_config(g, Granularity::kModel);
  EXPECT_EQ(model["Model"]["Precision"]["accum"], Tree("auto"));
  EXPECT_EQ(model["IOType"], Tree("io_parallel"));
  EXPECT_FALSE(model.contains("LayerType"));
  const Tree type = starting_config(g, Granularity::kType);
  EXPECT_TRUE(type["LayerType"].contains("Dense"));
  EXPECT_EQ(type["LayerType"]["Sigmoid"]["TableSize"], Tree(1024));
  EXPECT_FALSE(type.contains("LayerName"));
  const Tree name = starting_config(g, Granularity::kName);
  EXPECT_EQ(name["LayerName"].size(), g.nodes.size());
  EXPECT_EQ(name["LayerName"]["dense"]["ReuseFactor"], Tree(1));
  EXPECT_EQ(name["LayerName"]["leaky"]["Precision"].size(), 2u);
  EXPECT_FALSE(name["LayerName"]["flat"].contains("Precision"));
}

TEST(StartingConfigShapeTest, EditedStartingConfigApplies) {
  ir::Graph g = testing::every_op();
  Tree start = starting_config(g, Granularity::kName);
  apply_assignment(start, "LayerName.dense.Precision.weight=ap_fixed<8,3>");
  apply_assignment(start, "LayerName.dense.ReuseFactor=4");
  resolve(g, start);
  EXPECT_EQ(fixed::to_string(g.at("dense").type("weight")), "ap_fixed<8,3>");
  EXPECT_EQ(g.at("dense").settings.reuse_factor, 4);
}

TEST(GranularityTest, Parses) {
  EXPECT_EQ(parse_granularity("model"), Granularity::kModel);
  EXPECT_EQ(parse_granularity("Type"), Granularity::kType);
  EXPECT_EQ(parse_granularity("name"), Granularity::kName);
  EXPECT_THROW(parse_granularity("layer"), Error);
}

}  // namespace
}  // namespace nnfpga::config
