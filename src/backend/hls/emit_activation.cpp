// The ReLU family (nnf::relu, leaky_relu, clip), the parametric activations (nnf::prelu,
// hard_sigmoid) and the table functions (nnf::table_function for sigmoid, tanh and softsign,
// nnf::softplus, nnf::elu) with the emulator's own table, so both hold the same entries.
#include <cmath>
#include <cstdio>

#include "backend/hls/emitter.hpp"
#include "backend/hls/literals.hpp"
#include "emulate/lookup_table.hpp"
#include "emulate/table_index.hpp"
#include "fixed/exact.hpp"

namespace nnfpga::backend::hls {
namespace {

std::string scalar(const ir::Node& node, const std::string& key) {
  const ir::QuantizedTensor& q = node.qparam(key);
  return value_literal(q.mantissa.at(0), q.type, "layer '" + node.name + "' " + key);
}

std::string call(const std::string& function, const LayerInput& in, const std::string& cfg,
                 const std::string& extra = "") {
  return "nnf::" + function + "<" + in.inputs.at(0).type + ", " + in.output.type + ", " + cfg +
         ">(" + in.inputs.at(0).var + ", " + in.output.var + extra + ");";
}

}  // namespace

LayerCode emit_relu_family(const LayerInput& in) {
  const ir::Node& node = in.node;
  LayerCode code;
  const std::string cfg = config_name(in);
  std::string members =
      "  static const int n_elem = " + std::to_string(ir::element_count(node.output_shape)) + ";\n";
  std::string function = "relu";
  if (node.op == ir::OpKind::kLeakyRelu) {
    function = "leaky_relu";
    members += "  typedef " + type_spelling(node.qparam("alpha").type) + " param_t;\n" +
               "  static constexpr double alpha = " + scalar(node, "alpha") + ";\n";
  } else if (node.op == ir::OpKind::kClip) {
    function = "clip";
    members += "  static constexpr double min_value = " + scalar(node, "min") + ";\n" +
               "  static constexpr double max_value = " + scalar(node, "max") + ";\n";
  }
  code.config = "struct " + cfg + " {\n" + members + "};\n";
  code.call = call(function, in, cfg);
  return code;
}

LayerCode emit_parametric_activation(const LayerInput& in) {
  const ir::Node& node = in.node;
  LayerCode code;
  const std::string cfg = config_name(in);
  std::string members =
      "  static const int n_elem = " + std::to_string(ir::element_count(node.output_shape)) + ";\n";
  if (node.op == ir::OpKind::kPRelu) {
    const std::string alpha = constant_array(in, "alpha", node.qparam("alpha"), code.constants);
    members += "  typedef " + type_spelling(node.qparam("alpha").type) + " param_t;\n";
    code.config = "struct " + cfg + " {\n" + members + "};\n";
    code.call = call("prelu", in, cfg, ", " + alpha);
    return code;
  }
  const fixed::FixedType& param_t = node.qparam("slope").type;
  const fixed::FixedType& x_t = in.graph.at(node.inputs.at(0)).type("result");
  const fixed::FixedType exact_t = fixed::sum_type(fixed::product_type(x_t, param_t), param_t);
  members += "  typedef " + type_spelling(param_t) + " param_t;\n" +
             "  static constexpr double slope = " + scalar(node, "slope") + ";\n" +
             "  static constexpr double offset = " + scalar(node, "offset") + ";\n" + "  typedef " +
             type_spelling(exact_t) + " exact_t;\n" + pow2_members("one", 0);
  code.config = "struct " + cfg + " {\n" + members + "};\n";
  code.call = call("hard_sigmoid", in, cfg);
  return code;
}

LayerCode emit_table_function(const LayerInput& in) {
  const ir::Node& node = in.node;
  LayerCode code;
  const std::string cfg = config_name(in);
  const std::int64_t size = emulate::checked_table_size(node);
  const int log2_size = emulate::log2_exact(size);
  const int range_log2 = emulate::activation_range_log2(node.op);
  const fixed::FixedType& table_t = node.type("table");
  const ir::QuantizedTensor table{table_t, emulate::activation_table(node, size, table_t), 0};
  const std::string t = constant_array(in, "table", table, code.constants);
  std::string function = "table_function";
  std::string extra;
  if (node.op == ir::OpKind::kElu) {
    function = "elu";
  } else if (node.op == ir::OpKind::kSoftplus) {
    function = "softplus";
    extra = pow2_members("identity_from", range_log2 - 1);
  }
  code.config = "struct " + cfg + " {\n" + "  static const int n_elem = " +
                std::to_string(ir::element_count(node.output_shape)) + ";\n" +
                "  static const int log2_table_size = " + std::to_string(log2_size) + ";\n" +
                "  typedef " + type_spelling(table_t) + " table_t;\n" +
                pow2_members("index_scale", log2_size - range_log2) + extra + "};\n";
  code.call = call(function, in, cfg, ", " + t);
  return code;
}

}  // namespace nnfpga::backend::hls
