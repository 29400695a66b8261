// The state of one ONNX -> IR conversion: what each ONNX tensor name stands for, the IR graph
// being built, and the unsupported nodes found so far. Converters (op_converters*.cpp) read their
// inputs and add their node through it.
#pragma once

#include <onnx/onnx_pb.h>

#include <map>
#include <optional>
#include <set>
#include <string>

#include "frontend/onnx/tensor_layout.hpp"
#include "frontend/unsupported.hpp"
#include "ir/graph.hpp"

namespace nnfpga::frontend::onnx {

// What an ONNX tensor name refers to: an activation produced by an IR node (its shape without the
// batch axis), a constant known at read time, or nothing usable ("poisoned": downstream of an
// unsupported node, so its consumers are not converted nor reported again).
struct Value {
  std::string node;                // the IR node producing an activation
  std::optional<ir::Shape> shape;  // the activation's IR shape, when known
  TensorLayout layout;             // how the ONNX tensor's axes sit in the IR tensor
  std::optional<ir::Tensor> constant;
  std::string constant_name;  // the ONNX name a constant came from, to name its IR node
  // Set for a constant computed by a QONNX quantizer (its values are exactly the quantized
  // weights): the layer that takes it declares exact types (docs/qonnx.md).
  std::string quantized_by;
  bool poisoned = false;

  bool is_constant() const { return constant.has_value(); }
  bool is_activation() const { return !constant && !poisoned; }
};

class ReaderContext {
 public:
  ReaderContext(std::string origin, int opset) : origin_(std::move(origin)), opset_(opset) {}

  const std::string& origin() const { return origin_; }
  int opset() const { return opset_; }
  std::optional<std::int64_t> batch_size() const { return batch_size_; }
  void set_batch_size(std::int64_t b) { batch_size_ = b; }

  ir::Graph& graph() { return graph_; }
  frontend::UnsupportedList& unsupported() { return unsupported_; }

  // A fresh IR node name, `preferred` when it is still free.
  std::string unique_name(const std::string& preferred);
  // Tensor names consumed by some node or listed as graph outputs.
  void mark_used(const std::string& tensor) { used_.insert(tensor); }
  bool is_used(const std::string& tensor) const { return used_.count(tensor) != 0; }
  // Tensor names listed as graph outputs (given back in the file's order).
  void mark_graph_output(const std::string& tensor) { graph_outputs_.insert(tensor); }
  bool is_graph_output(const std::string& tensor) const {
    return graph_outputs_.count(tensor) != 0;
  }

  void define(const std::string& tensor, Value value) { values_[tensor] = std::move(value); }
  // Input `i` of `node`, or nullptr when the node has no such (or an empty, i.e. omitted) input.
  // Throws Error (kInput) when the name is defined nowhere in the graph.
  const Value* input(const ::onnx::NodeProto& node, int i) const;
  const Value& value(const std::string& tensor) const;
  bool has_value(const std::string& tensor) const { return values_.count(tensor) != 0; }

  // The IR node name chosen for an ONNX node (its name when unique, else its first output's).
  std::string node_name(const ::onnx::NodeProto& node);
  // Appends `node` (name, source_op filled here), computes its output shape from its inputs'
  // and defines the ONNX node's first output as its activation, held in `layout`.
  void add_node(const ::onnx::NodeProto& onnx_node, ir::Node node, TensorLayout layout = {});
  // Makes every output of `onnx_node` refer to the same activation as `source` (Cast to float).
  // Appends `node` (named already; a node the reader adds between the file's, such as a Reshape
  // that gives a tensor its channel axis) and returns its output shape. Throws the shape rule's
  // Error.
  ir::Shape append_node(ir::Node node);
  void alias_outputs(const ::onnx::NodeProto& onnx_node, const Value& source);
  void define_constant_output(const ::onnx::NodeProto& onnx_node, ir::Tensor t);
  // The IR Constant node holding `t` (made on first use; one per distinct ONNX name and shape).
  std::string constant_node(const Value& v, const ir::Tensor& t);
  // Records `reason` for `onnx_node` and poisons its outputs.
  void refuse(const ::onnx::NodeProto& onnx_node, const std::string& reason);
  void poison_outputs(const ::onnx::NodeProto& onnx_node);

  // Registers an IR node made outside add_node (graph inputs) with its shape.
  void register_shape(const std::string& ir_node, ir::Shape shape) {
    node_shapes_[ir_node] = std::move(shape);
  }

  // Setting from the file's ONNX node names: which ones are unique and may be reused.
  void count_node_name(const std::string& name) { ++node_name_count_[name]; }

 private:
  std::string origin_;
  int opset_;
  std::optional<std::int64_t> batch_size_;
  ir::Graph graph_;
  frontend::UnsupportedList unsupported_{"ONNX reader", "node"};
  std::map<std::string, Value> values_;
  std::set<std::string> names_;
  std::set<std::string> used_;
  std::set<std::string> graph_outputs_;
  std::map<std::string, int> node_name_count_;
  std::map<std::pair<std::string, ir::Shape>, std::string> constant_nodes_;
  std::map<std::string, ir::Shape> node_shapes_;  // IR node name -> output shape
};

// Error (kInput) naming the ONNX node, for converters that find the graph incoherent.
[[noreturn]] void throw_bad_node(const ::onnx::NodeProto& node, const std::string& why);

// The values of a constant that the node reads as integers (axes, indices, pads, shapes): every
// one a whole number of magnitude below 2^62, else an error naming the node and `role`. Constants
// are held as doubles, and converting one past int64's range would be undefined behaviour.
std::vector<std::int64_t> integer_values(const ::onnx::NodeProto& node, const ir::Tensor& constant,
                                         const std::string& role);

}  // namespace nnfpga::frontend::onnx
