// One converter per supported ONNX op. A converter reads its inputs through the ReaderContext,
// then either adds IR node(s) or refuses the node with a reason; it throws Error (kInput) only when
// the file itself is incoherent. The walk (graph_walk.cpp) calls a converter only when none of the
// node's inputs is poisoned.
#pragma once

#include <onnx/onnx_pb.h>

#include <optional>
#include <string>

#include "frontend/onnx/reader_context.hpp"

namespace nnfpga::frontend::onnx {

using Converter = void (*)(ReaderContext& ctx, const ::onnx::NodeProto& node);

// The converter for an op of the default domain, or nullptr when the op is not supported.
Converter find_converter(const std::string& op_type);
// The converter for an op of QONNX's domain (qonnx.custom_op.general, or FINN's older
// finn.custom_op.general), or nullptr.
Converter find_qonnx_converter(const std::string& domain, const std::string& op_type);
// The converter for an op of QONNX's channels-last domain (op_converters_channels_last.cpp).
Converter find_channels_last_converter(const std::string& domain, const std::string& op_type);

// Activation ops (op_converters.cpp).
void convert_relu(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_leaky_relu(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_sigmoid(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_tanh(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_softmax(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_clip(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_identity(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_elu(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_softsign(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_softplus(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_hard_sigmoid(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_dropout(ReaderContext& ctx, const ::onnx::NodeProto& node);
// Ops with weights or constants (op_converters_linear.cpp).
void convert_gemm(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_matmul(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_binary(ReaderContext& ctx, const ::onnx::NodeProto& node);  // Add, Sub, Mul, Div
void convert_batchnorm(ReaderContext& ctx, const ::onnx::NodeProto& node);
// QONNX's quantizers (op_converters_qonnx.cpp).
void convert_quant(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_bipolar_quant(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_trunc(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_prelu(ReaderContext& ctx, const ::onnx::NodeProto& node);
// Ops on several activations (op_converters_merge.cpp).
void convert_binary_activations(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_variadic(ReaderContext& ctx, const ::onnx::NodeProto& node);  // Sum, Mean, Max, Min
void convert_concat(ReaderContext& ctx, const ::onnx::NodeProto& node);
// Shape and constant ops (op_converters_shape.cpp).
void convert_flatten(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_reshape(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_constant(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_shape(ReaderContext& ctx, const ::onnx::NodeProto& node);
// Ops on constants, computed at read time (op_converters_constant.cpp).
void convert_gather(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_slice(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_constant_of_shape(ReaderContext& ctx, const ::onnx::NodeProto& node);
// A Reshape whose data is a constant (called by convert_reshape).
void reshape_constant(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_cast(ReaderContext& ctx, const ::onnx::NodeProto& node);
// Ops that only rename axes (op_converters_axes.cpp).
void convert_transpose(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_squeeze(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_unsqueeze(ReaderContext& ctx, const ::onnx::NodeProto& node);
// Ops over the positions of a feature map (op_converters_window.cpp, op_converters_resize.cpp).
void convert_conv(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_pool(ReaderContext& ctx, const ::onnx::NodeProto& node);  // MaxPool, AveragePool
void convert_global_pool(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_reduce(ReaderContext& ctx, const ::onnx::NodeProto& node);  // ReduceMean, ReduceMax
void convert_pad(ReaderContext& ctx, const ::onnx::NodeProto& node);
void convert_resize(ReaderContext& ctx, const ::onnx::NodeProto& node);  // Resize, Upsample

// The activation input 0 as a feature map (C, [H,] W) of at least `min_axes` spatial axes, held
// channels-last in the IR ([H,] W, C), or nullptr after refusing the node.
const Value* channels_last_input(ReaderContext& ctx, const ::onnx::NodeProto& node,
                                 std::size_t min_axes);

// A layer whose weight or bias (inputs 1 and 2) a QONNX quantizer computed holds exactly
// quantized values: declares the exact types of its params "weight" and "bias" (when present),
// an exact sum and result. False after refusing the node (op_converters_linear.cpp).
bool declare_quantized_parameters(ReaderContext& ctx, const ::onnx::NodeProto& node, ir::Node& n);

// The activation input `i`, or nullptr after refusing the node when it is missing or constant.
const Value* activation_input(ReaderContext& ctx, const ::onnx::NodeProto& node, int i);

}  // namespace nnfpga::frontend::onnx
