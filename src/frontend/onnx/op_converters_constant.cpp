// Converters for the ops that exporters use to compute shapes and pads at run time, evaluated at
// read time on constants: Gather (TorchScript's x.size(0) as Gather(Shape(x), 0)), Slice,
// ConstantOfShape and Reshape of a constant (TorchScript's F.pad writes its pads as
// ConstantOfShape, Concat, Reshape, Slice with step -1, Transpose, Reshape, Cast). On an
// activation, Gather and Slice are refused.
#include <algorithm>
#include <limits>

#include "frontend/onnx/onnx_attributes.hpp"
#include "frontend/onnx/op_converters.hpp"
#include "frontend/onnx/tensor_conversion.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend::onnx {
namespace {

// The constant input `i` as integers; nullopt after refusing the node when it is not constant.
std::optional<std::vector<std::int64_t>> constant_ints(ReaderContext& ctx,
                                                       const ::onnx::NodeProto& node, int i,
                                                       const char* role) {
  const Value* v = ctx.input(node, i);
  if (!v) return std::vector<std::int64_t>{};
  if (!v->is_constant()) {
    ctx.refuse(node, std::string(role) + " is not a constant");
    return std::nullopt;
  }
  return integer_values(node, *v->constant, role);
}

// The elements a Slice keeps along one axis: first, first + step, ...
struct AxisRange {
  std::int64_t first = 0;
  std::int64_t step = 1;
};

// Row-major strides of `shape`.
std::vector<std::int64_t> strides_of(const ir::Shape& shape) {
  std::vector<std::int64_t> s(shape.size(), 1);
  for (std::size_t k = shape.size(); k-- > 1;) s[k - 1] = s[k] * shape[k];
  return s;
}

}  // namespace

void convert_gather(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  // The TorchScript exporter reads a size as Gather(Shape(x), i) to build a view's target
  // (x.view(x.size(0), C, 1, 1)): a constant, computed here. A Gather of an activation is not.
  const Value* data = ctx.input(node, 0);
  const Value* indices = ctx.input(node, 1);
  if (!data || !indices) throw_bad_node(node, "needs two inputs");
  if (!data->is_constant() || !indices->is_constant()) {
    return ctx.refuse(node,
                      "a Gather of an activation (only constants, such as the sizes from "
                      "a Shape, are gathered)");
  }
  const ir::Tensor& d = *data->constant;
  const auto rank = static_cast<std::int64_t>(d.shape.size());
  std::int64_t axis = int_attribute(node, "axis", 0);
  if (axis < -rank || axis >= rank) {
    throw_bad_node(node, "axis " + std::to_string(axis) + " is out of range");
  }
  if (axis < 0) axis += rank;
  const auto a = static_cast<std::size_t>(axis);
  const std::int64_t size = d.shape[a];
  std::int64_t outer = 1, inner = 1;
  for (std::size_t k = 0; k < a; ++k) outer *= d.shape[k];
  for (std::size_t k = a + 1; k < d.shape.size(); ++k) inner *= d.shape[k];
  ir::Shape shape(d.shape.begin(), d.shape.begin() + axis);
  shape.insert(shape.end(), indices->constant->shape.begin(), indices->constant->shape.end());
  shape.insert(shape.end(), d.shape.begin() + axis + 1, d.shape.end());
  const std::vector<std::int64_t> index_values =
      integer_values(node, *indices->constant, "the indices input");
  std::vector<double> out;
  for (std::int64_t o = 0; o < outer; ++o) {
    for (const std::int64_t index : index_values) {
      std::int64_t i = index;
      if (i < 0) i += size;
      if (i < 0 || i >= size)
        throw_bad_node(node, "index " + std::to_string(index) + " is out of range");
      const auto from = static_cast<std::size_t>((o * size + i) * inner);
      out.insert(
          out.end(), d.data.begin() + static_cast<std::ptrdiff_t>(from),
          d.data.begin() + static_cast<std::ptrdiff_t>(from + static_cast<std::size_t>(inner)));
    }
  }
  ctx.define_constant_output(node, ir::Tensor{std::move(shape), std::move(out)});
}

void convert_slice(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Value* data = ctx.input(node, 0);
  if (!data) throw_bad_node(node, "input 0 is missing");
  if (!data->is_constant()) {
    return ctx.refuse(node,
                      "a Slice of an activation (only constants, such as the pads "
                      "TorchScript computes for F.pad, are sliced)");
  }
  const ir::Tensor& d = *data->constant;
  const auto rank = static_cast<std::int64_t>(d.shape.size());
  std::vector<std::int64_t> starts, ends, axes, steps;
  if (ctx.opset() < 10) {
    auto ints = [&](const char* name) {
      const ::onnx::AttributeProto* a = find_attribute(node, name);
      return a ? std::vector<std::int64_t>(a->ints().begin(), a->ints().end())
               : std::vector<std::int64_t>{};
    };
    starts = ints("starts");
    ends = ints("ends");
    axes = ints("axes");
  } else {
    auto s = constant_ints(ctx, node, 1, "starts");
    auto e = s ? constant_ints(ctx, node, 2, "ends") : std::nullopt;
    auto a = e ? constant_ints(ctx, node, 3, "axes") : std::nullopt;
    auto p = a ? constant_ints(ctx, node, 4, "steps") : std::nullopt;
    if (!p) return;
    starts = std::move(*s);
    ends = std::move(*e);
    axes = std::move(*a);
    steps = std::move(*p);
  }
  if (axes.empty()) {
    for (std::int64_t k = 0; k < static_cast<std::int64_t>(starts.size()); ++k) axes.push_back(k);
  }
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size()) {
    throw_bad_node(node, "starts, ends, axes and steps differ in length");
  }
  // Per axis: first index, step, count (ONNX's clamping rules).
  std::vector<AxisRange> range(d.shape.size());
  ir::Shape out_shape = d.shape;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    std::int64_t axis = axes[i];
    if (axis < -rank || axis >= rank) throw_bad_node(node, "axis out of range");
    if (axis < 0) axis += rank;
    const auto a = static_cast<std::size_t>(axis);
    const std::int64_t n = d.shape[a], st = steps[i];
    if (st == 0) throw_bad_node(node, "a step is 0");
    auto clamp = [&](std::int64_t v, std::int64_t lo, std::int64_t hi) {
      if (v < 0) v += n;
      return std::clamp(v, lo, hi);
    };
    const std::int64_t b = st > 0 ? clamp(starts[i], 0, n) : clamp(starts[i], -1, n - 1);
    const std::int64_t e = st > 0 ? clamp(ends[i], 0, n) : clamp(ends[i], -1, n - 1);
    const std::int64_t count = st > 0 ? std::max<std::int64_t>(0, (e - b + st - 1) / st)
                                      : std::max<std::int64_t>(0, (b - e - st - 1) / -st);
    range[a] = AxisRange{b, st};
    out_shape[a] = count;
  }
  const std::vector<std::int64_t> in_strides = strides_of(d.shape);
  const std::int64_t total = ir::element_count(out_shape);
  std::vector<double> out(static_cast<std::size_t>(total));
  const std::vector<std::int64_t> out_strides = strides_of(out_shape);
  for (std::int64_t k = 0; k < total; ++k) {
    std::int64_t from = 0, rest = k;
    for (std::size_t a = 0; a < out_shape.size(); ++a) {
      const std::int64_t idx = rest / out_strides[a];
      rest %= out_strides[a];
      from += (range[a].first + idx * range[a].step) * in_strides[a];
    }
    out[static_cast<std::size_t>(k)] = d.data.at(static_cast<std::size_t>(from));
  }
  ctx.define_constant_output(node, ir::Tensor{std::move(out_shape), std::move(out)});
}

void convert_constant_of_shape(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  auto shape = constant_ints(ctx, node, 0, "the shape");
  if (!shape) return;
  if (!ctx.input(node, 0)) throw_bad_node(node, "input 0 is missing");
  const std::string what = node.name().empty() ? node.output(0) : node.name();
  const ir::Shape dims(shape->begin(), shape->end());
  const std::int64_t n = checked_element_count(dims, what);
  double fill = 0.0;
  if (const ::onnx::AttributeProto* a = find_attribute(node, "value")) {
    const ir::Tensor v = tensor_from_proto(a->t(), what);
    if (v.data.size() != 1) throw_bad_node(node, "value is not a single element");
    fill = v.data[0];
  }
  ctx.define_constant_output(
      node, ir::Tensor{dims, std::vector<double>(static_cast<std::size_t>(n), fill)});
}

void reshape_constant(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const Value* x = ctx.input(node, 0);
  auto target = constant_ints(ctx, node, 1, "the target shape");
  if (!target) return;
  if (!ctx.input(node, 1)) throw_bad_node(node, "the shape input is missing");
  const ir::Tensor& t = *x->constant;
  const std::int64_t n = ir::element_count(t.shape);
  ir::Shape out;
  int unknown = -1;
  for (std::size_t i = 0; i < target->size(); ++i) {
    std::int64_t d = (*target)[i];
    if (d == 0 && int_attribute(node, "allowzero", 0) == 0) {
      if (i >= t.shape.size()) throw_bad_node(node, "target entry 0 copies a missing axis");
      d = t.shape[i];
    }
    if (d == -1) {
      if (unknown >= 0) throw_bad_node(node, "two target entries are -1");
      unknown = static_cast<int>(i);
      d = 1;
    } else if (d < 0) {
      throw_bad_node(node, "target entry " + std::to_string(d) + " is negative");
    }
    out.push_back(d);
  }
  // element_count refuses a product that overflows: the target comes from the file.
  const std::int64_t known = ir::element_count(out);
  if (unknown >= 0) {
    if (known == 0 || n % known != 0) throw_bad_node(node, "the -1 entry cannot be inferred");
    out[static_cast<std::size_t>(unknown)] = n / known;
  } else if (known != n) {
    throw_bad_node(node, "reshaping " + ir::to_string(t.shape) + " to " + ir::to_string(out) +
                             " changes the element count");
  }
  ctx.define_constant_output(node, ir::Tensor{std::move(out), t.data});
}

}  // namespace nnfpga::frontend::onnx
