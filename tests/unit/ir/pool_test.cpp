// The pools in the IR: the shape rule and geometry against the textbook output size, the global
// pools' [C] output, and what they refuse.
#include <gtest/gtest.h>

#include <random>

#include "ir/geometry.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::ir {
namespace {

Node pool(OpKind op, std::vector<std::int64_t> size, std::vector<std::int64_t> strides,
          std::vector<std::int64_t> pads) {
  Node n;
  n.name = "pool";
  n.op = op;
  n.attrs.set("pool_size", std::move(size));
  n.attrs.set("strides", std::move(strides));
  n.attrs.set("pads", std::move(pads));
  return n;
}

std::string shape_error(const Node& n, const Shape& x) {
  try {
    op_info(n.op).shape_rule(n, {x});
  } catch (const Error& e) {
    EXPECT_EQ(e.where().node, "pool");
    return e.message();
  }
  return "";
}

TEST(PoolShape, OutputSizeIsTheTextbookFormula) {
  std::mt19937_64 rng(18);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int trial = 0; trial < 300; ++trial) {
    const bool two = trial % 2 == 1;
    const OpKind op = two ? (trial % 4 == 1 ? OpKind::kMaxPool2D : OpKind::kAveragePool2D)
                          : (trial % 4 == 0 ? OpKind::kMaxPool1D : OpKind::kAveragePool1D);
    const std::int64_t kh = two ? pick(1, 4) : 1, kw = pick(1, 4), c = pick(1, 4);
    const std::int64_t h = two ? pick(1, 10) : 1, w = pick(1, 10), sh = pick(1, 3), sw = pick(1, 3);
    const std::int64_t pt = two ? pick(0, 3) : 0, pb = two ? pick(0, 3) : 0;
    const std::int64_t pl = pick(0, 3), pr = pick(0, 3);
    const Node n =
        two ? pool(op, {kh, kw}, {sh, sw}, {pt, pb, pl, pr}) : pool(op, {kw}, {sw}, {pl, pr});
    const Shape x = two ? Shape{h, w, c} : Shape{w, c};
    // The window is fitted first, then the pads checked against it.
    if (kh > h + pt + pb || kw > w + pl + pr) {
      EXPECT_NE(shape_error(n, x).find("does not fit"), std::string::npos);
      continue;
    }
    if (pt >= kh || pb >= kh || pl >= kw || pr >= kw) {
      EXPECT_NE(shape_error(n, x).find("each pad must be smaller than the pool size"),
                std::string::npos);
      continue;
    }
    const std::int64_t oh = (h + pt + pb - kh) / (two ? sh : 1) + 1;
    const std::int64_t ow = (w + pl + pr - kw) / sw + 1;
    EXPECT_EQ(op_info(op).shape_rule(n, {x}), two ? Shape({oh, ow, c}) : Shape({ow, c}));
  }
}

TEST(PoolShape, GlobalPoolsKeepTheChannelsOnly) {
  for (OpKind op : {OpKind::kGlobalMaxPool2D, OpKind::kGlobalAveragePool2D}) {
    Node n;
    n.name = "pool";
    n.op = op;
    EXPECT_EQ(op_info(op).shape_rule(n, {{5, 7, 3}}), (Shape{3}));
    n.input_shapes = {{5, 7, 3}};
    n.output_shape = {3};
    const WindowGeometry g = pool_geometry(n);
    EXPECT_EQ(g.window(), 35);
    EXPECT_EQ(g.out_positions(), 1);
    EXPECT_NE(shape_error(n, {7, 3}).find("not channels-last with 2 spatial axes"),
              std::string::npos);
  }
  for (OpKind op : {OpKind::kGlobalMaxPool1D, OpKind::kGlobalAveragePool1D}) {
    Node n;
    n.op = op;
    EXPECT_EQ(op_info(op).shape_rule(n, {{9, 4}}), (Shape{4}));
  }
}

TEST(PoolShape, RefusesDilationsAndWrongLengths) {
  Node n = pool(OpKind::kMaxPool2D, {2, 2}, {2, 2}, {0, 0, 0, 0});
  n.attrs.set("dilations", std::vector<std::int64_t>{2, 1});
  EXPECT_NE(shape_error(n, {6, 6, 1}).find("a pool has no dilations"), std::string::npos);
  EXPECT_NE(shape_error(pool(OpKind::kMaxPool1D, {2}, {2}, {0}), {6, 1})
                .find("pads has 1 entries, expected 2"),
            std::string::npos);
}

TEST(PoolTraits, AveragesHaveAnAccumulatorMaximaKeepTheInputType) {
  for (OpKind op : {OpKind::kAveragePool1D, OpKind::kAveragePool2D, OpKind::kGlobalAveragePool1D,
                    OpKind::kGlobalAveragePool2D}) {
    EXPECT_EQ(op_info(op).accum_rule, AccumRule::kWindowSum);
  }
  for (OpKind op : {OpKind::kMaxPool1D, OpKind::kMaxPool2D, OpKind::kGlobalMaxPool1D,
                    OpKind::kGlobalMaxPool2D}) {
    EXPECT_EQ(op_info(op).auto_result, AutoResult::kInput);
    EXPECT_FALSE(op_info(op).shares_multipliers);
  }
}

}  // namespace
}  // namespace nnfpga::ir
