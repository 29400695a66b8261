// A Brevitas 0.13.4 CNN through QONNX (tests/fixtures/qonnx_cnn/, made by
// tools/make_qat_fixtures.sh qonnx_cnn): quantized conv weights and biases, QuantReLU activations,
// a max pool, Flatten and a QuantLinear, all on power-of-two scales. With no configuration the
// emulator, given the file's NCHW images, equals qonnx's execution bit for bit: from Brevitas'
// export, from qonnx's cleaned file and from qonnx's channels-last conversion of it (NHWC
// Conv/MaxPool of the channels-last domain between Transposes, which the reader resolves).
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "api/model_io.hpp"
#include "emulate/emulator.hpp"
#include "emulate/source_layout.hpp"
#include "io/array_io.hpp"

namespace nnfpga {
namespace {

std::string fixture(const std::string& name) {
  return std::string(NNFPGA_FIXTURES_DIR) + "/qonnx_cnn/" + name;
}

class QonnxCnnBitExact : public testing::TestWithParam<const char*> {};

TEST_P(QonnxCnnBitExact, EqualsQonnxOnEveryImage) {
  ir::Graph graph = read_model(fixture(GetParam()));
  configure(graph, config::Tree::object());
  const emulate::Emulator emulator(graph);
  const emulate::Array x = io::read_array(fixture("brevitas_cnn.x.npy"));
  const emulate::Array want = io::read_array(fixture("brevitas_cnn.y.npy"));
  const emulate::RunResult run =
      emulate::run_in_layout(emulator, {x}, {}, false, emulate::ArrayLayout::kSource);
  const emulate::Array& got = run.outputs.at(0);
  ASSERT_EQ(got.shape, want.shape);
  std::int64_t differ = 0;
  for (std::size_t i = 0; i < got.data.size(); ++i) differ += got.data[i] != want.data[i];
  EXPECT_EQ(differ, 0) << "of " << got.data.size();
  for (const ir::Node& n : graph.nodes) EXPECT_NE(n.source_op, "Transpose") << n.name;
}

INSTANTIATE_TEST_SUITE_P(Brevitas, QonnxCnnBitExact,
                         testing::Values("brevitas_cnn.onnx", "brevitas_cnn.clean.onnx",
                                         "brevitas_cnn.channels_last.onnx"),
                         [](const testing::TestParamInfo<const char*>& info) {
                           std::string name = info.param;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace nnfpga
