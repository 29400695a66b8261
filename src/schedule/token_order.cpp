// token_order: each op family's "eager raster" order, from the geometry accessors.
#include "schedule/token_order.hpp"

#include <algorithm>

#include "ir/geometry.hpp"
#include "ir/layout.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::schedule {
namespace {

using Counts = std::vector<std::int64_t>;

// Output beat o is written after input beat o: activations, batch norm, Dense per position...
Counts one_for_one(std::int64_t beats) {
  Counts c(static_cast<std::size_t>(beats));
  for (std::int64_t o = 0; o < beats; ++o) c[static_cast<std::size_t>(o)] = o + 1;
  return c;
}

// A window op: output (oh, ow) after the last input position its window touches; a window of
// padding only waits for nothing more than the output before it.
Counts window_order(const ir::WindowGeometry& g) {
  if (!g.keeps_positions) return Counts(1, g.in_h * g.in_w);  // the global pools
  Counts c(static_cast<std::size_t>(g.out_positions()));
  std::int64_t prev = 0;
  for (std::int64_t oh = 0; oh < g.out_h; ++oh) {
    for (std::int64_t ow = 0; ow < g.out_w; ++ow) {
      std::int64_t last = -1;
      for (std::int64_t kh = 0; kh < g.k_h; ++kh) {
        for (std::int64_t kw = 0; kw < g.k_w; ++kw) {
          last = std::max(last, g.input_position(oh, ow, kh, kw));
        }
      }
      prev = std::max(prev, last + 1);
      c[static_cast<std::size_t>(oh * g.out_w + ow)] = prev;
    }
  }
  return c;
}

// Zero padding, cropping, upsampling: output (oh, ow) after the input position it copies.
Counts relayout_order(const ir::RelayoutGeometry& g) {
  Counts c(static_cast<std::size_t>(g.out_h * g.out_w));
  std::int64_t prev = 0;
  for (std::int64_t oh = 0; oh < g.out_h; ++oh) {
    for (std::int64_t ow = 0; ow < g.out_w; ++ow) {
      prev = std::max(prev, g.input_position(oh, ow) + 1);
      c[static_cast<std::size_t>(oh * g.out_w + ow)] = prev;
    }
  }
  return c;
}

// Flatten, Reshape: the values stay in order, so output beat o waits for the input beats holding
// its last value.
Counts regroup_order(std::int64_t in_width, std::int64_t out_width, std::int64_t out_beats) {
  Counts c(static_cast<std::size_t>(out_beats));
  for (std::int64_t o = 0; o < out_beats; ++o) {
    c[static_cast<std::size_t>(o)] = ((o + 1) * out_width + in_width - 1) / in_width;
  }
  return c;
}

[[noreturn]] void not_streamable(const ir::Node& node, const std::string& why) {
  throw Error(ErrorKind::kUnsupported,
              std::string(ir::op_name(node.op)) + " cannot stream in raster order: " + why,
              {.node = node.name});
}

// Element-wise merges and Concatenate on the channel axis: position p of every input, then
// output p; an operand of one position is read once, first.
TokenOrder merge_order(const ir::Node& node, std::int64_t out_beats) {
  if (node.op == ir::OpKind::kConcatenate &&
      ir::concat_geometry(node).axis + 1 != node.output_shape.size()) {
    not_streamable(node, "it concatenates along a position axis, not the channels");
  }
  TokenOrder t;
  t.out_beats = out_beats;
  std::vector<int> broadcast, stepped;
  for (std::size_t k = 0; k < node.input_shapes.size(); ++k) {
    const std::int64_t beats = ir::positions(node.input_shapes[k]);
    if (beats == out_beats) {
      t.need.push_back(one_for_one(out_beats));
      stepped.push_back(static_cast<int>(k));
    } else if (beats == 1) {
      t.need.push_back(Counts(static_cast<std::size_t>(out_beats), 1));
      broadcast.push_back(static_cast<int>(k));
    } else {
      not_streamable(node, "input " + std::to_string(k) + " repeats along some position axes only");
    }
  }
  t.read_order = broadcast;
  t.read_order.insert(t.read_order.end(), stepped.begin(), stepped.end());
  return t;
}

bool is_merge(ir::OpKind op) {
  switch (op) {
    case ir::OpKind::kAdd:
    case ir::OpKind::kSubtract:
    case ir::OpKind::kMultiply:
    case ir::OpKind::kAverage:
    case ir::OpKind::kMaximum:
    case ir::OpKind::kMinimum:
    case ir::OpKind::kConcatenate:
      return true;
    default:
      return false;
  }
}

// The one-input orders, by op family.
Counts single_input_order(const ir::Node& node, std::int64_t out_beats) {
  const ir::Shape& in = node.input_shapes.at(0);
  switch (node.op) {
    case ir::OpKind::kConv1D:
    case ir::OpKind::kConv2D:
      return window_order(ir::conv_geometry(node).window);
    case ir::OpKind::kDepthwiseConv1D:
    case ir::OpKind::kDepthwiseConv2D:
      return window_order(ir::depthwise_geometry(node).window);
    case ir::OpKind::kMaxPool1D:
    case ir::OpKind::kMaxPool2D:
    case ir::OpKind::kAveragePool1D:
    case ir::OpKind::kAveragePool2D:
    case ir::OpKind::kGlobalMaxPool1D:
    case ir::OpKind::kGlobalMaxPool2D:
    case ir::OpKind::kGlobalAveragePool1D:
    case ir::OpKind::kGlobalAveragePool2D:
      return window_order(ir::pool_geometry(node));
    case ir::OpKind::kZeroPadding1D:
    case ir::OpKind::kZeroPadding2D:
    case ir::OpKind::kCropping1D:
    case ir::OpKind::kCropping2D:
    case ir::OpKind::kUpSampling1D:
    case ir::OpKind::kUpSampling2D:
      return relayout_order(ir::relayout_geometry(node));
    case ir::OpKind::kFlatten:
    case ir::OpKind::kReshape:
      return regroup_order(ir::channels(in), ir::channels(node.output_shape), out_beats);
    case ir::OpKind::kTranspose:
      // Any output position may need the last input one: the whole tensor is held.
      return Counts(static_cast<std::size_t>(out_beats), ir::positions(in));
    default:
      break;
  }
  if (ir::positions(in) != out_beats) {
    not_streamable(node, "its input and output have different positions");
  }
  return one_for_one(out_beats);
}

}  // namespace

TokenOrder token_order(const ir::Node& node) {
  if (node.op == ir::OpKind::kInput || node.op == ir::OpKind::kConstant) {
    throw Error(ErrorKind::kInternal, "an input or constant is no streaming process",
                {.node = node.name});
  }
  const std::int64_t out_beats = ir::positions(node.output_shape);
  if (is_merge(node.op)) return merge_order(node, out_beats);
  TokenOrder t;
  t.out_beats = out_beats;
  t.need.push_back(single_input_order(node, out_beats));
  t.read_order = {0};
  return t;
}

TokenOrder clone_order(std::int64_t beats) {
  return {beats, {one_for_one(beats)}, {0}};
}

}  // namespace nnfpga::schedule
