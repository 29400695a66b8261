// The op table: one row per OpKind, the single description every consumer relies on.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "ir/graph.hpp"

namespace nnfpga::ir {

// A parameter tensor of an op and the precision key its values are quantized with.
struct ParamInfo {
  std::string_view name;
  std::string_view type_key;
  // The op works without it (a convolution's bias: zero); passes quantize it only when present.
  bool optional = false;
};

// A scalar attribute quantized like a parameter (passes/quantize_parameters.cpp) into the type of
// `type_key`, or, for kInputTypeKey, into the type of the op's input with AP_RND_CONV and AP_SAT
// (Clip's bounds, compared with the input's mantissas directly). A missing attribute takes
// `if_missing`; an infinite value means "no bound" and becomes the type's extreme mantissa.
struct QuantizedAttribute {
  std::string_view name;
  std::string_view type_key;
  double if_missing = 0;
  // false: the attribute may be absent (then if_missing applies) or infinite (no bound).
  bool required = true;
};
inline constexpr std::string_view kInputTypeKey = "";

// OpInfo::num_inputs of the ops that take two or more inputs.
inline constexpr int kVariadic = -1;

// Where a layer's result type comes from when no level names the layer itself (LayerName, its
// declared types, LayerType.<op>): its own key like any other (kOwn), or its input's type
// (kInput: Flatten and Reshape move no bits, so a model-wide Precision must not cast them).
enum class ResultSource { kOwn, kInput };

// The rule that picks accum when Precision.accum is auto or unset (config/accumulator.hpp).
enum class AccumRule {
  kNone,       // the op has no accumulator
  kAffine,     // Dense: wide enough that no sum of the quantized weights and bias can overflow
  kTableSum,   // Softmax: the sum of one row of table entries
  kWindowSum,  // AveragePool: the exact sum of a window of inputs
};

// What Precision.result: auto infers (config/inferred_result.cpp), so that the layer neither
// rounds nor overflows.
enum class AutoResult {
  kNotInferred,      // a lookup table's or a product's exact result is no type nnfpga derives
  kAccum,            // the accumulator's type (Dense)
  kAffine,           // x * scale + bias exactly (BatchNormalization)
  kRelu,             // the input's type without its sign bit
  kThresholdValues,  // the narrowest type holding every output value (Threshold)
  kQuantize,         // the input's type, or the union of per-element types
  kSum,              // the exact sum of the inputs (Add)
  kDifference,       // the exact difference (Subtract)
  kProduct,          // the exact product (Multiply)
  kCommon,           // a type holding every input's values (Maximum, Minimum, Concatenate)
  kMean,             // the exact sum with log2(inputs) more fraction bits (Average)
  kInput,            // the input's type (Clip, Flatten, Reshape)
};

using ShapeRule = Shape (*)(const Node& node, const std::vector<Shape>& inputs);

// One row of the op table: everything the compiler knows about an op kind that does not depend
// on a backend. Consumers ask these fields instead of testing op kinds (docs/adding_an_op.md).
struct OpInfo {
  OpKind kind;
  std::string_view name;  // "Dense"; also the LayerType key of the configuration
  int num_inputs;         // activation inputs once constants are folded into params, or kVariadic
  std::vector<ParamInfo> params;
  std::vector<std::string_view> type_keys;  // types config must resolve (params' keys included)
  std::vector<std::string_view> attributes;
  // False for the ops that canonicalization must remove (MatMul, Identity, ...): consumers
  // behind the passes never see them.
  bool canonical = true;
  ShapeRule shape_rule = nullptr;
  // Lookup-table ops use settings.table_size.
  bool uses_table = false;
  // The op multiplies by trained weights, so a reuse factor can share its multipliers.
  bool shares_multipliers = false;
  // A convolution: ParallelizationFactor (output positions at once) and ConvImplementation apply.
  bool slides_window = false;
  // LayerType.Activation applies to it.
  bool activation_family = false;
  ResultSource result_source = ResultSource::kOwn;
  AccumRule accum_rule = AccumRule::kNone;
  AutoResult auto_result = AutoResult::kNotInferred;
  std::vector<QuantizedAttribute> quantized_attributes;

  bool has_type_key(std::string_view key) const;
};

// The op families that consumers dispatch on beside the table's traits (op_families.cpp, one
// switch naming every kind, so a new kind must choose). Windowed families slide a window or move
// whole positions: they hold input rows when they stream (docs/hls.md, "Token order").
enum class OpFamily : std::uint8_t {
  kNotComputed,       // Input, Constant and the ops the passes remove: no layer of their own
  kPerPosition,       // activations, BatchNorm, Softmax, Dense, Quantize, Threshold: position-wise
  kConvolution,       // Conv1D/2D (ir::conv_geometry)
  kDepthwise,         // DepthwiseConv1D/2D (ir::depthwise_geometry)
  kPool,              // max/average pools and the global pools (ir::pool_geometry)
  kRelayout,          // ZeroPadding, Cropping, UpSampling (ir::relayout_geometry)
  kRegroup,           // Flatten, Reshape: the values in order, regrouped
  kTranspose,         // ir::transpose_geometry
  kElementwiseMerge,  // Add, Subtract, Multiply, Average, Maximum, Minimum (ir::merge_geometry)
  kConcatenate,       // ir::concat_geometry
};
OpFamily op_family(OpKind kind);
// kConvolution, kDepthwise, kPool or kRelayout: the window headers' layers.
bool is_windowed(OpKind kind);
// kElementwiseMerge or kConcatenate: several inputs read position by position.
bool is_merge(OpKind kind);
// The operator of an element-wise merge (kNone for every other kind), for the consumers that
// write or cost it.
enum class MergeOp : std::uint8_t {
  kNone,
  kAdd,
  kSubtract,
  kMultiply,
  kAverage,
  kMaximum,
  kMinimum
};
MergeOp merge_op(OpKind kind);

const OpInfo& op_info(OpKind kind);
std::span<const OpInfo> all_ops();
std::optional<OpKind> op_kind_from_name(std::string_view name);
inline std::string_view op_name(OpKind kind) {
  return op_info(kind).name;
}

}  // namespace nnfpga::ir
