#include "frontend/onnx/graph_inputs.hpp"

#include <set>

#include "frontend/onnx/input_layout.hpp"
#include "frontend/onnx/tensor_conversion.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend::onnx {
namespace {

// The IR shape of a graph input, nullopt after recording why it is unsupported.
std::optional<ir::Shape> input_shape(ReaderContext& ctx, const ::onnx::ValueInfoProto& in) {
  const std::string& name = in.name();
  if (!in.type().has_tensor_type() || !in.type().tensor_type().has_shape()) {
    ctx.unsupported().add(name, "input", "no tensor type with a shape");
    return std::nullopt;
  }
  const auto& dims = in.type().tensor_type().shape().dim();
  if (dims.size() < 2) {
    ctx.unsupported().add(
        name, "input",
        "rank " + std::to_string(dims.size()) + "; a batch axis and at least one more are needed");
    return std::nullopt;
  }
  // The first dim is the batch: symbolic, unknown (0 or -1) or any static size.
  if (dims[0].has_dim_value() && dims[0].dim_value() > 0) {
    if (!ctx.batch_size()) ctx.set_batch_size(dims[0].dim_value());
  }
  ir::Shape shape;
  for (int i = 1; i < dims.size(); ++i) {
    if (!dims[i].has_dim_value() || dims[i].dim_value() <= 0) {
      const std::string label = dims[i].has_dim_param() ? " ('" + dims[i].dim_param() + "')" : "";
      ctx.unsupported().add(
          name, "input",
          "dimension " + std::to_string(i) + label + " is dynamic; only the batch (first) may be");
      return std::nullopt;
    }
    shape.push_back(dims[i].dim_value());
  }
  try {
    checked_element_count(shape, name);
  } catch (const Error& e) {
    throw e.located({.file = ctx.origin(), .node = name});
  }
  return shape;
}

}  // namespace

void define_initializers(ReaderContext& ctx, const ::onnx::GraphProto& graph) {
  if (graph.sparse_initializer_size() > 0) {
    throw Error(ErrorKind::kUnsupported, "sparse initializers are not supported",
                {.file = ctx.origin()});
  }
  for (const ::onnx::TensorProto& t : graph.initializer()) {
    if (t.name().empty())
      throw Error(ErrorKind::kInput, "an initializer has no name", {.file = ctx.origin()});
    if (ctx.has_value(t.name())) {
      throw Error(ErrorKind::kInput, "initializer '" + t.name() + "' is defined twice",
                  {.file = ctx.origin()});
    }
    try {
      ctx.define(t.name(),
                 Value{.constant = tensor_from_proto(t, t.name()), .constant_name = t.name()});
    } catch (const Error& e) {
      throw e.located({.file = ctx.origin(), .node = t.name()});
    }
  }
}

void define_graph_inputs(ReaderContext& ctx, const ::onnx::GraphProto& graph) {
  for (const ::onnx::ValueInfoProto& in : graph.input()) {
    if (ctx.has_value(in.name())) {
      // An initializer listed as an input too (old exporters do that): it stays a constant, but a
      // second input of the same name is a broken file.
      if (ctx.value(in.name()).is_constant()) continue;
      throw Error(ErrorKind::kInput, "graph input '" + in.name() + "' is listed twice",
                  {.file = ctx.origin()});
    }
    auto shape = input_shape(ctx, in);
    if (!shape) {
      ctx.define(in.name(), Value{.poisoned = true});
      continue;
    }
    // A feature map is held channels-last, as the ops it reaches want it (input_layout.hpp).
    TensorLayout layout;
    ir::Shape ir_shape = *shape;
    if (shape->size() >= 2) {
      if (auto demanded =
              demanded_input_layout(graph, in.name(), static_cast<int>(shape->size()))) {
        layout = std::move(*demanded);
        for (std::size_t k = 0; k < shape->size(); ++k) {
          ir_shape[static_cast<std::size_t>(layout.axes[k])] = (*shape)[k];
        }
      }
    }
    ir::Node n;
    n.name = ctx.unique_name(in.name());
    n.op = ir::OpKind::kInput;
    n.source_op = "Input";
    n.attrs.set("shape", ir_shape);
    n.output_shape = ir_shape;
    ctx.register_shape(n.name, ir_shape);
    if (!is_plain(layout, ir_shape)) ctx.graph().source_axes[n.name] = layout.axes;
    ctx.define(in.name(), Value{.node = n.name, .shape = ir_shape, .layout = layout});
    ctx.graph().inputs.push_back(n.name);
    ctx.graph().nodes.push_back(std::move(n));
  }
}

std::optional<ir::Shape> declared_shape(const ::onnx::ValueInfoProto& info) {
  if (!info.type().has_tensor_type() || !info.type().tensor_type().has_shape()) return std::nullopt;
  const auto& dims = info.type().tensor_type().shape().dim();
  if (dims.empty()) return std::nullopt;
  ir::Shape shape;
  for (int i = 1; i < dims.size(); ++i) {
    if (!dims[i].has_dim_value() || dims[i].dim_value() <= 0) return std::nullopt;
    shape.push_back(dims[i].dim_value());
  }
  return shape;
}

}  // namespace nnfpga::frontend::onnx
