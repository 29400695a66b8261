// fold_zero_padding_into_window: a ZeroPadding whose only consumer is a convolution, or an
// AveragePool that counts padded positions, becomes that consumer's own padding (the pads add).
// Exact: the padding layer only moves values (its result type is its input's) and adds zeros, and
// a convolution or a count_include_pad average reads its own pads as the same zeros. Not folded:
// a MaxPool (its pads are -infinity, not 0: a padded zero can be the maximum of negative values),
// an AveragePool that leaves padded positions out of its count while it has pads of its own (the
// divisor would change), and a padding whose type a quantized model declared.
#include "passes/graph_edit.hpp"
#include "passes/passes.hpp"

namespace nnfpga::passes {
namespace {

using ir::OpKind;

bool pads_like_zeros(const ir::Node& consumer, bool two_d) {
  switch (consumer.op) {
    case OpKind::kConv1D:
    case OpKind::kDepthwiseConv1D:
      return !two_d;
    case OpKind::kConv2D:
    case OpKind::kDepthwiseConv2D:
      return two_d;
    case OpKind::kAveragePool1D:
    case OpKind::kAveragePool2D: {
      if ((consumer.op == OpKind::kAveragePool2D) != two_d) return false;
      if (consumer.attrs.get_int_or("count_include_pad", 0) != 0) return true;
      // Without pads of its own, counting the padding's zeros is what the padding asked for.
      if (!consumer.attrs.has("pads")) return true;
      for (std::int64_t p : consumer.attrs.get_ints("pads")) {
        if (p != 0) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

bool declares_a_rounding(const ir::Node& padding) {
  for (const auto& [key, type] : padding.declared_types) {
    if (type != "auto") return true;
  }
  return false;
}

}  // namespace

void fold_zero_padding_into_window(ir::Graph& graph) {
  bool changed = false;
  for (std::size_t i = 0; i < graph.nodes.size();) {
    const ir::Node& padding = graph.nodes[i];
    const bool two_d = padding.op == OpKind::kZeroPadding2D;
    if ((padding.op != OpKind::kZeroPadding1D && !two_d) || padding.inputs.size() != 1 ||
        declares_a_rounding(padding)) {
      ++i;
      continue;
    }
    ir::Node* consumer = sole_consumer(graph, padding.name);
    if (!consumer || !pads_like_zeros(*consumer, two_d)) {
      ++i;
      continue;
    }
    // Both hold (begin, end) per spatial axis, in the same order.
    const std::vector<std::int64_t>& added = padding.attrs.get_ints("pads");
    std::vector<std::int64_t> pads = consumer->attrs.has("pads")
                                         ? consumer->attrs.get_ints("pads")
                                         : std::vector<std::int64_t>(added.size(), 0);
    for (std::size_t k = 0; k < pads.size() && k < added.size(); ++k) pads[k] += added[k];
    consumer->attrs.set("pads", pads);
    if (consumer->op == OpKind::kAveragePool1D || consumer->op == OpKind::kAveragePool2D) {
      consumer->attrs.set("count_include_pad", std::int64_t{1});
    }
    const std::string name = padding.name;
    replace_uses(graph, name, padding.inputs.front());
    erase_node(graph, name, consumer->name);
    changed = true;
  }
  if (changed) ir::infer_shapes(graph);
}

}  // namespace nnfpga::passes
