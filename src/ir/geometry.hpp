// Per-op geometry: the sizes a layer's arithmetic runs over, computed from the node's shapes once,
// here, beside the shape rules that fixed them (op_table.cpp). The emulator, the float path, both
// backends and the estimates call these accessors instead of re-deriving sizes from shapes.
#pragma once

#include <cstdint>

#include "ir/graph.hpp"

namespace nnfpga::ir {

// Dense applies one weight matrix to every position of its channels-last input (layout.hpp):
// y[p][j] = b[j] + sum_i x[p][i] * w[i][j].
struct DenseGeometry {
  std::int64_t n_in = 0;       // input channels: the weight matrix's rows
  std::int64_t n_out = 0;      // output channels: its columns
  std::int64_t positions = 1;  // input vectors per sample, each multiplied by the whole matrix
  std::int64_t products() const { return n_in * n_out; }  // per position
};

// Throws nnfpga::Error (kInternal) naming the node when it is not a Dense whose shapes have been
// inferred, or when its weight does not match them.
DenseGeometry dense_geometry(const Node& node);

// A sliding window over the positions of a channels-last input [W, C] or [H, W, C] (a 1-D input
// is the 2-D case with H = 1 and a window of height 1, so consumers need one loop nest). Output
// position (oh, ow) reads input rows oh*stride_h - pad_top + kh*dilation_h for kh < k_h, and
// columns likewise; a row or column outside the input is padding.
struct WindowGeometry {
  int spatial_axes = 2;  // 1 (Conv1D, ...) or 2
  std::int64_t in_h = 1, in_w = 1, channels = 1;
  std::int64_t k_h = 1, k_w = 1;
  std::int64_t stride_h = 1, stride_w = 1;
  std::int64_t dilation_h = 1, dilation_w = 1;
  std::int64_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
  std::int64_t out_h = 1, out_w = 1;
  // False for the global pools, whose output [C] has no position axes.
  bool keeps_positions = true;
  std::int64_t out_positions() const { return out_h * out_w; }
  // [[out_h,] out_w, channels], or [channels] without positions.
  Shape output_shape() const;
  std::int64_t window() const { return k_h * k_w; }
  // The input position (row-major over [in_h][in_w]) that window element (kh, kw) of output
  // position (oh, ow) reads, or -1 when it falls on padding.
  std::int64_t input_position(std::int64_t oh, std::int64_t ow, std::int64_t kh,
                              std::int64_t kw) const {
    const std::int64_t h = oh * stride_h - pad_top + kh * dilation_h;
    const std::int64_t w = ow * stride_w - pad_left + kw * dilation_w;
    return h < 0 || h >= in_h || w < 0 || w >= in_w ? -1 : h * in_w + w;
  }
};

// Reads the window attributes of `node` (strides, dilations, pads; absent: 1, 1, 0) for an input
// of IR shape `input` and a window of `kernel` ([K_w] or [K_h, K_w]), and computes the output
// size. Throws nnfpga::Error (kInput) naming the node when the input has not 1 + kernel.size()
// axes, an attribute has the wrong length or a non-positive (strides, dilations) or negative
// (pads) entry, or the window does not fit the padded input once.
WindowGeometry window_geometry(const Node& node, const Shape& input, const Shape& kernel);

// Conv1D and Conv2D: a Dense over the im2col windows. Each output position multiplies its window
// [k_h][k_w][c_in] (flattened in that order, n_in = k_h * k_w * c_in values, padding as zeros) by
// the weight [K_h, K_w, C_in, F] read as the matrix [n_in][F].
struct ConvGeometry {
  WindowGeometry window;
  std::int64_t filters = 0;
  // The matrix product each output position computes: n_in = k_h*k_w*c_in, n_out = filters,
  // positions = output positions. A reuse factor shares multipliers over its products().
  DenseGeometry matrix() const {
    return {window.window() * window.channels, filters, window.out_positions()};
  }
  Shape output_shape() const;
};

// The geometry from an input shape and a weight shape (the shape rule's use). Throws
// nnfpga::Error (kInput) naming the node when the weight is not [K_w, C_in, F] / [K_h, K_w, C_in,
// F] for this input, the bias not [F], or the window does not fit.
ConvGeometry conv_geometry(const Node& node, const Shape& input, const Shape& weight);
// The geometry of a node whose shapes have been inferred. Throws nnfpga::Error (kInternal) naming
// the node when it is not a convolution with inferred shapes.
ConvGeometry conv_geometry(const Node& node);

// DepthwiseConv1D and DepthwiseConv2D: input channel c is convolved on its own with M (the depth
// multiplier) kernels, output channel c*M + m. The weight [K_h, K_w, C, M] read row-major is the
// matrix [k_h*k_w][C*M] whose column c*M + m holds the kernel of output channel c*M + m, so each
// output sums the k_h*k_w products of its column with its own channel's window.
struct DepthwiseGeometry {
  WindowGeometry window;
  std::int64_t multiplier = 1;
  std::int64_t out_channels() const { return window.channels * multiplier; }
  // Per output position: n_in = k_h*k_w products summed into each of n_out = C*M outputs, so a
  // reuse factor shares multipliers over products() = k_h*k_w*C*M and the accumulator rule sums a
  // column of k_h*k_w weights, each input ranging over the input type as Dense's does.
  DenseGeometry matrix() const { return {window.window(), out_channels(), window.out_positions()}; }
  Shape output_shape() const;
};

// The geometry from an input shape and a weight shape (the shape rule's use). Throws
// nnfpga::Error (kInput) naming the node when the weight is not [K_w, C, M] / [K_h, K_w, C, M]
// for this input, the bias not [C*M], or the window does not fit.
DepthwiseGeometry depthwise_geometry(const Node& node, const Shape& input, const Shape& weight);
// The geometry of a node whose shapes have been inferred. Throws nnfpga::Error (kInternal) naming
// the node when it is not a depthwise convolution with inferred shapes.
DepthwiseGeometry depthwise_geometry(const Node& node);

// MaxPool, AveragePool (1-D, 2-D): the window of attribute pool_size ([K_w] / [K_h, K_w]) with
// strides and pads (each pad below the pool size, so that every window holds an input element);
// the Global pools: one window over the whole input. For an input of IR shape `input`; throws
// nnfpga::Error (kInput) naming the node when it does not fit, (kInternal) for another op.
WindowGeometry pool_geometry(const Node& node, const Shape& input);
// The same for a node whose shapes have been inferred.
WindowGeometry pool_geometry(const Node& node);

// ZeroPadding, Cropping, UpSampling (1-D, 2-D): output position (oh, ow) holds input position
// ((oh + shift_h) / div_h, (ow + shift_w) / div_w), or zeros where that falls outside the input.
struct RelayoutGeometry {
  int spatial_axes = 2;
  std::int64_t in_h = 1, in_w = 1, channels = 1;
  std::int64_t out_h = 1, out_w = 1;
  std::int64_t shift_h = 0, shift_w = 0;  // -pad_begin (ZeroPadding), crop_begin (Cropping)
  std::int64_t div_h = 1, div_w = 1;      // the UpSampling factors
  Shape output_shape() const;
  std::int64_t input_position(std::int64_t oh, std::int64_t ow) const {
    const std::int64_t h = oh + shift_h, w = ow + shift_w;
    if (h < 0 || w < 0 || h / div_h >= in_h || w / div_w >= in_w) return -1;
    return h / div_h * in_w + w / div_w;
  }
};

// For an input of IR shape `input`. Throws nnfpga::Error (kInput) naming the node when an
// attribute has the wrong length or sign, or crops leave no position; (kInternal) for another op.
RelayoutGeometry relayout_geometry(const Node& node, const Shape& input);
// The same for a node whose shapes have been inferred.
RelayoutGeometry relayout_geometry(const Node& node);

// The merge layers Add, Subtract, Multiply, Average, Maximum and Minimum broadcast their inputs
// as numpy does: aligned on their last axes, each axis of an input has the output's size or 1, and
// the output's size on an axis is the one size above 1 its inputs have there (a [C] vector or a
// [1, 1, C] operand against [H, W, C], an [H, W, 1] one). Output element k (row-major) reads
// element input_index(i, k) of input i.
struct MergeGeometry {
  Shape output;
  std::vector<std::int64_t> input_sizes;  // elements of each input
  // Per input, per output axis: the input's element stride along it, 0 where the input repeats.
  std::vector<std::vector<std::int64_t>> strides;
  // Whether some input has fewer elements than the output (is repeated along some axis).
  bool broadcasts() const;
  std::int64_t input_index(std::size_t input, std::int64_t k) const;
};

// For inputs of IR shapes `inputs`. Throws nnfpga::Error (kInput) naming the node when the count
// of inputs does not suit the op or the shapes do not broadcast; (kInternal) for another op.
MergeGeometry merge_geometry(const Node& node, const std::vector<Shape>& inputs);
// The same for a node whose shapes have been inferred.
MergeGeometry merge_geometry(const Node& node);

// Concatenate on the IR axis of attribute `axis` (absent: the last; a negative one counts from
// the end): every other axis equal. Per sample, `outer` blocks, each the inputs' blocks of
// inner[i] elements side by side.
struct ConcatGeometry {
  Shape output;
  std::size_t axis = 0;             // non-negative, < output.size()
  std::int64_t outer = 1;           // the product of the axes before `axis`
  std::vector<std::int64_t> inner;  // per input: the product of its axes from `axis` on
  std::int64_t out_inner() const;   // the sum of inner
};

// Throws nnfpga::Error (kInput) naming the node when there are fewer than two inputs, ranks
// differ, the axis is outside them or another axis differs; (kInternal) for another op.
ConcatGeometry concat_geometry(const Node& node, const std::vector<Shape>& inputs);
// The same for a node whose shapes have been inferred.
ConcatGeometry concat_geometry(const Node& node);

// Transpose: attribute perm, a permutation of the IR axes (the batch axis excluded): output axis a
// is input axis perm[a]. Output element k (row-major) is input element input_index(k).
struct TransposeGeometry {
  Shape input, output;
  std::vector<std::int64_t> perm;
  std::vector<std::int64_t> strides;  // per output axis: the input's element stride along it
  std::int64_t input_index(std::int64_t k) const;
};

// Throws nnfpga::Error (kInput) naming the node when perm is missing or no permutation of the
// input's axes; (kInternal) for another op.
TransposeGeometry transpose_geometry(const Node& node, const Shape& input);
// The same for a node whose shapes have been inferred.
TransposeGeometry transpose_geometry(const Node& node);

// False for a merge that broadcasts an input and for a Concatenate on another axis than the
// last: what the backends' merge emitters do not write yet (issue 16's backends follow); true for
// every other node. The backends refuse such a node by name.
bool merge_is_plain(const Node& node);

// The matrix product of an op that shares multipliers (op_info(op).shares_multipliers: Dense,
// Conv1D, Conv2D, DepthwiseConv1D, DepthwiseConv2D): what a reuse factor divides and the
// accumulator rule sums over (for a depthwise convolution, column j's inputs are channel j / M of
// the window, not the whole window: DepthwiseGeometry). Throws
// nnfpga::Error (kInternal) for any other op.
DenseGeometry weighted_sum_geometry(const Node& node);

}  // namespace nnfpga::ir
