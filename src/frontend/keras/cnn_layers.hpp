// Keras's convolution (Conv, DepthwiseConv), pooling and position-moving layers (Conv1D/2D,
// MaxPooling1D/2D, AveragePooling1D/2D, the global pools, ZeroPadding1D/2D, Cropping1D/2D,
// UpSampling1D/2D) as the IR's ops of the same family. Keras is channels-last like the IR, so no
// layer moves an axis; Keras's `padding='same'` becomes the explicit pads the IR holds
// (TensorFlow's split: the odd extra pad at the end), and `data_format='channels_first'` is refused
// with the reason.
#pragma once

#include <optional>

#include "frontend/keras/layer_call.hpp"

namespace nnfpga::frontend::keras {

// A convolution's window as the IR's attributes, one entry per spatial axis (pads two: before,
// after), from the layer's strides, dilation_rate and padding for an input `input` and a kernel
// of shape `kernel` ([K_w, ...] / [K_h, K_w, ...]). nullopt after refusing the layer
// (channels_first, an unknown padding).
struct ConvWindow {
  std::vector<std::int64_t> strides, dilations, pads;
};
std::optional<ConvWindow> conv_window(Call& c, const std::string& input, const ir::Shape& kernel);

// A Conv1D/Conv2D node reading `input` with `kernel` ([K_w, C_in, F] or [K_h, K_w, C_in, F],
// Keras's order, the IR's too) and `bias` (absent: none), its strides, dilations and pads from
// the layer's config; its name is still to be set by Call::add. nullopt after refusing the layer
// (channels_first, groups > 1, an unknown padding).
std::optional<ir::Node> conv_node(Call& c, const std::string& input, const ir::Tensor& kernel,
                                  const std::optional<ir::Tensor>& bias);

// A DepthwiseConv1D/2D node reading `input` with `kernel` ([K_w, C, M] / [K_h, K_w, C, M],
// Keras's depthwise_kernel) and `bias` ([C*M], absent: none), the window from the layer's config
// as for conv_node; nullopt after refusing the layer.
std::optional<ir::Node> depthwise_node(Call& c, const std::string& input, const ir::Tensor& kernel,
                                       const std::optional<ir::Tensor>& bias);

// A SeparableConv1D/2D layer as its two nodes (frontend/separable.hpp), reading the layer's only
// input with the window from its config; nullopt after refusing the layer. add_separable adds
// both (the pointwise one named as the layer) and returns the pointwise node's name.
struct SeparableNodes {
  ir::Node depthwise, pointwise;
};
std::optional<SeparableNodes> separable_nodes(Call& c, const ir::Tensor& depthwise_kernel,
                                              const ir::Tensor& pointwise_kernel,
                                              const std::optional<ir::Tensor>& bias);
std::string add_separable(Call& c, SeparableNodes nodes);

// The same for a pooling layer (MaxPooling/AveragePooling 1D/2D; Keras's default strides are the
// pool size, and an average over a 'same'-padded window divides by its real elements).
std::optional<ir::Node> pool_node(Call& c, const std::string& input);

void convert_conv(Call& c);
// DepthwiseConv1D/2D: depthwise_kernel [K_w, C, M] / [K_h, K_w, C, M] (depth_multiplier M),
// bias [C*M], output channel c*M + m, as the IR's DepthwiseConv.
void convert_depthwise(Call& c);
// SeparableConv1D/2D: no IR op of its own; frontend/separable.hpp splits it into a DepthwiseConv
// named `<name>_depthwise` and a 1x1 Conv named `<name>` (docs/layers.md says why).
void convert_separable(Call& c);
void convert_pool(Call& c);
void convert_global_pool(Call& c);
void convert_zero_padding(Call& c);
void convert_cropping(Call& c);
void convert_upsampling(Call& c);

}  // namespace nnfpga::frontend::keras
