// Precision.result: auto. The exact result type of a layer from its input's type and its own
// resolved types, so that the layer neither rounds nor overflows (config/README.md, "Inferred
// types"). Quantization-aware models declare it for the layers whose outputs their framework
// leaves unquantized (QKeras's QDense before a QActivation, for one).
#pragma once

#include "fixed/fixed_type.hpp"
#include "ir/graph.hpp"

namespace nnfpga::config::detail {

// Throws nnfpga::Error (kConfig) naming the layer for an op whose exact result nnfpga does not
// infer (a lookup table's, say) or one that would need more than 64 bits.
fixed::FixedType inferred_result(const ir::Graph& graph, const ir::Node& node);

}  // namespace nnfpga::config::detail
