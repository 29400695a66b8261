// stream_reads: the token order (src/schedule/, shared with the HLS dataflow) and, for window ops,
// each element's tap into the line buffer, grouped into cases.
#include "backend/verilog/stream_window.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <map>

#include "ir/geometry.hpp"
#include "ir/layout.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"
#include "schedule/token_order.hpp"

namespace nnfpga::backend::verilog {
namespace {

[[noreturn]] void cannot_stream(const ir::Node& node, const std::string& why) {
  throw Error(ErrorKind::kUnsupported,
              fmt::format("the streaming Verilog backend cannot write {} yet: {}",
                          ir::op_name(node.op), why),
              {.node = node.name});
}

// The input positions of output position o's window (kPadding where it falls on padding).
std::vector<std::int64_t> window_positions(const ir::WindowGeometry& g, std::int64_t o) {
  std::vector<std::int64_t> p;
  const std::int64_t oh = g.keeps_positions ? o / g.out_w : 0;
  const std::int64_t ow = g.keeps_positions ? o % g.out_w : 0;
  for (std::int64_t kh = 0; kh < g.k_h; ++kh) {
    for (std::int64_t kw = 0; kw < g.k_w; ++kw) {
      const std::int64_t q =
          g.keeps_positions ? g.input_position(oh, ow, kh, kw) : kh * g.in_w + kw;
      p.push_back(q < 0 ? kPadding : q);
    }
  }
  return p;
}

// Which positions each output reads, or none for a per-position op.
std::vector<std::vector<std::int64_t>> windows_of(const ir::Node& node, std::int64_t out_beats,
                                                  std::int64_t in_beats) {
  using K = ir::OpKind;
  std::vector<std::vector<std::int64_t>> w(static_cast<std::size_t>(out_beats));
  switch (node.op) {
    case K::kConv1D:
    case K::kConv2D: {
      const ir::WindowGeometry g = ir::conv_geometry(node).window;
      for (std::int64_t o = 0; o < out_beats; ++o) w[o] = window_positions(g, o);
      return w;
    }
    case K::kMaxPool1D:
    case K::kMaxPool2D:
    case K::kGlobalMaxPool1D:
    case K::kGlobalMaxPool2D:
    case K::kAveragePool1D:
    case K::kAveragePool2D:
    case K::kGlobalAveragePool1D:
    case K::kGlobalAveragePool2D: {
      const ir::WindowGeometry g = ir::pool_geometry(node);
      for (std::int64_t o = 0; o < out_beats; ++o) w[o] = window_positions(g, o);
      return w;
    }
    case K::kZeroPadding1D:
    case K::kZeroPadding2D:
    case K::kCropping1D:
    case K::kCropping2D:
    case K::kUpSampling1D:
    case K::kUpSampling2D: {
      // A window of one beat: the input position the output copies (an earlier one again when it
      // repeats, none on padding); a cropped beat is read and never written.
      const ir::RelayoutGeometry g = ir::relayout_geometry(node);
      for (std::int64_t o = 0; o < out_beats; ++o) {
        const std::int64_t p = g.input_position(o / g.out_w, o % g.out_w);
        w[static_cast<std::size_t>(o)] = {p < 0 ? kPadding : p};
      }
      return w;
    }
    case K::kFlatten:
    case K::kReshape:
      if (out_beats != 1) {
        cannot_stream(node,
                      "it regroups values between positions; only a reshape into one "
                      "vector (Flatten before Dense) streams");
      }
      for (std::int64_t p = 0; p < in_beats; ++p) w[0].push_back(p);
      return w;
    default:
      return {};
  }
}

}  // namespace

StreamReads stream_reads(const ir::Node& node, bool tail_shifts) {
  StreamReads r;
  if (node.inputs.size() > 1) {
    // A merge joins one beat of every input per output beat: check_supported admitted only the
    // plain ones (no broadcast, Concatenate on the channel axis), whose inputs have its positions.
    for (const ir::Shape& in : node.input_shapes) {
      if (ir::positions(in) != ir::positions(node.output_shape)) {
        cannot_stream(node, "its inputs do not all have its output's positions");
      }
    }
  }
  r.in_beats = ir::positions(node.input_shapes.at(0));
  r.out_beats = ir::positions(node.output_shape);
  const std::vector<std::vector<std::int64_t>> windows = windows_of(node, r.out_beats, r.in_beats);
  r.need = schedule::token_order(node).need.at(0);
  if (windows.empty()) {
    if (r.in_beats != r.out_beats) cannot_stream(node, "its input and output positions differ");
    r.per_position = true;
    return r;
  }
  r.elements = static_cast<std::int64_t>(windows.front().size());
  r.tail_shifts = tail_shifts;
  std::map<std::vector<std::int64_t>, int> cases;
  r.tail_first = static_cast<std::int64_t>(std::find(r.need.begin(), r.need.end(), r.in_beats) -
                                           r.need.begin());
  for (std::int64_t o = 0; o < r.out_beats; ++o) {
    std::vector<std::int64_t> taps;
    // The buffer's moves before output o's write: its reads, and with tail_shifts one for each
    // write after the tail's first before o.
    const std::int64_t moves =
        r.need[o] + (tail_shifts ? std::max<std::int64_t>(0, o - r.tail_first - 1) : 0);
    for (std::int64_t p : windows[o]) {
      const std::int64_t tap = p == kPadding ? kPadding : moves - 1 - p;
      if (tap < kPadding) {
        throw Error(ErrorKind::kInternal, "a window reads a beat its token order has not read",
                    {.node = node.name});
      }
      taps.push_back(tap);
      // A write that does not share its cycle with its last read reads one beat further back.
      r.buffer_beats = std::max(r.buffer_beats, tap + 1);
    }
    auto [it, added] = cases.emplace(taps, static_cast<int>(r.case_taps.size()));
    if (added) {
      r.case_taps.push_back(taps);
      r.case_real.push_back(static_cast<std::int64_t>(
          std::count_if(taps.begin(), taps.end(), [](std::int64_t t) { return t != kPadding; })));
    }
    r.case_of.push_back(it->second);
  }
  return r;
}

}  // namespace nnfpga::backend::verilog
