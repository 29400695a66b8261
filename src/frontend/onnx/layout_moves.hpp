// The data moves that the layout bookkeeping (tensor_layout.hpp) cannot rename away. Most
// Transposes in an export only rename axes, and the reader follows them for free; but a consumer
// that needs its operands in one particular axis order (a merge or Concat of tensors held in
// different orders, a Reshape or MatMul of a tensor held in another order, a Conv fed by a
// Reshape that left the channels first) gets the data rearranged here: IR Reshapes where only
// size-1 axes move, an IR Transpose (perm in the IR's axes, batch excluded) where data must move.
#pragma once

#include <onnx/onnx_pb.h>

#include <optional>
#include <string>

#include "frontend/onnx/reader_context.hpp"

namespace nnfpga::frontend::onnx {

// `layout` (of an IR tensor of `ir_rank` axes) spelled out over `onnx_rank` ONNX axes as a
// permutation of that many IR axes: absent axes (size 1, left out by the IR) get an IR axis of
// their own next to the axis before them, so that adding them moves no data.
TensorLayout complete_layout(const TensorLayout& layout, std::size_t ir_rank, int onnx_rank);

// The IR shape of an ONNX shape (batch excluded; left-padded with 1s to the target's rank, as
// ONNX broadcasting aligns shapes) held in `target`, a permutation layout (complete_layout).
ir::Shape shape_in_layout(const ir::Shape& onnx, const TensorLayout& target);

// The IR node holding activation `v` rearranged into `target` (a permutation layout over at
// least as many ONNX axes as `v` has; `v`'s shape is left-padded with 1s): `v`'s own node when it
// already is, else new Reshape and Transpose nodes named after `v`'s node. nullopt after refusing
// `node` when `v` is a flattened feature map held in another element order (no IR op gathers).
std::optional<std::string> rearranged(ReaderContext& ctx, const ::onnx::NodeProto& node,
                                      const Value& v, const TensorLayout& target);

// A Reshape of an activation to the ONNX shape `to` (batch excluded, no -1) that moves no data:
// the IR shape to reshape to and the layout of the result. It exists when the reshape only
// merges or splits runs of ONNX axes that the IR also holds side by side, in the same order (an
// NCHW map held [H, W, C] flattened to (C, H*W) is [H*W, C], still channels-last).
struct InPlaceReshape {
  ir::Shape ir_shape;
  TensorLayout layout;
};
std::optional<InPlaceReshape> reshape_in_place(const Value& x, const ir::Shape& to);

// The layout holding `onnx_rank` ONNX axes in their own order, spelled out (a target for
// rearranged: the file's order).
TensorLayout plain_layout(std::size_t onnx_rank);

// `layout` with an identity permutation written as the empty (plain) layout.
TensorLayout normalized(TensorLayout layout);

}  // namespace nnfpga::frontend::onnx
