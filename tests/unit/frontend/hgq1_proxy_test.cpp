// HGQ (version 1) proxy models made by HGQ 0.2.6 itself (tests/fixtures/keras2/hgq1_proxy_mlp*,
// tools/make_keras2_fixtures.sh): per-element bit widths in FixedPointQuantizer layers, WRAP and
// SAT. The .h5 and the .json + _weights.h5 pair read to the same graph; the quantizers' types
// are the ones HGQ lists (<name>.quantizers.json); with no configuration the emulator equals the
// proxy's own output on every row.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "api/model_io.hpp"
#include "emulate/emulator.hpp"
#include "fixed/fixed_type.hpp"
#include "io/array_io.hpp"
#include "ir/element_types.hpp"
#include "ir/printer.hpp"

namespace nnfpga {
namespace {

using json = nlohmann::json;

const char* const kModels[] = {"hgq1_proxy_mlp", "hgq1_proxy_mlp_sat"};

std::string fixture(const std::string& name) {
  return std::string(NNFPGA_FIXTURES_DIR) + "/keras2/" + name;
}

// The generator's listing of the quantizers HGQ made: name, RND, SAT and the distinct
// (keep_negative, bits, integers) of each.
json quantizer_listing(const std::string& stem) {
  std::ifstream in(fixture(stem + ".quantizers.json"));
  return json::parse(in);
}

// The type HGQ's (keep_negative, bits, integers) means, with the quantizer's modes.
std::string hgq_type(const json& kbi, const std::string& rnd, const std::string& sat) {
  const int k = kbi.at(0), b = kbi.at(1), i = kbi.at(2);
  return fixed::to_string(fixed::parse_type((k ? "ap_fixed<" : "ap_ufixed<") + std::to_string(b) +
                                            "," + std::to_string(i) + ",AP_" + rnd + ",AP_" + sat +
                                            ">"));
}

class Hgq1Proxy : public testing::TestWithParam<const char*> {};

TEST_P(Hgq1Proxy, TheH5AndTheJsonPairReadToOneGraph) {
  const std::string stem = GetParam();
  EXPECT_EQ(weights_file_for(fixture(stem + ".json")), fixture(stem + "_weights.h5"));
  // The same graph, but for the class each node came from: model.save writes the registered
  // name "HGQ>FixedPointQuantizer", to_json the class name.
  std::string h5 = ir::print(read_model(fixture(stem + ".h5")));
  for (std::size_t at; (at = h5.find("HGQ>")) != std::string::npos;) h5.erase(at, 4);
  EXPECT_EQ(h5, ir::print(read_model(fixture(stem + ".json"))));
}

TEST_P(Hgq1Proxy, QuantizersDeclareTheTypesHgqLists) {
  const std::string stem = GetParam();
  const ir::Graph g = read_model(fixture(stem + ".h5"));
  int checked = 0;
  for (const json& q : quantizer_listing(stem)) {
    const ir::Node& node = g.at(q.at("name").get<std::string>());
    EXPECT_EQ(node.op, ir::OpKind::kQuantize) << node.name;
    std::set<std::string> want, got;
    for (const json& kbi : q.at("kbi")) {
      if (kbi.at(1) != 0) want.insert(hgq_type(kbi, q.at("RND"), q.at("SAT")));
    }
    const std::vector<std::optional<fixed::FixedType>> types = ir::element_types(node);
    if (types.empty()) {
      got.insert(node.declared_types.at("result"));
    } else {
      for (const auto& t : types) {
        if (t) got.insert(fixed::to_string(*t));
      }
    }
    if (q.at("distinct") <= 12) {  // the listing is complete
      EXPECT_EQ(got, want) << node.name;
    }
    ++checked;
  }
  EXPECT_GE(checked, 4);
}

TEST_P(Hgq1Proxy, EqualsTheProxyModelOnEveryRow) {
  const std::string stem = GetParam();
  ir::Graph g = read_model(fixture(stem + ".h5"));
  configure(g, config::Tree::object());
  const emulate::Emulator emulator(g);
  const emulate::Array x = io::read_array(fixture(stem + ".x.npy"));
  const emulate::Array y = io::read_array(fixture(stem + ".y.npy"));
  const emulate::Array got = emulator.run({x}).outputs.at(0);
  ASSERT_EQ(got.shape, y.shape);
  std::size_t differ = 0;
  for (std::size_t n = 0; n < y.data.size(); ++n) differ += got.data[n] != y.data[n];
  EXPECT_EQ(differ, 0u) << "of " << y.data.size();
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Hgq1Proxy, testing::ValuesIn(kModels));

}  // namespace
}  // namespace nnfpga
