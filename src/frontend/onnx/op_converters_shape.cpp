// Converters for shape ops and for ops evaluated at read time (Constant, Cast of a constant).
#include <algorithm>
#include <cmath>
#include <limits>

#include "frontend/onnx/layout_moves.hpp"
#include "frontend/onnx/onnx_attributes.hpp"
#include "frontend/onnx/op_converters.hpp"
#include "frontend/onnx/tensor_conversion.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend::onnx {
namespace {

using ::onnx::AttributeProto;
using ::onnx::TensorProto;

bool is_float_type(std::int64_t t) {
  return t == TensorProto::FLOAT || t == TensorProto::DOUBLE || t == TensorProto::FLOAT16 ||
         t == TensorProto::BFLOAT16;
}

// The value of a Constant node from whichever attribute holds it; nullopt after a refusal.
std::optional<ir::Tensor> constant_value(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const std::string what = node.name().empty() ? node.output(0) : node.name();
  for (const AttributeProto& a : node.attribute()) {
    const std::string& n = a.name();
    if (n == "value") {
      try {
        return tensor_from_proto(a.t(), what);
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::kUnsupported) throw;
        ctx.refuse(node, e.message());
        return std::nullopt;
      }
    }
    if (n == "value_float" || n == "value_int") {
      const double v = n == "value_float" ? a.f() : static_cast<double>(a.i());
      if (!std::isfinite(v)) throw_bad_node(node, "value is NaN or infinity");
      return ir::Tensor{{}, {v}};
    }
    if (n == "value_floats" || n == "value_ints") {
      std::vector<double> v;
      if (n == "value_floats") {
        v.assign(a.floats().begin(), a.floats().end());
      } else {
        v.assign(a.ints().begin(), a.ints().end());
      }
      for (double d : v) {
        if (!std::isfinite(d)) throw_bad_node(node, "value is NaN or infinity");
      }
      return ir::Tensor{{static_cast<std::int64_t>(v.size())}, std::move(v)};
    }
  }
  ctx.refuse(node, "no numeric dense value (sparse and string constants are not supported)");
  return std::nullopt;
}

// The full reshape target without the batch axis, resolving ONNX's 0 (copy the input's dim);
// nullopt after a refusal.
std::optional<ir::Shape> reshape_target(ReaderContext& ctx, const ::onnx::NodeProto& node,
                                        const ir::Tensor& target, const ir::Shape& in) {
  if (target.shape.size() != 1 || target.data.empty()) {
    throw_bad_node(node, "the shape input is not a non-empty 1-D tensor");
  }
  const bool allow_zero = int_attribute(node, "allowzero", 0) != 0;
  const double first = target.data[0];
  const auto batch = ctx.batch_size();
  if (!(first == 0 || first == -1 || (batch && first == static_cast<double>(*batch)))) {
    ctx.refuse(node, "the target's first (batch) entry is " + std::to_string(first) +
                         ", not 0, -1 or the batch size");
    return std::nullopt;
  }
  ir::Shape out;
  bool has_unknown = false;
  for (std::size_t i = 1; i < target.data.size(); ++i) {
    const double d = target.data[i];
    if (d != std::trunc(d) || d < -1 || d > static_cast<double>(kMaxElements)) {
      throw_bad_node(node, "target entry " + std::to_string(d) + " is not a valid dimension");
    }
    if (d == 0 && allow_zero) {
      ctx.refuse(node, "allowzero = 1 with a zero entry (an empty tensor)");
      return std::nullopt;
    }
    if (d == 0) {
      if (i - 1 >= in.size()) throw_bad_node(node, "target entry 0 copies a missing axis");
      out.push_back(in[i - 1]);
    } else {
      has_unknown = has_unknown || d == -1;
      out.push_back(static_cast<std::int64_t>(d));
    }
  }
  // A valid file has one -1 at most: a first -1 beside another is the batch that Shape gave as
  // -1 (TorchScript's flatten(2) reshapes to [Gather(Shape(x), 0), C, -1]), not inferred.
  if (!has_unknown &&
      checked_element_count(out, node.name()) != checked_element_count(in, node.name())) {
    ctx.refuse(node, "reshaping " + ir::to_string(in) + " to " + ir::to_string(out) +
                         " per sample changes the batch size");
    return std::nullopt;
  }
  return out;
}

// `target` with its -1 entry (if any) inferred from the element count of `in`. The counts are
// checked: a file's target can hold dimensions whose product overflows (found by the fuzzer).
ir::Shape inferred(ir::Shape target, const ir::Shape& in, const ::onnx::NodeProto& node) {
  const std::string what = "Reshape '" + node.name() + "'";
  ir::Shape known_dims;
  for (std::int64_t d : target) {
    if (d != -1) known_dims.push_back(d);
  }
  const std::int64_t known = checked_element_count(known_dims, what + " target");
  const std::int64_t count = checked_element_count(in, what + " input");
  for (std::int64_t& d : target) {
    if (d == -1) d = known == 0 ? 0 : count / known;
  }
  checked_element_count(target, what + " result");
  return target;
}

}  // namespace

void convert_flatten(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Value* x = activation_input(ctx, node, 0);
  if (!x) return;
  const auto rank = static_cast<std::int64_t>(x->shape->size()) + 1;
  std::int64_t axis = int_attribute(node, "axis", 1);
  if (axis < -rank || axis > rank)
    throw_bad_node(node, "axis " + std::to_string(axis) + " is out of range");
  if (axis < 0) axis += rank;
  if (axis != 1) {
    ctx.refuse(node,
               "axis " + std::to_string(axis) + "; only axis 1 (keep the batch) is supported");
    return;
  }
  ir::Node n;
  n.op = ir::OpKind::kFlatten;
  n.inputs = {x->node};
  if (ctx.is_graph_output(node.output(0)) && !is_plain(x->layout, *x->shape)) {
    // A graph output is given in the file's element order: the map is transposed there first.
    const std::size_t rank = onnx_shape(*x->shape, x->layout).size();
    std::optional<std::string> moved = rearranged(ctx, node, *x, plain_layout(rank));
    if (!moved) return;
    n.inputs = {*moved};
    return ctx.add_node(node, std::move(n));
  }
  // A feature map held channels-last flattens in HWC order; the element order is recorded so
  // that the Dense after it takes its rows in that order.
  ctx.add_node(node, std::move(n), TensorLayout{.order = flat_order(*x->shape, x->layout)});
}

void convert_reshape(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  if (const Value* c = ctx.input(node, 0); c && c->is_constant()) {
    return reshape_constant(ctx, node);
  }
  const Value* x = activation_input(ctx, node, 0);
  if (!x) return;
  const Value* target = ctx.input(node, 1);
  if (!target) throw_bad_node(node, "the shape input is missing");
  if (!target->is_constant()) {
    ctx.refuse(node, "the target shape is not a constant");
    return;
  }
  const ir::Shape in = onnx_shape(*x->shape, x->layout);
  auto shape = reshape_target(ctx, node, *target->constant, in);
  if (!shape) return;
  TensorLayout layout;
  std::string input = x->node;
  if (!is_plain(x->layout, *x->shape)) {
    if (shape->size() == 1 && !ctx.is_graph_output(node.output(0))) {
      layout.order = flat_order(*x->shape, x->layout);  // a Flatten: no data moves
    } else if (auto held = shape->size() > 1 ? reshape_in_place(*x, inferred(*shape, in, node))
                                             : std::nullopt) {
      // Runs of axes the IR holds side by side merge or split where they are.
      ir::Node n;
      n.op = ir::OpKind::kReshape;
      n.inputs = {x->node};
      n.attrs.set("shape", held->ir_shape);
      return ctx.add_node(node, std::move(n), std::move(held->layout));
    } else {
      // Reshaping reads the elements in the file's order (and a graph output is given in it):
      // bring them there first.
      std::optional<std::string> moved = rearranged(ctx, node, *x, plain_layout(in.size()));
      if (!moved) return;
      input = *moved;
    }
  }
  ir::Node n;
  n.op = ir::OpKind::kReshape;
  n.inputs = {input};
  n.attrs.set("shape", std::move(*shape));
  ctx.add_node(node, std::move(n), std::move(layout));
}

void convert_shape(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  // The shape of an activation is known at read time but for the batch, which stands as -1 (or
  // the static batch size): what exporters compute from it (Resize's sizes, a Reshape's target)
  // reads the other entries, and a -1 where a batch size goes means "inferred".
  const Value* x = activation_input(ctx, node, 0);
  if (!x) return;
  const ir::Shape onnx = onnx_shape(*x->shape, x->layout);
  std::vector<double> dims{ctx.batch_size() ? static_cast<double>(*ctx.batch_size()) : -1.0};
  for (std::int64_t d : onnx) dims.push_back(static_cast<double>(d));
  const auto rank = static_cast<std::int64_t>(dims.size());
  auto clamp = [&](std::int64_t i) {
    if (i < 0) i += rank;
    return std::min(std::max<std::int64_t>(i, 0), rank);
  };
  const std::int64_t start = clamp(int_attribute(node, "start", 0));
  const std::int64_t end = clamp(int_attribute(node, "end", rank));
  std::vector<double> out;
  for (std::int64_t i = start; i < end; ++i) out.push_back(dims[static_cast<std::size_t>(i)]);
  const auto n = static_cast<std::int64_t>(out.size());
  ctx.define_constant_output(node, ir::Tensor{{n}, std::move(out)});
}

void convert_constant(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  if (node.output_size() == 0) throw_bad_node(node, "has no output");
  auto t = constant_value(ctx, node);
  if (t) ctx.define_constant_output(node, std::move(*t));
}

void convert_cast(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Value* x = ctx.input(node, 0);
  if (!x) throw_bad_node(node, "input 0 is missing");
  const std::int64_t to = int_attribute(node, "to", TensorProto::UNDEFINED);
  if (x->is_constant()) {
    ir::Tensor t = *x->constant;
    for (double& v : t.data) {
      if (to == TensorProto::BOOL) {
        v = v != 0 ? 1.0 : 0.0;
      } else if (to == TensorProto::FLOAT) {
        // Out of float's range the conversion is undefined behaviour, and the value unusable.
        if (std::fabs(v) > std::numeric_limits<float>::max()) {
          throw_bad_node(node, "constant value " + std::to_string(v) + " overflows FLOAT");
        }
        v = static_cast<float>(v);
      } else if (!is_float_type(to)) {
        v = std::trunc(v);
      }
    }
    ctx.define_constant_output(node, std::move(t));
    return;
  }
  // A cast between float types is a no-op for nnfpga, which quantizes everything anyway (Keras'
  // exporter emits chains of Cast to FLOAT): the output names the input's activation.
  if (!is_float_type(to)) {
    ctx.refuse(node, "cast of an activation to " + element_type_name(static_cast<int>(to)));
    return;
  }
  ctx.alias_outputs(node, *x);
}

}  // namespace nnfpga::frontend::onnx
