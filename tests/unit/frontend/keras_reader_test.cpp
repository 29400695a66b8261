// The Keras reader on files written by the real frameworks (tests/fixtures/keras2/, made by
// tools/make_keras2_fixtures.sh with TensorFlow 2.15's Keras 2): the IR it builds, its float
// path against the framework's own outputs, and the errors for broken and unsupported files.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "api/model_io.hpp"
#include "emulate/emulator.hpp"
#include "frontend/keras/keras_reader.hpp"
#include "frontend/keras/keras_weights.hpp"
#include "io/array_io.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend::keras {
namespace {

std::string fixture(const std::string& name) {
  return std::string(NNFPGA_FIXTURES_DIR) + "/keras2/" + name;
}

std::string keras3_fixture(const std::string& name) {
  return std::string(NNFPGA_FIXTURES_DIR) + "/keras3/" + name;
}

// The float path of the graph read from `model` on <stem>.x.npy, against Keras's <stem>.y.npy
// (float32): the largest difference relative to the output's scale. `path` gives a fixture's
// path from its name (keras2 by default).
double float_path_error(const ir::Graph& canonical, const std::string& stem,
                        std::string (*path)(const std::string&) = fixture) {
  ir::Graph graph = canonical;
  configure(graph, config::Tree::object());
  const emulate::Emulator emulator(graph);
  const emulate::Array x = io::read_array(path(stem + ".x.npy"));
  const emulate::Array want = io::read_array(path(stem + ".y.npy"));
  const emulate::Array got = emulator.run_float({x}).outputs.at(0);
  EXPECT_EQ(got.shape, want.shape);
  double scale = 1e-30, worst = 0;
  for (double v : want.data) scale = std::max(scale, std::abs(v));
  for (std::size_t i = 0; i < got.data.size(); ++i) {
    worst = std::max(worst, std::abs(got.data[i] - want.data[i]) / scale);
  }
  return worst;
}

std::string error_of(const std::function<void()>& read, ErrorKind kind) {
  try {
    read();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(KerasReader, SequentialH5WithBatchNormReshapeAndDropout) {
  const ir::Graph g = read_model(fixture("seq_bn_reshape.h5"));
  std::vector<std::string> names;
  for (const ir::Node& n : g.nodes) names.push_back(n.name);
  // bn_full folds into d0 and bn_noscale into d1; Dropout leaves no layer.
  EXPECT_EQ(names, (std::vector<std::string>{"x", "flatten_in", "d0", "relu", "reshape",
                                             "flatten_mid", "d1", "d2"}));
  EXPECT_LT(float_path_error(g, "seq_bn_reshape"), 1e-5);
}

TEST(KerasReader, JsonArchitectureWithEitherWeightsLayout) {
  // TF 2.15's save_weights writes the Keras 3 layout without layer names; the legacy one names
  // every weight. Both must give the same graph.
  const ir::Graph beside = read_model(fixture("json_func_mlp.json"));
  const ir::Graph legacy =
      read_keras_model(fixture("json_func_mlp.json"), fixture("json_func_mlp_weights.h5"));
  EXPECT_EQ(beside, legacy);
  EXPECT_LT(float_path_error(beside, "json_func_mlp"), 1e-5);
}

TEST(KerasReader, AnAverageOfThreeIsTheExactSumTimesOneThird) {
  const ir::Graph g = read_model(keras3_fixture("keras_functional.keras"));
  const ir::Node* sum = nullptr;
  const ir::Node* scale = nullptr;
  for (const ir::Node& n : g.nodes) {
    if (n.name == "average_sum") sum = &n;
    if (n.name == "average") scale = &n;
  }
  ASSERT_NE(sum, nullptr);
  ASSERT_NE(scale, nullptr);
  EXPECT_EQ(sum->op, ir::OpKind::kAdd);
  EXPECT_EQ(sum->inputs.size(), 3u);
  EXPECT_EQ(sum->declared_types.at("result"), "auto");
  // The passes make x * (1/3) an element-wise BatchNorm that keeps the layer's name.
  EXPECT_EQ(scale->op, ir::OpKind::kBatchNorm);
  EXPECT_EQ(scale->inputs, std::vector<std::string>{"average_sum"});
  EXPECT_DOUBLE_EQ(scale->param("scale").data.at(0), 1.0 / 3.0);
  EXPECT_LT(float_path_error(g, "keras_functional", keras3_fixture), 1e-5);
}

// Made when Conv1D was refused (its name stays): now read, and agreeing with TensorFlow 2.15.
TEST(KerasReader, Keras2Conv1DIsRead) {
  const ir::Graph g = read_model(fixture("unsupported_conv1d.h5"));
  EXPECT_EQ(g.at("conv").op, ir::OpKind::kConv1D);
  EXPECT_LT(float_path_error(g, "unsupported_conv1d"), 1e-5);
}

TEST(KerasReader, EveryUnsupportedLayerIsListedOnce) {
  const std::string threshold = error_of(
      [] { read_model(keras3_fixture("keras_sequential.keras")); }, ErrorKind::kUnsupported);
  EXPECT_NE(threshold.find("relu_layer (ReLU)"), std::string::npos) << threshold;
  const std::string custom =
      error_of([] { read_model(fixture("unsupported_custom_layer.h5")); }, ErrorKind::kUnsupported);
  EXPECT_NE(custom.find("scale_shift"), std::string::npos) << custom;
}

std::vector<ir::OpKind> ops_of(const ir::Graph& g) {
  std::vector<ir::OpKind> ops;
  for (const ir::Node& n : g.nodes) ops.push_back(n.op);
  return ops;
}

bool has_op(const ir::Graph& g, ir::OpKind op) {
  const std::vector<ir::OpKind> ops = ops_of(g);
  return std::find(ops.begin(), ops.end(), op) != ops.end();
}

TEST(KerasReader, MergeLayersKeras2AndKeras3) {
  using K = ir::OpKind;
  const ir::Graph k2 = read_model(fixture("func_merge.h5"));
  const ir::Graph k3 = read_model(keras3_fixture("keras_merge.keras"));
  for (const ir::Graph* g : {&k2, &k3}) {
    for (K op : {K::kAdd, K::kSubtract, K::kMultiply, K::kAverage, K::kMaximum, K::kMinimum,
                 K::kConcatenate}) {
      EXPECT_TRUE(has_op(*g, op)) << g->name << " " << ir::op_name(op);
    }
  }
  EXPECT_EQ(k2.at("add3").inputs.size(), 3u);
  EXPECT_EQ(k3.at("average4").inputs.size(), 4u);
  EXPECT_EQ(k3.at("concatenate").output_shape, ir::Shape{35});
  EXPECT_LT(float_path_error(k2, "func_merge"), 1e-5);
  EXPECT_LT(float_path_error(k3, "keras_merge", keras3_fixture), 1e-5);
  const ir::Graph residual = read_model(fixture("func_residual.h5"));
  EXPECT_LT(float_path_error(residual, "func_residual"), 1e-5);
}

// A TF-era Keras 2 .h5 with models used as layers (tools/keras2_fixtures/float_models.py,
// func_nested): a functional model called twice and a Sequential, flattened in their place, the
// weights read from the nested model's group, where Keras 2 lists them as "<layer>/<weight>".
TEST(KerasReader, Keras2NestedModelsAreFlattened) {
  const ir::Graph g = read_model(fixture("func_nested.h5"));
  EXPECT_EQ(g.at("func_dense").inputs, std::vector<std::string>{"d0"});
  EXPECT_EQ(g.at("func_add").inputs, (std::vector<std::string>{"func_dense_tanh", "d0"}));
  // The second call: the same weights, the names prefixed with the model's and the call's.
  EXPECT_EQ(g.at("inner_func_call2_func_dense").inputs, std::vector<std::string>{"func_add"});
  EXPECT_EQ(g.at("inner_func_call2_func_dense").param("weight"),
            g.at("func_dense").param("weight"));
  EXPECT_EQ(g.at("seq_dense").inputs, std::vector<std::string>{"inner_func_call2_func_add"});
  EXPECT_EQ(g.at("head").inputs, std::vector<std::string>{"seq_dense2"});
  EXPECT_LT(float_path_error(g, "func_nested"), 1e-5);
}

TEST(KerasReader, NewActivationsKeras2AndKeras3) {
  using K = ir::OpKind;
  const ir::Graph k2 = read_model(fixture("seq_activations.h5"));
  const ir::Graph family = read_model(fixture("seq_relu_family.h5"));
  const ir::Graph k3 = read_model(keras3_fixture("keras_activations.keras"));
  for (K op : {K::kElu, K::kSoftsign, K::kSoftplus, K::kHardSigmoid}) {
    EXPECT_TRUE(has_op(k2, op)) << ir::op_name(op);
    EXPECT_TRUE(has_op(k3, op)) << ir::op_name(op);
  }
  EXPECT_TRUE(has_op(family, K::kPRelu) && has_op(k3, K::kPRelu));
  // hard_sigmoid changed between the versions: Keras 2 0.2 x + 0.5, Keras 3 relu6(x + 3) / 6.
  EXPECT_EQ(k2.at("act_hard_sigmoid").attrs.get_float("slope"), 0.2);
  EXPECT_EQ(k3.at("act_hard_sigmoid").attrs.get_float("slope"), 1.0 / 6);
  EXPECT_NEAR(family.at("elu").attrs.get_float("alpha"), 0.7, 1e-6);  // a float32 in the file
  EXPECT_EQ(k3.at("prelu").param("alpha").shape, ir::Shape{8});
  EXPECT_LT(float_path_error(k2, "seq_activations"), 1e-5);
  EXPECT_LT(float_path_error(family, "seq_relu_family"), 1e-5);
  EXPECT_LT(float_path_error(k3, "keras_activations", keras3_fixture), 1e-5);
}

// The fixed path on the Keras 3 fixtures with types wide enough for their ranges: no value
// overflows, and the outputs stay within what 10 fraction bits and 1024-entry tables allow.
TEST(KerasReader, FixedPathOfTheNewLayersDoesNotOverflow) {
  for (const char* stem : {"keras_merge", "keras_activations"}) {
    ir::Graph g = read_model(keras3_fixture(std::string(stem) + ".keras"));
    config::Tree tree = config::Tree::object();
    config::apply_assignment(tree, "Model.Precision=ap_fixed<24,12,AP_RND_CONV,AP_SAT>");
    config::apply_assignment(tree, "Model.Precision.table=ap_fixed<18,4,AP_RND_CONV,AP_SAT>");
    config::apply_assignment(tree, "Model.Precision.param=ap_fixed<18,2,AP_RND_CONV,AP_SAT>");
    configure(g, tree);
    const emulate::Emulator emulator(g);
    const emulate::Array x = io::read_array(keras3_fixture(std::string(stem) + ".x.npy"));
    const emulate::Array want = io::read_array(keras3_fixture(std::string(stem) + ".y.npy"));
    const emulate::RunResult r = emulator.run({x});
    for (const emulate::LayerOverflow& o : r.overflows) {
      EXPECT_EQ(o.result_overflows, 0) << stem << " " << o.layer;
      EXPECT_EQ(o.accum_overflows, 0) << stem << " " << o.layer;
    }
    double worst = 0;
    for (std::size_t i = 0; i < want.data.size(); ++i) {
      worst = std::max(worst, std::abs(r.outputs[0].data[i] - want.data[i]));
    }
    EXPECT_LT(worst, 0.05) << stem;
  }
}

TEST(KerasReader, BrokenFilesAreInputErrorsNamingTheFile) {
  for (const char* file :
       {"bad_truncated.h5", "bad_no_model_weights.h5", "bad_missing_kernel.h5"}) {
    const std::string text = error_of([&] { read_model(fixture(file)); }, ErrorKind::kInput);
    EXPECT_NE(text.find(file), std::string::npos) << text;
  }
  const std::string missing =
      error_of([] { read_model(fixture("bad_missing_kernel.h5")); }, ErrorKind::kInput);
  EXPECT_NE(missing.find("kernel"), std::string::npos) << missing;
  const std::string weights_only =
      error_of([] { read_model(fixture("json_func_mlp_weights.h5")); }, ErrorKind::kInput);
  EXPECT_NE(weights_only.find("architecture .json"), std::string::npos) << weights_only;
  error_of([] { read_model(fixture("nope.keras")); }, ErrorKind::kInput);
  error_of([] { read_model(fixture("seq_bn_reshape.x.npy.keras")); }, ErrorKind::kInput);
}

TEST(KerasReader, SnakeCaseFollowsKeras) {
  EXPECT_EQ(snake_case("BatchNormalization"), "batch_normalization");
  EXPECT_EQ(snake_case("QDense"), "q_dense");
  EXPECT_EQ(snake_case("ReLU"), "re_lu");
  EXPECT_EQ(snake_case("PReLU"), "p_re_lu");
  EXPECT_EQ(snake_case("InputLayer"), "input_layer");
}

}  // namespace
}  // namespace nnfpga::frontend::keras
