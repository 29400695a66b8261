// quantize_parameters: every parameter the op table lists is quantized once, with
// fixed::cast_double, into the type its key resolved to (Node::qparams[param]). Two attributes are
// quantized too: LeakyReLU's alpha into types["param"] (qparams["alpha"], one value), HardSigmoid's
// slope and offset into types["param"] (qparams["slope"], ["offset"]), and Clip's
// min and max into the type of the Clip's input (its producer's "result" type) with AP_RND_CONV and
// AP_SAT, because the bounds are compared with the input's mantissas directly. An infinite (or
// missing) Clip bound means "no bound" and becomes the type's extreme mantissa.
#include <cmath>

#include "fixed/exact.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"
#include "passes/passes.hpp"

namespace nnfpga::passes {
namespace {

using ir::OpKind;

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

ir::QuantizedTensor clip_bound(const ir::Node& node, const std::string& key,
                               const fixed::FixedType& type, double fallback) {
  const double v = node.attrs.get_float_or(key, fallback);
  if (std::isinf(v)) {
    const fixed::i128 m = v > 0 ? fixed::max_mantissa(type) : fixed::min_mantissa(type);
    return ir::QuantizedTensor{type, {static_cast<std::int64_t>(m)}, 0};
  }
  return quantize(node, key, {v}, type);
}

void quantize_clip_bounds(const ir::Graph& graph, ir::Node& node) {
  if (node.inputs.empty()) {
    throw Error(ErrorKind::kInternal, "Clip has no input", {.node = node.name});
  }
  fixed::FixedType type = graph.at(node.inputs.front()).type("result");
  type.quant = fixed::Quantization::kRndConv;
  type.overflow = fixed::Overflow::kSat;
  type.sat_bits = 0;
  node.qparams["min"] = clip_bound(node, "min", type, -INFINITY);
  node.qparams["max"] = clip_bound(node, "max", type, INFINITY);
}

void quantize_node(const ir::Graph& graph, ir::Node& node) {
  for (const ir::ParamInfo& p : ir::op_info(node.op).params) {
    const std::string name(p.name);
    // A non-canonical op may not have its constant operand folded into a parameter.
    if (!node.params.count(name) && !ir::op_info(node.op).canonical) continue;
    const fixed::FixedType& type = node.type(std::string(p.type_key));
    node.qparams[name] = quantize(node, name, node.param(name).data, type);
  }
  if (node.op == OpKind::kLeakyRelu) {
    node.qparams["alpha"] =
        quantize(node, "alpha", {node.attrs.get_float("alpha")}, node.type("param"));
  } else if (node.op == OpKind::kHardSigmoid) {
    for (const char* key : {"slope", "offset"}) {
      node.qparams[key] = quantize(node, key, {node.attrs.get_float(key)}, node.type("param"));
    }
  } else if (node.op == OpKind::kClip) {
    quantize_clip_bounds(graph, node);
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
