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

// Concatenate on a position axis: the output's beats are, per block of the axes before the axis,
// each input's beats of that block in turn; every input's beats stay in order, so output beat o
// waits for input k's beats among outputs 0..o, and nothing is held.
TokenOrder concat_positions_order(const ir::Node& node, std::int64_t out_beats) {
  const ir::ConcatGeometry g = ir::concat_geometry(node);
  const std::int64_t channels = ir::channels(node.output_shape);
  TokenOrder t;
  t.out_beats = out_beats;
  t.need.assign(node.input_shapes.size(), Counts(static_cast<std::size_t>(out_beats)));
  std::vector<std::int64_t> read(node.input_shapes.size(), 0);
  std::size_t o = 0;
  for (std::int64_t block = 0; block < g.outer; ++block) {
    for (std::size_t k = 0; k < g.inner.size(); ++k) {
      for (std::int64_t b = 0; b < g.inner[k] / channels; ++b, ++o) {
        ++read[k];
        for (std::size_t j = 0; j < read.size(); ++j) t.need[j].at(o) = read[j];
      }
    }
  }
  for (std::size_t k = 0; k < node.input_shapes.size(); ++k) {
    t.read_order.push_back(static_cast<int>(k));
  }
  return t;
}

// Element-wise merges and Concatenate on the channel axis: position p of every input, then
// output p; an operand of one position is read once, first. An operand repeated along some
// position axes but not all would have to be held and replayed: refused, saying what to do.
TokenOrder merge_order(const ir::Node& node, std::int64_t out_beats) {
  if (node.op == ir::OpKind::kConcatenate &&
      ir::concat_geometry(node).axis + 1 != node.output_shape.size()) {
    return concat_positions_order(node, out_beats);
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
      not_streamable(node, std::string("input ")
                               .append(std::to_string(k))
                               .append(" of shape ")
                               .append(ir::to_string(node.input_shapes[k]))
                               .append(" repeats along some position axes of ")
                               .append(ir::to_string(node.output_shape))
                               .append(" but not all, so the stream would have to hold and replay "
                                       "it; a streamed merge broadcasts an operand of one "
                                       "position ([1, 1, C] or [C]) or of one channel ([H, W, 1]): "
                                       "repeat the operand to the full shape in the model (an "
                                       "UpSampling), or reduce it to one position"));
    }
  }
  t.read_order = broadcast;
  t.read_order.insert(t.read_order.end(), stepped.begin(), stepped.end());
  return t;
}

// The one-input orders, by op family.
Counts single_input_order(const ir::Node& node, std::int64_t out_beats) {
  const ir::Shape& in = node.input_shapes.at(0);
  switch (ir::op_family(node.op)) {
    case ir::OpFamily::kConvolution:
      return window_order(ir::conv_geometry(node).window);
    case ir::OpFamily::kDepthwise:
      return window_order(ir::depthwise_geometry(node).window);
    case ir::OpFamily::kPool:
      return window_order(ir::pool_geometry(node));
    case ir::OpFamily::kRelayout:
      return relayout_order(ir::relayout_geometry(node));
    case ir::OpFamily::kRegroup:
      return regroup_order(ir::channels(in), ir::channels(node.output_shape), out_beats);
    case ir::OpFamily::kTranspose:
      // Any output position may need the last input one: the whole tensor is held.
      return Counts(static_cast<std::size_t>(out_beats), ir::positions(in));
    case ir::OpFamily::kPerPosition:
      if (ir::positions(in) != out_beats) {
        not_streamable(node, "its input and output have different positions");
      }
      return one_for_one(out_beats);
    case ir::OpFamily::kElementwiseMerge:
    case ir::OpFamily::kConcatenate:
    case ir::OpFamily::kNotComputed:
      break;
  }
  throw Error(ErrorKind::kInternal,
              "no one-input token order for " + std::string(ir::op_name(node.op)),
              {.node = node.name});
}

}  // namespace

TokenOrder token_order(const ir::Node& node) {
  if (node.op == ir::OpKind::kInput || node.op == ir::OpKind::kConstant) {
    throw Error(ErrorKind::kInternal, "an input or constant is no streaming process",
                {.node = node.name});
  }
  const std::int64_t out_beats = ir::positions(node.output_shape);
  if (ir::is_merge(node.op)) return merge_order(node, out_beats);
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
