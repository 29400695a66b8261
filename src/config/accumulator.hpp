// The accumulator types chosen when Precision.accum is not set or is "auto": wide enough that no
// sum can overflow (docs/configuration.md, "The accumulator rule", has the derivation and a
// worked example).
#pragma once

#include "fixed/fixed_type.hpp"
#include "ir/graph.hpp"

namespace nnfpga::config::detail {

// The accumulator by the op's AccumRule (its row in the op table), for a node whose other types
// are resolved. Throws nnfpga::Error (kInternal) for an op without an accumulator.
fixed::FixedType inferred_accumulator(const ir::Graph& graph, const ir::Node& node);

// Dense: from the actual weights and bias quantized into the node's resolved weight and bias
// types, and the range of the input type `x`. Throws nnfpga::Error (kConfig) naming the layer
// when even the integer bits exceed 64.
fixed::FixedType dense_accumulator(const ir::Node& dense, const fixed::FixedType& x);

// AveragePool and GlobalAveragePool: the exact sum of a window of inputs of type `x` (its
// fraction bits, and log2 of the window's size more integer bits), so the one cast into accum_t
// changes nothing. Throws nnfpga::Error (kConfig) naming the layer beyond 64 bits.
fixed::FixedType window_sum_accumulator(const ir::Node& pool, const fixed::FixedType& x);

// BatchNorm's exact result x * scale + bias, from its quantized scale and bias (Precision.result
// auto).
fixed::FixedType batchnorm_result(const ir::Node& batchnorm, const fixed::FixedType& x);

// Softmax: the sum of n entries of the node's resolved table type (n = the last axis).
fixed::FixedType softmax_accumulator(const ir::Node& softmax);

}  // namespace nnfpga::config::detail
