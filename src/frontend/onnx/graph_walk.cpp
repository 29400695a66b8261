#include "frontend/onnx/graph_walk.hpp"

#include <map>
#include <queue>

#include "frontend/declared_types.hpp"
#include "frontend/onnx/graph_inputs.hpp"
#include "frontend/onnx/layout_moves.hpp"
#include "frontend/onnx/op_converters.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::frontend::onnx {
namespace {

using ::onnx::GraphProto;
using ::onnx::NodeProto;

[[noreturn]] void corrupt(const std::string& origin, const std::string& why) {
  throw Error(ErrorKind::kInput, why, {.file = origin});
}

int default_opset(const ::onnx::ModelProto& model, const std::string& origin) {
  for (const auto& o : model.opset_import()) {
    if (o.domain().empty() || o.domain() == "ai.onnx") return static_cast<int>(o.version());
  }
  corrupt(origin, "the model imports no ai.onnx opset");
}

// Node indices in an order where every tensor is produced before it is used (ONNX requires the
// file to be sorted already, but some writers do not comply).
std::vector<int> topological_order(const GraphProto& g, const std::string& origin) {
  std::map<std::string, int> producer;
  for (int i = 0; i < g.node_size(); ++i) {
    for (const std::string& out : g.node(i).output()) {
      if (!out.empty() && !producer.emplace(out, i).second) {
        corrupt(origin, "tensor '" + out + "' is produced by two nodes");
      }
    }
  }
  std::vector<int> pending(static_cast<std::size_t>(g.node_size()), 0);
  std::vector<std::vector<int>> consumers(static_cast<std::size_t>(g.node_size()));
  for (int i = 0; i < g.node_size(); ++i) {
    for (const std::string& in : g.node(i).input()) {
      auto it = producer.find(in);
      if (it == producer.end()) continue;
      ++pending[static_cast<std::size_t>(i)];
      consumers[static_cast<std::size_t>(it->second)].push_back(i);
    }
  }
  // A min-heap keeps the file's order whenever it is already valid.
  std::priority_queue<int, std::vector<int>, std::greater<>> ready;
  for (int i = 0; i < g.node_size(); ++i) {
    if (pending[static_cast<std::size_t>(i)] == 0) ready.push(i);
  }
  std::vector<int> order;
  while (!ready.empty()) {
    const int i = ready.top();
    ready.pop();
    order.push_back(i);
    for (int c : consumers[static_cast<std::size_t>(i)]) {
      if (--pending[static_cast<std::size_t>(c)] == 0) ready.push(c);
    }
  }
  if (order.size() != static_cast<std::size_t>(g.node_size()))
    corrupt(origin, "the graph has a cycle");
  return order;
}

void convert_node(ReaderContext& ctx, const NodeProto& node) {
  if (node.output_size() == 0) throw_bad_node(node, "has no output");
  for (const std::string& out : node.output()) {
    if (ctx.has_value(out)) throw_bad_node(node, "output '" + out + "' redefines a tensor");
  }
  const bool default_domain = node.domain().empty() || node.domain() == "ai.onnx";
  const Converter convert = default_domain ? find_converter(node.op_type())
                                           : find_qonnx_converter(node.domain(), node.op_type());
  if (!default_domain && !convert) {
    ctx.refuse(node, "op of domain '" + node.domain() + "' is not supported");
    return;
  }
  if (!convert) {
    ctx.refuse(node, "op not supported");
    return;
  }
  for (int i = 0; i < node.input_size(); ++i) {
    const Value* v = ctx.input(node, i);
    if (v && v->poisoned) {
      ctx.poison_outputs(node);  // already reported upstream
      return;
    }
  }
  convert(ctx, node);
}

void walk_nodes(ReaderContext& ctx, const GraphProto& g) {
  for (const NodeProto& node : g.node()) {
    ctx.count_node_name(node.name());
    for (const std::string& in : node.input()) ctx.mark_used(in);
  }
  for (const auto& out : g.output()) {
    ctx.mark_used(out.name());
    ctx.mark_graph_output(out.name());
  }
  for (int i : topological_order(g, ctx.origin())) {
    const NodeProto& node = g.node(i);
    try {
      convert_node(ctx, node);
    } catch (const Error& e) {
      throw e.located({.file = ctx.origin(), .node = node.name()});
    }
  }
}

// The IR node that gives graph output `v` in the file's layout: `v`'s own, with its source axes
// recorded when the IR holds it channels-last, or a Reshape that restores the size-1 axes the
// IR left out (a global pool's (C, 1, 1)). Refuses an output that only a transpose could give.
std::string output_node(ReaderContext& ctx, const std::string& tensor, const Value& v) {
  if (is_plain(v.layout, *v.shape)) return v.node;
  if (std::optional<std::vector<int>> axes = source_axes(v.layout)) {
    // Two outputs of one IR node in different layouts cannot both be recorded.
    auto [it, added] = ctx.graph().source_axes.emplace(v.node, *axes);
    if (added || it->second == *axes) return v.node;
  }
  // Otherwise the file's order is restored: a Reshape gives back the size-1 axes the IR left out
  // (a global pool's (C, 1, 1)), a Transpose moves the data where the IR holds it in another
  // order that no source_axes can describe.
  const ir::Shape onnx = onnx_shape(*v.shape, v.layout);
  ::onnx::NodeProto output;
  output.set_op_type("Output");
  output.set_name(tensor);
  std::optional<std::string> moved = rearranged(ctx, output, v, plain_layout(onnx.size()));
  return moved ? *moved : v.node;
}

void define_outputs(ReaderContext& ctx, const GraphProto& g) {
  if (g.output_size() == 0) corrupt(ctx.origin(), "the graph has no outputs");
  for (const auto& out : g.output()) {
    if (!ctx.has_value(out.name())) {
      corrupt(ctx.origin(), "graph output '" + out.name() + "' is never produced");
    }
    const Value& v = ctx.value(out.name());
    if (v.poisoned) continue;  // reported upstream
    ctx.graph().outputs.push_back(v.is_constant() ? ctx.constant_node(v, *v.constant)
                                                  : output_node(ctx, out.name(), v));
  }
}

// Compares the inferred shapes with the static shapes the file declares for its activations.
void cross_check_shapes(ReaderContext& ctx, const GraphProto& g) {
  auto check = [&](const ::onnx::ValueInfoProto& info) {
    if (!ctx.has_value(info.name())) return;
    const Value& v = ctx.value(info.name());
    const auto declared = declared_shape(info);
    if (!v.is_activation() || !declared) return;
    const ir::Node& n = ctx.graph().at(v.node);
    const ir::Shape computed = onnx_shape(n.output_shape, v.layout);
    if (computed != *declared) {
      throw Error(ErrorKind::kInput,
                  "tensor '" + info.name() + "' is declared with shape " +
                      ir::to_string(*declared) + " (without the batch) but computes to " +
                      ir::to_string(computed),
                  {.file = ctx.origin(), .node = n.name});
    }
  };
  for (const auto& info : g.output()) check(info);
  for (const auto& info : g.value_info()) check(info);
}

// In a quantized model (one whose quantizers declared types) the layers between quantizers are
// left unquantized by the framework: their results are declared exact (auto), where nnfpga
// infers one, so that only the quantizers round.
void declare_exact_between_quantizers(ir::Graph& graph) {
  bool quantized = false;
  for (const ir::Node& n : graph.nodes) quantized = quantized || !n.declared_types.empty();
  if (!quantized) return;
  for (ir::Node& n : graph.nodes) {
    using K = ir::OpKind;
    const bool exact_kind =
        n.op == K::kRelu || n.op == K::kClip || n.op == K::kFlatten || n.op == K::kReshape ||
        n.op == K::kAdd || n.op == K::kSubtract || n.op == K::kMultiply || n.op == K::kAverage ||
        n.op == K::kMaximum || n.op == K::kMinimum || n.op == K::kConcatenate ||
        n.op == K::kMaxPool1D || n.op == K::kMaxPool2D || n.op == K::kGlobalMaxPool1D ||
        n.op == K::kGlobalMaxPool2D || n.op == K::kZeroPadding1D || n.op == K::kZeroPadding2D ||
        n.op == K::kCropping1D || n.op == K::kCropping2D || n.op == K::kUpSampling1D ||
        n.op == K::kUpSampling2D;
    if (exact_kind && n.declared_types.empty()) {
      n.declared_types["result"] = "auto";
      n.declared_by = "the quantized model (unquantized between its quantizers)";
    }
  }
}

}  // namespace

ir::Graph build_graph(const ::onnx::ModelProto& model, const std::string& origin) {
  if (!model.has_graph()) corrupt(origin, "the model has no graph");
  const GraphProto& g = model.graph();
  ReaderContext ctx(origin, default_opset(model, origin));
  ctx.graph().name = g.name();
  define_initializers(ctx, g);
  define_graph_inputs(ctx, g);
  walk_nodes(ctx, g);
  define_outputs(ctx, g);
  ctx.unsupported().throw_if_any(origin);
  ir::Graph& graph = ctx.graph();
  try {
    ir::validate(graph);
    ir::infer_shapes(graph);
  } catch (const Error& e) {
    throw e.located({.file = origin});
  }
  cross_check_shapes(ctx, g);
  declare_exact_between_quantizers(graph);
  declare_quantized_inputs(graph);
  return std::move(graph);
}

}  // namespace nnfpga::frontend::onnx
