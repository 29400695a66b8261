// QKeras's depthwise and separable convolutions (QKeras 0.9.0, qkeras/qconvolutional.py and
// qkeras/qdepthwiseconv2d_batchnorm.py). Each quantizes its kernels and bias at every call, then
// convolves in float32 with Keras's own op and applies its activation: as QConv2D, with the
// quantizers under their own config keys. QSeparableConv's depthwise output is not quantized
// (TensorFlow's separable_conv2d keeps it in float32), so its node's result is exact (`auto`).
#include "frontend/keras/cnn_layers.hpp"
#include "frontend/keras/qkeras_layers.hpp"

namespace nnfpga::frontend::keras {
namespace {

// The depthwise node of `kernel` and `bias` declaring the quantizers' types, then the activation.
void finish_qdepthwise(Call& c, const ir::Tensor& kernel, const std::optional<ir::Tensor>& bias) {
  std::optional<ir::Node> n = depthwise_node(c, c.only_input(), kernel, bias);
  if (!n) return;
  declare_qkeras_weights(c, *n, "depthwise_quantizer");
  const std::string conv = c.add(std::move(*n), c.layer.name);
  const std::string out = qkeras_activation(c, conv, c.layer.name + "_");
  if (!out.empty()) c.b.set_output(c.layer.name, out);
}

}  // namespace

void convert_qdepthwise(Call& c) {
  const bool use_bias = c.config_or<bool>("use_bias", true);
  Weights w = c.named(use_bias ? std::vector<std::string>{"depthwise_kernel", "bias"}
                               : std::vector<std::string>{"depthwise_kernel"});
  std::optional<ir::Tensor> bias;
  if (use_bias) bias = w.at("bias");
  finish_qdepthwise(c, w.at("depthwise_kernel"), bias);
}

void convert_qdepthwise_batchnorm(Call& c) {
  // QKeras folds with the moving statistics at inference whatever its folding_mode
  // ("ema_stats_folding" and "batch_stats_folding" differ only while training).
  QKerasFolded f = fold_qkeras_batchnorm(c, "depthwise_kernel");
  finish_qdepthwise(c, f.kernel, f.bias);
}

void convert_qseparable(Call& c) {
  const bool use_bias = c.config_or<bool>("use_bias", true);
  std::vector<std::string> order = {"depthwise_kernel", "pointwise_kernel"};
  if (use_bias) order.push_back("bias");
  Weights w = c.named(order);
  std::optional<ir::Tensor> bias;
  if (use_bias) bias = w.at("bias");
  std::optional<SeparableNodes> nodes =
      separable_nodes(c, w.at("depthwise_kernel"), w.at("pointwise_kernel"), bias);
  if (!nodes) return;
  declare_qkeras_weights(c, nodes->depthwise, "depthwise_quantizer");
  declare_qkeras_weights(c, nodes->pointwise, "pointwise_quantizer");
  const std::string pointwise = add_separable(c, std::move(*nodes));
  const std::string out = qkeras_activation(c, pointwise, c.layer.name + "_");
  if (!out.empty()) c.b.set_output(c.layer.name, out);
}

}  // namespace nnfpga::frontend::keras
