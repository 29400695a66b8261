// Converters for the ops that move a feature map's positions: Pad (constant zeros, or negative
// pads that crop) and Resize/Upsample (nearest, integer factors). Each becomes the IR's
// ZeroPadding, Cropping or UpSampling of the feature map's spatial axes; whatever else they can
// express (another pad value or mode, padding the channels, interpolation, fractional scales) is
// refused naming the attribute.
#include <cmath>

#include "frontend/onnx/onnx_attributes.hpp"
#include "frontend/onnx/op_converters.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend::onnx {
namespace {

ir::OpKind relayout_kind(bool crop, bool up, std::size_t axes) {
  if (up) return axes == 1 ? ir::OpKind::kUpSampling1D : ir::OpKind::kUpSampling2D;
  if (crop) return axes == 1 ? ir::OpKind::kCropping1D : ir::OpKind::kCropping2D;
  return axes == 1 ? ir::OpKind::kZeroPadding1D : ir::OpKind::kZeroPadding2D;
}

// The pads of a Pad node over every axis (batch included), ONNX's order: begins, then ends.
std::optional<std::vector<std::int64_t>> pad_amounts(ReaderContext& ctx,
                                                     const ::onnx::NodeProto& node,
                                                     std::size_t rank) {
  std::vector<std::int64_t> pads;
  if (ctx.opset() < 11) {
    const ::onnx::AttributeProto* a = find_attribute(node, "pads");
    if (!a) throw_bad_node(node, "pads is missing");
    pads.assign(a->ints().begin(), a->ints().end());
  } else {
    const Value* p = ctx.input(node, 1);
    if (!p) throw_bad_node(node, "the pads input is missing");
    if (!p->is_constant()) {
      ctx.refuse(node, "the pads are not a constant");
      return std::nullopt;
    }
    pads = integer_values(node, *p->constant, "the pads input");
    if (const Value* axes = ctx.input(node, 3)) {
      if (!axes->is_constant()) {
        ctx.refuse(node, "the axes are not a constant");
        return std::nullopt;
      }
      // Pads given for some axes only: spread them over every axis.
      const std::size_t m = axes->constant->data.size();
      if (pads.size() != 2 * m) throw_bad_node(node, "pads do not match the axes");
      std::vector<std::int64_t> full(2 * rank, 0);
      for (std::size_t i = 0; i < m; ++i) {
        auto a = static_cast<std::int64_t>(axes->constant->data[i]);
        if (a < 0) a += static_cast<std::int64_t>(rank);
        if (a < 0 || a >= static_cast<std::int64_t>(rank))
          throw_bad_node(node, "axis out of range");
        full[static_cast<std::size_t>(a)] = pads[i];
        full[static_cast<std::size_t>(a) + rank] = pads[i + m];
      }
      pads = std::move(full);
    }
  }
  if (pads.size() != 2 * rank) {
    throw_bad_node(node, "pads has " + std::to_string(pads.size()) + " entries for a rank-" +
                             std::to_string(rank) + " input");
  }
  return pads;
}

// The constant value a Pad fills with: 0 unless given.
std::optional<double> pad_value(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  if (ctx.opset() < 11) return float_attribute(node, "value", 0.0);
  const Value* v = ctx.input(node, 2);
  if (!v) return 0.0;
  if (!v->is_constant()) {
    ctx.refuse(node, "the constant_value is not a constant");
    return std::nullopt;
  }
  if (v->constant->size() != 1) throw_bad_node(node, "constant_value is not a scalar");
  return v->constant->data[0];
}

// Resize's and Upsample's scale per axis (batch included), from scales or sizes; nullopt after a
// refusal.
std::optional<std::vector<double>> resize_scales(ReaderContext& ctx, const ::onnx::NodeProto& node,
                                                 const ir::Shape& onnx_in) {
  const std::size_t rank = onnx_in.size() + 1;
  const bool upsample = node.op_type() == "Upsample";
  if (upsample && ctx.opset() < 9) {
    const ::onnx::AttributeProto* a = find_attribute(node, "scales");
    if (!a) throw_bad_node(node, "scales is missing");
    return std::vector<double>(a->floats().begin(), a->floats().end());
  }
  // Resize-10 and Upsample-9: X, scales; Resize-11 and later: X, roi, scales, sizes.
  const int scales_input = upsample || ctx.opset() < 11 ? 1 : 2;
  const Value* scales = ctx.input(node, scales_input);
  if (scales && !scales->is_constant()) {
    ctx.refuse(node, "the scales are not a constant");
    return std::nullopt;
  }
  if (scales && scales->constant->size() > 0) return scales->constant->data;
  const Value* sizes = scales_input == 2 ? ctx.input(node, 3) : nullptr;
  if (!sizes) throw_bad_node(node, "neither scales nor sizes is given");
  if (!sizes->is_constant()) {
    ctx.refuse(node, "the sizes are not a constant");
    return std::nullopt;
  }
  if (sizes->constant->size() != static_cast<std::int64_t>(rank))
    throw_bad_node(node, "sizes do not match the input's rank");
  std::vector<double> out{1.0};
  for (std::size_t a = 1; a < rank; ++a) {
    out.push_back(sizes->constant->data[a] / static_cast<double>(onnx_in[a - 1]));
  }
  return out;
}

// Why nearest-neighbour sampling under these attributes is not "output x reads input x / s" for
// integer scales s, or "" when it is.
std::string nearest_refusal(const ::onnx::NodeProto& node) {
  const std::string mode = string_attribute(node, "mode", "nearest");
  if (mode != "nearest") return "mode '" + mode + "': only 'nearest' is supported";
  if (node.op_type() == "Upsample") return "";
  if (find_attribute(node, "axes")) return "the attribute axes is not supported";
  const std::string coords = string_attribute(node, "coordinate_transformation_mode", "half_pixel");
  const std::string nearest = string_attribute(node, "nearest_mode", "round_prefer_floor");
  // asymmetric reads x / s, floor of which is the repeat; half_pixel reads x / s + (1/s - 1)/2,
  // within half a position of it, so rounding (not floor or ceil) gives the repeat.
  if (coords == "asymmetric" && nearest == "floor") return "";
  const bool rounding = nearest == "round_prefer_floor" || nearest == "round_prefer_ceil";
  if ((coords == "half_pixel" || coords == "pytorch_half_pixel") && rounding) return "";
  return "coordinate_transformation_mode '" + coords + "' with nearest_mode '" + nearest +
         "' does not repeat each position (supported: asymmetric with floor, half_pixel with "
         "round_prefer_floor or round_prefer_ceil)";
}

}  // namespace

void convert_pad(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  const std::string mode = string_attribute(node, "mode", "constant");
  if (mode != "constant")
    return ctx.refuse(node, "mode '" + mode + "': only constant is supported");
  const Value* x = channels_last_input(ctx, node, 1);
  if (!x) return;
  const std::size_t n = x->shape->size() - 1;
  const std::size_t rank = n + 2;
  const auto pads = pad_amounts(ctx, node, rank);
  if (!pads) return;
  const auto value = pad_value(ctx, node);
  if (!value) return;
  if (*value != 0)
    return ctx.refuse(node, "constant_value " + std::to_string(*value) + " is not 0");
  for (std::size_t a : {std::size_t{0}, std::size_t{1}}) {
    if ((*pads)[a] != 0 || (*pads)[a + rank] != 0) {
      return ctx.refuse(node, std::string("it pads the ") + (a == 0 ? "batch" : "channel") +
                                  " axis; only the spatial axes are supported");
    }
  }
  bool any_positive = false, any_negative = false;
  std::vector<std::int64_t> ir;  // per spatial axis: begin, end
  for (std::size_t a = 2; a < rank; ++a) {
    for (std::int64_t p : {(*pads)[a], (*pads)[a + rank]}) {
      any_positive = any_positive || p > 0;
      any_negative = any_negative || p < 0;
      ir.push_back(p);
    }
  }
  if (any_positive && any_negative) {
    return ctx.refuse(node, "it pads some axes and crops others (negative pads)");
  }
  if (!any_positive && !any_negative) {
    ctx.alias_outputs(node, *x);
    return;
  }
  for (std::int64_t& p : ir) p = std::abs(p);
  ir::Node r;
  r.op = relayout_kind(any_negative, false, n);
  r.inputs = {x->node};
  r.attrs.set(any_negative ? "crops" : "pads", ir);
  ctx.add_node(node, std::move(r), x->layout);
}

void convert_resize(ReaderContext& ctx, const ::onnx::NodeProto& node) {
  if (const std::string why = nearest_refusal(node); !why.empty()) return ctx.refuse(node, why);
  const Value* x = channels_last_input(ctx, node, 1);
  if (!x) return;
  const ir::Shape onnx = onnx_shape(*x->shape, x->layout);
  const auto scales = resize_scales(ctx, node, onnx);
  if (!scales) return;
  if (scales->size() != onnx.size() + 1)
    throw_bad_node(node, "scales do not match the input's rank");
  if ((*scales)[0] != 1 || (*scales)[1] != 1) {
    return ctx.refuse(node, "it scales the batch or channel axis");
  }
  std::vector<std::int64_t> size;
  for (std::size_t a = 2; a < scales->size(); ++a) {
    const double s = (*scales)[a];
    if (!(s >= 1) || s != std::floor(s) || s > 1e6) {
      return ctx.refuse(node, "scale " + std::to_string(s) + " of axis " + std::to_string(a) +
                                  " is not a whole number of at least 1");
    }
    size.push_back(static_cast<std::int64_t>(s));
  }
  ir::Node r;
  r.op = relayout_kind(false, true, size.size());
  r.inputs = {x->node};
  r.attrs.set("size", size);
  ctx.add_node(node, std::move(r), x->layout);
}

}  // namespace nnfpga::frontend::onnx
