// The ONNX reader's CNN ops on small graphs built in the test: what each attribute becomes in the
// IR (pads, auto_pad, kernels in the IR's order, scales, sizes) and each refusal with its reason.
#include <gtest/gtest.h>

#include <functional>

#include "frontend/onnx/onnx_reader.hpp"
#include "nnfpga/error.hpp"
#include "onnx_builder.hpp"

namespace nnfpga::frontend::onnx {
namespace {

using ir::OpKind;
using testing::ModelBuilder;
using testing::set_attr;
using testing::set_ints;
using testing::set_string;

ir::Graph read(const ModelBuilder& m) {
  return read_onnx_bytes(m.bytes(), "test.onnx");
}

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

// x (N, 1, 5, 5) -> Conv(W [2, 1, 2, 2] = 0..7, stride 2, auto_pad) -> y
ModelBuilder conv_model(const std::string& auto_pad) {
  ModelBuilder m;
  m.input("x", {"N", 1, 5, 5}).output("y");
  m.initializer("w", {2, 1, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
  auto& c = m.node("Conv", {"x", "w"}, {"y"}, "conv");
  set_ints(c, "strides", {2, 2});
  set_string(c, "auto_pad", auto_pad);
  return m;
}

TEST(OnnxCnnOps, ConvResolvesAutoPadAndReordersItsKernel) {
  // Output ceil(5 / 2) = 3 needs one padded position: after (SAME_UPPER) or before (LOWER).
  const ir::Graph upper = read(conv_model("SAME_UPPER"));
  const ir::Node& c = upper.at("conv");
  EXPECT_EQ(c.op, OpKind::kConv2D);
  EXPECT_EQ(c.attrs.get_ints("pads"), (std::vector<std::int64_t>{0, 1, 0, 1}));
  EXPECT_EQ(c.output_shape, (ir::Shape{3, 3, 2}));
  // [F, C, kh, kw] -> [kh, kw, C, F]
  EXPECT_EQ(c.param("weight").shape, (ir::Shape{2, 2, 1, 2}));
  EXPECT_EQ(c.param("weight").data, (std::vector<double>{0, 4, 1, 5, 2, 6, 3, 7}));
  EXPECT_EQ(c.params.count("bias"), 0u);
  EXPECT_EQ(upper.source_axes.at("x"), (std::vector<int>{2, 0, 1}));
  EXPECT_EQ(upper.source_axes.at("conv"), (std::vector<int>{2, 0, 1}));
  EXPECT_EQ(read(conv_model("SAME_LOWER")).at("conv").attrs.get_ints("pads"),
            (std::vector<std::int64_t>{1, 0, 1, 0}));
  EXPECT_EQ(read(conv_model("VALID")).at("conv").output_shape, (ir::Shape{2, 2, 2}));
}

TEST(OnnxCnnOps, GroupEqualToChannelsIsADepthwiseConvolution) {
  // W [C*M = 4, 1, 1, 2] = 0..7 over 2 channels: depth multiplier 2, output channel c*M + m.
  ModelBuilder m;
  m.input("x", {"N", 2, 4, 4}).output("y");
  m.initializer("w", {4, 1, 1, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
  set_attr(m.node("Conv", {"x", "w"}, {"y"}, "dw"), "group", std::int64_t{2});
  const ir::Graph g = read(m);
  const ir::Node& dw = g.at("dw");
  EXPECT_EQ(dw.op, OpKind::kDepthwiseConv2D);
  // [C*M, 1, kh, kw] -> [kh, kw, C, M]: tap (0, 0) holds every output channel's first value.
  EXPECT_EQ(dw.param("weight").shape, (ir::Shape{1, 2, 2, 2}));
  EXPECT_EQ(dw.param("weight").data, (std::vector<double>{0, 2, 4, 6, 1, 3, 5, 7}));
  EXPECT_EQ(dw.output_shape, (ir::Shape{4, 3, 4}));
}

TEST(OnnxCnnOps, OtherGroupingsAreRefusedWithTheReason) {
  ModelBuilder m;
  m.input("x", {"N", 4, 4, 4}).output("y");
  m.initializer("w", {2, 2, 1, 1}, {1, 2, 3, 4});
  set_attr(m.node("Conv", {"x", "w"}, {"y"}, "grouped"), "group", std::int64_t{2});
  EXPECT_NE(refusal(m).find("grouped (Conv): group = 2 of 4 channels: only group = 1 and "
                            "depthwise convolutions"),
            std::string::npos);
}

TEST(OnnxCnnOps, PoolsKeepTheirAttributes) {
  ModelBuilder m;
  m.input("x", {"N", 3, 6, 6}).output("y");
  auto& a = m.node("AveragePool", {"x"}, {"a"}, "avg");
  set_ints(a, "kernel_shape", {3, 3});
  set_ints(a, "pads", {1, 1, 1, 1});
  set_attr(a, "count_include_pad", std::int64_t{1});
  auto& p = m.node("MaxPool", {"a"}, {"p"}, "max");
  set_ints(p, "kernel_shape", {2, 2});
  set_ints(p, "strides", {2, 2});
  set_attr(p, "ceil_mode", std::int64_t{1});  // 6 / 2: no partial window, so accepted
  m.node("GlobalAveragePool", {"p"}, {"y"}, "gap");
  const ir::Graph g = read(m);
  EXPECT_EQ(g.at("avg").op, OpKind::kAveragePool2D);
  EXPECT_EQ(g.at("avg").attrs.get_int("count_include_pad"), 1);
  EXPECT_EQ(g.at("max").output_shape, (ir::Shape{3, 3, 3}));
  EXPECT_EQ(g.at("gap").op, OpKind::kGlobalAveragePool2D);
  // The file's output (N, 3, 1, 1): the IR's [3] given back with its size-1 axes.
  EXPECT_EQ(g.at(g.outputs.at(0)).output_shape, (ir::Shape{3, 1, 1}));

  ModelBuilder partial;
  partial.input("x", {"N", 1, 5, 5}).output("y");
  auto& q = partial.node("MaxPool", {"x"}, {"y"}, "pool");
  set_ints(q, "kernel_shape", {2, 2});
  set_ints(q, "strides", {2, 2});
  set_attr(q, "ceil_mode", std::int64_t{1});
  EXPECT_NE(refusal(partial).find("pool (MaxPool): ceil_mode = 1 adds a partial window"),
            std::string::npos);
}

TEST(OnnxCnnOps, PadBecomesZeroPaddingOrCropping) {
  auto pad = [](std::vector<std::int64_t> pads, float value) {
    ModelBuilder m;
    m.input("x", {"N", 2, 4, 4}).output("y");
    m.int_initializer("pads", pads);
    m.initializer("v", {}, {value});
    m.node("Pad", {"x", "pads", "v"}, {"y"}, "pad");
    return m;
  };
  const ir::Graph g = read(pad({0, 0, 1, 2, 0, 0, 3, 0}, 0));  // top 1, left 2, bottom 3
  EXPECT_EQ(g.at("pad").op, OpKind::kZeroPadding2D);
  EXPECT_EQ(g.at("pad").attrs.get_ints("pads"), (std::vector<std::int64_t>{1, 3, 2, 0}));
  EXPECT_EQ(g.at("pad").output_shape, (ir::Shape{8, 6, 2}));
  const ir::Graph c = read(pad({0, 0, -1, 0, 0, 0, 0, -2}, 0));
  EXPECT_EQ(c.at("pad").op, OpKind::kCropping2D);
  EXPECT_EQ(c.at("pad").attrs.get_ints("crops"), (std::vector<std::int64_t>{1, 0, 0, 2}));
  EXPECT_NE(refusal(pad({0, 0, 1, 1, 0, 0, 1, 1}, 0.5f)).find("pad (Pad): constant_value"),
            std::string::npos);
  EXPECT_NE(refusal(pad({0, 1, 0, 0, 0, 0, 0, 0}, 0)).find("it pads the channel axis"),
            std::string::npos);
}

TEST(OnnxCnnOps, ResizeNearestFromScalesOrSizes) {
  ModelBuilder m(13);
  m.input("x", {"N", 2, 3, 4}).output("y");
  m.int_initializer("sizes", {1, 2, 6, 12});
  m.node("Resize", {"x", "", "", "sizes"}, {"y"}, "up");  // default half_pixel, round_prefer_floor
  const ir::Graph g = read(m);
  const ir::Node& up = g.at("up");
  EXPECT_EQ(up.op, OpKind::kUpSampling2D);
  EXPECT_EQ(up.attrs.get_ints("size"), (std::vector<std::int64_t>{2, 3}));

  ModelBuilder linear(13);
  linear.input("x", {"N", 2, 3, 4}).output("y");
  linear.initializer("scales", {4}, {1, 1, 2, 2});
  set_string(linear.node("Resize", {"x", "", "scales"}, {"y"}, "r"), "mode", "linear");
  EXPECT_NE(refusal(linear).find("r (Resize): mode 'linear'"), std::string::npos);

  ModelBuilder half(13);
  half.input("x", {"N", 2, 3, 4}).output("y");
  half.initializer("scales", {4}, {1, 1, 1.5f, 2});
  auto& r = half.node("Resize", {"x", "", "scales"}, {"y"}, "r");
  set_string(r, "coordinate_transformation_mode", "asymmetric");
  set_string(r, "nearest_mode", "floor");
  EXPECT_NE(refusal(half).find("scale 1.500000 of axis 2 is not a whole number"),
            std::string::npos);
}

TEST(OnnxCnnOps, QonnxChannelsLastOpsTakeNhwcTensors) {
  // What qonnx's ConvertToChannelsLast writes: NCHW input, Transpose to NHWC, a channels-last
  // Conv, Transpose back. No transpose reaches the IR, and the Conv is the standard one.
  ModelBuilder m;
  m.input("x", {"N", 2, 4, 4}).output("y");
  m.initializer("w", {3, 1, 1, 2}, {1, 2, 3, 4, 5, 6});  // channels-last: [F, kh, kw, C]
  set_ints(m.node("Transpose", {"x"}, {"t"}, "to_nhwc"), "perm", {0, 2, 3, 1});
  auto& c = m.node("Conv", {"t", "w"}, {"c"}, "conv");
  c.set_domain("qonnx.custom_op.channels_last");
  set_ints(c, "kernel_shape", {1, 1});
  set_ints(m.node("Transpose", {"c"}, {"y"}, "to_nchw"), "perm", {0, 3, 1, 2});
  const ir::Graph g = read(m);
  EXPECT_EQ(g.at("conv").op, OpKind::kConv2D);
  EXPECT_EQ(g.at("conv").output_shape, (ir::Shape{4, 4, 3}));
  EXPECT_EQ(g.source_axes.at("x"), (std::vector<int>{2, 0, 1}));
  EXPECT_EQ(g.source_axes.at("conv"), (std::vector<int>{2, 0, 1}));
  for (const ir::Node& n : g.nodes) EXPECT_NE(n.source_op, "Transpose");
}

TEST(OnnxCnnOps, Tf2onnxTransposePairAroundABatchNormIsPerChannel) {
  // tf2onnx's pattern for a Keras BatchNormalization on an NHWC tensor: Transpose to NCHW,
  // BatchNormalization over axis 1, Transpose back. The IR holds the input as it is and puts
  // the per-channel parameters on its last axis; neither Transpose becomes a node.
  ModelBuilder m;
  m.input("x", {"N", 2, 2, 3}).output("y");
  m.initializer("scale", {3}, {1, 2, 3});
  m.initializer("bias", {3}, {0, 0, 0});
  m.initializer("mean", {3}, {0, 0, 0});
  m.initializer("var", {3}, {1, 1, 1});
  set_ints(m.node("Transpose", {"x"}, {"t"}, "to_nchw"), "perm", {0, 3, 1, 2});
  auto& bn = m.node("BatchNormalization", {"t", "scale", "bias", "mean", "var"}, {"b"}, "bn");
  set_attr(bn, "epsilon", 0.0f);
  set_ints(m.node("Transpose", {"b"}, {"y"}, "to_nhwc"), "perm", {0, 2, 3, 1});
  const ir::Graph g = read(m);
  EXPECT_TRUE(g.source_axes.empty());
  const ir::Node& n = g.at("bn");
  EXPECT_EQ(n.output_shape, (ir::Shape{2, 2, 3}));
  EXPECT_EQ(n.param("scale").data, (std::vector<double>{1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3}));
  EXPECT_EQ(g.outputs, std::vector<std::string>{"bn"});
}

TEST(OnnxCnnOps, ASequenceForAMatMulKeepsItsOrder) {
  // (N, seq, features) into a MatMul: no op wants it channels-last, so it is held as it is.
  ModelBuilder m;
  m.input("x", {"N", 3, 4}).output("y");
  m.initializer("w", {4, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  m.node("MatMul", {"x", "w"}, {"y"}, "mm");
  const ir::Graph g = read(m);
  EXPECT_TRUE(g.source_axes.empty());
  EXPECT_EQ(g.at("x").output_shape, (ir::Shape{3, 4}));
}

TEST(OnnxCnnOps, OlderBrevitasDomainIsRead) {
  ModelBuilder m;
  m.input("x", {"N", 4}).output("y");
  m.initializer("s", {}, {0.125f});
  m.initializer("z", {}, {0});
  m.initializer("b", {}, {6});
  auto& q = m.node("Quant", {"x", "s", "z", "b"}, {"y"}, "q");
  q.set_domain("onnx.brevitas");
  EXPECT_EQ(read(m).at("q").op, OpKind::kQuantize);
}

TEST(OnnxCnnOps, AChannelsFirstTensorIsTransposedForAConv) {
  // A Dense output reshaped to (N, C, H, W) is held in the file's order: the Conv gets it
  // channels-last through an IR Transpose (perm in the IR's axes, batch excluded).
  ModelBuilder m;
  m.input("x", {"N", 8}).output("y");
  m.initializer("w", {8, 8}, std::vector<float>(64, 0.5f));
  m.int_initializer("shape", {-1, 2, 2, 2});
  m.initializer("k", {1, 2, 1, 1}, {1, 1});
  m.node("MatMul", {"x", "w"}, {"d"}, "dense");
  m.node("Reshape", {"d", "shape"}, {"r"}, "reshape");
  m.node("Conv", {"r", "k"}, {"y"}, "conv");
  const ir::Graph g = read(m);
  const ir::Node& t = g.at(g.at("conv").inputs.at(0));
  EXPECT_EQ(t.op, OpKind::kTranspose);
  EXPECT_EQ(t.inputs, std::vector<std::string>{"reshape"});
  EXPECT_EQ(t.attrs.get_ints("perm"), (std::vector<std::int64_t>{1, 2, 0}));
  EXPECT_EQ(t.output_shape, (ir::Shape{2, 2, 2}));
}

TEST(OnnxCnnOps, APermMovingTheBatchIsRefused) {
  ModelBuilder batch;
  batch.input("x", {"N", 2, 3}).output("y");
  set_ints(batch.node("Transpose", {"x"}, {"y"}, "t"), "perm", {1, 0, 2});
  EXPECT_NE(refusal(batch).find("t (Transpose): perm moves the batch axis"), std::string::npos);
}

// x (N, 4, 3, 3) -> 1x1 Conv "c" (held channels-last [3, 3, 4]), with `extra` building more.
ModelBuilder feature_map(const std::function<void(ModelBuilder&)>& extra) {
  ModelBuilder m;
  m.input("x", {"N", 4, 3, 3}).output("y");
  std::vector<float> eye(16, 0.0f);
  for (int i = 0; i < 4; ++i) eye[static_cast<std::size_t>(i * 5)] = 1.0f;
  m.initializer("k", {4, 4, 1, 1}, eye);
  m.node("Conv", {"x", "k"}, {"c"}, "c");
  extra(m);
  return m;
}

TEST(OnnxCnnOps, AChannelVectorOrASpatialMapBroadcastsAgainstAFeatureMap) {
  // Squeeze-and-excitation: a (N, C) vector viewed as (N, C, 1, 1) scales every position; the
  // IR's Multiply takes it as [1, 1, C] (a Reshape, no data moved).
  const ir::Graph se = read(feature_map([](ModelBuilder& m) {
    m.node("GlobalAveragePool", {"c"}, {"g"}, "gap");
    m.int_initializer("vec", {-1, 4});
    m.node("Reshape", {"g", "vec"}, {"v"}, "flat");
    m.int_initializer("shape", {-1, 4, 1, 1});
    m.node("Reshape", {"v", "shape"}, {"s"}, "view");
    m.node("Mul", {"c", "s"}, {"y"}, "scale");
  }));
  const ir::Node& mul = se.at("scale");
  EXPECT_EQ(mul.op, OpKind::kMultiply);
  EXPECT_EQ(mul.inputs.at(0), "c");
  EXPECT_EQ(se.at(mul.inputs.at(1)).output_shape, (ir::Shape{1, 1, 4}));
  EXPECT_EQ(se.at(mul.inputs.at(1)).op, OpKind::kReshape);
  EXPECT_EQ(mul.output_shape, (ir::Shape{3, 3, 4}));
  EXPECT_EQ(se.source_axes.at(se.outputs.at(0)), (std::vector<int>{2, 0, 1}));
  // Spatial attention: a (N, 1, H, W) map, held [3, 3, 1], against every channel; Max too.
  const ir::Graph sa = read(feature_map([](ModelBuilder& m) {
    m.initializer("one", {1, 4, 1, 1}, {1, 1, 1, 1});
    m.node("Conv", {"c", "one"}, {"a"}, "attention");
    m.node("Max", {"a", "c"}, {"y"}, "most");
  }));
  const ir::Node& max = sa.at("most");
  EXPECT_EQ(max.op, OpKind::kMaximum);
  EXPECT_EQ(max.inputs, (std::vector<std::string>{"attention", "c"}));
  EXPECT_EQ(sa.at("attention").output_shape, (ir::Shape{3, 3, 1}));
  EXPECT_EQ(max.output_shape, (ir::Shape{3, 3, 4}));
  // Both operands broadcast: (N, C, 1, 1) + (N, 1, H, W) is [1, 1, C] + [H, W, 1].
  const ir::Graph both = read(feature_map([](ModelBuilder& m) {
    m.node("GlobalMaxPool", {"c"}, {"g"}, "gmp");
    m.initializer("one", {1, 4, 1, 1}, {1, 1, 1, 1});
    m.node("Conv", {"c", "one"}, {"a"}, "attention");
    m.node("Add", {"g", "a"}, {"y"}, "sum");
  }));
  const ir::Node& sum = both.at("sum");
  EXPECT_EQ(both.at(sum.inputs.at(0)).output_shape, (ir::Shape{1, 1, 4}));
  EXPECT_EQ(sum.inputs.at(1), "attention");
  EXPECT_EQ(sum.output_shape, (ir::Shape{3, 3, 4}));
  EXPECT_EQ(both.source_axes.at(both.outputs.at(0)), (std::vector<int>{2, 0, 1}));
}

TEST(OnnxCnnOps, ABroadcastAgainstAFlattenedFeatureMapIsRefused) {
  // A flattened map is held in HWC order; a vector in the file's CHW order cannot meet it
  // element by element (no IR op gathers).
  ModelBuilder m = feature_map([](ModelBuilder& b) {
    b.node("Flatten", {"c"}, {"f"}, "flat");
    b.input("z", {"N", 36});
    b.node("Add", {"f", "z"}, {"y"}, "sum");
  });
  EXPECT_NE(refusal(m).find("sum (Add): inputs 'f' and 'z' hold their elements in different "
                            "orders"),
            std::string::npos);
}

TEST(OnnxCnnOps, AFlattenedFeatureMapOutputIsTransposedToTheFilesOrder) {
  // Flattened for a Dense, a map keeps the IR's HWC order (the Dense's rows follow it); as a
  // graph output it is given in the file's CHW order, so it is transposed before the Flatten.
  const ir::Graph g =
      read(feature_map([](ModelBuilder& m) { m.node("Flatten", {"c"}, {"y"}, "flat"); }));
  const ir::Node& t = g.at(g.at("flat").inputs.at(0));
  EXPECT_EQ(t.op, OpKind::kTranspose);
  EXPECT_EQ(t.attrs.get_ints("perm"), (std::vector<std::int64_t>{2, 0, 1}));
  EXPECT_EQ(g.outputs, std::vector<std::string>{"flat"});
  EXPECT_EQ(g.source_axes.count("flat"), 0u);
}

TEST(OnnxCnnOps, AReshapeOfAxesTheIrHoldsSideBySideMovesNoData) {
  // flatten(2) of an NCHW map held [H, W, C]: (C, H*W) is [H*W, C], still channels-last.
  const ir::Graph g = read(feature_map([](ModelBuilder& m) {
    m.int_initializer("shape", {-1, 4, 9});
    m.node("Reshape", {"c", "shape"}, {"y"}, "rows");
  }));
  const ir::Node& r = g.at("rows");
  EXPECT_EQ(r.inputs, std::vector<std::string>{"c"});
  EXPECT_EQ(r.attrs.get_ints("shape"), (std::vector<std::int64_t>{9, 4}));
  EXPECT_EQ(g.source_axes.at("rows"), (std::vector<int>{1, 0}));
  // (C*H, W) merges C and H, which the IR does not hold side by side: transposed first.
  const ir::Graph moved = read(feature_map([](ModelBuilder& m) {
    m.int_initializer("shape", {-1, 12, 3});
    m.node("Reshape", {"c", "shape"}, {"y"}, "rows");
  }));
  EXPECT_EQ(moved.at(moved.at("rows").inputs.at(0)).op, OpKind::kTranspose);
}

TEST(OnnxCnnOps, ConcatRunsOnRowsAndColumnsAndTransposesAnInputHeldOtherwise) {
  const ir::Graph rows = read(feature_map([](ModelBuilder& m) {
    set_attr(m.node("Concat", {"c", "c"}, {"y"}, "rows"), "axis", std::int64_t{2});
  }));
  EXPECT_EQ(rows.at("rows").attrs.get_int("axis"), 0);  // H of (C, H, W), held [H, W, C]
  EXPECT_EQ(rows.at("rows").output_shape, (ir::Shape{6, 3, 4}));
  const ir::Graph cols = read(feature_map([](ModelBuilder& m) {
    set_attr(m.node("Concat", {"c", "c"}, {"y"}, "cols"), "axis", std::int64_t{-1});
  }));
  EXPECT_EQ(cols.at("cols").attrs.get_int("axis"), 1);
  // A (N, 4, 3, 3) tensor from a Reshape is held in the file's order: it is transposed to the
  // feature map's channels-last order before the channel Concat.
  const ir::Graph mixed = read(feature_map([](ModelBuilder& m) {
    m.input("z", {"N", 36});
    m.int_initializer("shape", {-1, 4, 3, 3});
    m.node("Reshape", {"z", "shape"}, {"r"}, "view");
    m.node("Concat", {"c", "r"}, {"y"}, "cat");
  }));
  const ir::Node& cat = mixed.at("cat");
  EXPECT_FALSE(cat.attrs.has("axis"));  // the last: the channels
  EXPECT_EQ(cat.inputs.at(0), "c");
  const ir::Node& t = mixed.at(cat.inputs.at(1));
  EXPECT_EQ(t.op, OpKind::kTranspose);
  EXPECT_EQ(t.attrs.get_ints("perm"), (std::vector<std::int64_t>{1, 2, 0}));
  EXPECT_EQ(cat.output_shape, (ir::Shape{3, 3, 8}));
}

TEST(OnnxCnnOps, GatherComputesSizesAndRefusesActivations) {
  // TorchScript's x.view(x.size(0), C, 1, 1): Shape, Gather, Unsqueeze, Concat give the target.
  const ir::Graph g = read(feature_map([](ModelBuilder& m) {
    m.node("GlobalAveragePool", {"c"}, {"g"}, "gap");
    m.node("Shape", {"g"}, {"sh"}, "shape");
    m.int_initializer("zero", {0});
    m.node("Gather", {"sh", "zero"}, {"n"}, "size0");
    m.int_initializer("rest", {4, 1, 1});
    set_attr(m.node("Concat", {"n", "rest"}, {"target"}, "target"), "axis", std::int64_t{0});
    m.node("Reshape", {"g", "target"}, {"s"}, "view");
    m.node("Mul", {"c", "s"}, {"y"}, "scale");
  }));
  EXPECT_EQ(g.at("scale").output_shape, (ir::Shape{3, 3, 4}));
  ModelBuilder act = feature_map([](ModelBuilder& m) {
    m.int_initializer("i", {0});
    m.node("Gather", {"c", "i"}, {"y"}, "pick");
  });
  EXPECT_NE(refusal(act).find("pick (Gather): a Gather of an activation"), std::string::npos);

  // An index past int64's range (a fuzzer's float initializer): an error naming the node, where
  // the conversion to an integer would be undefined behaviour.
  ModelBuilder huge = feature_map([](ModelBuilder& m) {
    m.node("Shape", {"c"}, {"sh"}, "shape");
    m.initializer("far", {1}, {1.8e19f});
    m.node("Gather", {"sh", "far"}, {"n"}, "size_far");
    m.int_initializer("rest", {4, 1, 1});
    set_attr(m.node("Concat", {"n", "rest"}, {"target"}, "target"), "axis", std::int64_t{0});
    m.node("Reshape", {"c", "target"}, {"y"}, "view");
  });
  try {
    read(huge);
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput) << e.what();
    EXPECT_NE(std::string(e.what()).find("not an integer index or size"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("size_far"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nnfpga::frontend::onnx
