// quantize_parameters: every parameter the op table lists is quantized once, with
// fixed::cast_double, into the type its key resolved to (Node::qparams[param]). So are the
// attributes the op's row lists as quantized (OpInfo::quantized_attributes): LeakyReLU's alpha
// and HardSigmoid's slope and offset into types["param"], and Clip's min and max into the type of
// the Clip's input (its producer's "result" type) with AP_RND_CONV and AP_SAT, because the bounds
// are compared with the input's mantissas directly. An infinite (or missing) Clip bound means "no
// bound" and becomes the type's extreme mantissa.
#include <cmath>

#include "fixed/exact.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"
#include "passes/passes.hpp"

namespace nnfpga::passes {
namespace {

ir::QuantizedTensor quantize(const ir::Node& node, const std::string& what,
                             const std::vector<double>& values, const fixed::FixedType& type) {
  ir::QuantizedTensor q{type, {}, 0};
  q.mantissa.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      throw Error(ErrorKind::kInput,
                  "parameter '" + what + "' holds " + (std::isnan(values[i]) ? "NaN" : "infinity") +
                      " at index " + std::to_string(i),
                  {.node = node.name});
    }
    const fixed::CastResult r = fixed::cast_double(values[i], type);
    q.mantissa.push_back(r.mantissa);
    if (r.overflowed) ++q.overflows;
  }
  return q;
}

// An attribute quantized like a parameter, by its row in the op table (QuantizedAttribute).
ir::QuantizedTensor quantize_attribute(const ir::Graph& graph, const ir::Node& node,
                                       const ir::QuantizedAttribute& a) {
  const std::string key(a.name);
  fixed::FixedType type;
  if (a.type_key == ir::kInputTypeKey) {
    // Compared with the input's mantissas directly: the input's type, rounded and saturated.
    if (node.inputs.empty()) {
      throw Error(ErrorKind::kInternal, "the node has no input", {.node = node.name});
    }
    type = graph.at(node.inputs.front()).type("result");
    type.quant = fixed::Quantization::kRndConv;
    type.overflow = fixed::Overflow::kSat;
    type.sat_bits = 0;
  } else {
    type = node.type(std::string(a.type_key));
  }
  const double v =
      a.required ? node.attrs.get_float(key) : node.attrs.get_float_or(key, a.if_missing);
  if (!a.required && std::isinf(v)) {
    const fixed::i128 m = v > 0 ? fixed::max_mantissa(type) : fixed::min_mantissa(type);
    return ir::QuantizedTensor{type, {static_cast<std::int64_t>(m)}, 0};
  }
  return quantize(node, key, {v}, type);
}

void quantize_node(const ir::Graph& graph, ir::Node& node) {
  const ir::OpInfo& info = ir::op_info(node.op);
  for (const ir::ParamInfo& p : info.params) {
    const std::string name(p.name);
    // A non-canonical op may not have its constant operand folded into a parameter.
    if (!node.params.count(name) && (!info.canonical || p.optional)) continue;
    const fixed::FixedType& type = node.type(std::string(p.type_key));
    node.qparams[name] = quantize(node, name, node.param(name).data, type);
  }
  for (const ir::QuantizedAttribute& a : info.quantized_attributes) {
    node.qparams[std::string(a.name)] = quantize_attribute(graph, node, a);
  }
}

}  // namespace

void quantize_parameters(ir::Graph& graph) {
  for (ir::Node& node : graph.nodes) {
    try {
      quantize_node(graph, node);
    } catch (const Error& e) {
      throw e.located({.node = node.name});
    }
  }
}

}  // namespace nnfpga::passes
