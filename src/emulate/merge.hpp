// The merge layers' exact intermediate types, shared by the emulator's kernels and the HLS
// emitter: the firmware folds the inputs left to right, x0 op x1, then (that) op x2, ..., each
// step into the type that holds its exact result, so only the last step rounds.
#pragma once

#include <vector>

#include "fixed/exact.hpp"
#include "ir/graph.hpp"

namespace nnfpga::emulate {

// The exact type of `acc op next` for a merge op (Add, Subtract, Multiply, Average, Maximum,
// Minimum): sum, difference, product, sum, and for Maximum/Minimum the common type.
fixed::FixedType merge_step_type(ir::OpKind op, const fixed::FixedType& acc,
                                 const fixed::FixedType& next);

// The exact types after each step: element k - 1 is the type of the fold of inputs 0..k.
std::vector<fixed::FixedType> merge_chain_types(ir::OpKind op,
                                                const std::vector<fixed::FixedType>& inputs);

// log2 of an Average's input count; throws nnfpga::Error (kUnsupported) naming the node when the
// count is not a power of two (the exact division would need a rounding of its own).
int average_shift(const ir::Node& node);

}  // namespace nnfpga::emulate
