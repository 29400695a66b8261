#include "ir/printer.hpp"

#include <fmt/format.h>

#include <cmath>
#include <variant>

#include "ir/op_table.hpp"

namespace nnfpga::ir {
namespace {

std::string attr_text(const AttrValue& v) {
  struct Visitor {
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return fmt::format("{:g}", d); }
    std::string operator()(const std::string& s) const { return "\"" + s + "\""; }
    std::string operator()(const std::vector<std::int64_t>& v) const {
      return fmt::format("[{}]", fmt::join(v, ", "));
    }
    std::string operator()(const std::vector<double>& v) const {
      return fmt::format("[{:g}]", fmt::join(v, ", "));
    }
  };
  return std::visit(Visitor{}, v);
}

std::string tensor_summary(const Tensor& t) {
  double lo = INFINITY, hi = -INFINITY;
  for (double v : t.data) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (t.data.empty()) return to_string(t.shape);
  return fmt::format("{} in [{:.4g}, {:.4g}]", to_string(t.shape), lo, hi);
}

}  // namespace

std::string print(const Graph& graph) {
  std::string out = fmt::format("model '{}': {} nodes, {}, clock {} ns, part {}\n", graph.name,
                                graph.nodes.size(), to_string(graph.settings.io_type),
                                graph.settings.clock_period_ns, graph.settings.part);
  for (const Node& n : graph.nodes) {
    out += fmt::format("  {} = {}({})", n.name, op_name(n.op), fmt::join(n.inputs, ", "));
    out += fmt::format(" -> {}", to_string(n.output_shape));
    if (graph.is_output(n.name)) out += "  [output]";
    if (!n.source_op.empty() && n.source_op != op_name(n.op)) {
      out += fmt::format("  (from {})", n.source_op);
    }
    out += "\n";
    for (const auto& [key, value] : n.attrs.all()) {
      out += fmt::format("      {} = {}", key, attr_text(value));
      // An attribute quantized as a parameter (LeakyReLU's alpha, HardSigmoid's slope): the value
      // the fixed path computes with, which may differ (1/6 is not a binary fraction).
      auto q = n.qparams.find(key);
      if (q != n.qparams.end() && !n.params.count(key) && q->second.mantissa.size() == 1) {
        out += fmt::format("  (quantized: {:.10g} in {})",
                           fixed::to_double(q->second.mantissa[0], q->second.type),
                           fixed::to_string(q->second.type));
      }
      out += "\n";
    }
    for (const auto& [key, tensor] : n.params) {
      out += fmt::format("      {}: {}", key, tensor_summary(tensor));
      auto q = n.qparams.find(key);
      if (q != n.qparams.end() && q->second.overflows > 0) {
        out += fmt::format("  ({} values overflow {})", q->second.overflows,
                           fixed::to_string(q->second.type));
      }
      out += "\n";
    }
    if (!n.declared_types.empty()) {
      std::vector<std::string> parts;
      for (const auto& [key, spelling] : n.declared_types) {
        parts.push_back(fmt::format("{} {}", key, spelling));
      }
      out += fmt::format("      declared by {}: {}\n", n.declared_by, fmt::join(parts, ", "));
    }
    if (!n.types.empty()) {
      std::vector<std::string> parts;
      for (const auto& [key, type] : n.types) {
        parts.push_back(fmt::format("{} {}", key, fixed::to_string(type)));
      }
      out += fmt::format("      types: {}\n", fmt::join(parts, ", "));
      const OpInfo& info = op_info(n.op);
      std::string settings =
          fmt::format("reuse {}, {}", n.settings.reuse_factor, to_string(n.settings.strategy));
      if (info.uses_table) settings += fmt::format(", table size {}", n.settings.table_size);
      if (info.slides_window) {
        settings += fmt::format(", parallelization {}, {}", n.settings.parallelization_factor,
                                to_string(n.settings.conv_implementation));
      }
      out += fmt::format("      settings: {}\n", settings);
    }
  }
  return out;
}

}  // namespace nnfpga::ir
