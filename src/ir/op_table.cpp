#include "ir/op_table.hpp"

#include <algorithm>
#include <array>

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
    } else {
      known *= out[i];
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

// Merge layers: two or more inputs (Subtract: exactly two) of one shape.
Shape merge_rule(const Node& node, const std::vector<Shape>& inputs) {
  const int arity = op_info(node.op).num_inputs;
  if (arity == kVariadic ? inputs.size() < 2 : static_cast<int>(inputs.size()) != arity) {
    shape_error(std::string(op_info(node.op).name) + " takes " +
                (arity == kVariadic ? "two or more" : std::to_string(arity)) + " inputs, not " +
                std::to_string(inputs.size()));
  }
  for (const Shape& s : inputs) {
    if (s != inputs.front()) {
      shape_error("inputs of shapes " + to_string(inputs.front()) + " and " + to_string(s) +
                  " differ: merge layers need equal shapes (no broadcasting)");
    }
  }
  return inputs.front();
}

// Concatenation on the last axis: every other axis equal.
Shape concatenate_rule(const Node&, const std::vector<Shape>& inputs) {
  if (inputs.size() < 2) shape_error("Concatenate takes two or more inputs");
  Shape out = inputs.front();
  if (out.empty()) shape_error("cannot concatenate inputs without axes");
  for (std::size_t k = 1; k < inputs.size(); ++k) {
    const Shape& s = inputs[k];
    if (s.size() != out.size() || !std::equal(s.begin(), s.end() - 1, out.begin())) {
      shape_error("inputs of shapes " + to_string(inputs.front()) + " and " + to_string(s) +
                  " differ on an axis other than the last");
    }
    out.back() += s.back();
  }
  return out;
}

Shape prelu_rule(const Node& node, const std::vector<Shape>& inputs) {
  const Shape& x = only_input(inputs);
  if (node.param("alpha").shape != x) {
    shape_error("alpha " + to_string(node.param("alpha").shape) + " does not match the input " +
                to_string(x));
  }
  return x;
}

const std::array<OpInfo, kOpKindCount>& table() {
  using K = OpKind;
  static const std::array<OpInfo, kOpKindCount> rows = {{
      {K::kInput, "Input", 0, {}, {"result"}, {"shape"}, true, false, input_rule},
      {K::kConstant, "Constant", 0, {}, {}, {}, false, false, constant_rule},
      {K::kDense,
       "Dense",
       1,
       {{"weight", "weight"}, {"bias", "bias"}},
       {"weight", "bias", "accum", "result"},
       {},
       true,
       false,
       weight_rule},
      {K::kMatMul, "MatMul", 1, {{"weight", "weight"}}, {}, {}, false, false, weight_rule},
      {K::kAddConstant,
       "AddConstant",
       1,
       {{"value", "bias"}},
       {},
       {},
       false,
       false,
       elementwise_constant_rule},
      {K::kSubConstant,
       "SubConstant",
       1,
       {{"value", "bias"}},
       {},
       {"constant_first"},
       false,
       false,
       elementwise_constant_rule},
      {K::kMulConstant,
       "MulConstant",
       1,
       {{"value", "scale"}},
       {},
       {},
       false,
       false,
       elementwise_constant_rule},
      {K::kDivConstant,
       "DivConstant",
       1,
       {{"value", "scale"}},
       {},
       {},
       false,
       false,
       elementwise_constant_rule},
      {K::kRelu, "ReLU", 1, {}, {"result"}, {}, true, false, same_as_input},
      {K::kLeakyRelu,
       "LeakyReLU",
       1,
       {},
       {"param", "result"},
       {"alpha"},
       true,
       false,
       same_as_input},
      {K::kClip, "Clip", 1, {}, {"result"}, {"min", "max"}, true, false, same_as_input},
      {K::kSigmoid, "Sigmoid", 1, {}, {"table", "result"}, {}, true, true, same_as_input},
      {K::kTanh, "TanH", 1, {}, {"table", "result"}, {}, true, true, same_as_input},
      {K::kSoftmax, "Softmax", 1, {}, {"table", "accum", "result"}, {}, true, true, same_as_input},
      {K::kBatchNorm,
       "BatchNormalization",
       1,
       {{"scale", "scale"}, {"bias", "bias"}},
       {"scale", "bias", "result"},
       {},
       true,
       false,
       batchnorm_rule},
      {K::kFlatten, "Flatten", 1, {}, {"result"}, {}, true, false, flatten_rule},
      {K::kReshape, "Reshape", 1, {}, {"result"}, {"shape"}, true, false, reshape_rule},
      {K::kAdd, "Add", kVariadic, {}, {"result"}, {}, true, false, merge_rule},
      {K::kSubtract, "Subtract", 2, {}, {"result"}, {}, true, false, merge_rule},
      {K::kMultiply, "Multiply", kVariadic, {}, {"result"}, {}, true, false, merge_rule},
      {K::kAverage, "Average", kVariadic, {}, {"result"}, {}, true, false, merge_rule},
      {K::kMaximum, "Maximum", kVariadic, {}, {"result"}, {}, true, false, merge_rule},
      {K::kMinimum, "Minimum", kVariadic, {}, {"result"}, {}, true, false, merge_rule},
      {K::kConcatenate,
       "Concatenate",
       kVariadic,
       {},
       {"result"},
       {},
       true,
       false,
       concatenate_rule},
      {K::kPRelu,
       "PReLU",
       1,
       {{"alpha", "param"}},
       {"param", "result"},
       {},
       true,
       false,
       prelu_rule},
      {K::kElu, "ELU", 1, {}, {"table", "result"}, {"alpha"}, true, true, same_as_input},
      {K::kSoftsign, "Softsign", 1, {}, {"table", "result"}, {}, true, true, same_as_input},
      {K::kSoftplus, "Softplus", 1, {}, {"table", "result"}, {}, true, true, same_as_input},
      {K::kHardSigmoid,
       "HardSigmoid",
       1,
       {},
       {"param", "result"},
       {"slope", "offset"},
       true,
       false,
       same_as_input},
      {K::kIdentity, "Identity", 1, {}, {}, {}, false, false, same_as_input},
      {K::kDropout, "Dropout", 1, {}, {}, {}, false, false, same_as_input},
      {K::kQuantize, "Quantize", 1, {}, {"result"}, {}, true, false, same_as_input},
      {K::kThreshold,
       "Threshold",
       1,
       {},
       {"result"},
       {"thresholds", "strict", "values"},
       true,
       false,
       same_as_input},
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

std::optional<OpKind> op_kind_from_name(std::string_view name) {
  for (const OpInfo& row : table()) {
    if (row.name == name) return row.kind;
  }
  return std::nullopt;
}

}  // namespace nnfpga::ir
