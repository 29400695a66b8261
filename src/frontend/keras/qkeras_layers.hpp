// QKeras's layers: QDense and QActivation (docs/keras.md, "QKeras"). Their quantizers become the
// types the layers declare (ir::Node::declared_types), with the exact mapping of
// qkeras_quantizer.hpp; a quantizer without an exact type refuses its layer with the reason.
#pragma once

#include "frontend/keras/layer_call.hpp"

namespace nnfpga::frontend::keras {

// The types a layer with QKeras's kernel_quantizer (or the quantizer under `kernel_key`:
// depthwise_quantizer, pointwise_quantizer) and bias_quantizer declares for its node `n`
// (params "weight" and, when present, "bias"): the quantizers' types, or the exact type of the
// values quantized here where QKeras computes them at every call (auto_po2, binary, ternary,
// po2); an unquantized bias declares its exact type; accum and result are inferred (QKeras
// leaves the sum unquantized). Nothing is declared without a kernel quantizer (QKeras uses the
// float kernel) or after refusing the layer.
void declare_qkeras_weights(Call& c, ir::Node& n,
                            const std::string& kernel_key = "kernel_quantizer");

// The layer's `activation` after `input` (a quantizer, or a Keras activation), as a node named
// `name_prefix` + its kind; `input` for linear, empty after refusing the layer.
std::string qkeras_activation(Call& c, const std::string& input, const std::string& name_prefix);

// Dense with weight and bias types from kernel_quantizer and bias_quantizer, result and accum
// inferred (QKeras leaves the sum unquantized), and its activation (a quantizer or a Keras one).
void convert_qdense(Call& c);

// A quantized_bits quantizer becomes a Quantize node, quantized_relu a ReLU, each declaring the
// quantizer's type as its result; a Keras activation name ("relu") is that float activation.
void convert_qactivation(Call& c);

// A BatchNorm from the quantized gamma, beta, mean and variance (qkeras_parameter.hpp). QKeras
// normalizes in float32 (rsqrt), which no fixed-point type reproduces: the scale and bias types
// are configured, not declared, and the result is declared `auto` (exact), so the one rounding
// left is the next quantizer's. qkeras_batchnorm.cpp.
void convert_qbatchnorm(Call& c);

// QConv1D and QConv2D: a Conv node (cnn_layers.hpp's conv_node) declaring the quantizers' types as
// QDense does, then the layer's activation. qkeras_conv.cpp.
void convert_qconv(Call& c);

// A QKeras layer's batch normalization folded into its kernel (the weight `kernel_name`:
// "kernel", or "depthwise_kernel" whose output channel c*M + m spans its last two axes) and
// bias, as QKeras folds it at inference, in float32 (qkeras_conv.cpp says how); not yet
// quantized.
struct QKerasFolded {
  ir::Tensor kernel, bias;
};
QKerasFolded fold_qkeras_batchnorm(Call& c, const std::string& kernel_name);

// QConv2DBatchnorm: the batch normalization folded into the kernel and bias as QKeras folds it at
// inference (in float32), the folded values quantized, then as QConv2D. qkeras_conv.cpp.
void convert_qconv_batchnorm(Call& c);

// QDepthwiseConv2D: a DepthwiseConv2D (cnn_layers.hpp's window) declaring depthwise_quantizer's
// and bias_quantizer's types as QConv2D does its kernel's; then the activation.
// QDepthwiseConv2DBatchnorm: folded as QConv2DBatchnorm (per output channel c*M + m), then as
// QDepthwiseConv2D. qkeras_depthwise.cpp.
void convert_qdepthwise(Call& c);
void convert_qdepthwise_batchnorm(Call& c);

// QSeparableConv1D/2D: split by frontend/separable.hpp into `<name>_depthwise` declaring
// depthwise_quantizer's type and the 1x1 Conv `<name>` declaring pointwise_quantizer's and
// bias_quantizer's; the depthwise result is exact (`auto`), as QKeras keeps it unquantized.
// qkeras_depthwise.cpp.
void convert_qseparable(Call& c);

// QAveragePooling2D, QGlobalAveragePooling2D (qkeras_pooling.cpp): with average_quantizer q,
// QKeras's sum times q(1/area), exactly, as a DepthwiseConv2D whose every weight is q(1/area);
// without, Keras's average (AveragePool2D / GlobalAveragePool2D); then the activation.
void convert_qaverage_pool(Call& c);

}  // namespace nnfpga::frontend::keras
