// IR tests: shape rules of the op table, validation, topological sort, printing and the JSON
// round trip.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "fixed/fixed_type.hpp"
#include "ir/json_io.hpp"
#include "ir/op_table.hpp"
#include "ir/printer.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::ir {
namespace {

Node make_node(std::string name, OpKind op, std::vector<std::string> inputs) {
  Node n;
  n.name = std::move(name);
  n.op = op;
  n.inputs = std::move(inputs);
  return n;
}

Graph small_mlp() {
  Graph g;
  g.name = "mlp";
  Node in = make_node("x", OpKind::kInput, {});
  in.attrs.set("shape", std::vector<std::int64_t>{4});
  Node fc = make_node("fc1", OpKind::kDense, {"x"});
  fc.params["weight"] = make_tensor({4, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  fc.params["bias"] = make_tensor({3}, {0.5, -0.25, 0.125});
  Node act = make_node("act", OpKind::kLeakyRelu, {"fc1"});
  act.attrs.set("alpha", 0.1);
  g.nodes = {in, fc, act};
  g.inputs = {"x"};
  g.outputs = {"act"};
  return g;
}

TEST(OpTable, EveryKindHasARowInOrder) {
  ASSERT_EQ(all_ops().size(), static_cast<std::size_t>(kOpKindCount));
  for (int k = 0; k < kOpKindCount; ++k) {
    const OpInfo& info = op_info(static_cast<OpKind>(k));
    EXPECT_EQ(static_cast<int>(info.kind), k);
    EXPECT_EQ(op_kind_from_name(info.name), info.kind);
    for (const ParamInfo& p : info.params) {
      if (!info.canonical) continue;
      // Every parameter of a canonical op is quantized with a type the config resolves.
      EXPECT_NE(std::find(info.type_keys.begin(), info.type_keys.end(), p.type_key),
                info.type_keys.end())
          << info.name << " param " << p.name;
    }
  }
  EXPECT_FALSE(op_kind_from_name("Conv").has_value());
}

TEST(Shapes, DenseAndActivation) {
  Graph g = small_mlp();
  infer_shapes(g);
  EXPECT_EQ(g.at("fc1").output_shape, (Shape{3}));
  EXPECT_EQ(g.at("act").input_shapes, (std::vector<Shape>{{3}}));
  EXPECT_EQ(g.at("act").output_shape, (Shape{3}));
}

TEST(Shapes, DenseOverLeadingAxes) {
  Graph g = small_mlp();
  g.nodes[0].attrs.set("shape", std::vector<std::int64_t>{5, 4});
  infer_shapes(g);
  EXPECT_EQ(g.at("fc1").output_shape, (Shape{5, 3}));
}

TEST(Shapes, MismatchNamesTheNode) {
  Graph g = small_mlp();
  g.nodes[0].attrs.set("shape", std::vector<std::int64_t>{5});
  try {
    infer_shapes(g);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.where().node, "fc1");
    EXPECT_NE(std::string(e.what()).find("[5]"), std::string::npos) << e.what();
  }
}

TEST(Shapes, ReshapeFlattenAndBroadcastConstants) {
  Graph g;
  Node in = make_node("x", OpKind::kInput, {});
  in.attrs.set("shape", std::vector<std::int64_t>{2, 6});
  Node r = make_node("r", OpKind::kReshape, {"x"});
  r.attrs.set("shape", std::vector<std::int64_t>{3, -1});
  Node f = make_node("f", OpKind::kFlatten, {"r"});
  Node c = make_node("c", OpKind::kConstant, {});
  c.params["value"] = make_tensor({1}, {2.0});
  Node m = make_node("m", OpKind::kMulConstant, {"f", "c"});
  g.nodes = {in, r, f, c, m};
  g.inputs = {"x"};
  g.outputs = {"m"};
  infer_shapes(g);
  EXPECT_EQ(g.at("r").output_shape, (Shape{3, 4}));
  EXPECT_EQ(g.at("f").output_shape, (Shape{12}));
  EXPECT_EQ(g.at("m").output_shape, (Shape{12}));

  g.nodes[1].attrs.set("shape", std::vector<std::int64_t>{5, -1});
  EXPECT_THROW(infer_shapes(g), Error);
}

// Inputs x [2, 3], z [2, 3], w [2, 1], then `node`; the error text of infer_shapes, or "".
std::string merge_shape_error(Node node, Shape* out = nullptr) {
  Graph g;
  for (const auto& [name, shape] :
       {std::pair<const char*, Shape>{"x", {2, 3}}, {"z", {2, 3}}, {"w", {2, 1}}}) {
    Node in = make_node(name, OpKind::kInput, {});
    in.attrs.set("shape", shape);
    g.nodes.push_back(in);
    g.inputs.push_back(name);
  }
  g.nodes.push_back(node);
  g.outputs = {node.name};
  try {
    infer_shapes(g);
  } catch (const Error& e) {
    EXPECT_EQ(e.where().node, node.name);
    return e.what();
  }
  if (out) *out = g.at(node.name).output_shape;
  return "";
}

TEST(Shapes, MergeLayersBroadcast) {
  Shape out;
  EXPECT_EQ(merge_shape_error(make_node("a", OpKind::kAdd, {"x", "z", "x"}), &out), "");
  EXPECT_EQ(out, (Shape{2, 3}));
  // [2, 1] repeats along the last axis (merge_axes_test.cpp fuzzes the rule).
  EXPECT_EQ(merge_shape_error(make_node("a", OpKind::kMaximum, {"x", "w"}), &out), "");
  EXPECT_EQ(out, (Shape{2, 3}));
  const std::string three = merge_shape_error(make_node("s", OpKind::kSubtract, {"x", "z", "x"}));
  EXPECT_NE(three.find("Subtract takes 2 inputs, not 3"), std::string::npos) << three;
  const std::string one = merge_shape_error(make_node("m", OpKind::kAverage, {"x"}));
  EXPECT_NE(one.find("two or more"), std::string::npos) << one;
}

TEST(Shapes, ConcatenateOnTheLastAxis) {
  Shape out;
  EXPECT_EQ(merge_shape_error(make_node("c", OpKind::kConcatenate, {"x", "w", "z"}), &out), "");
  EXPECT_EQ(out, (Shape{2, 7}));
  Node flat = make_node("f", OpKind::kFlatten, {"x"});
  Graph g;
  Node in = make_node("x", OpKind::kInput, {});
  in.attrs.set("shape", Shape{2, 3});
  g.nodes = {in, flat, make_node("c", OpKind::kConcatenate, {"x", "f"})};
  g.inputs = {"x"};
  g.outputs = {"c"};
  try {
    infer_shapes(g);
    ADD_FAILURE() << "[2, 3] and [6] concatenated";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("[2, 3] and [6] have different ranks"), std::string::npos)
        << e.what();
  }
}

TEST(Shapes, PReluAlphaHasTheInputShape) {
  Node p = make_node("p", OpKind::kPRelu, {"x"});
  p.params["alpha"] = make_tensor({2, 3}, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(merge_shape_error(p), "");
  p.params["alpha"] = make_tensor({3}, {1, 2, 3});
  EXPECT_NE(merge_shape_error(p).find("alpha [3] does not match the input [2, 3]"),
            std::string::npos);
}

TEST(Tensor, BroadcastFollowsNumpy) {
  Tensor t = make_tensor({2, 1}, {1, 2});
  Tensor b = broadcast_to(t, {3, 2, 2});
  EXPECT_EQ(b.data, (std::vector<double>{1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2}));
  EXPECT_THROW(broadcast_to(make_tensor({3}, {1, 2, 3}), {2}), Error);
  EXPECT_THROW(make_tensor({2, 2}, {1, 2, 3}), Error);
}

TEST(Validate, RejectsUseBeforeDefinitionAndDuplicates) {
  Graph g = small_mlp();
  std::swap(g.nodes[1], g.nodes[2]);
  EXPECT_THROW(validate(g), Error);
  sort_topologically(g);
  EXPECT_NO_THROW(validate(g));
  EXPECT_EQ(g.nodes[1].name, "fc1");

  Graph dup = small_mlp();
  dup.nodes[2].name = "fc1";
  dup.outputs = {"fc1"};
  EXPECT_THROW(validate(dup), Error);

  Graph cyc = small_mlp();
  cyc.nodes[1].inputs = {"act"};
  EXPECT_THROW(sort_topologically(cyc), Error);
}

TEST(Printer, ShowsOpsShapesTypesAndOutputs) {
  Graph g = small_mlp();
  infer_shapes(g);
  g.nodes[1].types["weight"] = fixed::make_fixed(8, 3);
  const std::string text = print(g);
  EXPECT_NE(text.find("fc1 = Dense(x) -> [3]"), std::string::npos) << text;
  EXPECT_NE(text.find("[output]"), std::string::npos) << text;
  EXPECT_NE(text.find("weight ap_fixed<8,3>"), std::string::npos) << text;
  EXPECT_NE(text.find("alpha = 0.1"), std::string::npos) << text;
  // Once quantized, the value the fixed path uses is shown beside the attribute.
  Node& act = g.nodes[2];
  const fixed::FixedType p = fixed::make_fixed(8, 1, true, fixed::Quantization::kRnd);
  act.qparams["alpha"] = QuantizedTensor{p, {13}, 0};
  EXPECT_NE(print(g).find("alpha = 0.1  (quantized: 0.1015625 in ap_fixed<8,1,AP_RND>)"),
            std::string::npos)
      << print(g);
}

TEST(Json, RoundTripLosesNothing) {
  Graph g = small_mlp();
  infer_shapes(g);
  g.settings.io_type = IOType::kStream;
  g.settings.clock_period_ns = 3.125;
  g.nodes[1].source_op = "Gemm";
  g.nodes[1].params["weight"].data[0] = 0.1;  // not a short decimal in binary
  g.nodes[1].types["weight"] =
      fixed::make_fixed(8, 3, true, fixed::Quantization::kRndConv, fixed::Overflow::kSatSym);
  g.nodes[1].types["accum"] = fixed::make_fixed(40, 14);
  g.nodes[1].settings.reuse_factor = 4;
  g.nodes[1].settings.strategy = Strategy::kResource;
  g.nodes[1].qparams["weight"] = {fixed::make_fixed(8, 3), {-128, 127, 0}, 2};
  g.nodes[2].attrs.set("list", std::vector<double>{});
  g.nodes[2].attrs.set("name", std::string("a \"quoted\" name"));

  Graph back = graph_from_json(nlohmann::json::parse(to_json(g).dump()));
  EXPECT_EQ(back, g);

  const std::string path =
      (std::filesystem::temp_directory_path() / "nnfpga_ir_roundtrip.json").string();
  save_json(g, path);
  EXPECT_EQ(load_json(path), g);
  std::remove(path.c_str());
}

TEST(Json, BadFilesGiveClearErrors) {
  EXPECT_THROW(graph_from_json(nlohmann::json::parse(R"({"nodes": []})")), Error);
  nlohmann::json j = to_json(small_mlp());
  j["nodes"][1]["op"] = "Conv";
  try {
    graph_from_json(j);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("Conv"), std::string::npos);
  }
  EXPECT_THROW(load_json("/nonexistent/model.json"), Error);
}

}  // namespace
}  // namespace nnfpga::ir
