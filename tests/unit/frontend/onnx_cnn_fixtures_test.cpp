// CNNs exported by torch 2.13 (tests/fixtures/onnx_cnn/, made by tools/make_cnn_fixtures.py with
// onnxruntime's outputs beside each): the reader holds feature maps channels-last, so the float
// path, given and giving arrays in the file's NCHW layout, equals onnxruntime to 1e-5; the IR it
// builds has the layers expected and no transpose; refused constructs are named with their node.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <string>

#include "api/model_io.hpp"
#include "emulate/emulator.hpp"
#include "emulate/source_layout.hpp"
#include "io/array_io.hpp"
#include "nnfpga/error.hpp"
#include "unsupported_message.hpp"

namespace nnfpga {
namespace {

using ir::OpKind;

std::string fixture(const std::string& name) {
  return std::string(NNFPGA_FIXTURES_DIR) + "/onnx_cnn/" + name;
}

int count(const ir::Graph& g, OpKind kind) {
  int n = 0;
  for (const ir::Node& node : g.nodes) n += node.op == kind;
  return n;
}

class OnnxCnnFloat : public testing::TestWithParam<const char*> {};

TEST_P(OnnxCnnFloat, EqualsOnnxruntimeInTheFilesLayout) {
  const std::string stem = GetParam();
  ir::Graph graph = read_model(fixture(stem + ".onnx"));
  configure(graph, config::Tree::object());
  const emulate::Emulator emulator(graph);
  const emulate::Array x = io::read_array(fixture(stem + ".x.npy"));
  const emulate::RunResult run =
      emulate::run_in_layout(emulator, {x}, {}, true, emulate::ArrayLayout::kSource);
  ASSERT_EQ(run.outputs.size(), graph.outputs.size());
  const emulate::Array want = io::read_array(fixture(stem + ".y.npy"));
  const emulate::Array& got = run.outputs.at(0);
  ASSERT_EQ(got.shape, want.shape);
  double worst = 0;
  for (std::size_t i = 0; i < got.data.size(); ++i) {
    worst = std::max(worst, std::fabs(got.data[i] - want.data[i]));
  }
  EXPECT_LE(worst, 1e-5) << stem;
}

INSTANTIATE_TEST_SUITE_P(
    Torch, OnnxCnnFloat,
    testing::Values("cnn2d_torch", "cnn2d_torch_legacy", "cnn1d_torch", "residual_concat_torch",
                    "residual_concat_torch_legacy", "encoder_decoder_torch", "upsample_1d_torch",
                    "channels_last_input_torch", "bn1d_mlp_torch_legacy", "bn1d_unsqueeze_torch",
                    "bn1d_unsqueeze_torch_legacy", "pad_pool_torch", "upsample_size_1d_torch",
                    "channel_softmax_torch", "two_branch_flat_concat_torch",
                    "depthwise_separable_torch", "se_block_torch", "se_block_torch_legacy",
                    "spatial_attention_torch", "broadcast_1d_torch", "broadcast_1d_torch_legacy",
                    "jet_tagger_torch", "jet_tagger_torch_legacy", "permute_moves_torch",
                    "permute_moves_torch_legacy", "concat_axes_torch", "concat_axes_1d_torch",
                    "pad_folds_torch", "pad_folds_torch_legacy", "width_softmax_torch"),
    [](const testing::TestParamInfo<const char*>& info) {
      std::string name = info.param;
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

TEST(OnnxCnn, FeatureMapInputsAreHeldChannelsLastWithTheirSourceAxes) {
  const ir::Graph g = read_model(fixture("cnn2d_torch.onnx"));
  const ir::Node& in = g.at(g.inputs.at(0));
  EXPECT_EQ(in.output_shape, (ir::Shape{8, 10, 3}));  // the file's (3, 8, 10)
  EXPECT_EQ(g.source_axes.at(in.name), (std::vector<int>{2, 0, 1}));
  EXPECT_EQ(count(g, OpKind::kConv2D), 2);
  EXPECT_EQ(count(g, OpKind::kMaxPool2D), 1);
  EXPECT_EQ(count(g, OpKind::kAveragePool2D), 1);
  // The output is a vector: no layout to record for it.
  EXPECT_EQ(g.source_axes.count(g.outputs.at(0)), 0u);
}

TEST(OnnxCnn, AFeatureMapOutputIsGivenInTheFilesLayout) {
  const ir::Graph g = read_model(fixture("encoder_decoder_torch.onnx"));
  EXPECT_EQ(g.at(g.outputs.at(0)).output_shape, (ir::Shape{9, 5, 2}));  // the file's (2, 9, 5)
  EXPECT_EQ(g.source_axes.at(g.outputs.at(0)), (std::vector<int>{2, 0, 1}));
  EXPECT_EQ(count(g, OpKind::kUpSampling2D), 1);
}

TEST(OnnxCnn, TransposesThatOnlyRenameAxesMoveNoData) {
  // An NHWC input permuted to NCHW for the Conv and back before the Flatten: the input is held
  // as it is, and the graph has no node for either Transpose.
  const ir::Graph g = read_model(fixture("channels_last_input_torch.onnx"));
  EXPECT_EQ(g.source_axes.count(g.inputs.at(0)), 0u);
  for (const ir::Node& n : g.nodes) EXPECT_NE(n.source_op, "Transpose") << n.name;
}

TEST(OnnxCnn, BatchNorm1dBetweenUnsqueezeAndSqueezeIsOneBatchNorm) {
  const ir::Graph g = read_model(fixture("bn1d_unsqueeze_torch.onnx"));
  EXPECT_EQ(count(g, OpKind::kReshape), 0);
  for (const ir::Node& n : g.nodes) {
    EXPECT_NE(n.source_op, "Unsqueeze") << n.name;
    EXPECT_NE(n.source_op, "Squeeze") << n.name;
  }
}

TEST(OnnxCnn, RefusedConstructsAreNamedWithTheirNodeAndReason) {
  const std::string ceil =
      test_support::unsupported_message(fixture("unsupported_pool_ceil_torch.onnx"));
  EXPECT_NE(ceil.find("(MaxPool): ceil_mode = 1 adds a partial window"), std::string::npos) << ceil;
  const std::string resize =
      test_support::unsupported_message(fixture("unsupported_resize_pad_torch.onnx"));
  EXPECT_NE(resize.find("(Resize): mode 'linear': only 'nearest' is supported"), std::string::npos)
      << resize;
}

// A Conv with group = channels (PyTorch's depthwise convolution) is the IR's DepthwiseConv, its
// kernel [C*M, 1, kh, kw] read as [kh, kw, C, M].
TEST(OnnxCnn, GroupEqualToChannelsIsADepthwiseConvolution) {
  const ir::Graph g = read_model(fixture("depthwise_separable_torch.onnx"));
  EXPECT_GE(count(g, OpKind::kDepthwiseConv2D), 1);
  for (const ir::Node& n : g.nodes) {
    if (n.op != OpKind::kDepthwiseConv2D) continue;
    const ir::Shape& w = n.param("weight").shape;
    ASSERT_EQ(w.size(), 4u) << n.name;
    EXPECT_EQ(w[2] * w[3], n.output_shape.back()) << n.name;
  }
}

// Squeeze-and-excitation, both exporters: the (N, C, 1, 1) scale meets the feature map in an IR
// Multiply (or Add) as [1, 1, C], with no Transpose anywhere.
TEST(OnnxCnn, SqueezeExcitationBroadcastsAChannelVector) {
  for (const char* stem : {"se_block_torch.onnx", "se_block_torch_legacy.onnx"}) {
    const ir::Graph g = read_model(fixture(stem));
    EXPECT_EQ(count(g, OpKind::kTranspose), 0) << stem;
    int broadcasts = 0;
    for (const ir::Node& n : g.nodes) {
      if (n.op != OpKind::kMultiply && n.op != OpKind::kAdd) continue;
      for (const std::string& in : n.inputs) {
        broadcasts += g.at(in).output_shape == ir::Shape{1, 1, 4};
      }
      EXPECT_EQ(n.output_shape, (ir::Shape{5, 4, 4})) << stem << " " << n.name;
    }
    EXPECT_EQ(broadcasts, 2) << stem;
  }
}

// A jet tagger's permutes of (N, particles, features) only rename axes: no Transpose.
TEST(OnnxCnn, AJetTaggersPermutesMoveNoData) {
  for (const char* stem : {"jet_tagger_torch.onnx", "jet_tagger_torch_legacy.onnx"}) {
    const ir::Graph g = read_model(fixture(stem));
    EXPECT_EQ(count(g, OpKind::kTranspose), 0) << stem;
    EXPECT_EQ(count(g, OpKind::kConv1D), 1) << stem;
  }
}

// A Linear's output viewed as (N, C, H, W) before a Conv, and H and W swapped before a Conv:
// two IR Transposes; the permute before a reshape to positions is a rename.
TEST(OnnxCnn, TransposesThatMoveDataAreIrTransposes) {
  for (const char* stem : {"permute_moves_torch.onnx", "permute_moves_torch_legacy.onnx"}) {
    const ir::Graph g = read_model(fixture(stem));
    EXPECT_EQ(count(g, OpKind::kTranspose), 2) << stem;
  }
}

// torch.cat on rows and columns: IR Concatenates on the IR's axes 0 and 1.
TEST(OnnxCnn, ConcatOnRowsAndColumnsKeepsItsAxis) {
  const ir::Graph g = read_model(fixture("concat_axes_torch.onnx"));
  std::vector<std::int64_t> axes;
  for (const ir::Node& n : g.nodes) {
    if (n.op == OpKind::kConcatenate) axes.push_back(n.attrs.get_int_or("axis", -1));
  }
  EXPECT_NE(std::find(axes.begin(), axes.end(), 0), axes.end());
  EXPECT_NE(std::find(axes.begin(), axes.end(), 1), axes.end());
  const ir::Graph g1 = read_model(fixture("concat_axes_1d_torch.onnx"));
  for (const ir::Node& n : g1.nodes) {
    if (n.op == OpKind::kConcatenate) {
      EXPECT_EQ(n.attrs.get_int("axis"), 0) << n.name;
    }
  }
}

// Zero pads before a Conv and a count_include_pad AveragePool join their pads; the one before a
// MaxPool stays a ZeroPadding.
TEST(OnnxCnn, PadsFoldIntoConvolutionsAndZeroCountingPools) {
  for (const char* stem : {"pad_folds_torch.onnx", "pad_folds_torch_legacy.onnx"}) {
    const ir::Graph g = read_model(fixture(stem));
    EXPECT_EQ(count(g, OpKind::kZeroPadding2D), 1) << stem;
    EXPECT_EQ(count(g, OpKind::kZeroPadding1D), 0) << stem;
    // flatten(2) of the NCHW map for the Conv1d keeps it channels-last: no data moves.
    EXPECT_EQ(count(g, OpKind::kTranspose), 0) << stem;
    for (const ir::Node& n : g.nodes) {
      if (n.op == OpKind::kZeroPadding2D) {
        EXPECT_EQ(g.at(n.name).op, OpKind::kZeroPadding2D);
        bool feeds_max_pool = false;
        for (const ir::Node& c : g.nodes) {
          for (const std::string& in : c.inputs) {
            feeds_max_pool = feeds_max_pool || (in == n.name && c.op == OpKind::kMaxPool2D);
          }
        }
        EXPECT_TRUE(feeds_max_pool) << stem;
      }
      if (n.op == OpKind::kAveragePool2D) {
        EXPECT_EQ(n.attrs.get_ints("pads"), (std::vector<std::int64_t>{1, 1, 1, 1})) << stem;
      }
    }
  }
}

}  // namespace
}  // namespace nnfpga
