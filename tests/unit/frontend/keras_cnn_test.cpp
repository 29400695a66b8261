// The Keras reader on the Keras 3 CNNs and model structures of tests/fixtures/keras3/ (made by
// tools/make_qat_fixtures.sh keras3_cnn with Keras 3.15 on torch): the IR it builds (explicit
// pads by TensorFlow's split, Keras's pool strides, the flattened nesting and shared layers), its
// float path against Keras's own outputs, the fixed path, and the one error listing every
// refused layer.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "api/model_io.hpp"
#include "config/config.hpp"
#include "emulate/emulator.hpp"
#include "frontend/keras/keras_reader.hpp"
#include "io/array_io.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"
#include "unsupported_message.hpp"

namespace nnfpga {
namespace {

using Ints = std::vector<std::int64_t>;

std::string fixture(const std::string& name) {
  return std::string(NNFPGA_FIXTURES_DIR) + "/keras3/" + name;
}

// The float path on <stem>.x.npy against Keras's <stem>.y.npy (float32): the largest
// difference relative to the outputs' largest magnitude.
double float_path_error(const ir::Graph& canonical, const std::string& stem) {
  ir::Graph graph = canonical;
  configure(graph, config::Tree::object());
  const emulate::Emulator emulator(graph);
  const emulate::Array x = io::read_array(fixture(stem + ".x.npy"));
  const emulate::Array want = io::read_array(fixture(stem + ".y.npy"));
  const emulate::Array got = emulator.run_float({x}).outputs.at(0);
  EXPECT_EQ(got.shape, want.shape) << stem;
  double scale = 1e-30, worst = 0;
  for (double v : want.data) scale = std::max(scale, std::abs(v));
  for (std::size_t i = 0; i < got.data.size() && i < want.data.size(); ++i) {
    worst = std::max(worst, std::abs(got.data[i] - want.data[i]) / scale);
  }
  return worst;
}

TEST(KerasCnn, Conv2DPaddingSameSplitsAsTensorFlowAndPoolsDefaultToTheirSize) {
  const ir::Graph g = read_model(fixture("cnn_conv2d.keras"));
  // 12 wide, a 4-wide kernel, stride 1: 3 pads, 1 before and 2 after on each axis.
  const ir::Node& same = g.at("conv_same");
  EXPECT_EQ(same.op, ir::OpKind::kConv2D);
  EXPECT_EQ(same.attrs.get_ints("pads"), (Ints{1, 2, 1, 2}));
  EXPECT_EQ(same.param("weight").shape, (ir::Shape{4, 4, 2, 4}));
  EXPECT_EQ(g.at("conv_same_relu").op, ir::OpKind::kRelu);
  EXPECT_EQ(g.at("max_pool").attrs.get_ints("strides"), (Ints{2, 2}));
  const ir::Node& dilated = g.at("conv_strided");
  EXPECT_EQ(dilated.attrs.get_ints("dilations"), (Ints{2, 1}));
  EXPECT_FALSE(dilated.params.count("bias"));
  // 2 x 5 pooled by 2 with 'same': 1 x 3, the last column's window half padding, averaged over
  // its one real element.
  const ir::Node& avg = g.at("avg_pool_same");
  EXPECT_EQ(avg.attrs.get_ints("pads"), (Ints{0, 0, 0, 1}));
  EXPECT_EQ(avg.attrs.get_int("count_include_pad"), 0);
  EXPECT_EQ(g.at("zero_pad").attrs.get_ints("pads"), (Ints{1, 0, 0, 2}));
  EXPECT_EQ(g.at("crop").attrs.get_ints("crops"), (Ints{0, 1, 1, 0}));
  EXPECT_EQ(g.at("conv_s2_same").attrs.get_ints("pads"), (Ints{0, 1, 0, 0}));
  EXPECT_EQ(g.at("flatten").output_shape, ir::Shape{6});
  EXPECT_LT(float_path_error(g, "cnn_conv2d"), 1e-5);
}

TEST(KerasCnn, Conv1DCausalDilatedAndTheOneDimensionalLayers) {
  const ir::Graph g = read_model(fixture("cnn_conv1d.keras"));
  const ir::Node& causal = g.at("conv_causal");
  EXPECT_EQ(causal.op, ir::OpKind::kConv1D);
  EXPECT_EQ(causal.attrs.get_ints("pads"), (Ints{4, 0}));  // d * (k - 1) before
  EXPECT_EQ(causal.attrs.get_ints("dilations"), Ints{2});
  EXPECT_EQ(g.at("max_pool").attrs.get_ints("strides"), Ints{1});
  EXPECT_EQ(g.at("upsample").op, ir::OpKind::kUpSampling1D);
  EXPECT_EQ(g.at("gap").op, ir::OpKind::kGlobalAveragePool1D);
  // keepdims=True: the pool, then its [C] reshaped to [1, C].
  EXPECT_EQ(g.at("gmp_keep_pool").op, ir::OpKind::kGlobalMaxPool1D);
  EXPECT_EQ(g.at("gmp_keep").output_shape, (ir::Shape{1, 4}));
  EXPECT_LT(float_path_error(g, "cnn_conv1d"), 1e-5);
}

TEST(KerasCnn, ResidualAddAndChannelConcatenate) {
  const ir::Graph g = read_model(fixture("cnn_residual.keras"));
  EXPECT_EQ(g.at("add").op, ir::OpKind::kAdd);
  EXPECT_EQ(g.at("cat_channels").output_shape, (ir::Shape{8, 8, 6}));
  EXPECT_EQ(g.at("gap").output_shape, ir::Shape{6});
  EXPECT_LT(float_path_error(g, "cnn_residual"), 1e-5);
}

TEST(KerasCnn, EncoderDecoderWithUpSampling2D) {
  const ir::Graph g = read_model(fixture("cnn_encoder_decoder.keras"));
  EXPECT_EQ(g.at("up_2h").attrs.get_ints("size"), (Ints{2, 1}));
  EXPECT_EQ(g.at(g.outputs.at(0)).output_shape, (ir::Shape{16, 16, 1}));
  EXPECT_LT(float_path_error(g, "cnn_encoder_decoder"), 1e-5);
}

TEST(KerasCnn, DepthwiseConvolutionsKeepKerasKernelOrder) {
  const ir::Graph g2 = read_model(fixture("cnn_depthwise2d.keras"));
  const ir::Node& dw = g2.at("dw1");
  EXPECT_EQ(dw.op, ir::OpKind::kDepthwiseConv2D);
  EXPECT_EQ(dw.param("weight").shape, (ir::Shape{4, 4, 3, 2}));  // [K_h, K_w, C, M]
  // 9 wide, a 4-wide kernel, stride 2: out 5, 3 pads, 1 before and 2 after.
  EXPECT_EQ(dw.attrs.get_ints("pads"), (Ints{1, 2, 1, 2}));
  EXPECT_EQ(dw.output_shape, (ir::Shape{5, 5, 6}));
  EXPECT_FALSE(g2.at("dw2").params.count("bias"));
  EXPECT_LT(float_path_error(g2, "cnn_depthwise2d"), 1e-5);
  const ir::Graph g1 = read_model(fixture("cnn_depthwise1d.keras"));
  EXPECT_EQ(g1.at("dw").op, ir::OpKind::kDepthwiseConv1D);
  EXPECT_EQ(g1.at("dw").output_shape, (ir::Shape{12, 6}));
  EXPECT_LT(float_path_error(g1, "cnn_depthwise1d"), 1e-5);
}

// SeparableConv is split into a depthwise node and a 1x1 Conv keeping the layer's name (the bias
// on the pointwise one); Permute is a Transpose of the IR axes.
TEST(KerasCnn, SeparableConvolutionsSplitAndPermuteTransposes) {
  const ir::Graph g = read_model(fixture("cnn_separable.keras"));
  const ir::Node& dw = g.at("sep2d_depthwise");
  EXPECT_EQ(dw.op, ir::OpKind::kDepthwiseConv2D);
  EXPECT_EQ(dw.param("weight").shape, (ir::Shape{3, 3, 3, 2}));
  EXPECT_FALSE(dw.params.count("bias"));
  const ir::Node& pw = g.at("sep2d");
  EXPECT_EQ(pw.op, ir::OpKind::kConv2D);
  EXPECT_EQ(pw.param("weight").shape, (ir::Shape{1, 1, 6, 5}));
  EXPECT_TRUE(pw.params.count("bias"));
  const ir::Node& swap = g.at("swap_hw");
  EXPECT_EQ(swap.op, ir::OpKind::kTranspose);
  EXPECT_EQ(swap.attrs.get_ints("perm"), (Ints{1, 0, 2}));
  EXPECT_EQ(swap.output_shape, (ir::Shape{6, 8, 5}));
  EXPECT_EQ(g.at("sep1d_depthwise").op, ir::OpKind::kDepthwiseConv1D);
  EXPECT_FALSE(g.at("sep1d").params.count("bias"));
  EXPECT_LT(float_path_error(g, "cnn_separable"), 1e-5);
}

// Types wide enough for the fixtures' ranges: nothing overflows, and the outputs stay within
// what 12 fraction bits and 4096-entry tables allow.
TEST(KerasCnn, FixedPathOfTheCnnsDoesNotOverflow) {
  for (const char* stem : {"cnn_conv2d", "cnn_conv1d", "cnn_residual", "cnn_encoder_decoder",
                           "cnn_depthwise2d", "cnn_depthwise1d", "cnn_separable"}) {
    ir::Graph g = read_model(fixture(std::string(stem) + ".keras"));
    config::Tree tree = config::Tree::object();
    config::apply_assignment(tree, "Model.Precision=ap_fixed<26,12,AP_RND_CONV,AP_SAT>");
    config::apply_assignment(tree, "Model.Precision.table=ap_fixed<18,2,AP_RND_CONV,AP_SAT>");
    configure(g, tree);
    const emulate::Emulator emulator(g);
    const emulate::Array x = io::read_array(fixture(std::string(stem) + ".x.npy"));
    const emulate::Array want = io::read_array(fixture(std::string(stem) + ".y.npy"));
    const emulate::RunResult r = emulator.run({x});
    for (const emulate::LayerOverflow& o : r.overflows) {
      EXPECT_EQ(o.result_overflows, 0) << stem << " " << o.layer;
      EXPECT_EQ(o.accum_overflows, 0) << stem << " " << o.layer;
    }
    double worst = 0;
    for (std::size_t i = 0; i < want.data.size(); ++i) {
      worst = std::max(worst, std::abs(r.outputs[0].data[i] - want.data[i]));
    }
    EXPECT_LT(worst, 0.02) << stem;
  }
}

TEST(KerasStructures, NestedModelsAndASharedLayerAreFlattened) {
  const ir::Graph g = read_model(fixture("keras_structures.keras"));
  // The shared Dense's two calls: two nodes with the same weights.
  const ir::Node& first = g.at("shared");
  const ir::Node& second = g.at("shared_call2");
  EXPECT_EQ(first.param("weight"), second.param("weight"));
  EXPECT_EQ(first.inputs, std::vector<std::string>{"x"});
  EXPECT_EQ(second.inputs, std::vector<std::string>{"shared_tanh"});
  // The nested Sequential's layers in its place; the nested functional model called twice has
  // its layers twice, the second call's prefixed with the model's name.
  EXPECT_EQ(g.at("seq_dense").inputs, std::vector<std::string>{"shared_call2_tanh"});
  EXPECT_EQ(g.at("func_dense").param("weight"),
            g.at("inner_func_call2_func_dense").param("weight"));
  EXPECT_EQ(g.at("inner_func_call2_func_add").inputs.front(), "func_add");
  EXPECT_LT(float_path_error(g, "keras_structures"), 1e-5);
}

// The same models saved by Keras 3 as legacy HDF5 (model.save("x.h5")): the same graphs, the
// nested models' weights read from their groups.
TEST(KerasStructures, Keras3LegacyH5ReadsAsTheArchive) {
  for (const char* stem : {"keras_structures", "cnn_residual"}) {
    const ir::Graph h5 = read_model(fixture(std::string(stem) + ".h5"));
    const ir::Graph archive = read_model(fixture(std::string(stem) + ".keras"));
    EXPECT_EQ(h5.nodes.size(), archive.nodes.size()) << stem;
    for (const ir::Node& n : archive.nodes) EXPECT_EQ(h5.at(n.name).params, n.params) << n.name;
    EXPECT_LT(float_path_error(h5, stem), 1e-5) << stem;
  }
}

TEST(KerasStructures, ActivationStringsThatAreIrOps) {
  const ir::Graph g = read_model(fixture("keras_structures.keras"));
  const ir::Node& leaky = g.at("act_leaky");
  EXPECT_EQ(leaky.op, ir::OpKind::kLeakyRelu);
  EXPECT_DOUBLE_EQ(leaky.attrs.get_float("alpha"), 0.2);
  const ir::Node& relu6 = g.at("seq_dense_2_relu6");
  EXPECT_EQ(relu6.op, ir::OpKind::kClip);
  EXPECT_DOUBLE_EQ(relu6.attrs.get_float("max"), 6.0);
  EXPECT_DOUBLE_EQ(g.at("func_dense_hard_tanh").attrs.get_float("min"), -1.0);
  // selu: scale * elu(x, alpha); the scale becomes a BatchNorm after the ELU.
  EXPECT_EQ(g.at("seq_dense_selu_elu").op, ir::OpKind::kElu);
  EXPECT_EQ(g.at("seq_dense_selu").op, ir::OpKind::kBatchNorm);
}

TEST(KerasStructures, EveryRefusedLayerIsNamedInOneError) {
  const std::string text = test_support::unsupported_message(fixture("unsupported_cnn.keras"));
  EXPECT_NE(text.find("conv_cf (Conv2D)"), std::string::npos) << text;
  EXPECT_NE(text.find("data_format='channels_first'"), std::string::npos) << text;
  EXPECT_NE(text.find("up_bilinear (UpSampling2D)"), std::string::npos) << text;
  EXPECT_NE(text.find("interpolation='bilinear'"), std::string::npos) << text;
  EXPECT_NE(text.find("dense_gelu (Dense)"), std::string::npos) << text;
  EXPECT_NE(text.find("activation 'gelu'"), std::string::npos) << text;
}

// What the fuzzer (tests/fuzz/fuzz_keras_reader.cpp) does, over the CNN seeds of its corpus and
// deterministic edits of them: each CNN layer's config with a wrong value, or cut short. Only
// nnfpga::Error may escape.
TEST(KerasCnn, EditedCnnConfigsFailWithNnfpgaErrorsOnly) {
  const std::string dir = std::string(NNFPGA_FIXTURES_DIR) + "/../fuzz/corpus/keras/";
  const std::vector<std::pair<std::string, std::string>> edits = {
      {"\"padding\": \"same\"", "\"padding\": \"full\""},
      {"\"padding\": \"valid\"", "\"padding\": [1, 2]"},
      {"\"kernel_size\": [", "\"kernel_size\": [0, "},
      {"\"strides\": [", "\"strides\": [-1, "},
      {"\"pool_size\": [", "\"pool_size\": [99, "},
      {"\"size\": [", "\"size\": [0, "},
      {"\"cropping\": [", "\"cropping\": [[40, 40], "},
      {"\"dilation_rate\": [", "\"dilation_rate\": \"2\", \"x\": ["},
      {"\"keepdims\": true", "\"keepdims\": 3"},
      {"keras_history\": [\"", "keras_history\": [\"missing_"},
  };
  for (const char* seed :
       {"cnn_conv2d", "cnn_conv1d", "cnn_residual", "cnn_encoder_decoder", "cnn_depthwise2d",
        "cnn_depthwise1d", "cnn_separable", "keras_structures", "unsupported_cnn"}) {
    std::ifstream in(dir + seed + ".json");
    std::stringstream text;
    text << in.rdbuf();
    const std::string original = text.str();
    ASSERT_FALSE(original.empty()) << seed;
    std::vector<std::string> inputs = {original};
    for (const auto& [from, to] : edits) {
      for (std::size_t at = original.find(from); at != std::string::npos;
           at = original.find(from, at + 1)) {
        inputs.push_back(std::string(original).replace(at, from.size(), to));
      }
    }
    for (std::size_t cut = 0; cut < original.size(); cut += 211) {
      inputs.push_back(original.substr(0, cut));
    }
    for (const std::string& input : inputs) {
      try {
        const auto model = frontend::keras::parse_keras_model(input, "fuzz.json");
        (void)frontend::keras::graph_from_keras(model, {}, "fuzz.json");
      } catch (const Error&) {
        // The documented failure mode.
      }
    }
  }
}

}  // namespace
}  // namespace nnfpga
