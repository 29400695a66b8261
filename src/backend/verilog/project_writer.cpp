// write_project: one module per layer, scheduled one after another (each layer's inputs arrive
// where its producers' outputs do, delayed to meet in the core), then the core, the top module,
// the AXI-stream wrapper and the facts. Deterministic: graph order, no timestamps or paths.
#include <fmt/format.h>
#include <map>

#include "arith/delay.hpp"
#include "backend/project_files.hpp"
#include "backend/verilog/emitter.hpp"
#include "backend/verilog/project.hpp"
#include "backend/verilog/project_facts.hpp"
#include "backend/verilog/top_text.hpp"
#include "ir/json_io.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

struct Tensor {
  int index = 0;  // in the core module's tensors
  fixed::FixedType type;
  std::int64_t count = 0;
  Arrival at;
};

PortFacts port_facts(const Tensor& t) {
  return {t.count, t.type.width, t.type.is_signed, fixed::to_string(t.type)};
}

class Writer {
 public:
  Writer(const ir::Graph& graph, std::string top) : graph_(graph), top_(std::move(top)) {
    core_.name = ids_.take(top_ + "_core");
  }

  // Builds every layer's module text, in graph order.
  void build() {
    for (const ir::Node& node : graph_.nodes) {
      if (node.op == ir::OpKind::kInput) {
        core_.input = add_tensor(node, {0, 0.0});
        continue;
      }
      try {
        build_layer(node);
      } catch (const Error& e) {
        throw e.located({.node = node.name});
      }
    }
    const Tensor& out = tensors_.at(graph_.outputs.front());
    core_.output = out.index;
    core_.latency = out.at.stage;
  }

  std::vector<std::pair<std::string, std::string>> modules;  // (module name, text)
  CoreModule core_;
  IdentifierTable ids_;
  std::map<std::string, Tensor> tensors_;

 private:
  int add_tensor(const ir::Node& node, Arrival at) {
    Tensor t;
    t.type = node.type("result");
    t.count = ir::element_count(node.output_shape);
    t.at = at;
    t.index = static_cast<int>(core_.tensors.size());
    CoreTensor c;
    c.wire = core_ids_.take("t_" + node.name);
    c.bits = static_cast<int>(std::max<std::int64_t>(1, t.count * t.type.width));
    c.stage = at.stage;
    core_.tensors.push_back(c);
    tensors_[node.name] = t;
    return t.index;
  }

  void build_layer(const ir::Node& node) {
    Arrival start;
    for (const std::string& in : node.inputs) {
      const Arrival& a = tensors_.at(in).at;
      if (a.stage > start.stage) start = {a.stage, 0.0};
      if (a.stage == start.stage) start.time = std::max(start.time, a.time);
    }
    Netlist nl(arith::stage_budget_ns(graph_.settings.clock_period_ns), start.time);
    LayerContext ctx{graph_, node, nl, {}};
    CoreInstance inst;
    for (std::size_t k = 0; k < node.inputs.size(); ++k) {
      const Tensor& t = tensors_.at(node.inputs[k]);
      const std::string port = fmt::format("in_data{}", k);
      nl.add_input_port(port, core_.tensors.at(t.index).bits);
      TensorSignals s{t.type, {}};
      for (std::int64_t e = 0; e < t.count; ++e) {
        const NetId net =
            nl.slice(port, static_cast<int>(e) * t.type.width, t.type.width, t.type.is_signed);
        s.elements.push_back(code_signal(net, t.type));
      }
      ctx.inputs.push_back(std::move(s));
      inst.inputs.push_back(t.index);
      inst.input_stages.push_back(start.stage);
    }
    const std::vector<NetId> outs = find_emitter(node.op)(ctx);
    const bool registered = graph_.is_output(node.name);
    const Arrival local = nl.set_outputs(outs, node.type("result").width, registered);
    inst.module = ids_.take(top_ + "_" + node.name);
    inst.instance = core_ids_.take("u_" + node.name);
    inst.output = add_tensor(node, {start.stage + local.stage, local.time});
    core_.instances.push_back(inst);
    modules.emplace_back(inst.module, nl.module_text(inst.module, false));
  }

  const ir::Graph& graph_;
  std::string top_;
  IdentifierTable core_ids_;
};

}  // namespace

void check_graph(const ir::Graph& graph) {
  check_supported(graph, "Verilog",
                  [](const ir::Node& n) { return find_emitter(n.op) != nullptr; });
  if (graph.inputs.size() != 1 || graph.outputs.size() != 1) {
    throw Error(ErrorKind::kUnsupported,
                fmt::format("the Verilog backend writes models with one input and one output "
                            "tensor; this one has {} and {}",
                            graph.inputs.size(), graph.outputs.size()));
  }
}

Project write_project(const ir::Graph& graph, const std::string& dir,
                      const ProjectOptions& options) {
  check_graph(graph);
  const std::string top = sanitize_identifier(choose_top(graph, options.top));
  Writer w(graph, top);
  w.ids_.take(top);
  w.ids_.take(top + "_axis");
  w.build();
  ProjectFiles files(dir);
  Project p;
  p.dir = dir;
  p.top = top;
  p.latency_cycles = w.core_.latency;
  p.clock_period_ns = graph.settings.clock_period_ns;
  p.inputs = port_facts(w.tensors_.at(graph.inputs.front()));
  p.outputs = port_facts(w.tensors_.at(graph.outputs.front()));
  const int in_bits = w.core_.tensors.at(w.core_.input).bits;
  const int out_bits = w.core_.tensors.at(w.core_.output).bits;
  for (const auto& [name, text] : w.modules) {
    p.rtl.push_back("rtl/" + name + ".v");
    files.write(p.rtl.back(), text);
  }
  const std::string core = w.core_.name;
  p.rtl.push_back("rtl/" + core + ".v");
  files.write(p.rtl.back(), core_text(w.core_));
  p.rtl.push_back("rtl/" + top + ".v");
  files.write(p.rtl.back(), top_text(top, core, in_bits, out_bits));
  p.rtl.push_back("rtl/" + top + "_axis.v");
  files.write(p.rtl.back(), axis_text(top, core, in_bits, out_bits, p.latency_cycles));
  files.write(kModelJson, ir::to_json(graph).dump(1) + "\n");
  files.write(kRtlJson, facts_json(p));
  p.files = files.written();
  return p;
}

}  // namespace nnfpga::backend::verilog
