// The op table's traits agree with each other and with the keys they refer to, so that a new row
// cannot promise what its consumers will not find (docs/adding_an_op.md).
#include <gtest/gtest.h>

#include <algorithm>

#include "ir/op_table.hpp"

namespace nnfpga::ir {
namespace {

bool listed(const std::vector<std::string_view>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(OpTraitsTest, AccumulatorRuleIffAccumKey) {
  for (const OpInfo& op : all_ops()) {
    EXPECT_EQ(op.accum_rule != AccumRule::kNone, op.has_type_key("accum")) << op.name;
  }
}

TEST(OpTraitsTest, TablesIffTableKey) {
  for (const OpInfo& op : all_ops()) {
    EXPECT_EQ(op.uses_table, op.has_type_key("table")) << op.name;
  }
}

TEST(OpTraitsTest, QuantizedAttributesAreAttributesWithTypes) {
  for (const OpInfo& op : all_ops()) {
    for (const QuantizedAttribute& a : op.quantized_attributes) {
      EXPECT_TRUE(listed(op.attributes, a.name)) << op.name << "." << a.name;
      if (a.type_key != kInputTypeKey) {
        EXPECT_TRUE(op.has_type_key(a.type_key)) << op.name;
      }
    }
    for (const ParamInfo& p : op.params) {
      if (op.canonical) {
        EXPECT_TRUE(op.has_type_key(p.type_key)) << op.name << "." << p.name;
      }
    }
  }
}

TEST(OpTraitsTest, OnlyCanonicalOpsCarryConfigurationTraits) {
  for (const OpInfo& op : all_ops()) {
    if (op.canonical) continue;
    EXPECT_FALSE(op.shares_multipliers || op.activation_family || op.uses_table) << op.name;
    EXPECT_EQ(op.auto_result, AutoResult::kNotInferred) << op.name;
    EXPECT_TRUE(op.type_keys.empty()) << op.name;
  }
}

TEST(OpTraitsTest, WhatTheRowsSay) {
  EXPECT_TRUE(op_info(OpKind::kDense).shares_multipliers);
  EXPECT_FALSE(op_info(OpKind::kDense).slides_window);
  EXPECT_FALSE(op_info(OpKind::kMaxPool2D).slides_window);
  EXPECT_EQ(op_info(OpKind::kTranspose).result_source, ResultSource::kInput);
  EXPECT_EQ(op_info(OpKind::kDense).accum_rule, AccumRule::kAffine);
  EXPECT_EQ(op_info(OpKind::kSoftmax).accum_rule, AccumRule::kTableSum);
  EXPECT_EQ(op_info(OpKind::kFlatten).result_source, ResultSource::kInput);
  EXPECT_EQ(op_info(OpKind::kReshape).result_source, ResultSource::kInput);
  EXPECT_TRUE(op_info(OpKind::kPRelu).activation_family);
  EXPECT_FALSE(op_info(OpKind::kBatchNorm).activation_family);
  EXPECT_EQ(op_info(OpKind::kAverage).auto_result, AutoResult::kMean);
  for (OpKind conv :
       {OpKind::kConv1D, OpKind::kConv2D, OpKind::kDepthwiseConv1D, OpKind::kDepthwiseConv2D}) {
    EXPECT_TRUE(op_info(conv).shares_multipliers);
    EXPECT_TRUE(op_info(conv).slides_window);
    EXPECT_EQ(op_info(conv).accum_rule, AccumRule::kAffine);
    EXPECT_EQ(op_info(conv).auto_result, AutoResult::kAccum);
  }
}

}  // namespace
}  // namespace nnfpga::ir
