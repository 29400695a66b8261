// The merge layers (nnf::add, subtract, multiply, average, maximum, minimum of hlslib/nnfpga/
// merge.h) and Concatenate (nnf::concatenate_part once per input). A merge of k inputs is k - 1
// two-input calls; each intermediate array has the exact type of its step
// (emulate::merge_chain_types, the emulator's own), so only the last call rounds, as the
// emulator's single cast does.
#include "backend/hls/emitter.hpp"
#include "emulate/merge.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::hls {
namespace {

std::string merge_function(ir::OpKind op) {
  switch (op) {
    case ir::OpKind::kAdd:
      return "add";
    case ir::OpKind::kSubtract:
      return "subtract";
    case ir::OpKind::kMultiply:
      return "multiply";
    case ir::OpKind::kAverage:
      return "average";
    case ir::OpKind::kMaximum:
      return "maximum";
    case ir::OpKind::kMinimum:
      return "minimum";
    default:
      throw Error(ErrorKind::kInternal, "not a merge op");
  }
}

std::string two_input_call(const std::string& function, const TensorRef& a, const TensorRef& b,
                           const TensorRef& y, const std::string& cfg) {
  return "nnf::" + function + "<" + a.type + ", " + b.type + ", " + y.type + ", " + cfg + ">(" +
         a.var + ", " + b.var + ", " + y.var + ");";
}

}  // namespace

LayerCode emit_merge(const LayerInput& in) {
  const ir::Node& node = in.node;
  LayerCode code;
  const std::string cfg = config_name(in);
  const std::int64_t n = ir::element_count(node.output_shape);
  std::string members = "  static const int n_elem = " + std::to_string(n) + ";\n";
  if (node.op == ir::OpKind::kAverage) {
    members += pow2_members("scale", -emulate::average_shift(node));
  }
  code.config = "struct " + cfg + " {\n" + members + "};\n";

  std::vector<fixed::FixedType> types;
  for (const std::string& producer : node.inputs) {
    types.push_back(in.graph.at(producer).type("result"));
  }
  const std::vector<fixed::FixedType> chain = emulate::merge_chain_types(node.op, types);
  const std::string function = merge_function(node.op);
  // Every step but the last is exact; an average's steps before the last are sums.
  const std::string step_function = node.op == ir::OpKind::kAverage ? "add" : function;
  TensorRef acc = in.inputs.at(0);
  for (std::size_t k = 1; k < in.inputs.size(); ++k) {
    const bool last = k + 1 == in.inputs.size();
    TensorRef y = in.output;
    if (!last) {
      y.var = in.ids.take(node.name + "_step" + std::to_string(k));
      y.type = type_spelling(chain[k - 1]);
      y.size = n;
      code.call += y.type + " " + y.var + "[" + std::to_string(n) + "];\n#pragma HLS " +
                   "ARRAY_PARTITION variable=" + y.var + " complete\n  ";
    }
    code.call += two_input_call(last ? function : step_function, acc, in.inputs[k], y, cfg);
    if (!last) code.call += "\n  ";
    acc = y;
  }
  return code;
}

LayerCode emit_concatenate(const LayerInput& in) {
  const ir::Node& node = in.node;
  LayerCode code;
  const std::int64_t n_out = node.output_shape.back();
  const std::int64_t n_outer = ir::element_count(node.output_shape) / n_out;
  std::int64_t offset = 0;
  for (std::size_t k = 0; k < in.inputs.size(); ++k) {
    const std::string cfg = in.ids.take("config_" + node.name + "_" + std::to_string(k));
    const std::int64_t n_in = node.input_shapes.at(k).back();
    code.config += "struct " + cfg + " {\n  static const int n_outer = " + std::to_string(n_outer) +
                   ";\n  static const int n_in = " + std::to_string(n_in) +
                   ";\n  static const int n_out = " + std::to_string(n_out) +
                   ";\n  static const int offset = " + std::to_string(offset) + ";\n};\n";
    if (k > 0) code.call += "\n  ";
    code.call += "nnf::concatenate_part<" + in.inputs[k].type + ", " + in.output.type + ", " + cfg +
                 ">(" + in.inputs[k].var + ", " + in.output.var + ");";
    offset += n_in;
  }
  return code;
}

}  // namespace nnfpga::backend::hls
