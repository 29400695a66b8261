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
void convert_cast(ReaderContext& ctx, const ::onnx::NodeProto& node);

// The activation input `i`, or nullptr after refusing the node when it is missing or constant.
const Value* activation_input(ReaderContext& ctx, const ::onnx::NodeProto& node, int i);

}  // namespace nnfpga::frontend::onnx
