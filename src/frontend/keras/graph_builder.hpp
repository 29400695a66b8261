// The state of one Keras -> IR conversion: the IR graph being built with every node's shape,
// which IR node holds each Keras layer's output (a Dropout or a linear activation holds its
// input's), and the layers found unsupported so far.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "frontend/unsupported.hpp"
#include "ir/graph.hpp"

namespace nnfpga::frontend::keras {

class GraphBuilder {
 public:
  explicit GraphBuilder(std::string origin) : origin_(std::move(origin)) {}

  const std::string& origin() const { return origin_; }
  // The Keras major version (2 or 3) of the file, for the activations it changes the meaning of.
  int keras_major() const { return keras_major_; }
  void set_keras_major(int major) { keras_major_ = major; }

  // The IR node holding the output of Keras layer `layer`; empty when that layer was refused and
  // nothing stands in for it (its consumers are then skipped, not reported again).
  std::string output_of(const std::string& layer) const;
  const ir::Shape& shape_of(const std::string& node) const { return shapes_.at(node); }

  // Appends a node whose inputs are IR node names, computes its shape by the op table's rule
  // (throwing nnfpga::Error (kInput) naming the layer when the shapes do not fit), and returns
  // its name (`name`, made unique).
  std::string add(ir::Node node, const std::string& keras_class);
  // Layer `layer`'s output is IR node `node`.
  void set_output(const std::string& layer, const std::string& node) { outputs_[layer] = node; }
  // Layer `layer` computes nothing at inference (Dropout, GaussianNoise): its output is its input
  // `node`, and the graph records the layer as removed (ir::Graph::removed_layers), so that a
  // configuration naming it is told why it changes nothing.
  void pass_through(const std::string& layer, const std::string& node) {
    outputs_[layer] = node;
    graph_.removed_layers[layer] = "";
  }

  void refuse(const std::string& layer, const std::string& keras_class, const std::string& why);

  // The graph with `outputs` (Keras layer names) as its outputs; throws the unsupported list.
  ir::Graph finish(const std::string& name, const std::vector<std::string>& inputs,
                   const std::vector<std::string>& outputs);

 private:
  std::string origin_;
  int keras_major_ = 3;
  ir::Graph graph_;
  std::map<std::string, std::string> outputs_;  // Keras layer -> IR node
  std::map<std::string, ir::Shape> shapes_;     // IR node -> output shape
  UnsupportedList unsupported_{"Keras reader", "layer"};
};

}  // namespace nnfpga::frontend::keras
