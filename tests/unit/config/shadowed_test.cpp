// shadowed_settings: Model and LayerType keys that every layer takes from a more specific level.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config.hpp"
#include "graphs.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::config {
namespace {

std::vector<std::string> shadowed(const std::string& yaml) {
  return shadowed_settings(testing::mlp(), parse_yaml(yaml, "s.yml"));
}

TEST(ShadowedSettings, ModelPrecisionOverANameGranularityConfiguration) {
  const ir::Graph g = testing::mlp();
  Tree tree = starting_config(g, Granularity::kName);
  EXPECT_TRUE(shadowed_settings(g, tree).empty());
  apply_assignment(tree, "Model.Precision=ap_fixed<12,5>");
  const std::vector<std::string> warnings = shadowed_settings(g, tree);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].rfind("'Model.Precision' changes no layer: every layer it applies to "
                              "takes that value from a more specific level (LayerName.",
                              0),
            0u)
      << warnings[0];
  EXPECT_NE(warnings[0].find("set it there instead"), std::string::npos) << warnings[0];
}

TEST(ShadowedSettings, ReachingOneLayerIsEnough) {
  // fc2 still takes Model.Precision's weight type: nothing to warn about.
  EXPECT_TRUE(shadowed("Model: {Precision: 'ap_fixed<12,5>'}\n"
                       "LayerName: {fc1: {Precision: 'ap_fixed<10,4>'}}\n")
                  .empty());
  EXPECT_TRUE(shadowed("Model: {ReuseFactor: 2}\n").empty());
}

TEST(ShadowedSettings, ShadowedDefaultsAreNotReported) {
  // A starting configuration writes every default at every level: nothing the user asked for.
  EXPECT_TRUE(shadowed("Model: {ReuseFactor: 1, Precision: 'ap_fixed<16,6>'}\n"
                       "LayerType: {Dense: {ReuseFactor: 4, Precision: 'ap_fixed<8,3>'}}\n"
                       "LayerName: {sm: {Precision: 'ap_fixed<8,3>'},"
                       " relu1: {Precision: 'ap_fixed<8,3>'}, x: {Precision: 'ap_fixed<8,3>'}}\n")
                  .empty());
}

TEST(ShadowedSettings, SettingsAndLayerTypeKeys) {
  const std::vector<std::string> warnings = shadowed(
      "Model: {ReuseFactor: 2}\n"
      "LayerType: {Dense: {ReuseFactor: 4, Precision: {weight: 'ap_fixed<8,3>'}}}\n"
      "LayerName: {fc1: {Precision: {weight: 'ap_fixed<6,2>'}},"
      " fc2: {Precision: {weight: 'ap_fixed<6,2>'}}}\n");
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0].rfind("'LayerType.Dense.Precision.weight' changes no layer", 0), 0u)
      << warnings[0];
  EXPECT_NE(warnings[0].find("(LayerName.fc1.Precision.weight, LayerName.fc2.Precision.weight)"),
            std::string::npos)
      << warnings[0];
  EXPECT_EQ(warnings[1].rfind("'Model.ReuseFactor' changes no layer", 0), 0u) << warnings[1];
  EXPECT_NE(warnings[1].find("(LayerType.Dense.ReuseFactor)"), std::string::npos) << warnings[1];
}

TEST(ShadowedSettings, LayerNameEntriesOfLayersThePassesRemoved) {
  // hls4ml's configurations name every layer of the source model; the passes fold some away.
  ir::Graph g = testing::mlp();
  g.removed_layers = {{"bn1", "fc1"}, {"drop", ""}};
  const Tree tree = parse_yaml(
      "LayerName: {bn1: {Precision: {result: 'ap_fixed<10,4>'}}, drop: {Precision: "
      "'ap_fixed<8,3>'},"
      " fc1: {ReuseFactor: 1}}\n",
      "s.yml");
  const std::vector<std::string> warnings = shadowed_settings(g, tree);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(
      warnings[0],
      "'LayerName.bn1' changes nothing: the layer 'bn1' is not in the compiled model (folded "
      "into 'fc1'; set its types there; `nnfpga show --passes` lists what each pass removes)");
  EXPECT_NE(warnings[1].find("'LayerName.drop' changes nothing: the layer 'drop' is not in the "
                             "compiled model (dropped"),
            std::string::npos)
      << warnings[1];
  // resolve accepts the same configuration, and the entries change no layer.
  ir::Graph resolved = g;
  EXPECT_NO_THROW(resolve(resolved, tree));
  // A name that is neither a layer nor a removed one is still an error.
  EXPECT_THROW(shadowed_settings(g, parse_yaml("LayerName: {bn2: {ReuseFactor: 1}}\n", "s.yml")),
               Error);
}

}  // namespace
}  // namespace nnfpga::config
