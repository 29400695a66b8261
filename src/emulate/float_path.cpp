// The float reference: the same graph in double precision with the trained parameters, exact
// functions and no quantization, to measure what quantization costs.
// Each op's float meaning is ir::evaluate_float, shared with constant folding.
#include "emulate/program.hpp"
#include "ir/float_eval.hpp"

namespace nnfpga::emulate {

namespace {

// A layer's value: the batch axis, then the node's shape.
ir::Shape batch_shape(std::int64_t batch, const ir::Node& node) {
  ir::Shape shape{batch};
  shape.insert(shape.end(), node.output_shape.begin(), node.output_shape.end());
  return shape;
}

}  // namespace

RunResult Emulator::run_float(const std::vector<Array>& inputs, const RunOptions& options) const {
  const ir::Graph& graph = program_->graph;
  const std::int64_t batch = check_inputs(graph, inputs, false);
  std::vector<ir::Tensor> values(program_->steps.size());
  RunResult result;
  for (std::size_t l = 0; l < program_->steps.size(); ++l) {
    const ProgramStep& step = program_->steps[l];
    if (step.graph_input >= 0) {
      values[l] = {batch_shape(batch, *step.node), inputs[step.graph_input].data};
    } else {
      std::vector<const ir::Tensor*> in;
      for (int i : step.inputs) in.push_back(&values[i]);
      values[l] = ir::evaluate_float(*step.node, in, /*batch_axes=*/1);
    }
    if (options.trace) {
      result.trace.emplace_back(step.node->name,
                                Array{batch_shape(batch, *step.node), values[l].data});
    }
  }
  for (int o : program_->outputs) {
    result.outputs.push_back(Array{batch_shape(batch, *program_->steps[o].node), values[o].data});
  }
  return result;
}

}  // namespace nnfpga::emulate
