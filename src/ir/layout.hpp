// The IR's layout rule: every tensor is channels-last. Its last axis holds the channels (a Dense
// layer's features, a feature map's channels) and the axes before it the positions ([H,] W), in
// row-major order; the batch axis is never part of a Shape. Readers of channels-first formats
// (ONNX) convert to this order and record, per graph input and output, how the source file lays
// the tensor out (Graph::source_axes), so that predict and trace can take and return arrays in the
// file's own layout.
#pragma once

#include <cstdint>
#include <vector>

#include "ir/tensor.hpp"

namespace nnfpga::ir {

// Values per position: the last axis (1 for a scalar tensor).
std::int64_t channels(const Shape& shape);
// Positions of a tensor: the product of every axis but the last (1 for a vector).
std::int64_t positions(const Shape& shape);

// How a source file orders the axes of one tensor: axes[k] is the IR axis that the source's axis
// k holds (batch excluded). Empty, or the identity, when the source is channels-last too.
using SourceAxes = std::vector<int>;

// The source-ordered shape of an IR shape. Throws nnfpga::Error (kInternal) when `axes` is not a
// permutation of the shape's axes.
Shape source_shape(const Shape& ir_shape, const SourceAxes& axes);
bool is_identity(const SourceAxes& axes);

// Reorders `batch` samples between the IR's order and the source's. `ir_shape` is the IR shape
// of one sample; `from` and `to` hold batch * element_count(ir_shape) values each.
void source_to_ir(const double* from, double* to, std::int64_t batch, const Shape& ir_shape,
                  const SourceAxes& axes);
void ir_to_source(const double* from, double* to, std::int64_t batch, const Shape& ir_shape,
                  const SourceAxes& axes);

}  // namespace nnfpga::ir
