#include "frontend/onnx/reader_context.hpp"

#include <cmath>

#include "frontend/onnx/module_names.hpp"

#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend::onnx {

void throw_bad_node(const ::onnx::NodeProto& node, const std::string& why) {
  throw Error(
      ErrorKind::kInput, node.op_type() + ": " + why,
      {.node = node.name().empty() ? (node.output_size() ? node.output(0) : "") : node.name()});
}

std::vector<std::int64_t> integer_values(const ::onnx::NodeProto& node, const ir::Tensor& constant,
                                         const std::string& role) {
  constexpr double kLimit = 4611686018427387904.0;  // 2^62: sums of two stay within int64
  std::vector<std::int64_t> out;
  out.reserve(constant.data.size());
  for (double d : constant.data) {
    if (!(std::abs(d) < kLimit) || d != std::trunc(d)) {
      throw_bad_node(node, role + " holds " + std::to_string(d) + ", not an integer index or size");
    }
    out.push_back(static_cast<std::int64_t>(d));
  }
  return out;
}

std::string ReaderContext::unique_name(const std::string& preferred) {
  std::string base = preferred.empty() ? std::string("node") : preferred;
  std::string name = base;
  for (int i = 1; names_.count(name); ++i) name = base + "_" + std::to_string(i);
  names_.insert(name);
  return name;
}

const Value& ReaderContext::value(const std::string& tensor) const {
  auto it = values_.find(tensor);
  if (it == values_.end()) {
    throw Error(ErrorKind::kInput, "tensor '" + tensor + "' is used but never defined");
  }
  return it->second;
}

const Value* ReaderContext::input(const ::onnx::NodeProto& node, int i) const {
  if (i >= node.input_size() || node.input(i).empty()) return nullptr;
  auto it = values_.find(node.input(i));
  if (it == values_.end()) throw_bad_node(node, "input '" + node.input(i) + "' is never defined");
  return &it->second;
}

std::string ReaderContext::node_name(const ::onnx::NodeProto& node) {
  if (std::optional<std::string> module = torch_module_name(node)) return unique_name(*module);
  const std::string& n = node.name();
  if (!n.empty() && node_name_count_[n] == 1) return unique_name(n);
  return unique_name(node.output_size() ? node.output(0) : node.op_type());
}

void ReaderContext::add_node(const ::onnx::NodeProto& onnx_node, ir::Node node,
                             TensorLayout layout) {
  node.name = node_name(onnx_node);
  node.source_op = onnx_node.op_type();
  const std::string name = node.name;
  ir::Shape out;
  try {
    out = append_node(std::move(node));
  } catch (const Error& e) {
    throw Error(ErrorKind::kInput, onnx_node.op_type() + ": " + e.message(), {.node = name});
  }
  if (onnx_node.output_size() > 0) {
    define(onnx_node.output(0), Value{.node = name, .shape = out, .layout = std::move(layout)});
  }
}

ir::Shape ReaderContext::append_node(ir::Node node) {
  std::vector<ir::Shape> shapes;
  for (const std::string& in : node.inputs) {
    auto it = node_shapes_.find(in);
    if (it == node_shapes_.end()) {
      throw Error(ErrorKind::kInternal, "input '" + in + "' has no shape", {.node = node.name});
    }
    shapes.push_back(it->second);
  }
  ir::Shape out = ir::op_info(node.op).shape_rule(node, shapes);
  node_shapes_[node.name] = out;
  graph_.nodes.push_back(std::move(node));
  return out;
}

void ReaderContext::alias_outputs(const ::onnx::NodeProto& onnx_node, const Value& source) {
  const Value copy = source;  // `source` may live in values_, which define() modifies
  for (const std::string& out : onnx_node.output()) define(out, copy);
}

void ReaderContext::define_constant_output(const ::onnx::NodeProto& onnx_node, ir::Tensor t) {
  if (onnx_node.output_size() == 0) return;
  const std::string& out = onnx_node.output(0);
  define(out, Value{.constant = std::move(t), .constant_name = out});
}

std::string ReaderContext::constant_node(const Value& v, const ir::Tensor& t) {
  const auto key = std::make_pair(v.constant_name, t.shape);
  auto it = constant_nodes_.find(key);
  if (it != constant_nodes_.end()) return it->second;
  ir::Node node;
  node.name = unique_name(v.constant_name);
  node.op = ir::OpKind::kConstant;
  node.source_op = "Constant";
  node.params["value"] = t;
  node.output_shape = t.shape;
  node_shapes_[node.name] = t.shape;
  constant_nodes_[key] = node.name;
  graph_.nodes.push_back(node);
  return node.name;
}

void ReaderContext::refuse(const ::onnx::NodeProto& onnx_node, const std::string& reason) {
  unsupported_.add(
      onnx_node.name().empty() && onnx_node.output_size() ? onnx_node.output(0) : onnx_node.name(),
      onnx_node.op_type(), reason);
  poison_outputs(onnx_node);
}

void ReaderContext::poison_outputs(const ::onnx::NodeProto& onnx_node) {
  for (const std::string& out : onnx_node.output()) define(out, Value{.poisoned = true});
}

}  // namespace nnfpga::frontend::onnx
