// HGQ2's layers (hgq2 0.2.0, Keras 3; docs/keras.md, "HGQ2"). Their quantizers' bit widths are
// variables of the layers nested in them (hgq2_quantizer.hpp): the weights are quantized here
// exactly as HGQ2 quantizes them, and the activations' quantizers become Quantize nodes
// declaring their types. What nnfpga cannot express refuses the layer with the reason.
#pragma once

#include "frontend/keras/layer_call.hpp"

namespace nnfpga::frontend::keras {

// QKeras and HGQ2 both call their dense layer QDense; HGQ2's comes from an "hgq" module and
// configures its quantizers with kq_conf, iq_conf, ...
bool is_hgq2_layer(const KerasLayer& layer);

// iq (a Quantize node), then Dense with the kernel and bias quantized by kq and bq (their exact
// types declared, the sum inferred exact), its activation (relu: exact), then oq when enabled.
void convert_hgq2_dense(Call& c);

// QConv1D, QConv2D: as QDense, with a Conv1D/Conv2D (cnn_layers.hpp: the padding, strides and
// dilations) in place of the Dense; no bias without use_bias.
void convert_hgq2_conv(Call& c);

// QMaxPooling1D/2D: iq, the MaxPool (its result the input's type, exact), oq when enabled.
void convert_hgq2_max_pool(Call& c);

// QAveragePooling1D/2D, QGlobalAveragePooling1D/2D: iq, the AveragePool or GlobalAveragePool,
// oq when enabled. HGQ2 averages in float32; the pool's result is oq's type (the exact quotient
// rounded once, as oq rounds HGQ2's), or without oq a type that holds the average exactly (a
// power-of-two area) or finely enough for the next quantizer (hgq2_layers.cpp says how fine).
void convert_hgq2_average_pool(Call& c);

// QGlobalMaxPooling1D/2D: iq, the GlobalMaxPool (its result the input's type, exact; keepdims
// a Reshape), oq when enabled.
void convert_hgq2_global_max_pool(Call& c);

}  // namespace nnfpga::frontend::keras
