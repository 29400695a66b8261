#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "config/config.hpp"
#include "config/scalar.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::config {
namespace {

TEST(ScalarTest, TypesPlainScalarsSensibly) {
  using detail::scalar_from_text;
  EXPECT_EQ(scalar_from_text("4"), Tree(4));
  EXPECT_TRUE(scalar_from_text("4").is_number_integer());
  EXPECT_EQ(scalar_from_text("-12"), Tree(-12));
  EXPECT_TRUE(scalar_from_text("4.5").is_number_float());
  EXPECT_TRUE(scalar_from_text("1e-3").is_number_float());
  EXPECT_EQ(scalar_from_text("true"), Tree(true));
  EXPECT_TRUE(scalar_from_text("~").is_null());
  EXPECT_EQ(scalar_from_text("ap_fixed<16,6>"), Tree("ap_fixed<16,6>"));
  EXPECT_EQ(scalar_from_text("io_stream"), Tree("io_stream"));
  EXPECT_EQ(scalar_from_text("99999999999999999999999"), Tree(1e23));
  EXPECT_TRUE(detail::needs_quotes("5"));
  EXPECT_TRUE(detail::needs_quotes("true"));
  EXPECT_FALSE(detail::needs_quotes("ap_fixed<16,6>"));
}

const char* const kYaml = R"(
IOType: io_stream
ClockPeriod: 4.5
Part: xcu250-figd2104-2L-e
Model:
  Precision: ap_fixed<16,6>
  ReuseFactor: 2
  Strategy: resource
LayerType:
  Dense:
    Precision:
      weight: ap_fixed<8,3>
      accum: auto
LayerName:
  fc1:
    ReuseFactor: 4
    Precision: {result: "ap_fixed<12,4,AP_RND,AP_SAT>"}
  "007": {Strategy: Latency}
)";

const char* const kJson = R"({
  "IOType": "io_stream", "ClockPeriod": 4.5, "Part": "xcu250-figd2104-2L-e",
  "Model": {"Precision": "ap_fixed<16,6>", "ReuseFactor": 2, "Strategy": "resource"},
  "LayerType": {"Dense": {"Precision": {"weight": "ap_fixed<8,3>", "accum": "auto"}}},
  "LayerName": {"fc1": {"ReuseFactor": 4, "Precision": {"result": "ap_fixed<12,4,AP_RND,AP_SAT>"}},
                "007": {"Strategy": "Latency"}}
})";

TEST(LoadTest, YamlAndJsonGiveTheSameTree) {
  const Tree y = parse_yaml(kYaml, "a.yml");
  const Tree j = parse_json(kJson, "a.json");
  EXPECT_EQ(y, j);
  EXPECT_TRUE(y["Model"]["ReuseFactor"].is_number_integer());
  EXPECT_TRUE(y["ClockPeriod"].is_number_float());
  EXPECT_TRUE(y["LayerName"].contains("007"));  // a numeric-looking key stays a name
}

TEST(LoadTest, QuotedScalarsStayStrings) {
  const Tree t = parse_yaml("a: '4'\nb: \"true\"\nc: 4\n", "x.yml");
  EXPECT_EQ(t["a"], Tree("4"));
  EXPECT_EQ(t["b"], Tree("true"));
  EXPECT_EQ(t["c"], Tree(4));
}

TEST(LoadTest, ToYamlRoundTrips) {
  const Tree t = parse_json(kJson, "a.json");
  const std::string text = to_yaml(t);
  EXPECT_EQ(parse_yaml(text, "back.yml"), t) << text;
  Tree odd = {{"s", "5"}, {"f", 5.0}, {"b", "true"}, {"e", Tree::object()}, {"n", nullptr}};
  EXPECT_EQ(parse_yaml(to_yaml(odd), "odd.yml"), odd) << to_yaml(odd);
}

TEST(LoadTest, FilesByExtension) {
  const std::string dir = ::testing::TempDir();
  {
    std::ofstream(dir + "/cfg_test.yml") << kYaml;
    std::ofstream(dir + "/cfg_test.json") << kJson;
    std::ofstream(dir + "/cfg_test.txt") << kJson;
  }
  EXPECT_EQ(load_file(dir + "/cfg_test.yml"), load_file(dir + "/cfg_test.json"));
  EXPECT_THROW(load_file(dir + "/cfg_test.txt"), Error);
  try {
    load_file(dir + "/missing.yml");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConfig);
    EXPECT_EQ(e.where().file, dir + "/missing.yml");
  }
}

TEST(LoadTest, SyntaxErrorsNameTheFileAndLine) {
  try {
    parse_yaml("Model:\n  a: [1, 2\n", "bad.yml");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.where().file, "bad.yml");
    EXPECT_NE(std::string(e.what()).find("line"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_json("{\"a\": }", "bad.json"), Error);
}

}  // namespace
}  // namespace nnfpga::config
