// An average of n activations (Keras Average, ONNX Mean), shared by the readers. The IR's Average
// divides by a shift, so it holds power-of-two counts. Any other count is read as two nodes: the
// exact sum (its result declared `auto`, so it neither rounds nor overflows) and a multiplication
// by 1/n, which the passes turn into a BatchNorm: 1/n is then quantized into its `scale` type and
// the product cast once into its `result` type, the two roundings an average of three needs.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "ir/graph.hpp"

namespace nnfpga::frontend {

// Whether an average of n inputs is one IR Average (n a power of two, n >= 2).
bool average_is_shift(std::size_t n);

// The exact sum of `inputs` (an Add declaring result: auto); its name is still to be set.
ir::Node exact_sum_node(std::vector<std::string> inputs);

// `sum` times 1/n (a MulConstant with a scalar value); its name is still to be set.
ir::Node reciprocal_scale_node(const std::string& sum, std::size_t n);

}  // namespace nnfpga::frontend
