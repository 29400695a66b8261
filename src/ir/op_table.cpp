#include "ir/op_table.hpp"

#include <algorithm>
#include <array>
#include <limits>

#include "ir/geometry.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::ir {
namespace {

[[noreturn]] void shape_error(const std::string& what) {
  throw Error(ErrorKind::kInput, what);
}

const Shape& only_input(const std::vector<Shape>& inputs) {
  if (inputs.empty()) shape_error("the node has no input");
  return inputs.front();
}

Shape same_as_input(const Node&, const std::vector<Shape>& inputs) {
  return only_input(inputs);
}

Shape input_rule(const Node& node, const std::vector<Shape>&) {
  const Shape& s = node.attrs.get_ints("shape");
  for (std::int64_t d : s) {
    if (d <= 0) shape_error("input shape " + to_string(s) + " is not static");
  }
  return s;
}

Shape constant_rule(const Node& node, const std::vector<Shape>&) {
  return node.param("value").shape;
}

// The constant operand of a binary op: a param once folded, else the second input.
Shape constant_operand_shape(const Node& node, const std::vector<Shape>& inputs,
                             const std::string& param) {
  if (node.params.count(param)) return node.param(param).shape;
  if (inputs.size() < 2) shape_error("the node has no constant operand");
  return inputs[1];
}

Shape weight_rule(const Node& node, const std::vector<Shape>& inputs) {
  const Shape& x = only_input(inputs);
  const Shape w = constant_operand_shape(node, inputs, "weight");
  if (x.empty() || w.size() != 2 || w[0] != x.back()) {
    shape_error("input " + to_string(x) + " does not fit weight " + to_string(w));
  }
  Shape out = x;
  out.back() = w[1];
  if (node.params.count("bias") && node.param("bias").shape != Shape{w[1]}) {
    shape_error("bias " + to_string(node.param("bias").shape) + " does not fit weight " +
                to_string(w));
  }
  return out;
}

Shape elementwise_constant_rule(const Node& node, const std::vector<Shape>& inputs) {
  const Shape& x = only_input(inputs);
  const Shape c = constant_operand_shape(node, inputs, "value");
  // The constant may broadcast to the input, never the other way round: the output keeps the
  // input's shape.
  broadcast_to(Tensor{c, std::vector<double>(static_cast<std::size_t>(element_count(c)))}, x);
  return x;
}

Shape batchnorm_rule(const Node& node, const std::vector<Shape>& inputs) {
  const Shape& x = only_input(inputs);
  for (const char* p : {"scale", "bias"}) {
    if (node.param(p).shape != x) {
      shape_error(std::string(p) + " " + to_string(node.param(p).shape) +
                  " does not match the input " + to_string(x));
    }
  }
  return x;
}

Shape flatten_rule(const Node&, const std::vector<Shape>& inputs) {
  return Shape{element_count(only_input(inputs))};
}

Shape reshape_rule(const Node& node, const std::vector<Shape>& inputs) {
  const Shape& x = only_input(inputs);
  Shape out = node.attrs.get_ints("shape");
  std::int64_t known = 1;
  int unknown_axis = -1;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == -1) {
      if (unknown_axis >= 0) shape_error("reshape target has two -1 axes");
      unknown_axis = static_cast<int>(i);
    } else if (out[i] <= 0) {
      shape_error("reshape target " + to_string(out) + " has a non-positive axis");
    } else if (__builtin_mul_overflow(known, out[i], &known)) {
      // The target comes from a file: a product past 64 bits is an error, not undefined.
      shape_error("reshape target " + to_string(out) + " has more elements than 64 bits count");
    }
  }
  const std::int64_t total = element_count(x);
  if (unknown_axis >= 0 && known > 0 && total % known == 0) out[unknown_axis] = total / known;
  if (element_count(out) != total) {
    shape_error("cannot reshape " + to_string(x) + " to " +
                to_string(node.attrs.get_ints("shape")));
  }
  return out;
}

// Merge layers: two or more inputs (Subtract: exactly two), broadcast to one shape
// (ir/geometry.hpp).
Shape merge_rule(const Node& node, const std::vector<Shape>& inputs) {
  return merge_geometry(node, inputs).output;
}

// Concatenation on attribute axis (default the last): every other axis equal.
Shape concatenate_rule(const Node& node, const std::vector<Shape>& inputs) {
  return concat_geometry(node, inputs).output;
}

// Transpose: the input's axes in the order of attribute perm.
Shape transpose_rule(const Node& node, const std::vector<Shape>& inputs) {
  return transpose_geometry(node, only_input(inputs)).output;
}

Shape prelu_rule(const Node& node, const std::vector<Shape>& inputs) {
  const Shape& x = only_input(inputs);
  if (node.param("alpha").shape != x) {
    shape_error("alpha " + to_string(node.param("alpha").shape) + " does not match the input " +
                to_string(x));
  }
  return x;
}

// Conv1D, Conv2D: the window's output positions by the weight's filters (ir/geometry.hpp).
Shape conv_rule(const Node& node, const std::vector<Shape>& inputs) {
  return conv_geometry(node, only_input(inputs), constant_operand_shape(node, inputs, "weight"))
      .output_shape();
}

// DepthwiseConv1D, DepthwiseConv2D: the window's output positions by C*M (ir/geometry.hpp).
Shape depthwise_rule(const Node& node, const std::vector<Shape>& inputs) {
  return depthwise_geometry(node, only_input(inputs),
                            constant_operand_shape(node, inputs, "weight"))
      .output_shape();
}

// The pools: the window's output positions, or none for the global pools (ir/geometry.hpp).
Shape pool_rule(const Node& node, const std::vector<Shape>& inputs) {
  return pool_geometry(node, only_input(inputs)).output_shape();
}

// ZeroPadding, Cropping, UpSampling: positions added, dropped or repeated (ir/geometry.hpp).
Shape relayout_rule(const Node& node, const std::vector<Shape>& inputs) {
  return relayout_geometry(node, only_input(inputs)).output_shape();
}

const std::array<OpInfo, kOpKindCount>& table() {
  using K = OpKind;
  using R = AutoResult;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  static const std::array<OpInfo, kOpKindCount> rows = {{
      {.kind = K::kInput,
       .name = "Input",
       .num_inputs = 0,
       .type_keys = {"result"},
       .attributes = {"shape"},
       .shape_rule = input_rule},
      {.kind = K::kConstant,
       .name = "Constant",
       .num_inputs = 0,
       .canonical = false,
       .shape_rule = constant_rule},
      {.kind = K::kDense,
       .name = "Dense",
       .num_inputs = 1,
       .params = {{"weight", "weight"}, {"bias", "bias"}},
       .type_keys = {"weight", "bias", "accum", "result"},
       .shape_rule = weight_rule,
       .shares_multipliers = true,
       .accum_rule = AccumRule::kAffine,
       .auto_result = R::kAccum},
      {.kind = K::kMatMul,
       .name = "MatMul",
       .num_inputs = 1,
       .params = {{"weight", "weight"}},
       .canonical = false,
       .shape_rule = weight_rule},
      {.kind = K::kAddConstant,
       .name = "AddConstant",
       .num_inputs = 1,
       .params = {{"value", "bias"}},
       .canonical = false,
       .shape_rule = elementwise_constant_rule},
      {.kind = K::kSubConstant,
       .name = "SubConstant",
       .num_inputs = 1,
       .params = {{"value", "bias"}},
       .attributes = {"constant_first"},
       .canonical = false,
       .shape_rule = elementwise_constant_rule},
      {.kind = K::kMulConstant,
       .name = "MulConstant",
       .num_inputs = 1,
       .params = {{"value", "scale"}},
       .canonical = false,
       .shape_rule = elementwise_constant_rule},
      {.kind = K::kDivConstant,
       .name = "DivConstant",
       .num_inputs = 1,
       .params = {{"value", "scale"}},
       .canonical = false,
       .shape_rule = elementwise_constant_rule},
      {.kind = K::kRelu,
       .name = "ReLU",
       .num_inputs = 1,
       .type_keys = {"result"},
       .shape_rule = same_as_input,
       .activation_family = true,
       .auto_result = R::kRelu},
      {.kind = K::kLeakyRelu,
       .name = "LeakyReLU",
       .num_inputs = 1,
       .type_keys = {"param", "result"},
       .attributes = {"alpha"},
       .shape_rule = same_as_input,
       .activation_family = true,
       .quantized_attributes = {{"alpha", "param"}}},
      {.kind = K::kClip,
       .name = "Clip",
       .num_inputs = 1,
       .type_keys = {"result"},
       .attributes = {"min", "max"},
       .shape_rule = same_as_input,
       .activation_family = true,
       .auto_result = R::kInput,
       .quantized_attributes = {{"min", kInputTypeKey, -kInf, false},
                                {"max", kInputTypeKey, kInf, false}}},
      {.kind = K::kSigmoid,
       .name = "Sigmoid",
       .num_inputs = 1,
       .type_keys = {"table", "result"},
       .shape_rule = same_as_input,
       .uses_table = true,
       .activation_family = true},
      {.kind = K::kTanh,
       .name = "TanH",
       .num_inputs = 1,
       .type_keys = {"table", "result"},
       .shape_rule = same_as_input,
       .uses_table = true,
       .activation_family = true},
      {.kind = K::kSoftmax,
       .name = "Softmax",
       .num_inputs = 1,
       .type_keys = {"table", "accum", "result"},
       .shape_rule = same_as_input,
       .uses_table = true,
       .activation_family = true,
       .accum_rule = AccumRule::kTableSum},
      {.kind = K::kBatchNorm,
       .name = "BatchNormalization",
       .num_inputs = 1,
       .params = {{"scale", "scale"}, {"bias", "bias"}},
       .type_keys = {"scale", "bias", "result"},
       .shape_rule = batchnorm_rule,
       .auto_result = R::kAffine},
      {.kind = K::kFlatten,
       .name = "Flatten",
       .num_inputs = 1,
       .type_keys = {"result"},
       .shape_rule = flatten_rule,
       .result_source = ResultSource::kInput,
       .auto_result = R::kInput},
      {.kind = K::kReshape,
       .name = "Reshape",
       .num_inputs = 1,
       .type_keys = {"result"},
       .attributes = {"shape"},
       .shape_rule = reshape_rule,
       .result_source = ResultSource::kInput,
       .auto_result = R::kInput},
      {.kind = K::kAdd,
       .name = "Add",
       .num_inputs = kVariadic,
       .type_keys = {"result"},
       .shape_rule = merge_rule,
       .auto_result = R::kSum},
      {.kind = K::kSubtract,
       .name = "Subtract",
       .num_inputs = 2,
       .type_keys = {"result"},
       .shape_rule = merge_rule,
       .auto_result = R::kDifference},
      {.kind = K::kMultiply,
       .name = "Multiply",
       .num_inputs = kVariadic,
       .type_keys = {"result"},
       .shape_rule = merge_rule,
       .auto_result = R::kProduct},
      {.kind = K::kAverage,
       .name = "Average",
       .num_inputs = kVariadic,
       .type_keys = {"result"},
       .shape_rule = merge_rule,
       .auto_result = R::kMean},
      {.kind = K::kMaximum,
       .name = "Maximum",
       .num_inputs = kVariadic,
       .type_keys = {"result"},
       .shape_rule = merge_rule,
       .auto_result = R::kCommon},
      {.kind = K::kMinimum,
       .name = "Minimum",
       .num_inputs = kVariadic,
       .type_keys = {"result"},
       .shape_rule = merge_rule,
       .auto_result = R::kCommon},
      {.kind = K::kConcatenate,
       .name = "Concatenate",
       .num_inputs = kVariadic,
       .type_keys = {"result"},
       .attributes = {"axis"},
       .shape_rule = concatenate_rule,
       .auto_result = R::kCommon},
      {.kind = K::kPRelu,
       .name = "PReLU",
       .num_inputs = 1,
       .params = {{"alpha", "param"}},
       .type_keys = {"param", "result"},
       .shape_rule = prelu_rule,
       .activation_family = true},
      {.kind = K::kElu,
       .name = "ELU",
       .num_inputs = 1,
       .type_keys = {"table", "result"},
       .attributes = {"alpha"},
       .shape_rule = same_as_input,
       .uses_table = true,
       .activation_family = true},
      {.kind = K::kSoftsign,
       .name = "Softsign",
       .num_inputs = 1,
       .type_keys = {"table", "result"},
       .shape_rule = same_as_input,
       .uses_table = true,
       .activation_family = true},
      {.kind = K::kSoftplus,
       .name = "Softplus",
       .num_inputs = 1,
       .type_keys = {"table", "result"},
       .shape_rule = same_as_input,
       .uses_table = true,
       .activation_family = true},
      {.kind = K::kHardSigmoid,
       .name = "HardSigmoid",
       .num_inputs = 1,
       .type_keys = {"param", "result"},
       .attributes = {"slope", "offset"},
       .shape_rule = same_as_input,
       .activation_family = true,
       .quantized_attributes = {{"slope", "param"}, {"offset", "param"}}},
      {.kind = K::kIdentity,
       .name = "Identity",
       .num_inputs = 1,
       .canonical = false,
       .shape_rule = same_as_input},
      {.kind = K::kDropout,
       .name = "Dropout",
       .num_inputs = 1,
       .canonical = false,
       .shape_rule = same_as_input},
      {.kind = K::kQuantize,
       .name = "Quantize",
       .num_inputs = 1,
       .type_keys = {"result"},
       .shape_rule = same_as_input,
       .auto_result = R::kQuantize},
      {.kind = K::kThreshold,
       .name = "Threshold",
       .num_inputs = 1,
       .type_keys = {"result"},
       .attributes = {"thresholds", "strict", "values"},
       .shape_rule = same_as_input,
       .auto_result = R::kThresholdValues},
      {.kind = K::kConv1D,
       .name = "Conv1D",
       .num_inputs = 1,
       .params = {{"weight", "weight"}, {"bias", "bias", true}},
       .type_keys = {"weight", "bias", "accum", "result"},
       .attributes = {"strides", "dilations", "pads"},
       .shape_rule = conv_rule,
       .shares_multipliers = true,
       .slides_window = true,
       .accum_rule = AccumRule::kAffine,
       .auto_result = R::kAccum},
      {.kind = K::kConv2D,
       .name = "Conv2D",
       .num_inputs = 1,
       .params = {{"weight", "weight"}, {"bias", "bias", true}},
       .type_keys = {"weight", "bias", "accum", "result"},
       .attributes = {"strides", "dilations", "pads"},
       .shape_rule = conv_rule,
       .shares_multipliers = true,
       .slides_window = true,
       .accum_rule = AccumRule::kAffine,
       .auto_result = R::kAccum},
      {.kind = K::kMaxPool1D,
       .name = "MaxPool1D",
       .num_inputs = 1,
       .type_keys = {"result"},
       .attributes = {"pool_size", "strides", "pads"},
       .shape_rule = pool_rule,
       .auto_result = R::kInput},
      {.kind = K::kMaxPool2D,
       .name = "MaxPool2D",
       .num_inputs = 1,
       .type_keys = {"result"},
       .attributes = {"pool_size", "strides", "pads"},
       .shape_rule = pool_rule,
       .auto_result = R::kInput},
      {.kind = K::kAveragePool1D,
       .name = "AveragePool1D",
       .num_inputs = 1,
       .type_keys = {"accum", "result"},
       .attributes = {"pool_size", "strides", "pads", "count_include_pad"},
       .shape_rule = pool_rule,
       .accum_rule = AccumRule::kWindowSum},
      {.kind = K::kAveragePool2D,
       .name = "AveragePool2D",
       .num_inputs = 1,
       .type_keys = {"accum", "result"},
       .attributes = {"pool_size", "strides", "pads", "count_include_pad"},
       .shape_rule = pool_rule,
       .accum_rule = AccumRule::kWindowSum},
      {.kind = K::kGlobalMaxPool1D,
       .name = "GlobalMaxPool1D",
       .num_inputs = 1,
       .type_keys = {"result"},
       .shape_rule = pool_rule,
       .auto_result = R::kInput},
      {.kind = K::kGlobalMaxPool2D,
       .name = "GlobalMaxPool2D",
       .num_inputs = 1,
       .type_keys = {"result"},
       .shape_rule = pool_rule,
       .auto_result = R::kInput},
      {.kind = K::kGlobalAveragePool1D,
       .name = "GlobalAveragePool1D",
       .num_inputs = 1,
       .type_keys = {"accum", "result"},
       .shape_rule = pool_rule,
       .accum_rule = AccumRule::kWindowSum},
      {.kind = K::kGlobalAveragePool2D,
       .name = "GlobalAveragePool2D",
       .num_inputs = 1,
       .type_keys = {"accum", "result"},
       .shape_rule = pool_rule,
       .accum_rule = AccumRule::kWindowSum},
      {.kind = K::kZeroPadding1D,
       .name = "ZeroPadding1D",
       .num_inputs = 1,
       .type_keys = {"result"},
       .attributes = {"pads"},
       .shape_rule = relayout_rule,
       .result_source = ResultSource::kInput,
       .auto_result = R::kInput},
      {.kind = K::kZeroPadding2D,
       .name = "ZeroPadding2D",
       .num_inputs = 1,
       .type_keys = {"result"},
       .attributes = {"pads"},
       .shape_rule = relayout_rule,
       .result_source = ResultSource::kInput,
       .auto_result = R::kInput},
      {.kind = K::kCropping1D,
       .name = "Cropping1D",
       .num_inputs = 1,
       .type_keys = {"result"},
       .attributes = {"crops"},
       .shape_rule = relayout_rule,
       .result_source = ResultSource::kInput,
       .auto_result = R::kInput},
      {.kind = K::kCropping2D,
       .name = "Cropping2D",
       .num_inputs = 1,
       .type_keys = {"result"},
       .attributes = {"crops"},
       .shape_rule = relayout_rule,
       .result_source = ResultSource::kInput,
       .auto_result = R::kInput},
      {.kind = K::kUpSampling1D,
       .name = "UpSampling1D",
       .num_inputs = 1,
       .type_keys = {"result"},
       .attributes = {"size"},
       .shape_rule = relayout_rule,
       .result_source = ResultSource::kInput,
       .auto_result = R::kInput},
      {.kind = K::kUpSampling2D,
       .name = "UpSampling2D",
       .num_inputs = 1,
       .type_keys = {"result"},
       .attributes = {"size"},
       .shape_rule = relayout_rule,
       .result_source = ResultSource::kInput,
       .auto_result = R::kInput},
      {.kind = K::kDepthwiseConv1D,
       .name = "DepthwiseConv1D",
       .num_inputs = 1,
       .params = {{"weight", "weight"}, {"bias", "bias", true}},
       .type_keys = {"weight", "bias", "accum", "result"},
       .attributes = {"strides", "dilations", "pads"},
       .shape_rule = depthwise_rule,
       .shares_multipliers = true,
       .slides_window = true,
       .accum_rule = AccumRule::kAffine,
       .auto_result = R::kAccum},
      {.kind = K::kDepthwiseConv2D,
       .name = "DepthwiseConv2D",
       .num_inputs = 1,
       .params = {{"weight", "weight"}, {"bias", "bias", true}},
       .type_keys = {"weight", "bias", "accum", "result"},
       .attributes = {"strides", "dilations", "pads"},
       .shape_rule = depthwise_rule,
       .shares_multipliers = true,
       .slides_window = true,
       .accum_rule = AccumRule::kAffine,
       .auto_result = R::kAccum},
      {.kind = K::kTranspose,
       .name = "Transpose",
       .num_inputs = 1,
       .type_keys = {"result"},
       .attributes = {"perm"},
       .shape_rule = transpose_rule,
       .result_source = ResultSource::kInput,
       .auto_result = R::kInput},
  }};
  return rows;
}

}  // namespace

const OpInfo& op_info(OpKind kind) {
  const OpInfo& row = table()[static_cast<std::size_t>(kind)];
  if (row.kind != kind) throw Error(ErrorKind::kInternal, "op table out of order");
  return row;
}

std::span<const OpInfo> all_ops() {
  return table();
}

bool OpInfo::has_type_key(std::string_view key) const {
  return std::find(type_keys.begin(), type_keys.end(), key) != type_keys.end();
}

std::optional<OpKind> op_kind_from_name(std::string_view name) {
  for (const OpInfo& row : table()) {
    if (row.name == name) return row.kind;
  }
  return std::nullopt;
}

}  // namespace nnfpga::ir
