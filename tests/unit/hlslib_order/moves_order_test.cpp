// The token order of the streaming kernels that move values across positions without a window:
// transpose.h's transpose_stream and merge.h's concatenate_block_stream (called once per input
// and block, as the HLS emitter's loop calls it), run on the recording hls::stream and held to
// schedule::token_order, the order the FIFO depths are computed from; the values they write are
// held to the IR's geometry (ir::TransposeGeometry::input_index, ir::ConcatGeometry).
#include <gtest/gtest.h>

#include <vector>

#include "ap_fixed.h"
#include "hls_stream.h"
#include "ir/geometry.hpp"
#include "nnfpga/merge.h"
#include "nnfpga/transpose.h"
#include "schedule/token_order.hpp"

namespace {

using namespace nnfpga;

typedef ap_fixed<10, 4> mv_x_t;
typedef ap_fixed<16, 6> mv_y_t;

mv_x_t value_of(int stream, int k) {
  return mv_x_t(0.125 * ((k * 5 + stream * 3) % 23) - 1);
}

template <int W>
void fill(hls::stream<nnf::packed<mv_x_t, W> >& s, int stream, int beats) {
  for (int p = 0; p < beats; ++p) {
    nnf::packed<mv_x_t, W> beat;
    for (int c = 0; c < W; ++c) beat.data[c] = value_of(stream, p * W + c);
    s.write(beat);
  }
}

// For each output write, the reads of each input stream before it: token_order's `need`.
std::vector<std::vector<std::int64_t> > reads_before_writes(const std::vector<const void*>& inputs,
                                                            const void* output) {
  std::vector<std::vector<std::int64_t> > need(inputs.size());
  std::vector<std::int64_t> reads(inputs.size(), 0);
  for (const auto& [s, write] : hls::access_log()) {
    for (std::size_t k = 0; k < inputs.size(); ++k) {
      if (s == inputs[k] && !write) ++reads[k];
    }
    if (s == output && write) {
      for (std::size_t k = 0; k < inputs.size(); ++k) need[k].push_back(reads[k]);
    }
  }
  return need;
}

ir::Node moves_order_node(ir::OpKind op, std::vector<ir::Shape> inputs, ir::Shape output) {
  ir::Node n;
  n.name = "layer";
  n.op = op;
  for (std::size_t k = 0; k < inputs.size(); ++k)
    n.inputs.push_back(std::string("x").append(std::to_string(k)));
  n.input_shapes = std::move(inputs);
  n.output_shape = std::move(output);
  return n;
}

// [3, 4, 2] -> perm {1, 0, 2} -> [4, 3, 2]: positions swapped, channels kept.
struct SwapRows {
  static constexpr int n_elem = 24, in_width = 2, out_width = 2;
  static constexpr int dim1 = 4, dim2 = 3, dim3 = 2;
  static constexpr int stride0 = 0, stride1 = 2, stride2 = 8, stride3 = 1;
};
// [3, 4, 2] -> perm {2, 0, 1} -> [2, 3, 4]: the channels become the rows.
struct ChannelsFirst {
  static constexpr int n_elem = 24, in_width = 2, out_width = 4;
  static constexpr int dim1 = 2, dim2 = 3, dim3 = 4;
  static constexpr int stride0 = 0, stride1 = 1, stride2 = 8, stride3 = 2;
};

template <class CFG>
void expect_transpose(const std::vector<std::int64_t>& perm) {
  const ir::Shape in{3, 4, 2};
  ir::Node n = moves_order_node(ir::OpKind::kTranspose, {in}, {});
  n.attrs.set("perm", perm);
  const ir::TransposeGeometry g = ir::transpose_geometry(n, in);
  n.output_shape = g.output;
  ASSERT_EQ(CFG::dim1, g.output[0]);
  ASSERT_EQ(CFG::stride1, g.strides[0]);
  ASSERT_EQ(CFG::stride2, g.strides[1]);
  ASSERT_EQ(CFG::stride3, g.strides[2]);
  hls::stream<nnf::packed<mv_x_t, CFG::in_width> > x;
  hls::stream<nnf::packed<mv_y_t, CFG::out_width> > y;
  fill<CFG::in_width>(x, 0, 12);
  hls::access_log().clear();
  nnf::transpose_stream<mv_x_t, mv_y_t, CFG>(x, y);
  const schedule::TokenOrder want = schedule::token_order(n);
  EXPECT_EQ(reads_before_writes({&x}, &y), want.need);
  EXPECT_TRUE(x.empty());
  for (int o = 0; o < CFG::n_elem / CFG::out_width; ++o) {
    const nnf::packed<mv_y_t, CFG::out_width> beat = y.read();
    for (int c = 0; c < CFG::out_width; ++c) {
      EXPECT_EQ(beat.data[c], mv_y_t(value_of(0, g.input_index(o * CFG::out_width + c))))
          << o << ", " << c;
    }
  }
}

TEST(MovesOrder, TransposeHoldsTheTensorThenWritesEveryBeat) {
  expect_transpose<SwapRows>({1, 0, 2});
  expect_transpose<ChannelsFirst>({2, 0, 1});
}

template <int BEATS>
struct Block {
  static constexpr int n_chan = 2, n_beats = BEATS;
};

// Concatenate of [a, b, 2] and [c, d, 2] on `axis`, through the emitter's loop: per block, each
// input's block of beats in turn.
template <int OUTER, int BEATS0, int BEATS1>
void expect_concatenation(const ir::Shape& in0, const ir::Shape& in1, std::int64_t axis) {
  ir::Node n = moves_order_node(ir::OpKind::kConcatenate, {in0, in1}, {});
  n.attrs.set("axis", axis);
  const ir::ConcatGeometry g = ir::concat_geometry(n, {in0, in1});
  n.output_shape = g.output;
  ASSERT_EQ(g.outer, OUTER);
  ASSERT_EQ(g.inner[0], BEATS0 * 2);
  ASSERT_EQ(g.inner[1], BEATS1 * 2);
  hls::stream<nnf::packed<mv_x_t, 2> > x0, x1;
  hls::stream<nnf::packed<mv_y_t, 2> > y;
  fill<2>(x0, 0, OUTER * BEATS0);
  fill<2>(x1, 1, OUTER * BEATS1);
  hls::access_log().clear();
  for (int block = 0; block < OUTER; block++) {
    nnf::concatenate_block_stream<mv_x_t, mv_y_t, Block<BEATS0> >(x0, y);
    nnf::concatenate_block_stream<mv_x_t, mv_y_t, Block<BEATS1> >(x1, y);
  }
  const schedule::TokenOrder want = schedule::token_order(n);
  EXPECT_EQ(want.read_order, (std::vector<int>{0, 1}));
  EXPECT_EQ(reads_before_writes({&x0, &x1}, &y), want.need);
  // The values: output element k of block b is input j's element b * inner[j] + k - offset.
  for (int block = 0; block < OUTER; ++block) {
    for (int j = 0; j < 2; ++j) {
      for (int k = 0; k < g.inner[static_cast<std::size_t>(j)]; k += 2) {
        const nnf::packed<mv_y_t, 2> beat = y.read();
        for (int c = 0; c < 2; ++c) {
          const int source = block * static_cast<int>(g.inner[static_cast<std::size_t>(j)]) + k + c;
          EXPECT_EQ(beat.data[c], mv_y_t(value_of(j, source)));
        }
      }
    }
  }
  EXPECT_TRUE(y.empty());
}

TEST(MovesOrder, ConcatenateOnAPositionAxisPassesBlocksInTurn) {
  expect_concatenation<1, 6, 3>({2, 3, 2}, {1, 3, 2}, 0);   // on the rows: all of x0, then x1
  expect_concatenation<2, 3, 1>({2, 3, 2}, {2, 1, 2}, 1);   // on the columns: row by row
  expect_concatenation<2, 3, 1>({2, 3, 2}, {2, 1, 2}, -2);  // the same axis from the end
}

}  // namespace
