// Arrays in the model file's own layout. The IR is channels-last by rule (ir/layout.hpp); a reader
// of a channels-first format records, per graph input and output, how the file orders its axes
// (Graph::source_axes). By default predict and trace take and return arrays the way the file's
// own framework would (what onnxruntime or Keras takes for that file); the IR's order is the
// other choice. Layers inside the graph have no source layout: their traces are in the IR's order.
#pragma once

#include <string_view>
#include <vector>

#include "emulate/emulator.hpp"

namespace nnfpga::emulate {

enum class ArrayLayout {
  kSource,  // the model file's layout (the default)
  kIr,      // the IR's channels-last layout
};

// "source" or "ir"; throws nnfpga::Error (kInput) otherwise.
ArrayLayout parse_array_layout(std::string_view text);

// Runs the emulator (fixed point, or float when `float_path`) on `inputs` laid out as `layout`,
// and returns the outputs, and the traces of graph inputs and outputs, in that layout too.
RunResult run_in_layout(const Emulator& emulator, const std::vector<Array>& inputs,
                        const RunOptions& options, bool float_path, ArrayLayout layout);

// The shape a graph input or output has in `layout` (without the batch axis).
ir::Shape shape_in_layout(const ir::Graph& graph, const std::string& tensor, ArrayLayout layout);

}  // namespace nnfpga::emulate
