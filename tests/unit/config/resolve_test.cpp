#include <gtest/gtest.h>

#include "config/config.hpp"
#include "fixed/fixed_type.hpp"
#include "graphs.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"
#include "passes/passes.hpp"

namespace nnfpga::config {
namespace {

using testing::every_op;
using testing::mlp;

std::string type_of(const ir::Graph& g, const std::string& node, const std::string& key) {
  return fixed::to_string(g.at(node).type(key));
}

TEST(ResolveTest, EmptyConfigGivesTheDefaults) {
  ir::Graph g = every_op();
  resolve(g, Tree());
  EXPECT_EQ(g.settings, ir::ModelSettings{});
  EXPECT_EQ(type_of(g, "x", "result"), "ap_fixed<16,6>");
  EXPECT_EQ(type_of(g, "dense", "weight"), "ap_fixed<16,6>");
  EXPECT_EQ(type_of(g, "sig", "table"), "ap_fixed<18,8,AP_RND,AP_SAT>");
  EXPECT_EQ(type_of(g, "leaky", "param"), "ap_fixed<18,2,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(g.at("sig").settings.table_size, 1024);
  for (const ir::Node& n : g.nodes) {
    for (std::string_view key : ir::op_info(n.op).type_keys) {
      EXPECT_TRUE(n.types.count(std::string(key))) << n.name << " " << key;
    }
    EXPECT_EQ(n.types.size(), ir::op_info(n.op).type_keys.size()) << n.name;
  }
}

TEST(ResolveTest, YamlAndJsonResolveTheSame) {
  const char* yaml = R"(
IOType: io_stream
ClockPeriod: 3
Model: {Precision: 'ap_fixed<12,4>', ReuseFactor: 2}
LayerName:
  fc1: {Precision: {weight: 'ap_fixed<8,3>'}, ReuseFactor: 8}
)";
  const char* json = R"({"IOType": "io_stream", "ClockPeriod": 3,
    "Model": {"Precision": "ap_fixed<12,4>", "ReuseFactor": 2},
    "LayerName": {"fc1": {"Precision": {"weight": "ap_fixed<8,3>"}, "ReuseFactor": 8}}})";
  ir::Graph a = mlp(), b = mlp();
  resolve(a, parse_yaml(yaml, "c.yml"));
  resolve(b, parse_json(json, "c.json"));
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.settings.io_type, ir::IOType::kStream);
  EXPECT_EQ(a.settings.clock_period_ns, 3.0);
  EXPECT_EQ(a.at("fc1").settings.reuse_factor, 8);
  EXPECT_EQ(a.at("fc2").settings.reuse_factor, 2);
  EXPECT_EQ(a.at("relu1").settings.reuse_factor, 1);  // model-level RF does not apply to ReLU
}

TEST(ResolveTest, Precedence) {
  const Tree cfg = parse_yaml(R"(
Model:
  Precision: {weight: 'ap_fixed<10,2>', result: 'ap_fixed<20,8>', table: 'ap_fixed<12,4>'}
  Strategy: Resource
LayerType:
  Activation: {Precision: {result: 'ap_fixed<9,3>'}, TableSize: 256}
  Sigmoid: {Precision: {result: 'ap_fixed<7,2>'}}
  Dense: {Precision: {weight: 'ap_fixed<6,2>'}}
LayerName:
  sig: {Precision: {result: 'ap_ufixed<8,0>'}, TableSize: 4096}
  dense: {Strategy: latency}
)",
                              "p.yml");
  ir::Graph g = every_op();
  resolve(g, cfg);
  EXPECT_EQ(type_of(g, "sig", "result"), "ap_ufixed<8,0>");   // LayerName
  EXPECT_EQ(type_of(g, "tanh", "result"), "ap_fixed<9,3>");   // family
  EXPECT_EQ(type_of(g, "bn", "result"), "ap_fixed<20,8>");    // Model
  EXPECT_EQ(type_of(g, "dense", "weight"), "ap_fixed<6,2>");  // LayerType op
  EXPECT_EQ(type_of(g, "dense", "bias"), "ap_fixed<16,6>");   // default
  EXPECT_EQ(type_of(g, "sig", "table"), "ap_fixed<12,4>");
  EXPECT_EQ(g.at("sig").settings.table_size, 4096);
  EXPECT_EQ(g.at("tanh").settings.table_size, 256);
  EXPECT_EQ(g.at("sm").settings.table_size, 256);
  EXPECT_EQ(g.at("dense").settings.strategy, ir::Strategy::kLatency);
  EXPECT_EQ(g.at("relu").settings.strategy, ir::Strategy::kResource);
}

TEST(ResolveTest, OpNameBeatsFamily) {
  ir::Graph g = every_op();
  resolve(g, {{"LayerType",
               {{"Sigmoid", {{"Precision", {{"result", "ap_fixed<7,2>"}}}}},
                {"Activation", {{"Precision", {{"result", "ap_fixed<9,3>"}}}}}}}});
  EXPECT_EQ(type_of(g, "sig", "result"), "ap_fixed<7,2>");
  EXPECT_EQ(type_of(g, "relu", "result"), "ap_fixed<9,3>");
}

TEST(ResolveTest, SingleTypeSetsAllButAccumAndTable) {
  ir::Graph g = every_op();
  resolve(g, {{"Model", {{"Precision", "ap_fixed<10,4>"}}}});
  for (const char* key : {"weight", "bias", "result"}) {
    EXPECT_EQ(type_of(g, "dense", key), "ap_fixed<10,4>") << key;
  }
  EXPECT_EQ(type_of(g, "bn", "scale"), "ap_fixed<10,4>");
  EXPECT_EQ(type_of(g, "leaky", "param"), "ap_fixed<10,4>");
  EXPECT_EQ(type_of(g, "sig", "table"), "ap_fixed<18,8,AP_RND,AP_SAT>");
  EXPECT_NE(type_of(g, "dense", "accum"), "ap_fixed<10,4>");
}

TEST(ResolveTest, Hls4mlStyleFile) {
  const Tree cfg = parse_yaml(R"(
Backend: Vitis
OutputDir: my-hls-test
ProjectName: myproject
Part: xcu250-figd2104-2L-e
ClockPeriod: 5
IOType: io_parallel
HLSConfig:
  Model:
    Precision: ap_fixed<16,6>
    ReuseFactor: 1
    Strategy: Latency
  LayerName:
    fc1:
      Precision:
        weight: ap_fixed<8,2>
        bias: ap_fixed<8,2>
        result: ap_fixed<16,6>
      ReuseFactor: 2
    sm:
      Precision:
        table: ap_fixed<18,8>
      TableSize: 2048
)",
                              "hls4ml.yml");
  ir::Graph g = mlp();
  resolve(g, cfg);
  EXPECT_EQ(g.settings.part, "xcu250-figd2104-2L-e");
  EXPECT_EQ(type_of(g, "fc1", "weight"), "ap_fixed<8,2>");
  EXPECT_EQ(g.at("fc1").settings.reuse_factor, 2);
  EXPECT_EQ(g.at("sm").settings.table_size, 2048);
  EXPECT_EQ(type_of(g, "sm", "table"), "ap_fixed<18,8>");
}

TEST(ResolveTest, ModelSettingsMayStandInsideModel) {
  ir::Graph g = mlp();
  resolve(g, {{"Model", {{"IOType", "io_stream"}, {"ClockPeriod", 2.5}, {"Part", "p"}}}});
  EXPECT_EQ(g.settings.io_type, ir::IOType::kStream);
  EXPECT_EQ(g.settings.clock_period_ns, 2.5);
  EXPECT_EQ(g.settings.part, "p");
}

TEST(ResolveTest, FlattenAndReshapeKeepTheirInputType) {
  ir::Graph g = every_op();
  resolve(g, {{"Model", {{"Precision", {{"result", "ap_fixed<20,8>"}}}}},
              {"LayerName", {{"relu", {{"Precision", {{"result", "ap_ufixed<8,3>"}}}}}}}});
  EXPECT_EQ(type_of(g, "flat", "result"), "ap_ufixed<8,3>");
  EXPECT_EQ(type_of(g, "reshape", "result"), "ap_ufixed<8,3>");
  // Set explicitly, it is a cast.
  resolve(g, {{"LayerName", {{"reshape", {{"Precision", "ap_fixed<10,5>"}}}}}});
  EXPECT_EQ(type_of(g, "flat", "result"), "ap_fixed<16,6>");
  EXPECT_EQ(type_of(g, "reshape", "result"), "ap_fixed<10,5>");
}

TEST(ResolveTest, ExplicitAccumIsKept) {
  ir::Graph g = mlp();
  resolve(g, {{"LayerType", {{"Dense", {{"Precision", {{"accum", "ap_fixed<24,10>"}}}}}}}});
  EXPECT_EQ(type_of(g, "fc1", "accum"), "ap_fixed<24,10>");
}

TEST(ResolveTest, RefusesNonCanonicalGraphs) {
  ir::Graph g = mlp();
  g.nodes[2].op = ir::OpKind::kIdentity;
  try {
    resolve(g, Tree());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInternal);
    EXPECT_EQ(e.where().node, "relu1");
  }
}

// Types a model declares through its quantizers rank below LayerName and above LayerType.
TEST(ResolveTest, DeclaredTypesRankBetweenLayerNameAndLayerType) {
  ir::Graph g = mlp();
  g.nodes[1].declared_types = {{"weight", "ap_fixed<6,2,AP_RND_CONV,AP_SAT>"}};
  g.nodes[1].declared_by = "a test quantizer";
  resolve(g, parse_yaml("LayerType: {Dense: {Precision: {weight: 'ap_fixed<10,3>'}}}", "t"));
  EXPECT_EQ(type_of(g, "fc1", "weight"), "ap_fixed<6,2,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(type_of(g, "fc2", "weight"), "ap_fixed<10,3>");
  resolve(g, parse_yaml("LayerName: {fc1: {Precision: {weight: 'ap_fixed<5,1>'}}}", "t"));
  EXPECT_EQ(type_of(g, "fc1", "weight"), "ap_fixed<5,1>");

  // A bad declared spelling names its source.
  g.nodes[1].declared_types = {{"weight", "ap_fixed<0,2>"}};
  try {
    resolve(g, Tree());
    ADD_FAILURE() << "resolved";
  } catch (const Error& e) {
    EXPECT_EQ(e.where().node, "fc1");
    EXPECT_NE(e.where().key.find("a test quantizer"), std::string::npos) << e.where().key;
  }
}

// Precision.result auto: the exact result type, so that the layer neither rounds nor overflows.
TEST(ResolveTest, AutoResultIsTheExactType) {
  ir::Graph g = every_op();
  resolve(g, parse_yaml("LayerName: {bn: {Precision: {result: auto}}, clip: {Precision: {result: "
                        "auto}}}",
                        "t"));
  // bn: x in ap_fixed<16,6> (|x| <= 32), scale up to 2 and bias up to 0.5 at 10 fraction bits
  // each: |2 * 32 + 0.5| needs 7 integer bits plus the sign, and 20 fraction bits.
  EXPECT_EQ(type_of(g, "bn", "result"), "ap_fixed<28,8>");
  EXPECT_EQ(type_of(g, "clip", "result"), type_of(g, "leaky", "result"));
  // An inferred result feeds the next inference: bn's input is now dense's exact sum.
  resolve(g, parse_yaml("LayerName: {dense: {Precision: {result: auto}}, bn: {Precision: {result: "
                        "auto}}}",
                        "t"));
  EXPECT_EQ(g.at("dense").type("result"), g.at("dense").type("accum"));
  EXPECT_EQ(g.at("bn").type("result").frac(),
            g.at("dense").type("accum").frac() + g.at("bn").type("scale").frac());

  ir::Graph m = mlp();
  resolve(m, parse_yaml("LayerName: {relu1: {Precision: {result: auto}}}", "t"));
  // max(x, 0) of ap_fixed<16,6> fits ap_ufixed<15,5>.
  EXPECT_EQ(type_of(m, "relu1", "result"), "ap_ufixed<15,5>");
}

// Merge layers infer the exact type of their operation on their inputs' types.
TEST(ResolveTest, AutoResultOfMergeLayers) {
  for (const auto& [op, want] : std::vector<std::pair<ir::OpKind, std::string>>{
           {ir::OpKind::kAdd, "ap_fixed<9,4>"},
           {ir::OpKind::kAverage, "ap_fixed<9,3>"},
           {ir::OpKind::kSubtract, "ap_fixed<9,4>"},
           {ir::OpKind::kMultiply, "ap_fixed<14,5>"},  // |x| < 4 times |y| < 4: below 16
           {ir::OpKind::kMaximum, "ap_fixed<8,3>"}}) {
    ir::Graph g{.name = "merge"};
    g.nodes = {testing::input_node("a", {4}), testing::input_node("b", {4}),
               ir::Node{.name = "m", .op = op, .inputs = {"a", "b"}}};
    g.inputs = {"a", "b"};
    g.outputs = {"m"};
    ir::infer_shapes(g);
    resolve(g, parse_yaml("LayerName: {a: {Precision: 'ap_fixed<8,3>'}, b: {Precision: "
                          "'ap_ufixed<6,2>'}, m: {Precision: {result: auto}}}",
                          "t"));
    EXPECT_EQ(type_of(g, "m", "result"), want) << ir::op_name(op);
  }
}

TEST(ResolvedConfigTest, ListsEveryLayer) {
  ir::Graph g = every_op();
  resolve(g, {{"LayerName", {{"dense", {{"ReuseFactor", 3}}}}}});
  const Tree r = resolved_config(g);
  EXPECT_EQ(r["Model settings"]["IOType"], Tree("io_parallel"));
  EXPECT_EQ(r["LayerName"].size(), g.nodes.size());
  EXPECT_EQ(r["LayerName"]["dense"]["op"], Tree("Dense"));
  EXPECT_EQ(r["LayerName"]["dense"]["ReuseFactor"], Tree(3));
  EXPECT_EQ(r["LayerName"]["sig"]["TableSize"], Tree(1024));
  EXPECT_FALSE(r["LayerName"]["relu"].contains("TableSize"));
  EXPECT_EQ(r["LayerName"]["sm"]["Precision"].size(), 3u);
}

// x[4] -> dense -> elu, prelu, hsig; add(dense, elu); cat(dense, prelu)
ir::Graph new_ops() {
  ir::Graph g{.name = "new_ops"};
  ir::Node elu = testing::unary_node("elu", ir::OpKind::kElu, "dense");
  elu.attrs.set("alpha", 1.0);
  ir::Node prelu = testing::unary_node("prelu", ir::OpKind::kPRelu, "dense");
  prelu.params["alpha"] = ir::make_tensor({3}, {0.1, -0.2, 0.3});
  ir::Node hsig = testing::unary_node("hsig", ir::OpKind::kHardSigmoid, "dense");
  hsig.attrs.set("slope", 1.0 / 6);
  hsig.attrs.set("offset", 0.5);
  g.nodes = {testing::input_node("x", {4}),
             testing::dense_node("dense", "x", 4, 3),
             elu,
             prelu,
             hsig,
             ir::Node{.name = "add", .op = ir::OpKind::kAdd, .inputs = {"dense", "elu"}},
             ir::Node{.name = "cat", .op = ir::OpKind::kConcatenate, .inputs = {"dense", "prelu"}}};
  return testing::finish(std::move(g));
}

TEST(ResolveTest, NewActivationsAreInTheActivationFamilyMergesAreNot) {
  ir::Graph g = new_ops();
  resolve(g, parse_yaml(R"(
Model: {Precision: 'ap_fixed<16,6>'}
LayerType:
  Activation: {Precision: {result: 'ap_fixed<10,2>', param: 'ap_fixed<12,1,AP_RND>'}, TableSize: 256}
  Add: {Precision: 'ap_fixed<18,8,AP_RND,AP_SAT>'}
)",
                        "c.yml"));
  for (const char* act : {"elu", "prelu", "hsig"}) {
    EXPECT_EQ(type_of(g, act, "result"), "ap_fixed<10,2>") << act;
  }
  EXPECT_EQ(type_of(g, "hsig", "param"), "ap_fixed<12,1,AP_RND>");
  EXPECT_EQ(type_of(g, "prelu", "param"), "ap_fixed<12,1,AP_RND>");
  EXPECT_EQ(type_of(g, "elu", "table"), "ap_fixed<18,8,AP_RND,AP_SAT>");
  EXPECT_EQ(g.at("elu").settings.table_size, 256);
  EXPECT_EQ(type_of(g, "add", "result"), "ap_fixed<18,8,AP_RND,AP_SAT>");
  EXPECT_EQ(type_of(g, "cat", "result"), "ap_fixed<16,6>");
  EXPECT_EQ(g.at("add").types.size(), 1u);
}

TEST(ResolveTest, HardSigmoidSlopeAndOffsetAreQuantizedIntoParam) {
  ir::Graph g = new_ops();
  resolve(g, parse_yaml("LayerName: {hsig: {Precision: {param: 'ap_fixed<8,1,AP_RND>'}}}", "c"));
  passes::quantize_parameters(g);
  // 1/6 * 2^7 = 21.33 -> 21; 0.5 -> 64.
  EXPECT_EQ(g.at("hsig").qparam("slope").mantissa, (std::vector<std::int64_t>{21}));
  EXPECT_EQ(g.at("hsig").qparam("offset").mantissa, (std::vector<std::int64_t>{64}));
  EXPECT_EQ(g.at("prelu").qparam("alpha").mantissa.size(), 3u);
}

}  // namespace
}  // namespace nnfpga::config
