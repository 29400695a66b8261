// The ReLU family (nnf::relu, leaky_relu, clip), the parametric activations (nnf::prelu,
// hard_sigmoid) and the table functions (nnf::table_function for sigmoid, tanh and softsign,
// nnf::softplus, nnf::elu) with the emulator's own table, so both hold the same entries.
#include "backend/hls/config_struct.hpp"
#include "backend/hls/emitter.hpp"
#include "backend/hls/library_call.hpp"
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

// nnf::<function><x_t, y_t, config>(x, y[, constant]);  every activation has this form.
std::string call(const std::string& function, const LayerInput& in, const std::string& cfg,
                 const std::string& constant = "") {
  const TensorRef& x = in.inputs.at(0);
  std::vector<std::string> arguments{x.var, in.output.var};
  if (!constant.empty()) arguments.push_back(constant);
  return library_call(function, {x.type, in.output.type, cfg}, arguments);
}

std::int64_t n_elem(const LayerInput& in) {
  return per_call(in, ir::element_count(in.node.output_shape));
}

}  // namespace

LayerCode emit_relu_family(const LayerInput& in) {
  const ir::Node& node = in.node;
  LayerCode code;
  const std::string cfg = config_name(in);
  ConfigStruct config(cfg);
  config.int_constant("n_elem", n_elem(in));
  std::string function = "relu";
  if (node.op == ir::OpKind::kLeakyRelu) {
    function = "leaky_relu";
    config.type("param_t", type_spelling(node.qparam("alpha").type))
        .double_constant("alpha", scalar(node, "alpha"));
  } else if (node.op == ir::OpKind::kClip) {
    function = "clip";
    config.double_constant("min_value", scalar(node, "min"))
        .double_constant("max_value", scalar(node, "max"));
  }
  code.config = config.text();
  code.call = call(function, in, cfg);
  return code;
}

LayerCode emit_parametric_activation(const LayerInput& in) {
  const ir::Node& node = in.node;
  LayerCode code;
  const std::string cfg = config_name(in);
  if (node.op == ir::OpKind::kPRelu) {
    const std::string alpha =
        per_call_array(in, constant_array(in, "alpha", node.qparam("alpha"), code.constants),
                       ir::element_count(node.output_shape));
    code.config = ConfigStruct(cfg)
                      .int_constant("n_elem", n_elem(in))
                      .type("param_t", type_spelling(node.qparam("alpha").type))
                      .text();
    code.call = call("prelu", in, cfg, alpha);
    return code;
  }
  const fixed::FixedType& param_t = node.qparam("slope").type;
  const fixed::FixedType& x_t = in.graph.at(node.inputs.at(0)).type("result");
  const fixed::FixedType exact_t = fixed::sum_type(fixed::product_type(x_t, param_t), param_t);
  code.config = ConfigStruct(cfg)
                    .int_constant("n_elem", n_elem(in))
                    .type("param_t", type_spelling(param_t))
                    .double_constant("slope", scalar(node, "slope"))
                    .double_constant("offset", scalar(node, "offset"))
                    .type("exact_t", type_spelling(exact_t))
                    .pow2("one", 0)
                    .text();
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
  ConfigStruct config(cfg);
  config.int_constant("n_elem", n_elem(in))
      .int_constant("log2_table_size", log2_size)
      .type("table_t", type_spelling(table_t))
      .pow2("index_scale", log2_size - range_log2);
  std::string function = "table_function";
  if (node.op == ir::OpKind::kElu) {
    function = "elu";
  } else if (node.op == ir::OpKind::kSoftplus) {
    function = "softplus";
    config.pow2("identity_from", range_log2 - 1);
  }
  code.config = config.text();
  code.call = call(function, in, cfg, t);
  return code;
}

}  // namespace nnfpga::backend::hls
