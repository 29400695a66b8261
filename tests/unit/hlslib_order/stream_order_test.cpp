// The token order of hlslib's streaming kernels, which the FIFO depths are computed from
// (docs/hls.md, "eager raster"): each output beat must be written right after the input beat that
// it, or an earlier output, needs last, before any further input is read. The kernels run here on a
// recording hls::stream (recording/hls_stream.h); the expected order is computed from the IR's
// own geometry (ir::WindowGeometry::input_position, ir::RelayoutGeometry::input_position), not
// from the kernels' code.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <vector>

#include "ap_fixed.h"
#include "hls_stream.h"
#include "ir/geometry.hpp"
#include "nnfpga/conv_stream.h"
#include "nnfpga/relayout.h"

namespace {

using namespace nnfpga;

typedef ap_fixed<10, 4> x_t;
typedef ap_fixed<16, 6> y_t;

// Every member the window kernels read; F output filters for a convolution.
template <int IH, int IW, int C, int KH, int KW, int SH, int SW, int DH, int DW, int PT, int PL,
          int OH, int OW, int F = 2>
struct WindowConfig {
  static constexpr int in_h = IH, in_w = IW, n_chan = C, k_h = KH, k_w = KW;
  static constexpr int stride_h = SH, stride_w = SW, dilation_h = DH, dilation_w = DW;
  static constexpr int pad_top = PT, pad_left = PL, out_h = OH, out_w = OW;
  static constexpr int n_in = KH * KW * C, n_out = F, n_mult = 1;
  static constexpr int reuse_factor = 1, multiplier_limit = n_in * F, parallelization_factor = 1;
  static constexpr bool resource = false, count_include_pad = false;
  static constexpr int accum_width = 16, accum_frac = 10, mean_shift = 0;
  typedef ap_fixed<8, 2> weight_t;
  typedef ap_fixed<8, 2> bias_t;
  typedef ap_fixed<16, 6> accum_t;
  typedef ap_fixed<20, 10> sum_t;
};

template <int IH, int IW, int C, int OH, int OW, int SHH, int SHW, int DVH, int DVW>
struct RelayoutConfig {
  static constexpr int in_h = IH, in_w = IW, n_chan = C, out_h = OH, out_w = OW;
  static constexpr int shift_h = SHH, shift_w = SHW, div_h = DVH, div_w = DVW;
};

// For each output beat, the input beats read before it was written; and the count read in all.
template <int CIN, int COUT>
std::vector<std::int64_t> reads_before_writes(
    std::int64_t n_in, const std::function<void(hls::stream<nnf::packed<x_t, CIN> >&,
                                                hls::stream<nnf::packed<y_t, COUT> >&)>& kernel) {
  hls::stream<nnf::packed<x_t, CIN> > in;
  hls::stream<nnf::packed<y_t, COUT> > out;
  for (std::int64_t p = 0; p < n_in; ++p) {
    nnf::packed<x_t, CIN> beat;
    for (int c = 0; c < CIN; ++c) beat.data[c] = x_t(0.25 * static_cast<double>((p + c) % 7) - 1);
    in.write(beat);
  }
  hls::access_log().clear();
  kernel(in, out);
  std::vector<std::int64_t> before;
  std::int64_t reads = 0;
  for (const auto& [s, write] : hls::access_log()) {
    if (s == &in && !write) ++reads;
    if (s == &out && write) before.push_back(reads);
  }
  EXPECT_EQ(reads, n_in);
  EXPECT_TRUE(in.empty());
  return before;
}

// Eager raster: output o is written after reading input max(last(0..o)) + 1 beats.
std::vector<std::int64_t> eager_raster(std::int64_t outputs,
                                       const std::function<std::int64_t(std::int64_t)>& last) {
  std::vector<std::int64_t> want;
  std::int64_t needed = -1;
  for (std::int64_t o = 0; o < outputs; ++o) {
    needed = std::max(needed, last(o));
    want.push_back(needed + 1);
  }
  return want;
}

std::vector<std::int64_t> window_order(const ir::WindowGeometry& g) {
  return eager_raster(g.out_positions(), [&](std::int64_t o) {
    std::int64_t last = -1;
    for (std::int64_t kh = 0; kh < g.k_h; ++kh) {
      for (std::int64_t kw = 0; kw < g.k_w; ++kw) {
        last = std::max(last, g.input_position(o / g.out_w, o % g.out_w, kh, kw));
      }
    }
    return last;
  });
}

ir::Node node_of(ir::OpKind op, const ir::Shape& input) {
  ir::Node n;
  n.name = "layer";
  n.op = op;
  n.inputs = {"x"};
  n.input_shapes = {input};
  return n;
}

ir::WindowGeometry conv2d(const ir::Shape& in, const ir::Shape& weight,
                          const std::vector<std::int64_t>& strides,
                          const std::vector<std::int64_t>& dilations,
                          const std::vector<std::int64_t>& pads) {
  ir::Node n = node_of(weight.size() == 4 ? ir::OpKind::kConv2D : ir::OpKind::kConv1D, in);
  n.attrs.set("strides", strides);
  n.attrs.set("dilations", dilations);
  n.attrs.set("pads", pads);
  return ir::conv_geometry(n, in, weight).window;
}

template <class CFG>
void expect_config_is(const ir::WindowGeometry& g) {
  EXPECT_EQ(CFG::in_h, g.in_h);
  EXPECT_EQ(CFG::in_w, g.in_w);
  EXPECT_EQ(CFG::out_h, g.out_h);
  EXPECT_EQ(CFG::out_w, g.out_w);
  EXPECT_EQ(CFG::pad_top, g.pad_top);
  EXPECT_EQ(CFG::pad_left, g.pad_left);
}

template <class CFG>
void expect_conv_order(const ir::WindowGeometry& g) {
  expect_config_is<CFG>(g);
  typename CFG::weight_t w[CFG::n_in * CFG::n_out] = {};
  typename CFG::bias_t b[CFG::n_out] = {};
  const auto got = reads_before_writes<CFG::n_chan, CFG::n_out>(
      g.in_h * g.in_w,
      [&](auto& in, auto& out) { nnf::conv_stream<x_t, y_t, CFG>(in, out, w, b); });
  EXPECT_EQ(got, window_order(g));
}

TEST(StreamOrder, Conv2DWithPaddingStrideAndDilation) {
  const auto g = conv2d({5, 6, 2}, {3, 2, 2, 2}, {2, 1}, {1, 2}, {1, 1, 2, 0});
  expect_conv_order<WindowConfig<5, 6, 2, 3, 2, 2, 1, 1, 2, 1, 2, 3, 6> >(g);
}

TEST(StreamOrder, Conv1DWithSamePadding) {
  const auto g = conv2d({9, 3}, {3, 3, 2}, {2}, {1}, {2, 1});
  expect_conv_order<WindowConfig<1, 9, 3, 1, 3, 1, 2, 1, 1, 0, 2, 1, 5> >(g);
}

// Padding wider than the window: the first outputs need no input and go before the first read,
// the last ones after the last read.
TEST(StreamOrder, OutputsOfPaddingAloneGoWithTheirNeighbours) {
  const auto g = conv2d({2, 2, 1}, {1, 1, 1, 2}, {1, 1}, {1, 1}, {1, 1, 1, 1});
  expect_conv_order<WindowConfig<2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4, 4> >(g);
  EXPECT_EQ(window_order(g).front(), 0);
}

// A stride beyond the window skips inputs: those are read, but no output waits for them.
TEST(StreamOrder, AStrideLongerThanTheWindow) {
  const auto g = conv2d({7, 7, 1}, {1, 1, 1, 2}, {3, 3}, {1, 1}, {0, 0, 0, 0});
  expect_conv_order<WindowConfig<7, 7, 1, 1, 1, 3, 3, 1, 1, 0, 0, 3, 3> >(g);
}

TEST(StreamOrder, DepthwiseAndPools) {
  ir::Node pool = node_of(ir::OpKind::kMaxPool2D, {4, 5, 2});
  pool.attrs.set("pool_size", std::vector<std::int64_t>{2, 2});
  pool.attrs.set("strides", std::vector<std::int64_t>{2, 2});
  pool.attrs.set("pads", std::vector<std::int64_t>{0, 1, 0, 1});
  const ir::WindowGeometry g = ir::pool_geometry(pool, {4, 5, 2});
  typedef WindowConfig<4, 5, 2, 2, 2, 2, 2, 1, 1, 0, 0, 2, 3> Cfg;
  expect_config_is<Cfg>(g);
  const std::vector<std::int64_t> want = window_order(g);
  const auto max_pool = reads_before_writes<2, 2>(
      20, [](auto& in, auto& out) { nnf::max_pool_stream<x_t, y_t, Cfg>(in, out); });
  EXPECT_EQ(max_pool, want);
  const auto average_pool = reads_before_writes<2, 2>(
      20, [](auto& in, auto& out) { nnf::average_pool_stream<x_t, y_t, Cfg>(in, out); });
  EXPECT_EQ(average_pool, want);
  Cfg::weight_t w[2 * 2 * 2] = {};
  Cfg::bias_t b[2] = {};
  const auto depthwise = reads_before_writes<2, 2>(
      20, [&](auto& in, auto& out) { nnf::depthwise_conv_stream<x_t, y_t, Cfg>(in, out, w, b); });
  EXPECT_EQ(depthwise, want);
  // Global pools: every beat, then one.
  const auto global = reads_before_writes<2, 2>(
      20, [](auto& in, auto& out) { nnf::global_max_pool_stream<x_t, y_t, Cfg>(in, out); });
  EXPECT_EQ(global, std::vector<std::int64_t>{20});
}

template <class CFG>
void expect_relayout_order(ir::OpKind op, const ir::Shape& in, const char* key,
                           const std::vector<std::int64_t>& values) {
  ir::Node n = node_of(op, in);
  n.attrs.set(key, values);
  const ir::RelayoutGeometry g = ir::relayout_geometry(n, in);
  ASSERT_EQ(CFG::out_h, g.out_h);
  ASSERT_EQ(CFG::out_w, g.out_w);
  ASSERT_EQ(CFG::shift_h, g.shift_h);
  ASSERT_EQ(CFG::shift_w, g.shift_w);
  const auto got = reads_before_writes<CFG::n_chan, CFG::n_chan>(
      g.in_h * g.in_w, [](auto& i, auto& o) { nnf::relayout_stream<x_t, y_t, CFG>(i, o); });
  EXPECT_EQ(got, eager_raster(g.out_h * g.out_w, [&](std::int64_t o) {
              return g.input_position(o / g.out_w, o % g.out_w);
            }));
}

TEST(StreamOrder, PaddingCroppingUpsampling) {
  expect_relayout_order<RelayoutConfig<3, 3, 1, 4, 6, -1, -2, 1, 1> >(
      ir::OpKind::kZeroPadding2D, {3, 3, 1}, "pads", {1, 0, 2, 1});
  expect_relayout_order<RelayoutConfig<4, 4, 2, 3, 2, 1, 0, 1, 1> >(
      ir::OpKind::kCropping2D, {4, 4, 2}, "crops", {1, 0, 0, 2});
  expect_relayout_order<RelayoutConfig<2, 3, 1, 4, 6, 0, 0, 2, 2> >(ir::OpKind::kUpSampling2D,
                                                                    {2, 3, 1}, "size", {2, 2});
}

struct Flatten {
  static constexpr int n_elem = 12, in_width = 3, out_width = 12;
};
struct Rechunk {
  static constexpr int n_elem = 12, in_width = 3, out_width = 2;
};

// Flatten into one beat: every beat read, then the one beat written.
TEST(StreamOrder, RegroupWritesABeatOnceItsValuesAreRead) {
  const auto flatten = reads_before_writes<3, 12>(
      4, [](auto& i, auto& o) { nnf::regroup_stream<x_t, y_t, Flatten>(i, o); });
  EXPECT_EQ(flatten, std::vector<std::int64_t>{4});
  const auto rechunk = reads_before_writes<3, 2>(
      4, [](auto& i, auto& o) { nnf::regroup_stream<x_t, y_t, Rechunk>(i, o); });
  EXPECT_EQ(rechunk, (std::vector<std::int64_t>{1, 2, 2, 3, 4, 4}));
}

}  // namespace
