// Every op kind the IR knows. The op table (op_table.hpp) describes each one once: its name,
// inputs, parameters, attributes, type keys and shape rule. Consumers index their own tables by
// this enum, so a missing implementation is found by a test that walks every kind.
#pragma once

#include <cstdint>

namespace nnfpga::ir {

enum class OpKind : std::uint8_t {
  kInput,        // a graph input
  kConstant,     // a constant tensor (folded away by passes/constant_folding)
  kDense,        // y = x W + b over the last axis; params weight [n_in, n_out], bias [n_out]
  kMatMul,       // x @ W with W constant; becomes Dense (passes/matmul_add_to_dense)
  kAddConstant,  // x + c, c constant (broadcast); folded away by passes/fold_scale_shift
  kSubConstant,  // x - c, or c - x when attr constant_first = 1
  kMulConstant,  // x * c
  kDivConstant,  // x / c
  kRelu,
  kLeakyRelu,  // attr alpha
  kClip,       // attrs min, max: a bounded ReLU when min = 0
  kSigmoid,    // lookup table
  kTanh,       // lookup table
  kSoftmax,    // on the last axis, by lookup tables
  kBatchNorm,  // y = x * scale + bias, element-wise; params scale, bias (input's shape)
  kFlatten,    // all non-batch axes into one
  kReshape,    // attr shape (without the batch axis)
  // Merge layers: two or more activations, element-wise, broadcast as numpy does where an axis of
  // an input is 1 or missing (docs/layers.md, ir::MergeGeometry).
  kAdd,
  kSubtract,  // exactly two inputs: x0 - x1
  kMultiply,
  kAverage,  // the exact sum divided by the input count (a power of two)
  kMaximum,
  kMinimum,
  kConcatenate,  // on attr axis (default the last), ir::ConcatGeometry
  kPRelu,        // param alpha (the input's shape): x < 0 ? alpha * x : x
  kElu,          // attr alpha; negative part by lookup table
  kSoftsign,     // lookup table
  kSoftplus,     // lookup table, the identity above it
  kHardSigmoid,  // attrs slope, offset: clip(slope * x + offset, 0, 1)
  kIdentity,     // removed by passes/remove_identity
  kDropout,      // inference: identity
  kQuantize,     // y = x cast to the result type: a quantizer of a QAT model (QActivation, Quant)
  kThreshold,    // y = values[thresholds passed]: attrs thresholds, strict, values (QKeras binary)
  // Convolutions over channels-last inputs ([W, C] and [H, W, C]); params weight
  // [K_w, C_in, F] / [K_h, K_w, C_in, F] (Keras's order), optional bias [F]; attrs strides,
  // dilations, pads (explicit, per axis: begin, end). ir/geometry.hpp, docs/layers.md.
  kConv1D,
  kConv2D,
  // Pooling, each channel on its own: attrs pool_size, strides, pads (explicit, per axis: begin,
  // end; each below the pool size); AveragePool also count_include_pad. The Global forms reduce
  // every position to one: [[H,] W, C] -> [C].
  kMaxPool1D,
  kMaxPool2D,
  kAveragePool1D,
  kAveragePool2D,
  kGlobalMaxPool1D,
  kGlobalMaxPool2D,
  kGlobalAveragePool1D,
  kGlobalAveragePool2D,
  // Moves of positions, each position's channels cast to result_t: ZeroPadding (attr pads, zeros
  // around the input), Cropping (attr crops, positions dropped), UpSampling (attr size, nearest:
  // each position repeated). Per axis begin, end (pads, crops) or one factor (size).
  kZeroPadding1D,
  kZeroPadding2D,
  kCropping1D,
  kCropping2D,
  kUpSampling1D,
  kUpSampling2D,
  // Depthwise convolutions: each input channel c convolved on its own with M = depth multiplier
  // kernels; params weight [K_w, C, M] / [K_h, K_w, C, M] (Keras's depthwise_kernel order),
  // optional bias [C*M]; output channel c*M + m. Attrs as Conv1D/Conv2D's.
  kDepthwiseConv1D,
  kDepthwiseConv2D,
  // Axes permuted: attr perm over the IR axes (the batch axis excluded), output axis a = input
  // axis perm[a]; each value cast to result_t (as ZeroPadding's).
  kTranspose,
};

inline constexpr int kOpKindCount = static_cast<int>(OpKind::kTranspose) + 1;

}  // namespace nnfpga::ir
