// How an ONNX tensor's axes sit in the IR tensor that holds it. ONNX is channels-first and the IR
// channels-last (ir/layout.hpp), and exporters add Transpose, Squeeze and Unsqueeze nodes that
// only rename axes: the reader follows those as a change of this description instead of moving
// data, and reorders weights (Conv kernels, the rows of a Dense after a Flatten) once, at read
// time, so that the IR computes what the file computes. Where a consumer needs another order,
// layout_moves.hpp adds the IR Transpose.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ir/tensor.hpp"

namespace nnfpga::frontend::onnx {

struct TensorLayout {
  // ONNX axis k (batch excluded) is IR axis axes[k], or a size-1 axis the IR tensor leaves out
  // (kAbsent, made by Unsqueeze). Empty: the IR's axes in the ONNX order.
  std::vector<int> axes;
  // For a vector (a flattened feature map): IR element i is ONNX element order[i]. Empty: the
  // same order.
  std::vector<std::int64_t> order;

  static constexpr int kAbsent = -1;
  bool operator==(const TensorLayout&) const = default;
};

// True when the IR tensor is the ONNX tensor as it is (axes identity, no reordering).
bool is_plain(const TensorLayout& layout, const ir::Shape& ir_shape);
// The ONNX shape (batch excluded) of an IR shape held in `layout`.
ir::Shape onnx_shape(const ir::Shape& ir_shape, const TensorLayout& layout);
// The IR axis of ONNX axis k (kAbsent for an axis the IR leaves out).
int ir_axis(const TensorLayout& layout, int k);
// ONNX channels-first (C, [H,] W) held as the IR's channels-last ([H,] W, C), for `rank` axes.
TensorLayout channels_first_as_last(int rank);
// The layout for which the IR is channels-last for the ONNX tensor's channels-first meaning.
bool is_channels_first_as_last(const TensorLayout& layout, const ir::Shape& ir_shape);
// The layout after ONNX's Transpose(perm) (perm includes the batch axis, perm[0] == 0).
TensorLayout transposed(const TensorLayout& layout, int rank,
                        const std::vector<std::int64_t>& perm);
// The IR's Graph::source_axes for a tensor of this layout, or nullopt when the layout is not a
// permutation of the IR's axes (absent axes, a reordered vector).
std::optional<std::vector<int>> source_axes(const TensorLayout& layout);
// A tensor given in the ONNX order (batch excluded, shape onnx_shape(ir_shape, layout)) in the
// IR's order.
ir::Tensor to_ir_order(const ir::Tensor& onnx_order, const ir::Shape& ir_shape,
                       const TensorLayout& layout);
// A tensor with its axes permuted: output axis k is input axis perm[k] (ONNX's Transpose).
ir::Tensor transposed_tensor(const ir::Tensor& t, const std::vector<std::int64_t>& perm);
// For a Flatten of an IR tensor held in `layout`: ONNX flat index of each IR element.
std::vector<std::int64_t> flat_order(const ir::Shape& ir_shape, const TensorLayout& layout);

}  // namespace nnfpga::frontend::onnx
