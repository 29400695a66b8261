// Small graph-editing helpers shared by the canonicalization passes: rewiring a node's uses,
// erasing nodes, and reading a constant as a per-channel (last-axis) vector.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ir/graph.hpp"

namespace nnfpga::passes {

// The single node consuming `name`'s tensor (once), or nullptr when there are zero or several
// consumers, or the tensor is also a graph output.
ir::Node* sole_consumer(ir::Graph& graph, const std::string& name);

// Makes every consumer and every graph output that reads `from` read `to` instead.
void replace_uses(ir::Graph& graph, const std::string& from, const std::string& to);

// Removes the node named `name` (its uses must already be rewired) and records it in
// graph.removed_layers as taken in by the node `into` (empty: dropped). Layers that an earlier
// pass folded into `name` now count as taken in by `into` too.
void erase_node(ir::Graph& graph, const std::string& name, std::string into);

// The node producing `node`'s first input; throws nnfpga::Error (kInternal) when there is none.
ir::Node& first_producer(ir::Graph& graph, const ir::Node& node);

// A Dense's bias values, created as zeros when the Dense has none (the op table allows that).
std::vector<double>& dense_bias(ir::Node& dense);

// The shape of the node's first input, read from its producer (so it is right even while the
// node's own input_shapes are stale).
const ir::Shape& first_input_shape(const ir::Graph& graph, const ir::Node& node);

// A constant given with more axes than the tensor it applies to (ONNX constants may carry a
// leading batch axis of 1): drops leading axes of size 1 until the ranks match.
ir::Tensor drop_leading_unit_axes(ir::Tensor t, std::size_t rank);

// When `t`, broadcast to `shape`, is the same along every axis but the last, returns its values
// along the last axis (shape.back() of them); otherwise nullopt. `shape` must not be empty.
std::optional<std::vector<double>> per_last_axis(const ir::Tensor& t, const ir::Shape& shape);

}  // namespace nnfpga::passes
