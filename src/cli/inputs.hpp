// Reading the model inputs a command is given and fitting them to the graph's input shapes.
#pragma once

#include <string>
#include <vector>

#include "emulate/emulator.hpp"
#include "emulate/source_layout.hpp"
#include "ir/graph.hpp"

namespace nnfpga::cli {

// Reads one file per graph input (in the graph's input order) and reshapes each to
// [batch] + the input's shape. An array fits when its shape after the first (batch) axis equals the
// input's shape, or holds the same number of elements (a flat row per sample). Throws
// nnfpga::Error (kInput) naming the file otherwise, or when the count of files or the batch sizes
// differ.
std::vector<emulate::Array> read_inputs(
    const ir::Graph& graph, const std::vector<std::string>& paths,
    emulate::ArrayLayout layout = emulate::ArrayLayout::kSource);

// Reshapes `array` to [batch] + `shape` under the same rule; `what` names it in errors.
emulate::Array fit_to_shape(emulate::Array array, const ir::Shape& shape, const std::string& what);

// The batch size of the first array (0 when there is none).
std::int64_t batch_of(const std::vector<emulate::Array>& arrays);

}  // namespace nnfpga::cli
