// SeparableConv1D/2D (Keras, QKeras), shared by the readers. It is no IR op: a reader writes it as
// two nodes, a DepthwiseConv named `<name>_depthwise` (the window: strides, dilations, pads, depth
// multiplier) followed by a 1x1 Conv named `<name>` (the pointwise kernel and the bias). Each part
// then has its own weight, accum and result types, as QKeras quantizes them apart, and every
// consumer handles two existing ops instead of a third; the pointwise node keeps the layer's name,
// so that configuration by layer name for the result, and the layer's output, stay the layer's.
// Header-only: small, and a new source file would shift the unity build's batches of src/.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ir/graph.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend {

// A SeparableConv layer as its framework stores it.
struct SeparableConv {
  std::string name;      // the layer's name: the pointwise node's; the depthwise one adds a suffix
  std::string input;     // the producing node
  int spatial_axes = 2;  // 1 (SeparableConv1D) or 2
  // [K_w, C, M] / [K_h, K_w, C, M]: Keras's depthwise_kernel.
  ir::Tensor depthwise_weight;
  // [1, C*M, F] / [1, 1, C*M, F] (Keras's pointwise_kernel), or [C*M, F].
  ir::Tensor pointwise_weight;
  std::optional<ir::Tensor> bias;  // [F], on the pointwise node
  // The window of the depthwise part, as the IR's attributes (one entry per spatial axis; pads two
  // per axis, begin and end); absent means 1, 1 and no padding.
  std::vector<std::int64_t> strides, dilations, pads;
};

// The suffix of the depthwise node's name.
inline constexpr const char* kDepthwiseSuffix = "_depthwise";

namespace separable_detail {

[[noreturn]] inline void refuse(const SeparableConv& layer, const std::string& what) {
  throw Error(ErrorKind::kInput,
              "SeparableConv" + std::to_string(layer.spatial_axes) + "D: " + what +
                  "; expected a depthwise kernel [" + (layer.spatial_axes == 2 ? "K_h, " : "") +
                  "K_w, C, M] and a pointwise kernel [" + (layer.spatial_axes == 2 ? "1, " : "") +
                  "1, C*M, F]",
              {.node = layer.name});
}

}  // namespace separable_detail

// The two nodes, depthwise first; their shapes are inferred with the graph's. Throws nnfpga::Error
// (kInput) naming the layer when the weights do not fit each other (the depthwise kernel's rank,
// a depth multiplier below 1, a pointwise kernel that is not 1x1 over C*M channels, a bias that
// is not one value per filter).
inline std::vector<ir::Node> separable_conv_nodes(const SeparableConv& layer) {
  using separable_detail::refuse;
  const auto axes = static_cast<std::size_t>(layer.spatial_axes);
  const ir::Shape& dw = layer.depthwise_weight.shape;
  if ((axes != 1 && axes != 2) || dw.size() != axes + 2 || dw[axes] < 1 || dw.back() < 1) {
    refuse(layer, "depthwise kernel " + ir::to_string(dw));
  }
  const std::int64_t channels = dw[axes] * dw.back();  // C*M
  const ir::Shape& pw = layer.pointwise_weight.shape;
  // The pointwise kernel's leading axes are the 1x1 window: any number of 1s, then [C*M, F].
  bool one_by_one = pw.size() >= 2 && pw.size() <= axes + 2 && pw[pw.size() - 2] == channels;
  for (std::size_t a = 0; one_by_one && a + 2 < pw.size(); ++a) one_by_one = pw[a] == 1;
  if (!one_by_one || pw.back() < 1) {
    refuse(layer, "pointwise kernel " + ir::to_string(pw) + " after depthwise kernel " +
                      ir::to_string(dw));
  }
  const std::int64_t filters = pw.back();
  if (layer.bias && layer.bias->shape != ir::Shape{filters}) {
    refuse(layer, "bias " + ir::to_string(layer.bias->shape) + " for " + std::to_string(filters) +
                      " filters");
  }

  ir::Node depthwise;
  depthwise.name = layer.name + kDepthwiseSuffix;
  depthwise.op = axes == 1 ? ir::OpKind::kDepthwiseConv1D : ir::OpKind::kDepthwiseConv2D;
  depthwise.inputs = {layer.input};
  depthwise.params["weight"] = layer.depthwise_weight;
  if (!layer.strides.empty()) depthwise.attrs.set("strides", layer.strides);
  if (!layer.dilations.empty()) depthwise.attrs.set("dilations", layer.dilations);
  if (!layer.pads.empty()) depthwise.attrs.set("pads", layer.pads);
  depthwise.source_op = "SeparableConv" + std::to_string(axes) + "D (depthwise part)";

  ir::Node pointwise;
  pointwise.name = layer.name;
  pointwise.op = axes == 1 ? ir::OpKind::kConv1D : ir::OpKind::kConv2D;
  pointwise.inputs = {depthwise.name};
  ir::Shape shape(axes, 1);  // the 1x1 window
  shape.push_back(channels);
  shape.push_back(filters);
  pointwise.params["weight"] = ir::Tensor{shape, layer.pointwise_weight.data};
  if (layer.bias) pointwise.params["bias"] = *layer.bias;
  pointwise.source_op = "SeparableConv" + std::to_string(axes) + "D (pointwise part)";
  return {std::move(depthwise), std::move(pointwise)};
}

}  // namespace nnfpga::frontend
