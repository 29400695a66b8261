// ZeroPadding, Cropping, UpSampling in the IR: shape rules and what they refuse.
#include <gtest/gtest.h>

#include "ir/geometry.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::ir {
namespace {

Shape shape_of(OpKind op, const std::string& key, std::vector<std::int64_t> v, const Shape& x) {
  Node n;
  n.name = "n";
  n.op = op;
  n.attrs.set(key, std::move(v));
  return op_info(op).shape_rule(n, {x});
}

std::string error_of(OpKind op, const std::string& key, std::vector<std::int64_t> v,
                     const Shape& x) {
  try {
    shape_of(op, key, std::move(v), x);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where().node, "n");
    return e.message();
  }
  return "";
}

TEST(RelayoutShape, PadsCropsAndFactors) {
  EXPECT_EQ(shape_of(OpKind::kZeroPadding1D, "pads", {1, 2}, {5, 3}), (Shape{8, 3}));
  EXPECT_EQ(shape_of(OpKind::kZeroPadding2D, "pads", {1, 0, 2, 3}, {4, 5, 3}), (Shape{5, 10, 3}));
  EXPECT_EQ(shape_of(OpKind::kCropping1D, "crops", {1, 2}, {5, 3}), (Shape{2, 3}));
  EXPECT_EQ(shape_of(OpKind::kCropping2D, "crops", {1, 0, 2, 2}, {4, 5, 3}), (Shape{3, 1, 3}));
  EXPECT_EQ(shape_of(OpKind::kUpSampling1D, "size", {3}, {5, 3}), (Shape{15, 3}));
  EXPECT_EQ(shape_of(OpKind::kUpSampling2D, "size", {2, 3}, {4, 5, 1}), (Shape{8, 15, 1}));
}

TEST(RelayoutShape, Refusals) {
  EXPECT_NE(error_of(OpKind::kCropping1D, "crops", {3, 2}, {5, 3}).find("leave no position"),
            std::string::npos);
  EXPECT_NE(error_of(OpKind::kUpSampling2D, "size", {0, 1}, {4, 5, 1}).find("size has the entry 0"),
            std::string::npos);
  EXPECT_NE(error_of(OpKind::kZeroPadding2D, "pads", {1, 1}, {4, 5, 1})
                .find("pads has 2 entries, expected 4"),
            std::string::npos);
  EXPECT_NE(error_of(OpKind::kZeroPadding1D, "pads", {1, 1}, {4, 5, 1})
                .find("not channels-last with 1 spatial axes"),
            std::string::npos);
}

}  // namespace
}  // namespace nnfpga::ir
