// The Keras reader on files written by the real frameworks (tests/fixtures/keras2/, made by
// tools/make_keras2_fixtures.sh with TensorFlow 2.15's Keras 2): the IR it builds, its float
// path against the framework's own outputs, and the errors for broken and unsupported files.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

#include "emulate/emulator.hpp"
#include "frontend/keras/keras_reader.hpp"
#include "frontend/keras/keras_weights.hpp"
#include "io/array_io.hpp"
#include "nnfpga/error.hpp"
#include "nnfpga/nnfpga.hpp"

namespace nnfpga::frontend::keras {
namespace {

std::string fixture(const std::string& name) {
  return std::string(NNFPGA_FIXTURES_DIR) + "/keras2/" + name;
}

// The float path of the graph read from `model` on <stem>.x.npy, against Keras's <stem>.y.npy
// (float32): the largest difference relative to the output's scale.
double float_path_error(const ir::Graph& canonical, const std::string& stem) {
  ir::Graph graph = canonical;
  configure(graph, config::Tree::object());
  const emulate::Emulator emulator(graph);
  const emulate::Array x = io::read_array(fixture(stem + ".x.npy"));
  const emulate::Array want = io::read_array(fixture(stem + ".y.npy"));
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

TEST(KerasReader, EveryUnsupportedLayerIsListedOnce) {
  const std::string text =
      error_of([] { read_model(fixture("seq_activations.h5")); }, ErrorKind::kUnsupported);
  for (const char* layer : {"act_softsign (Activation)", "act_softplus (Activation)",
                            "act_hard_sigmoid (Activation)", "act_elu (Activation)"}) {
    EXPECT_NE(text.find(layer), std::string::npos) << layer << "\n" << text;
  }
  EXPECT_NE(text.find("4 layers are not supported by the Keras reader"), std::string::npos) << text;
  const std::string conv =
      error_of([] { read_model(fixture("unsupported_conv1d.h5")); }, ErrorKind::kUnsupported);
  EXPECT_NE(conv.find("conv (Conv1D)"), std::string::npos) << conv;
  const std::string custom =
      error_of([] { read_model(fixture("unsupported_custom_layer.h5")); }, ErrorKind::kUnsupported);
  EXPECT_NE(custom.find("scale_shift"), std::string::npos) << custom;
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
