// Keras-2-era model files as the field's example models have them (tests/fixtures/keras2, made by
// tools/make_keras2_fixtures.sh): an architecture .json with its weights beside it as
// <name>_weights.h5, or given explicitly (--weights), the Keras 2.0 Sequential JSON whose config
// is the list of its layers, and the errors that name what was expected and what was found.
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "api/model_io.hpp"
#include "emulate/emulator.hpp"
#include "io/array_io.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga {
namespace {

namespace fs = std::filesystem;

std::string fixture(const std::string& name) {
  return std::string(NNFPGA_FIXTURES_DIR) + "/keras2/" + name;
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

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The float path against Keras's outputs: the largest difference relative to their scale.
double float_path_error(ir::Graph graph, const std::string& stem) {
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

// A scratch folder of this process, removed at the end of the test.
struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("nnfpga-legacy-" + std::to_string(::getpid()));
  Scratch() { fs::create_directories(dir); }
  ~Scratch() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  }
  std::string copy(const std::string& from, const std::string& name) const {
    fs::copy_file(from, dir / name, fs::copy_options::overwrite_existing);
    return (dir / name).string();
  }
};

TEST(KerasLegacyFiles, Keras20ListConfigWithWeightsBesideIt) {
  EXPECT_EQ(weights_file_for(fixture("keras20_seq_mlp.json")),
            fixture("keras20_seq_mlp_weights.h5"));
  const ir::Graph g = read_model(fixture("keras20_seq_mlp.json"));
  std::vector<std::string> names;
  for (const ir::Node& n : g.nodes) names.push_back(n.name);
  // No InputLayer in a Keras 2.0 Sequential: the reader names the input.
  EXPECT_EQ(names, (std::vector<std::string>{"input", "dense_1", "dense_1_relu", "dense_2",
                                             "dense_2_tanh", "dense_3", "dense_3_softmax"}));
  EXPECT_LT(float_path_error(g, "keras20_seq_mlp"), 1e-5);
}

TEST(KerasLegacyFiles, WeightsBesideAJsonInTheOrderTheExampleModelsNameThem) {
  // json_func_mlp has both: <name>_weights.h5 (hls4ml's example models, Keras 2's layout) is
  // taken first; <name>.weights.h5 (TF 2.15's Keras 3 layout) is the other candidate.
  EXPECT_EQ(keras_weights_candidates(fixture("json_func_mlp.json")),
            (std::vector<std::string>{fixture("json_func_mlp_weights.h5"),
                                      fixture("json_func_mlp.weights.h5")}));
  EXPECT_EQ(weights_file_for(fixture("json_func_mlp.json")), fixture("json_func_mlp_weights.h5"));
  EXPECT_EQ(weights_file_for(fixture("seq_bn_reshape.h5")), "");  // holds its own
}

TEST(KerasLegacyFiles, GivenWeightsAreReadInsteadOfTheOnesBeside) {
  const ir::Graph beside = read_model(fixture("json_func_mlp.json"));
  const ir::Graph given =
      read_model(fixture("json_func_mlp.json"), fixture("json_func_mlp.weights.h5"));
  EXPECT_EQ(beside, given);
  EXPECT_LT(float_path_error(given, "json_func_mlp"), 1e-5);

  // Given weights need no file beside the .json.
  const Scratch s;
  const std::string alone = s.copy(fixture("keras20_seq_mlp.json"), "alone.json");
  const std::string text = error_of([&] { read_model(alone); }, ErrorKind::kInput);
  EXPECT_TRUE(contains(text, "expected alone_weights.h5, alone.weights.h5 or alone.h5 beside it"))
      << text;
  EXPECT_TRUE(contains(text, "--weights FILE")) << text;
  EXPECT_LT(
      float_path_error(read_model(alone, fixture("keras20_seq_mlp_weights.h5")), "keras20_seq_mlp"),
      1e-5);
}

TEST(KerasLegacyFiles, WrongWeightsNameWhatWasExpectedAndWhatWasFound) {
  // Another model's weights: the architecture's layers and the file's.
  std::string text = error_of(
      [] { read_model(fixture("keras20_seq_mlp.json"), fixture("json_func_mlp_weights.h5")); },
      ErrorKind::kInput);
  EXPECT_TRUE(contains(text, "json_func_mlp_weights.h5")) << text;
  EXPECT_TRUE(contains(text, "expected weights of its layers (dense_1, dense_2, dense_3)")) << text;
  EXPECT_TRUE(contains(text, "found weights of layers it does not have (bn, d0, d1, d2)")) << text;

  // An HDF5 file holding no weights at all.
  text = error_of(
      [] { read_model(fixture("keras20_seq_mlp.json"), fixture("bad_no_model_weights.h5")); },
      ErrorKind::kInput);
  EXPECT_TRUE(contains(text, "expected Keras weights")) << text;
  EXPECT_TRUE(contains(text, "; found ")) << text;

  // --weights with a file that holds its own, and a weights file that is not there.
  text = error_of([] { read_model(fixture("seq_bn_reshape.h5"), fixture("x_weights.h5")); },
                  ErrorKind::kInput);
  EXPECT_TRUE(contains(text, "goes with a Keras architecture .json")) << text;
  text = error_of([] { read_model(fixture("keras20_seq_mlp.json"), fixture("nope_weights.h5")); },
                  ErrorKind::kInput);
  EXPECT_TRUE(contains(text, "nope_weights.h5")) << text;
}

TEST(KerasLegacyFiles, AMalformedArchitectureNamesWhatWasExpectedAndFound) {
  const Scratch s;
  const std::string weights = fixture("keras20_seq_mlp_weights.h5");
  std::string text = error_of(
      [&] {
        read_model(s.write("functional_list.json",
                           R"({"class_name": "Functional", "config": [{"class_name": "Dense"}]})"),
                   weights);
      },
      ErrorKind::kInput);
  EXPECT_TRUE(contains(text, "expected a Keras model architecture")) << text;
  EXPECT_TRUE(contains(text, "found a \"Functional\" whose config is a list")) << text;

  text = error_of(
      [&] {
        read_model(s.write("no_layers.json",
                           R"({"class_name": "Sequential", "config": {"name": "m", "lyrs": []}})"),
                   weights);
      },
      ErrorKind::kInput);
  EXPECT_TRUE(contains(text, "found a config that is an object with keys lyrs, name")) << text;
}

}  // namespace
}  // namespace nnfpga
