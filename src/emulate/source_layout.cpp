#include "emulate/source_layout.hpp"

#include "ir/layout.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::emulate {
namespace {

const ir::SourceAxes* axes_of(const ir::Graph& graph, const std::string& tensor) {
  auto it = graph.source_axes.find(tensor);
  return it == graph.source_axes.end() || ir::is_identity(it->second) ? nullptr : &it->second;
}

// `a` in the source's order, batch first, into the IR's order; an array of another shape is left
// for the emulator's input check to report.
Array to_ir(const Array& a, const ir::Shape& ir_shape, const ir::SourceAxes& axes) {
  ir::Shape expected = ir::source_shape(ir_shape, axes);
  if (a.shape.size() != expected.size() + 1 ||
      !std::equal(expected.begin(), expected.end(), a.shape.begin() + 1)) {
    return a;
  }
  Array out;
  out.shape = {a.shape[0]};
  out.shape.insert(out.shape.end(), ir_shape.begin(), ir_shape.end());
  out.data.resize(a.data.size());
  ir::source_to_ir(a.data.data(), out.data.data(), a.shape[0], ir_shape, axes);
  return out;
}

void to_source(Array& a, const ir::Shape& ir_shape, const ir::SourceAxes& axes) {
  Array out;
  out.shape = {a.shape.at(0)};
  const ir::Shape s = ir::source_shape(ir_shape, axes);
  out.shape.insert(out.shape.end(), s.begin(), s.end());
  out.data.resize(a.data.size());
  ir::ir_to_source(a.data.data(), out.data.data(), a.shape[0], ir_shape, axes);
  a = std::move(out);
}

}  // namespace

ArrayLayout parse_array_layout(std::string_view text) {
  if (text == "source") return ArrayLayout::kSource;
  if (text == "ir") return ArrayLayout::kIr;
  throw Error(ErrorKind::kInput,
              "unknown array layout '" + std::string(text) +
                  "': use source (the model file's own layout) or ir (channels-last)");
}

ir::Shape shape_in_layout(const ir::Graph& graph, const std::string& tensor, ArrayLayout layout) {
  const ir::Shape& shape = graph.at(tensor).output_shape;
  const ir::SourceAxes* axes = axes_of(graph, tensor);
  return layout == ArrayLayout::kSource && axes ? ir::source_shape(shape, *axes) : shape;
}

RunResult run_in_layout(const Emulator& emulator, const std::vector<Array>& inputs,
                        const RunOptions& options, bool float_path, ArrayLayout layout) {
  const ir::Graph& graph = emulator.graph();
  const bool convert = layout == ArrayLayout::kSource && !graph.source_axes.empty();
  std::vector<Array> converted;
  if (convert) {
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const ir::SourceAxes* axes =
          i < graph.inputs.size() ? axes_of(graph, graph.inputs[i]) : nullptr;
      converted.push_back(axes ? to_ir(inputs[i], graph.at(graph.inputs[i]).output_shape, *axes)
                               : inputs[i]);
    }
  }
  const std::vector<Array>& ir_inputs = convert ? converted : inputs;
  RunResult result =
      float_path ? emulator.run_float(ir_inputs, options) : emulator.run(ir_inputs, options);
  if (!convert) return result;
  for (std::size_t o = 0; o < result.outputs.size(); ++o) {
    if (const ir::SourceAxes* axes = axes_of(graph, graph.outputs.at(o))) {
      to_source(result.outputs[o], graph.at(graph.outputs[o]).output_shape, *axes);
    }
  }
  for (auto& [name, array] : result.trace) {
    if (const ir::SourceAxes* axes = axes_of(graph, name)) {
      to_source(array, graph.at(name).output_shape, *axes);
    }
  }
  return result;
}

}  // namespace nnfpga::emulate
