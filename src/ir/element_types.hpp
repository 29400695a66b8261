// Per-element types of a Quantize layer (attribute "element_types"): a quantizer whose bit
// widths differ per feature, as HGQ2's do, casts each element to its own type. The attribute is
// the spellings separated by spaces, one per element of the output (without the batch axis);
// "zero" marks an element the quantizer sets to 0 (HGQ2's 0-bit elements).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fixed/fixed_type.hpp"
#include "ir/graph.hpp"

namespace nnfpga::ir {

inline constexpr const char* kElementTypes = "element_types";

// nullopt marks a zeroed element. Empty when the node has no per-element types. Throws
// nnfpga::Error (kInput) naming the node for a bad spelling or a count that is not the node's
// element count.
std::vector<std::optional<fixed::FixedType>> element_types(const Node& node);

std::string format_element_types(const std::vector<std::optional<fixed::FixedType>>& types);

// The narrowest type holding every value of every element type exactly (signed when any is),
// or nullopt when that needs more than 64 bits or every element is zeroed.
std::optional<fixed::FixedType> union_type(
    const std::vector<std::optional<fixed::FixedType>>& types);

}  // namespace nnfpga::ir
