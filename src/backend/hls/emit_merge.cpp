// The merge layers (nnf::add, subtract, multiply, average, maximum, minimum of hlslib/nnfpga/
// merge.h) and Concatenate (nnf::concatenate_part once per input). A merge of k inputs is k - 1
// two-input calls; each intermediate array has the exact type of its step
// (emulate::merge_chain_types, the emulator's own), so only the last call rounds, as the
// emulator's single cast does.
#include <fmt/format.h>

#include "backend/hls/config_struct.hpp"
#include "backend/hls/emitter.hpp"
#include "backend/hls/library_call.hpp"
#include "emulate/merge.hpp"
#include "ir/geometry.hpp"
#include "ir/layout.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::hls {
namespace {

std::string merge_function(const ir::Node& node) {
  switch (ir::merge_op(node.op)) {
    case ir::MergeOp::kAdd:
      return "add";
    case ir::MergeOp::kSubtract:
      return "subtract";
    case ir::MergeOp::kMultiply:
      return "multiply";
    case ir::MergeOp::kAverage:
      return "average";
    case ir::MergeOp::kMaximum:
      return "maximum";
    case ir::MergeOp::kMinimum:
      return "minimum";
    case ir::MergeOp::kNone:
      break;
  }
  throw Error(ErrorKind::kInternal, "not an element-wise merge", {.node = node.name});
}

}  // namespace

LayerCode emit_merge(const LayerInput& in) {
  const ir::Node& node = in.node;
  LayerCode code;
  const std::string cfg = config_name(in);
  const std::int64_t n = per_call(in, ir::element_count(node.output_shape));
  ConfigStruct config(cfg);
  config.int_constant("n_elem", n);
  if (node.op == ir::OpKind::kAverage) config.pow2("scale", -emulate::average_shift(node));
  code.config = config.text();

  std::vector<fixed::FixedType> types;
  for (const std::string& producer : node.inputs) {
    types.push_back(in.graph.at(producer).type("result"));
  }
  const std::vector<fixed::FixedType> chain = emulate::merge_chain_types(node.op, types);
  const std::string function = merge_function(node);
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
      // The step's array, declared where the call is (the top function), fully partitioned.
      code.call +=
          fmt::format("{type} {var}[{n}];\n#pragma HLS ARRAY_PARTITION variable={var} complete\n  ",
                      fmt::arg("type", y.type), fmt::arg("var", y.var), fmt::arg("n", n));
    }
    const TensorRef& x1 = in.inputs[k];
    code.call += library_call(last ? function : step_function, {acc.type, x1.type, y.type, cfg},
                              {acc.var, x1.var, y.var});
    if (!last) code.call += "\n  ";
    acc = y;
  }
  return code;
}

namespace {

// Concatenate on a position axis in io_stream's dataflow: per block of the axes before it, each
// input's beats of that block in turn (merge.h's concatenate_block_stream), as the token order
// (schedule/token_order.cpp) reads them.
LayerCode concatenate_positions_stream(const LayerInput& in) {
  const ir::Node& node = in.node;
  const ir::ConcatGeometry g = ir::concat_geometry(node);
  const std::int64_t n_chan = ir::channels(node.output_shape);
  LayerCode code;
  std::string blocks;
  for (std::size_t k = 0; k < in.inputs.size(); ++k) {
    const std::string cfg = in.ids.take("config_" + node.name + "_" + std::to_string(k));
    code.config += ConfigStruct(cfg)
                       .int_constant("n_chan", n_chan)
                       .int_constant("n_beats", g.inner.at(k) / n_chan)
                       .text();
    blocks += "    " +
              library_call("concatenate_block_stream", {in.inputs[k].type, in.output.type, cfg},
                           {in.inputs[k].var, in.output.var}) +
              "\n";
  }
  code.call = fmt::format(
      "ConcatenateBlocks:\n  for (int block = 0; block < {}; block++) {{\n{}  }}", g.outer, blocks);
  return code;
}

}  // namespace

LayerCode emit_concatenate(const LayerInput& in) {
  const ir::Node& node = in.node;
  if (in.stream) return concatenate_positions_stream(in);
  LayerCode code;
  const std::int64_t n_out = node.output_shape.back();
  const std::int64_t n_outer = per_call(in, ir::element_count(node.output_shape) / n_out);
  std::int64_t offset = 0;
  for (std::size_t k = 0; k < in.inputs.size(); ++k) {
    const std::string cfg = in.ids.take("config_" + node.name + "_" + std::to_string(k));
    const std::int64_t n_in = node.input_shapes.at(k).back();
    code.config += ConfigStruct(cfg)
                       .int_constant("n_outer", n_outer)
                       .int_constant("n_in", n_in)
                       .int_constant("n_out", n_out)
                       .int_constant("offset", offset)
                       .text();
    if (k > 0) code.call += "\n  ";
    code.call += library_call("concatenate_part", {in.inputs[k].type, in.output.type, cfg},
                              {in.inputs[k].var, in.output.var});
    offset += n_in;
  }
  return code;
}

}  // namespace nnfpga::backend::hls
