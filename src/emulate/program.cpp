// Building the program: each node gets the kernel its op kind's factory makes, or the emulator
// refuses the graph naming the node.
#include "emulate/program.hpp"

#include <map>

#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::emulate {

void build_program(const ir::Graph& graph, bool general, Program& out) {
  Program* program = &out;
  program->graph = graph;
  std::map<std::string, int> index;
  for (const ir::Node& node : program->graph.nodes) {
    ProgramStep layer;
    layer.node = &node;
    std::vector<const ir::Node*> producers;
    for (const std::string& in : node.inputs) {
      const auto it = index.find(in);
      if (it == index.end()) {
        throw Error(ErrorKind::kInternal, "input '" + in + "' is not defined before use",
                    {.node = node.name});
      }
      layer.inputs.push_back(it->second);
      producers.push_back(program->steps[it->second].node);
    }
    KernelFactory factory = kernel_factory(node.op);
    if (general && node.op == ir::OpKind::kDense) factory = make_dense_kernel_general;
    if (general && (node.op == ir::OpKind::kConv1D || node.op == ir::OpKind::kConv2D)) {
      factory = make_conv_kernel_general;
    }
    if (general &&
        (node.op == ir::OpKind::kDepthwiseConv1D || node.op == ir::OpKind::kDepthwiseConv2D)) {
      factory = make_depthwise_kernel_general;
    }
    if (factory == nullptr) {
      throw Error(ErrorKind::kUnsupported,
                  "not supported by the emulator: " + std::string(ir::op_name(node.op)),
                  {.node = node.name});
    }
    layer.kernel = factory(node, producers);
    for (std::size_t i = 0; i < graph.inputs.size(); ++i) {
      if (graph.inputs[i] == node.name) layer.graph_input = static_cast<int>(i);
    }
    if (node.op == ir::OpKind::kInput && layer.graph_input < 0) {
      throw Error(ErrorKind::kInternal, "Input node is not listed among the graph's inputs",
                  {.node = node.name});
    }
    layer.row_size = ir::element_count(node.output_shape);
    layer.result_frac = node.types.count("result")
                            ? node.type("result").frac()
                            : program->steps.at(layer.inputs.at(0)).result_frac;
    index[node.name] = static_cast<int>(program->steps.size());
    program->steps.push_back(std::move(layer));
  }
  for (const std::string& out : graph.outputs) {
    const auto it = index.find(out);
    if (it == index.end()) throw Error(ErrorKind::kInternal, "graph output '" + out + "' missing");
    program->outputs.push_back(it->second);
  }
}

}  // namespace nnfpga::emulate
