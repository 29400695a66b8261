// QKeras's convolutions: QConv1D and QConv2D (a Conv node declaring its quantizers' types, then
// the layer's activation), and QConv2DBatchnorm, whose batch normalization QKeras folds into the
// kernel and bias at every call, in float32, before quantizing them
// (qkeras/qconv2d_batchnorm.py, QKeras 0.9.0, `call` with training=False):
//   inv    = gamma * rsqrt(moving_variance + epsilon)      (gamma only with scale=True)
//   kernel = kernel * inv                                   (per output channel)
//   bias   = inv * (bias - moving_mean) + beta              (bias 0 without use_bias)
// then kernel_quantizer and bias_quantizer. The folding is repeated here in float32, one
// operation at a time, and its result quantized as QKeras quantizes it. QDepthwiseConv2DBatchnorm
// (qkeras/qdepthwiseconv2d_batchnorm.py) folds the same way per output channel c*M + m, and
// shares fold_qkeras_batchnorm (qkeras_depthwise.cpp).
#include <cmath>

#include "frontend/keras/cnn_layers.hpp"
#include "frontend/keras/qkeras_layers.hpp"

namespace nnfpga::frontend::keras {
namespace {

// The conv node of `kernel` and `bias` declaring the quantizers' types, then the activation.
void finish_qconv(Call& c, const ir::Tensor& kernel, const std::optional<ir::Tensor>& bias) {
  std::optional<ir::Node> n = conv_node(c, c.only_input(), kernel, bias);
  if (!n) return;
  declare_qkeras_weights(c, *n);
  const std::string conv = c.add(std::move(*n), c.layer.name);
  const std::string out = qkeras_activation(c, conv, c.layer.name + "_");
  if (!out.empty()) c.b.set_output(c.layer.name, out);
}

}  // namespace

void convert_qconv(Call& c) {
  const bool use_bias = c.config_or<bool>("use_bias", true);
  Weights w = c.named(use_bias ? std::vector<std::string>{"kernel", "bias"}
                               : std::vector<std::string>{"kernel"});
  std::optional<ir::Tensor> bias;
  if (use_bias) bias = w.at("bias");
  finish_qconv(c, w.at("kernel"), bias);
}

QKerasFolded fold_qkeras_batchnorm(Call& c, const std::string& kernel_name) {
  const bool use_bias = c.config_or<bool>("use_bias", true);
  const bool scale = c.config_or<bool>("scale", true);
  const bool center = c.config_or<bool>("center", true);
  std::vector<std::string> order = {kernel_name};
  if (use_bias) order.push_back("bias");
  if (scale) order.push_back("gamma");
  if (center) order.push_back("beta");
  order.insert(order.end(), {"moving_mean", "moving_variance", "iteration"});
  Weights w = c.named(order);
  ir::Tensor kernel = w.at(kernel_name);
  // The output channels are the kernel's last axis (Conv) or its last two (DepthwiseConv:
  // c * M + m); either way channel k % outputs of the row-major kernel.
  const std::int64_t outputs = kernel_name == "depthwise_kernel" && kernel.shape.size() >= 2
                                   ? kernel.shape.back() * kernel.shape[kernel.shape.size() - 2]
                                   : kernel.shape.back();
  auto per_channel = [&](const std::string& name) {
    if (!w.count(name)) return std::vector<float>();
    const ir::Tensor& t = w.at(name);
    if (ir::element_count(t.shape) != outputs) {
      c.malformed(name + " has " + std::to_string(ir::element_count(t.shape)) +
                  " values; expected one per output channel (" + std::to_string(outputs) + ")");
    }
    return std::vector<float>(t.data.begin(), t.data.end());
  };
  const std::vector<float> gamma = per_channel("gamma"), beta = per_channel("beta");
  const std::vector<float> mean = per_channel("moving_mean");
  const std::vector<float> variance = per_channel("moving_variance");
  const std::vector<float> b = use_bias ? per_channel("bias") : std::vector<float>(outputs, 0.0f);
  const float epsilon = static_cast<float>(c.config_or<double>("epsilon", 1e-3));
  ir::Tensor folded_bias = ir::make_tensor({outputs}, std::vector<double>(outputs, 0.0));
  std::vector<float> inv(outputs);
  for (std::int64_t f = 0; f < outputs; ++f) {
    inv[f] = 1.0f / std::sqrt(variance[f] + epsilon);
    if (!gamma.empty()) inv[f] *= gamma[f];
    const float shifted = inv[f] * (b[f] - mean[f]);
    folded_bias.data[f] = beta.empty() ? shifted : shifted + beta[f];
  }
  for (std::size_t k = 0; k < kernel.data.size(); ++k) {
    kernel.data[k] = static_cast<float>(kernel.data[k]) * inv[k % outputs];
  }
  return {std::move(kernel), std::move(folded_bias)};
}

void convert_qconv_batchnorm(Call& c) {
  QKerasFolded f = fold_qkeras_batchnorm(c, "kernel");
  finish_qconv(c, f.kernel, f.bias);
}

}  // namespace nnfpga::frontend::keras
