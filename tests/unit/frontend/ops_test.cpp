// One small graph built in-test per supported op and per refusal rule.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "frontend/onnx/onnx_reader.hpp"
#include "nnfpga/error.hpp"
#include "onnx_builder.hpp"

namespace nnfpga::frontend::onnx {
namespace {

using ir::OpKind;
using testing::ModelBuilder;
using testing::set_attr;

ir::Graph read(const ModelBuilder& m) {
  return read_onnx_bytes(m.bytes(), "test.onnx");
}

// The kUnsupported message for `m`; fails the test when `m` is accepted or fails otherwise.
std::string refusal(const ModelBuilder& m) {
  try {
    read(m);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsupported) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "accepted";
  return {};
}

// The message of any error reading the model (bad input or refused), for inputs where either fits.
std::string read_error(const ModelBuilder& m) {
  try {
    read(m);
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "accepted";
  return {};
}

ErrorKind error_kind(const ModelBuilder& m) {
  try {
    read(m);
  } catch (const Error& e) {
    return e.kind();
  }
  return ErrorKind::kInternal;  // "no error" for these tests
}

// x [batch, 3] -> op -> y
ModelBuilder unary_model(const std::string& op, int opset = 17) {
  ModelBuilder m(opset);
  m.input("x", {"batch", 3}).output("y", {"batch", 3});
  m.node(op, {"x"}, {"y"}, "the_op");
  return m;
}

TEST(OnnxOps, UnaryActivations) {
  const std::pair<const char*, OpKind> cases[] = {
      {"Relu", OpKind::kRelu},          {"Sigmoid", OpKind::kSigmoid},
      {"Tanh", OpKind::kTanh},          {"Softmax", OpKind::kSoftmax},
      {"Identity", OpKind::kIdentity},  {"Dropout", OpKind::kDropout},
      {"LeakyRelu", OpKind::kLeakyRelu}};
  for (const auto& [op, kind] : cases) {
    const ir::Graph g = read(unary_model(op));
    ASSERT_EQ(g.nodes.size(), 2u) << op;
    EXPECT_EQ(g.nodes[1].op, kind) << op;
    EXPECT_EQ(g.nodes[1].name, "the_op") << op;
    EXPECT_EQ(g.nodes[1].source_op, op) << op;
    EXPECT_EQ(g.nodes[1].output_shape, (ir::Shape{3})) << op;
    EXPECT_EQ(g.outputs, std::vector<std::string>{"the_op"}) << op;
  }
  EXPECT_NEAR(read(unary_model("LeakyRelu")).nodes[1].attrs.get_float("alpha"), 0.01, 1e-9);
}

TEST(OnnxOps, SoftmaxAxisByOpset) {
  ModelBuilder old = unary_model("Softmax", 11);  // default axis 1 is the last of a 2-D input
  EXPECT_EQ(read(old).nodes[1].op, OpKind::kSoftmax);
  ModelBuilder m(17);
  m.input("x", {"batch", 2, 3}).output("y");
  set_attr(m.node("Softmax", {"x"}, {"y"}, "sm"), "axis", std::int64_t{1});
  // Over an axis the IR does not hold last: transposed there first, the output held so.
  const ir::Graph moved = read(m);
  const ir::Node& t = moved.at(moved.at("sm").inputs.at(0));
  EXPECT_EQ(t.op, OpKind::kTranspose);
  EXPECT_EQ(t.attrs.get_ints("perm"), (std::vector<std::int64_t>{1, 0}));
  EXPECT_EQ(moved.at("sm").output_shape, (ir::Shape{3, 2}));
  EXPECT_EQ(moved.source_axes.at("sm"), (std::vector<int>{1, 0}));
  ModelBuilder batch(17);
  batch.input("x", {"batch", 2, 3}).output("y");
  set_attr(batch.node("Softmax", {"x"}, {"y"}, "sm"), "axis", std::int64_t{0});
  EXPECT_NE(refusal(batch).find("sm (Softmax): softmax over axis 0"), std::string::npos);
  ModelBuilder old3(11);  // opset 11, rank 3, default axis 1: a softmax over 6 values
  old3.input("x", {"batch", 2, 3}).output("y");
  old3.node("Softmax", {"x"}, {"y"}, "sm");
  refusal(old3);
}

TEST(OnnxOps, ClipBoundsFromInputsOrAttributes) {
  ModelBuilder m(13);
  m.input("x", {"batch", 3}).output("y");
  m.initializer("lo", {}, {-1.5f});
  m.node("Clip", {"x", "lo", ""}, {"y"}, "c");
  const ir::Node c = read(m).nodes.back();
  EXPECT_EQ(c.attrs.get_float("min"), -1.5);
  EXPECT_EQ(c.attrs.get_float("max"), std::numeric_limits<double>::infinity());
  ModelBuilder old = unary_model("Clip", 6);
  set_attr(old.proto().mutable_graph()->mutable_node(0)[0], "max", 6.0f);
  const ir::Node o = read(old).nodes.back();
  EXPECT_EQ(o.attrs.get_float("min"), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(o.attrs.get_float("max"), 6.0);
  ModelBuilder dyn(13);
  dyn.input("x", {"batch", 3}).input("lo", {"batch", 3}).output("y");
  dyn.node("Clip", {"x", "lo"}, {"y"}, "c");
  EXPECT_NE(refusal(dyn).find("min is not a constant"), std::string::npos);
}

TEST(OnnxOps, GemmWithoutTransposeScalesByAlphaAndBeta) {
  ModelBuilder m;
  m.input("x", {"N", 2}).output("y", {"N", 3});
  m.initializer("B", {2, 3}, {1, 2, 3, 4, 5, 6});
  m.initializer("C", {1, 3}, {1, 1, 1});
  auto& n = m.node("Gemm", {"x", "B", "C"}, {"y"}, "fc");
  set_attr(n, "alpha", 2.0f);
  set_attr(n, "beta", 0.5f);
  const ir::Node d = read(m).nodes.back();
  EXPECT_EQ(d.op, OpKind::kDense);
  EXPECT_EQ(d.param("weight").shape, (ir::Shape{2, 3}));
  EXPECT_EQ(d.param("weight").data, (std::vector<double>{2, 4, 6, 8, 10, 12}));
  EXPECT_EQ(d.param("bias").data, (std::vector<double>{0.5, 0.5, 0.5}));
}

TEST(OnnxOps, GemmTransposedWithoutBias) {
  ModelBuilder m;
  m.input("x", {"N", 2}).output("y");
  m.initializer("B", {3, 2}, {1, 2, 3, 4, 5, 6});
  set_attr(m.node("Gemm", {"x", "B"}, {"y"}, "fc"), "transB", std::int64_t{1});
  const ir::Node d = read(m).nodes.back();
  EXPECT_EQ(d.param("weight").data, (std::vector<double>{1, 3, 5, 2, 4, 6}));
  EXPECT_EQ(d.param("bias").data, (std::vector<double>{0, 0, 0}));
  set_attr(m.proto().mutable_graph()->mutable_node(0)[0], "transA", std::int64_t{1});
  EXPECT_NE(refusal(m).find("fc (Gemm): transA"), std::string::npos);
}

TEST(OnnxOps, MatMulNeedsAConstantOnTheRight) {
  ModelBuilder m;
  m.input("x", {"N", 2}).output("y");
  m.initializer("W", {2, 3}, {1, 2, 3, 4, 5, 6});
  m.node("MatMul", {"x", "W"}, {"y"}, "mm");
  const ir::Graph g = read(m);
  EXPECT_EQ(g.at("mm").op, OpKind::kMatMul);
  EXPECT_EQ(g.at("mm").inputs, (std::vector<std::string>{"x", "W"}));
  EXPECT_EQ(g.at("W").op, OpKind::kConstant);
  EXPECT_EQ(g.at("mm").output_shape, (ir::Shape{3}));
  ModelBuilder left;
  left.input("x", {"N", 3}).output("y");
  left.initializer("W", {2, 3}, {1, 2, 3, 4, 5, 6});
  left.node("MatMul", {"W", "x"}, {"y"}, "mm");
  EXPECT_NE(refusal(left).find("mm (MatMul): the constant is the left operand"), std::string::npos);
}

TEST(OnnxOps, BinaryOpsWithConstants) {
  const std::pair<const char*, OpKind> kinds[] = {{"Add", OpKind::kAddConstant},
                                                  {"Sub", OpKind::kSubConstant},
                                                  {"Mul", OpKind::kMulConstant},
                                                  {"Div", OpKind::kDivConstant}};
  for (const auto& [op, kind] : kinds) {
    ModelBuilder m;
    m.input("x", {"N", 3}).output("y");
    m.initializer("c", {1, 3}, {1, 2, 3});  // full rank: the batch axis is dropped
    m.node(op, {"x", "c"}, {"y"}, "op");
    const ir::Graph g = read(m);
    EXPECT_EQ(g.at("op").op, kind) << op;
    EXPECT_EQ(g.at("op").inputs, (std::vector<std::string>{"x", "c"})) << op;
    EXPECT_EQ(g.at("c").param("value").shape, (ir::Shape{3})) << op;
    EXPECT_EQ(g.at("op").output_shape, (ir::Shape{3})) << op;
  }
  ModelBuilder sub;
  sub.input("x", {"N", 3}).output("y");
  sub.initializer("c", {}, {1});
  sub.node("Sub", {"c", "x"}, {"y"}, "op");
  EXPECT_EQ(read(sub).at("op").attrs.get_int("constant_first"), 1);
  ModelBuilder div;
  div.input("x", {"N", 3}).output("y");
  div.initializer("c", {}, {1});
  div.node("Div", {"c", "x"}, {"y"}, "op");
  EXPECT_NE(refusal(div).find("numerator"), std::string::npos);
  ModelBuilder batch;
  batch.input("x", {"N", 3}).output("y");
  batch.initializer("c", {2, 3}, {1, 2, 3, 4, 5, 6});
  batch.node("Mul", {"x", "c"}, {"y"}, "op");
  EXPECT_NE(refusal(batch).find("varies along the batch"), std::string::npos);
}

// Two activations: the merge layers, equal shapes only.
TEST(OnnxOps, BinaryOpsOfTwoActivations) {
  const std::pair<const char*, OpKind> cases[] = {
      {"Add", OpKind::kAdd}, {"Sub", OpKind::kSubtract}, {"Mul", OpKind::kMultiply}};
  for (const auto& [op, kind] : cases) {
    ModelBuilder m;
    m.input("x", {"N", 3}).input("z", {"N", 3}).output("y");
    m.node(op, {"x", "z"}, {"y"}, "op");
    const ir::Graph g = read(m);
    EXPECT_EQ(g.at("op").op, kind) << op;
    EXPECT_EQ(g.at("op").inputs, (std::vector<std::string>{"x", "z"})) << op;
  }
  ModelBuilder div;
  div.input("x", {"N", 3}).input("z", {"N", 3}).output("y");
  div.node("Div", {"x", "z"}, {"y"}, "op");
  EXPECT_NE(refusal(div).find("op (Div): division of one activation"), std::string::npos);
  // (N, F) against (N, 1): the IR's Add broadcasts the [1] operand too.
  ModelBuilder broadcast;
  broadcast.input("x", {"N", 3}).input("z", {"N", 1}).output("y");
  broadcast.node("Add", {"x", "z"}, {"y"}, "op");
  const ir::Graph b = read(broadcast);
  EXPECT_EQ(b.at("op").inputs, (std::vector<std::string>{"x", "z"}));
  EXPECT_EQ(b.at("op").output_shape, (ir::Shape{3}));
  ModelBuilder mismatch;
  mismatch.input("x", {"N", 3}).input("z", {"N", 2}).output("y");
  mismatch.node("Add", {"x", "z"}, {"y"}, "op");
  try {
    read(mismatch);
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(std::string(e.what()).find("inputs of shapes [3], [2] (without the batch) do not "
                                         "broadcast"),
              std::string::npos)
        << e.what();
  }
}

TEST(OnnxOps, VariadicMergesAndConcat) {
  const std::pair<const char*, OpKind> cases[] = {{"Sum", OpKind::kAdd},
                                                  {"Mean", OpKind::kAverage},
                                                  {"Max", OpKind::kMaximum},
                                                  {"Min", OpKind::kMinimum}};
  for (const auto& [op, kind] : cases) {
    ModelBuilder m;
    m.input("x", {"N", 3}).input("z", {"N", 3}).output("y");
    m.node(op, {"x", "z", "x", "z"}, {"y"}, "op");
    const ir::Node n = read(m).at("op");
    EXPECT_EQ(n.op, kind) << op;
    EXPECT_EQ(n.inputs.size(), 4u) << op;
  }
  ModelBuilder one;
  one.input("x", {"N", 3}).output("y");
  one.node("Sum", {"x"}, {"y"}, "op");
  EXPECT_EQ(read(one).at("op").op, OpKind::kIdentity);
  ModelBuilder mean3;
  mean3.input("x", {"N", 3}).output("y");
  mean3.node("Mean", {"x", "x", "x"}, {"y"}, "op");
  // A Mean of three is the exact sum, then x 1/3 (frontend/average.hpp).
  const ir::Graph g3 = read(mean3);
  EXPECT_EQ(g3.at("op_sum").op, OpKind::kAdd);
  EXPECT_EQ(g3.at("op_sum").declared_types.at("result"), "auto");
  EXPECT_EQ(g3.at("op").inputs, std::vector<std::string>{"op_sum"});
  EXPECT_TRUE(g3.at("op").op == OpKind::kMulConstant || g3.at("op").op == OpKind::kBatchNorm);
  ModelBuilder constant;
  constant.input("x", {"N", 3}).output("y");
  constant.initializer("c", {3}, {1, 2, 3});
  constant.node("Max", {"x", "c"}, {"y"}, "op");
  EXPECT_NE(refusal(constant).find("is a constant"), std::string::npos);

  ModelBuilder cat;
  cat.input("x", {"N", 2, 3}).input("z", {"N", 2, 1}).output("y");
  set_attr(cat.node("Concat", {"x", "z"}, {"y"}, "cat"), "axis", std::int64_t{-1});
  const ir::Node c = read(cat).at("cat");
  EXPECT_EQ(c.op, OpKind::kConcatenate);
  EXPECT_EQ(c.output_shape, (ir::Shape{2, 4}));
  // Any axis but the batch: ONNX's axis 1 of (N, 2, 3), held as it is, is the IR's axis 0.
  ModelBuilder cat1;
  cat1.input("x", {"N", 2, 3}).input("z", {"N", 2, 3}).output("y");
  set_attr(cat1.node("Concat", {"x", "z"}, {"y"}, "cat"), "axis", std::int64_t{1});
  const ir::Node c1 = read(cat1).at("cat");
  EXPECT_EQ(c1.attrs.get_int("axis"), 0);
  EXPECT_EQ(c1.output_shape, (ir::Shape{4, 3}));
  ModelBuilder cat0;
  cat0.input("x", {"N", 2, 3}).input("z", {"N", 2, 3}).output("y");
  set_attr(cat0.node("Concat", {"x", "z"}, {"y"}, "cat"), "axis", std::int64_t{0});
  EXPECT_NE(refusal(cat0).find("cat (Concat): concatenation on the batch axis"), std::string::npos);
}

TEST(OnnxOps, PReluEluSoftsignSoftplusHardSigmoid) {
  ModelBuilder p;
  p.input("x", {"N", 2, 3}).output("y");
  p.initializer("slope", {2, 1}, {0.25f, -0.5f});  // per channel (the IR's first axis)
  p.node("PRelu", {"x", "slope"}, {"y"}, "pr");
  const ir::Node pr = read(p).at("pr");
  EXPECT_EQ(pr.op, OpKind::kPRelu);
  EXPECT_EQ(pr.param("alpha").data, (std::vector<double>{0.25, 0.25, 0.25, -0.5, -0.5, -0.5}));
  EXPECT_EQ(read(unary_model("Elu")).nodes[1].attrs.get_float("alpha"), 1.0);
  EXPECT_EQ(read(unary_model("Softsign")).nodes[1].op, OpKind::kSoftsign);
  EXPECT_EQ(read(unary_model("Softplus")).nodes[1].op, OpKind::kSoftplus);
  const ir::Node hs = read(unary_model("HardSigmoid")).nodes[1];
  EXPECT_EQ(hs.op, OpKind::kHardSigmoid);
  EXPECT_NEAR(hs.attrs.get_float("slope"), 0.2, 1e-7);
  EXPECT_EQ(hs.attrs.get_float("offset"), 0.5);
  ModelBuilder h = unary_model("HardSigmoid");
  set_attr(h.proto().mutable_graph()->mutable_node(0)[0], "alpha", 0.25f);
  EXPECT_EQ(read(h).nodes[1].attrs.get_float("slope"), 0.25);
}

TEST(OnnxOps, BatchNormBroadcastsPerChannel) {
  ModelBuilder m;
  m.input("x", {"N", 2, 3}).output("y");
  m.initializer("g", {2}, {1, 2});
  m.initializer("b", {2}, {0, 1});
  m.initializer("mu", {2}, {1, 0});
  m.initializer("var", {2}, {4, 1});
  set_attr(m.node("BatchNormalization", {"x", "g", "b", "mu", "var"}, {"y"}, "bn"), "epsilon",
           0.0f);
  const ir::Node bn = read(m).nodes.back();
  EXPECT_EQ(bn.param("scale").shape, (ir::Shape{2, 3}));
  EXPECT_EQ(bn.param("scale").data, (std::vector<double>{0.5, 0.5, 0.5, 2, 2, 2}));
  EXPECT_EQ(bn.param("bias").data, (std::vector<double>{-0.5, -0.5, -0.5, 1, 1, 1}));
}

TEST(OnnxOps, FlattenAndReshape) {
  ModelBuilder f;
  f.input("x", {"N", 2, 3}).output("y");
  f.node("Flatten", {"x"}, {"y"}, "fl");
  EXPECT_EQ(read(f).nodes.back().output_shape, (ir::Shape{6}));
  set_attr(f.proto().mutable_graph()->mutable_node(0)[0], "axis", std::int64_t{2});
  EXPECT_NE(refusal(f).find("fl (Flatten)"), std::string::npos);

  ModelBuilder r;
  r.input("x", {"N", 2, 3}).output("y");
  r.int_initializer("s", {0, 0, -1, 1});  // copy batch, copy 2, infer 3, 1
  r.node("Reshape", {"x", "s"}, {"y"}, "rs");
  const ir::Node rs = read(r).nodes.back();
  EXPECT_EQ(rs.attrs.get_ints("shape"), (std::vector<std::int64_t>{2, -1, 1}));
  EXPECT_EQ(rs.output_shape, (ir::Shape{2, 3, 1}));

  ModelBuilder batch;
  batch.input("x", {"N", 2, 3}).output("y");
  batch.int_initializer("s", {-1, 3});  // would fold an axis into the batch
  batch.node("Reshape", {"x", "s"}, {"y"}, "rs");
  EXPECT_NE(refusal(batch).find("changes the batch size"), std::string::npos);

  ModelBuilder fixed;
  fixed.input("x", {1, 6}).output("y");
  fixed.int_initializer("s", {1, 2, 3});  // a static batch of 1 may be spelled out
  fixed.node("Reshape", {"x", "s"}, {"y"}, "rs");
  EXPECT_EQ(read(fixed).nodes.back().output_shape, (ir::Shape{2, 3}));

  // Targets whose product passes 64 bits (found by the fuzzer): an error, not undefined behaviour.
  const std::int64_t huge = std::int64_t{1} << 56;
  ModelBuilder wide;
  wide.input("x", {"N", 2, 3}).output("y");
  wide.int_initializer("s", {0, huge, huge, -1});
  wide.node("Reshape", {"x", "s"}, {"y"}, "rs");
  const std::string wide_error = read_error(wide);
  EXPECT_NE(wide_error.find("not a valid dimension"), std::string::npos) << wide_error;

  ModelBuilder wide_constant;
  wide_constant.input("x", {"N", 6}).output("y");
  wide_constant.initializer("c", {6}, {1, 2, 3, 4, 5, 6});
  wide_constant.int_initializer("s", {huge, huge, -1});
  wide_constant.node("Reshape", {"c", "s"}, {"c2"}, "rs_c");
  wide_constant.node("Add", {"x", "c2"}, {"y"}, "add");
  EXPECT_NE(read_error(wide_constant).find("64 bits"), std::string::npos);
}

TEST(OnnxOps, ConstantNodesAndCasts) {
  ModelBuilder m;
  m.input("x", {"N", 3}).output("y");
  auto& k = m.node("Constant", {}, {"k"}, "k");
  auto* a = k.add_attribute();
  a->set_name("value_floats");
  a->set_type(::onnx::AttributeProto::FLOATS);
  for (float v : {1.f, 2.f, 3.f}) a->add_floats(v);
  set_attr(m.node("Cast", {"k"}, {"k2"}, "cast_k"), "to", std::int64_t{1});
  set_attr(m.node("Cast", {"x"}, {"x2"}, "cast_x"), "to", std::int64_t{1});
  m.node("Mul", {"x2", "k2"}, {"y"}, "mul");
  const ir::Graph g = read(m);
  EXPECT_EQ(g.at("mul").inputs.at(0), "x");
  EXPECT_EQ(g.at(g.at("mul").inputs.at(1)).param("value").data, (std::vector<double>{1, 2, 3}));
  ModelBuilder to_int;
  to_int.input("x", {"N", 3}).output("y");
  set_attr(to_int.node("Cast", {"x"}, {"y"}, "c"), "to", std::int64_t{7});
  EXPECT_NE(refusal(to_int).find("c (Cast)"), std::string::npos);
}

TEST(OnnxOps, DropoutMaskAndTrainingMode) {
  ModelBuilder m;
  m.input("x", {"N", 3}).output("y").output("mask");
  m.node("Dropout", {"x"}, {"y", "mask"}, "d");
  EXPECT_NE(refusal(m).find("mask output is used"), std::string::npos);
  ModelBuilder unused;
  unused.input("x", {"N", 3}).output("y");
  unused.node("Dropout", {"x"}, {"y", "mask"}, "d");
  EXPECT_EQ(read(unused).nodes.back().op, OpKind::kDropout);
}

TEST(OnnxOps, EveryUnsupportedNodeIsListed) {
  ModelBuilder m;
  m.input("x", {"N", 3}).input("z", {"N", "T"}).output("y").output("w").output("zz");
  m.node("Exp", {"x"}, {"e"}, "exp1");
  m.node("Relu", {"e"}, {"y"});   // downstream of a refusal: not listed
  m.node("Floor", {"x"}, {"w"});  // unnamed: listed by its output
  m.node("Relu", {"z"}, {"zz"});
  const std::string msg = refusal(m);
  EXPECT_NE(msg.find("exp1 (Exp): op not supported"), std::string::npos) << msg;
  EXPECT_NE(msg.find("w (Floor): op not supported"), std::string::npos) << msg;
  EXPECT_NE(msg.find("z (input): dimension 1 ('T') is dynamic"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("Relu"), std::string::npos) << msg;
}

TEST(OnnxOps, NamesAreUniqueAndDerivedWhenMissing) {
  ModelBuilder m;
  m.input("x", {"N", 3}).output("y");
  m.node("Relu", {"x"}, {"a"}, "dup");
  m.node("Relu", {"a"}, {"b"}, "dup");
  m.node("Relu", {"b"}, {"y"}, "x");  // clashes with the input's name
  const ir::Graph g = read(m);
  EXPECT_EQ(g.nodes.at(1).name, "a");
  EXPECT_EQ(g.nodes.at(2).name, "b");
  EXPECT_EQ(g.nodes.at(3).name, "x_1");
  EXPECT_EQ(g.outputs, std::vector<std::string>{"x_1"});
}

TEST(OnnxOps, DeclaredOutputShapeIsCrossChecked) {
  ModelBuilder m;
  m.input("x", {"N", 3}).output("y", {"N", 4});
  m.node("Relu", {"x"}, {"y"}, "r");
  try {
    read(m);
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where().node, "r");
  }
}

TEST(OnnxOps, CorruptGraphsAreInputErrors) {
  ModelBuilder missing;
  missing.input("x", {"N", 3}).output("y");
  missing.node("Relu", {"nowhere"}, {"y"}, "r");
  EXPECT_EQ(error_kind(missing), ErrorKind::kInput);

  ModelBuilder cycle;
  cycle.input("x", {"N", 3}).output("y");
  cycle.node("Add", {"x", "b"}, {"a"});
  cycle.node("Relu", {"a"}, {"b"});
  cycle.node("Relu", {"b"}, {"y"});
  EXPECT_EQ(error_kind(cycle), ErrorKind::kInput);

  ModelBuilder nan;
  nan.input("x", {"N", 2}).output("y");
  nan.initializer("B", {2, 1}, {1, std::numeric_limits<float>::quiet_NaN()});
  nan.node("Gemm", {"x", "B"}, {"y"}, "fc");
  EXPECT_EQ(error_kind(nan), ErrorKind::kInput);

  ModelBuilder raw;
  raw.input("x", {"N", 2}).output("y");
  auto& t = raw.initializer("B", {2, 1}, {});
  t.set_raw_data(std::string(7, '\0'));  // 2 floats need 8 bytes
  raw.node("MatMul", {"x", "B"}, {"y"}, "mm");
  EXPECT_EQ(error_kind(raw), ErrorKind::kInput);

  ModelBuilder huge;
  huge.input("x", {"N", 2}).output("y");
  huge.initializer("B", {1 << 20, 1 << 20}, {});
  huge.node("MatMul", {"x", "B"}, {"y"}, "mm");
  EXPECT_EQ(error_kind(huge), ErrorKind::kInput);

  ModelBuilder negative;
  negative.input("x", {"N", 2}).output("y");
  negative.initializer("B", {-2, 1}, {});
  negative.node("MatMul", {"x", "B"}, {"y"}, "mm");
  EXPECT_EQ(error_kind(negative), ErrorKind::kInput);

  ModelBuilder external;
  external.input("x", {"N", 2}).output("y");
  auto& e = external.initializer("B", {2, 1}, {});
  e.set_data_location(::onnx::TensorProto::EXTERNAL);
  external.node("MatMul", {"x", "B"}, {"y"}, "mm");
  EXPECT_EQ(error_kind(external), ErrorKind::kInput);

  ModelBuilder big_input;
  big_input.input("x", {"N", 1 << 20, 1 << 20}).output("y");
  big_input.node("Relu", {"x"}, {"y"});
  EXPECT_EQ(error_kind(big_input), ErrorKind::kInput);
}

}  // namespace
}  // namespace nnfpga::frontend::onnx
