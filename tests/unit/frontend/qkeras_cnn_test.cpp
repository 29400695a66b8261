// QKeras 0.9.0 CNNs (tests/fixtures/keras2/qkeras_{cnn2d,conv2d_bn,conv1d}, made by
// tools/make_keras2_fixtures.sh): QConv1D, QConv2D and QConv2DBatchnorm with quantized_bits
// kernels and biases, pooling and QDense. With no configuration the emulator equals QKeras's
// output on every row, the batchnorm folded as QKeras folds it (in float32).
#include <gtest/gtest.h>

#include <string>

#include "nnfpga/error.hpp"

#include "api/model_io.hpp"
#include "emulate/emulator.hpp"
#include "io/array_io.hpp"

namespace nnfpga {
namespace {

std::string fixture(const std::string& name) {
  return std::string(NNFPGA_FIXTURES_DIR) + "/keras2/" + name;
}

struct Model {
  const char* file;
  const char* stem;
};

const Model kModels[] = {{"qkeras_cnn2d.h5", "qkeras_cnn2d"},
                         {"qkeras_conv2d_bn.h5", "qkeras_conv2d_bn"},
                         {"qkeras_conv1d.json", "qkeras_conv1d"}};

class QKerasCnn : public testing::TestWithParam<Model> {};

TEST_P(QKerasCnn, EqualsQKerasOnEveryRow) {
  ir::Graph g = read_model(fixture(GetParam().file));
  configure(g, config::Tree::object());
  const emulate::Emulator emulator(g);
  const std::string stem = GetParam().stem;
  const emulate::Array x = io::read_array(fixture(stem + ".x.npy"));
  const emulate::Array y = io::read_array(fixture(stem + ".y.npy"));
  ASSERT_EQ(x.shape.at(0), 2000);
  const emulate::Array got = emulator.run({x}).outputs.at(0);
  ASSERT_EQ(got.shape, y.shape);
  std::size_t differ = 0;
  for (std::size_t n = 0; n < y.data.size(); ++n) differ += got.data[n] != y.data[n];
  EXPECT_EQ(differ, 0u) << "of " << y.data.size();
}

INSTANTIATE_TEST_SUITE_P(Fixtures, QKerasCnn, testing::ValuesIn(kModels),
                         [](const testing::TestParamInfo<Model>& info) {
                           return std::string(info.param.stem);
                         });

TEST(QKerasCnnLayers, ConvolutionsDeclareTheirQuantizers) {
  const ir::Graph g =
      read_model(fixture("qkeras_conv1d.json"), fixture("qkeras_conv1d_weights.h5"));
  const ir::Node& conv1 = g.at("conv1");
  EXPECT_EQ(conv1.op, ir::OpKind::kConv1D);
  EXPECT_EQ(conv1.declared_types.at("weight"), "ap_fixed<8,1,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(conv1.declared_types.at("bias"), "ap_fixed<8,3,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(conv1.declared_types.at("accum"), "auto");
  // 'same' with stride 2 over 12 positions and a kernel of 5: TensorFlow pads 1 before, 2 after.
  EXPECT_EQ(conv1.attrs.get_ints("pads"), (std::vector<std::int64_t>{1, 2}));
  const ir::Node& conv2 = g.at("conv2");  // use_bias=False: no bias, nothing declared for it
  EXPECT_EQ(conv2.params.count("bias"), 0u);
  EXPECT_EQ(conv2.declared_types.count("bias"), 0u);
  const ir::Graph bn = read_model(fixture("qkeras_conv2d_bn.h5"));
  EXPECT_EQ(bn.at("conv_bn").op, ir::OpKind::kConv2D);
  EXPECT_EQ(bn.at("conv_bn").declared_types.at("bias"), "ap_fixed<10,4,AP_RND_CONV,AP_SAT>");
}

TEST(QKerasCnnLayers, ALayerNotReadYetIsNamedWithTheReason) {
  try {
    read_model(fixture("unsupported_qkeras_cnn.h5"));
    ADD_FAILURE() << "read";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
    const std::string text = e.what();
    EXPECT_NE(text.find("unsupported_qkeras_cnn.h5"), std::string::npos) << text;
    EXPECT_NE(text.find("depthwise (QDepthwiseConv2D): QKeras's depthwise convolutions are not "
                        "read yet"),
              std::string::npos)
        << text;
    // The layers after a refused one are not reported again: only the first is listed, then
    // each of its successors is skipped (they read its output).
    EXPECT_EQ(text.find("separable (QSeparableConv2D)"), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace nnfpga
