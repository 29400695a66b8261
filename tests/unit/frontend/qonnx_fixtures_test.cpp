// QONNX models exported by Brevitas 0.13.4 on torch 2.13 (tests/fixtures/qonnx/, made by
// tools/make_qat_fixtures.sh): with no configuration, the types their Quant and BipolarQuant
// nodes declare make the emulator equal PyTorch's output bit for bit on all 10,000 rows, from the
// dynamo export, the TorchScript export and qonnx's cleaned file alike. Scales that are not powers
// of two, directed roundings and sign functions on activations are refused with the reason.
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "emulate/emulator.hpp"
#include "io/array_io.hpp"
#include "nnfpga/error.hpp"
#include "api/model_io.hpp"
#include "unsupported_message.hpp"

namespace nnfpga {
namespace {

std::string fixture(const std::string& name) {
  return std::string(NNFPGA_FIXTURES_DIR) + "/qonnx/" + name;
}

struct Case {
  const char* file;
  const char* stem;  // of the .x.npy and .y.npy files
};

class QonnxBitExact : public testing::TestWithParam<Case> {};

TEST_P(QonnxBitExact, EqualsTheFrameworkOnEveryRow) {
  ir::Graph graph = read_model(fixture(GetParam().file));
  configure(graph, config::Tree::object());
  const emulate::Emulator emulator(graph);
  const std::string stem = GetParam().stem;
  const emulate::Array x = io::read_array(fixture(stem + ".x.npy"));
  const emulate::Array want = io::read_array(fixture(stem + ".y.npy"));
  const emulate::RunResult run = emulator.run({x});
  const emulate::Array& got = run.outputs.at(0);
  ASSERT_EQ(got.shape, want.shape);
  EXPECT_EQ(x.shape.at(0), 10000);
  std::int64_t differ = 0;
  for (std::size_t i = 0; i < got.data.size(); ++i) differ += got.data[i] != want.data[i];
  EXPECT_EQ(differ, 0) << "of " << got.data.size();
  // The exact sums never overflow; only the quantizers saturate, as the framework does.
  for (const emulate::LayerOverflow& o : run.overflows) {
    if (graph.at(o.layer).op != ir::OpKind::kQuantize &&
        graph.at(o.layer).op != ir::OpKind::kInput) {
      EXPECT_EQ(o.result_overflows, 0) << o.layer;
      EXPECT_EQ(o.accum_overflows, 0) << o.layer;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Brevitas, QonnxBitExact,
    testing::Values(Case{"brevitas_mlp_pertensor.onnx", "brevitas_mlp_pertensor"},
                    Case{"brevitas_mlp_pertensor.clean.onnx", "brevitas_mlp_pertensor"},
                    Case{"brevitas_mlp_pertensor_legacy.onnx", "brevitas_mlp_pertensor"},
                    Case{"brevitas_mlp_perchannel.onnx", "brevitas_mlp_perchannel"},
                    Case{"brevitas_mlp_perchannel.clean.onnx", "brevitas_mlp_perchannel"},
                    Case{"brevitas_mlp_binary.onnx", "brevitas_mlp_binary"},
                    Case{"brevitas_mlp_binary.clean.onnx", "brevitas_mlp_binary"}),
    [](const testing::TestParamInfo<Case>& info) {
      std::string name = info.param.file;
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

TEST(QonnxTypes, ActivationQuantizersBecomeTheirTypes) {
  ir::Graph g = read_model(fixture("brevitas_mlp_perchannel.onnx"));
  configure(g, config::Tree::object());
  // QuantIdentity 6-bit signed narrow at scale 2^-5; QuantReLU 3-bit unsigned at 2^-3.
  EXPECT_EQ(fixed::to_string(g.at("x").type("result")), "ap_fixed<6,1,AP_RND_CONV,AP_SAT_SYM>");
  EXPECT_EQ(fixed::to_string(g.at("r2_act_quant_export_handler").type("result")),
            "ap_ufixed<3,0,AP_RND_CONV,AP_SAT>");
  // The weights hold exactly the quantized values: none rounds nor saturates again.
  for (const ir::Node& n : g.nodes) {
    for (const auto& [key, q] : n.qparams) EXPECT_EQ(q.overflows, 0) << n.name << " " << key;
  }
}

std::string unsupported_message(const std::string& file) {
  return test_support::unsupported_message(fixture(file));
}

TEST(QonnxTypes, WhatNoFixedPointTypeDoesIsRefusedWithTheReason) {
  const std::string floats = unsupported_message("brevitas_mlp_float_scale.onnx");
  EXPECT_NE(floats.find("3 nodes are not supported"), std::string::npos) << floats;
  EXPECT_NE(floats.find("scale 0.01328125037252903 is not a power of two"), std::string::npos)
      << floats;
  const std::string hand = unsupported_message("qonnx_hand_ops.onnx");
  EXPECT_NE(hand.find("quant_ceil (Quant): rounding_mode CEIL is a directed rounding"),
            std::string::npos)
      << hand;
  EXPECT_NE(hand.find("quant_unsigned_narrow (Quant): an unsigned narrow range"), std::string::npos)
      << hand;
  EXPECT_NE(hand.find("bipolar (BipolarQuant): on an activation"), std::string::npos) << hand;
  // The accepted quantizers of the same file are not listed.
  EXPECT_EQ(hand.find("quant_round"), std::string::npos) << hand;
  EXPECT_EQ(hand.find("trunc_floor"), std::string::npos) << hand;
}

}  // namespace
}  // namespace nnfpga
