// What the readers of quantization-aware models share to declare types (ir::Node::
// declared_types): the graph inputs that a quantizer reads first. (fixed/exact_type.hpp gives the
// exact type of constants.)
#pragma once

#include "ir/graph.hpp"

namespace nnfpga::frontend {

// A graph input whose every consumer is a Quantize node declaring the same result type takes
// that type as its own: the float input is then quantized once, as the framework does, instead
// of cast into a default input type first and re-quantized (two roundings).
void declare_quantized_inputs(ir::Graph& graph);

}  // namespace nnfpga::frontend
