// Helpers the readers of quantization-aware models share to declare types (ir::Node::
// declared_types): the exact type of a tensor the framework leaves unquantized, and the graph
// inputs that a quantizer reads first.
#pragma once

#include <optional>

#include "fixed/fixed_type.hpp"
#include "ir/graph.hpp"

namespace nnfpga::frontend {

// The narrowest signed type holding every value of `t` exactly (float32 weights always have one
// unless their exponents span more than 64 bits), or nullopt when it would need more than 64.
std::optional<fixed::FixedType> exact_type_of(const ir::Tensor& t);

// A graph input whose every consumer is a Quantize node declaring the same result type takes
// that type as its own: the float input is then quantized once, as the framework does, instead
// of cast into a default input type first and re-quantized (two roundings).
void declare_quantized_inputs(ir::Graph& graph);

}  // namespace nnfpga::frontend
