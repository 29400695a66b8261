// The float meaning of the sliding-window ops (convolutions, pools, relayouts), split from
// float_eval.cpp so each file keeps one family. Internal to src/ir/: evaluate_float dispatches
// here.
#pragma once

#include "ir/graph.hpp"

namespace nnfpga::ir {

// A convolution of `x` ([batch axes..., [H,] W, C]): per output position and filter, the bias (or
// 0) plus the window's products added in window order (kh, kw, c), padding skipped. Throws
// nnfpga::Error (kInput) naming the node when the shapes do not fit.
Tensor conv_float(const Node& node, const Tensor& x);

// A depthwise convolution of `x` ([batch axes..., [H,] W, C]): per output position and output
// channel c*M + m, the bias (or 0) plus the products of channel c's window with kernel m added in
// window order (kh, kw), padding skipped.
Tensor depthwise_float(const Node& node, const Tensor& x);

// A pool of `x` (`batch_axes` batch axes, then [H,] W, C), per channel: the maximum of the window's
// input elements, or their sum (window order) divided by the count (the window's size with
// count_include_pad, else the input elements in it). Padding is never a candidate or a term.
Tensor pool_float(const Node& node, const Tensor& x, int batch_axes);

// ZeroPadding, Cropping, UpSampling of `x` (`batch_axes` batch axes, then [H,] W, C): each output
// position is the input position RelayoutGeometry maps it to, or zeros.
Tensor relayout_float(const Node& node, const Tensor& x, int batch_axes);

// Transpose of `x` (`batch_axes` batch axes, then the IR axes perm permutes).
Tensor transpose_float(const Node& node, const Tensor& x, int batch_axes);

}  // namespace nnfpga::ir
