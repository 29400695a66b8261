#include <gtest/gtest.h>

#include "config/config.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::config {
namespace {

TEST(AssignmentTest, SetsNestedKeysWithTypedValues) {
  Tree t;
  apply_assignment(t, "Model.ReuseFactor=4");
  apply_assignment(t, "IOType=io_stream");
  apply_assignment(t, "ClockPeriod = 3.3");
  apply_assignment(t, "LayerName.fc1.Precision.weight=ap_fixed<8,3>");
  EXPECT_EQ(t["Model"]["ReuseFactor"], Tree(4));
  EXPECT_EQ(t["IOType"], Tree("io_stream"));
  EXPECT_EQ(t["ClockPeriod"], Tree(3.3));
  EXPECT_EQ(t["LayerName"]["fc1"]["Precision"]["weight"], Tree("ap_fixed<8,3>"));
}

TEST(AssignmentTest, ValuesMayHoldAnglesCommasAndEquals) {
  Tree t;
  apply_assignment(t, "Model.Precision=ap_fixed<16,6,AP_RND,AP_SAT>");
  EXPECT_EQ(t["Model"]["Precision"], Tree("ap_fixed<16,6,AP_RND,AP_SAT>"));
  apply_assignment(t, "Part=a=b");
  EXPECT_EQ(t["Part"], Tree("a=b"));
  apply_assignment(t, "ProjectName='42'");
  EXPECT_EQ(t["ProjectName"], Tree("42"));
}

TEST(AssignmentTest, QuotedSegmentsHoldDots) {
  Tree t;
  apply_assignment(t, "LayerName.\"model.fc1\".ReuseFactor=2");
  apply_assignment(t, "LayerName.'/fc2/Gemm'.ReuseFactor=3");
  EXPECT_EQ(t["LayerName"]["model.fc1"]["ReuseFactor"], Tree(2));
  EXPECT_EQ(t["LayerName"]["/fc2/Gemm"]["ReuseFactor"], Tree(3));
}

TEST(AssignmentTest, ExpandsASinglePrecisionIntoItsKeys) {
  Tree t = {{"Model", {{"Precision", "ap_fixed<16,6>"}}}};
  apply_assignment(t, "Model.Precision.weight=ap_fixed<8,3>");
  const Tree& p = t["Model"]["Precision"];
  EXPECT_EQ(p["weight"], Tree("ap_fixed<8,3>"));
  EXPECT_EQ(p["result"], Tree("ap_fixed<16,6>"));
  EXPECT_FALSE(p.contains("accum"));
}

TEST(AssignmentTest, WritesIntoAnHlsConfigWrapper) {
  Tree t = {{"HLSConfig", {{"Model", {{"ReuseFactor", 1}}}}}};
  apply_assignment(t, "Model.ReuseFactor=8");
  EXPECT_EQ(t["HLSConfig"]["Model"]["ReuseFactor"], Tree(8));
  EXPECT_FALSE(t.contains("Model"));
}

TEST(AssignmentTest, MalformedAssignmentsAreQuoted) {
  for (const char* bad : {"Model.ReuseFactor", "Model.ReuseFactor=", "Model..X=1", "=4",
                          "LayerName.'fc1.ReuseFactor=2", "IOType.x=1"}) {
    Tree t = {{"IOType", "io_parallel"}};
    try {
      apply_assignment(t, bad);
      FAIL() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kConfig);
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
}

TEST(MergeTest, OverlaysKeyByKey) {
  const Tree base = {{"Model", {{"ReuseFactor", 1}, {"Strategy", "Latency"}}}, {"Part", "a"}};
  const Tree overlay = {{"Model", {{"ReuseFactor", 4}}}, {"IOType", "io_stream"}};
  const Tree m = merge(base, overlay);
  EXPECT_EQ(m["Model"]["ReuseFactor"], Tree(4));
  EXPECT_EQ(m["Model"]["Strategy"], Tree("Latency"));
  EXPECT_EQ(m["Part"], Tree("a"));
  EXPECT_EQ(m["IOType"], Tree("io_stream"));
}

TEST(MergeTest, LiftsHlsConfigWhenTheTwoDisagree) {
  const Tree base = {{"HLSConfig", {{"Model", {{"ReuseFactor", 1}, {"Strategy", "Latency"}}}}}};
  const Tree overlay = {{"Model", {{"ReuseFactor", 4}}}};
  const Tree m = merge(base, overlay);
  EXPECT_FALSE(m.contains("HLSConfig"));
  EXPECT_EQ(m["Model"]["ReuseFactor"], Tree(4));
  EXPECT_EQ(m["Model"]["Strategy"], Tree("Latency"));
}

}  // namespace
}  // namespace nnfpga::config
