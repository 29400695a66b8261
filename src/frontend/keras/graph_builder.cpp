#include "frontend/keras/graph_builder.hpp"

#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend::keras {

std::string GraphBuilder::output_of(const std::string& layer) const {
  auto it = outputs_.find(layer);
  return it == outputs_.end() ? std::string() : it->second;
}

std::string GraphBuilder::add(ir::Node node, const std::string& keras_class) {
  std::string name = node.name;
  for (int i = 1; shapes_.count(name); ++i) name = node.name + "_" + std::to_string(i);
  node.name = name;
  node.source_op = keras_class;
  std::vector<ir::Shape> inputs;
  for (const std::string& in : node.inputs) inputs.push_back(shapes_.at(in));
  try {
    node.output_shape = ir::op_info(node.op).shape_rule(node, inputs);
  } catch (const Error& e) {
    throw e.located({.file = origin_, .node = name});
  }
  node.input_shapes = inputs;
  shapes_[name] = node.output_shape;
  graph_.nodes.push_back(std::move(node));
  return name;
}

void GraphBuilder::refuse(const std::string& layer, const std::string& keras_class,
                          const std::string& why) {
  unsupported_.add(layer, keras_class, why);
  outputs_[layer] = "";
}

ir::Graph GraphBuilder::finish(const std::string& name, const std::vector<std::string>& inputs,
                               const std::vector<std::string>& outputs) {
  unsupported_.throw_if_any(origin_);
  graph_.name = name;
  for (const std::string& in : inputs) graph_.inputs.push_back(output_of(in));
  for (const std::string& out : outputs) graph_.outputs.push_back(output_of(out));
  try {
    ir::validate(graph_);
    ir::infer_shapes(graph_);
  } catch (const Error& e) {
    throw e.located({.file = origin_});
  }
  return std::move(graph_);
}

}  // namespace nnfpga::frontend::keras
