// build_core: one module per layer, scheduled one after another (each layer's inputs arrive where
// its producers' outputs do, delayed to meet in the core). Graph order throughout.
#include "backend/verilog/build_core.hpp"

#include <fmt/format.h>

#include "arith/delay.hpp"
#include "backend/verilog/emitter.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

class Builder {
 public:
  Builder(const ir::Graph& graph, const std::string& top, IdentifierTable& ids)
      : graph_(graph), top_(top), ids_(ids) {
    built_.core.name = ids_.take(top_ + "_core");
  }

  BuiltCore build() && {
    for (const ir::Node& node : graph_.nodes) {
      if (node.op == ir::OpKind::kInput) {
        built_.core.input = add_tensor(node, {0, 0.0});
        continue;
      }
      try {
        build_layer(node);
      } catch (const Error& e) {
        throw e.located({.node = node.name});
      }
    }
    const CoreTensorFacts& out = built_.tensors.at(graph_.outputs.front());
    built_.core.output = out.index;
    built_.core.latency = out.at.stage;
    return std::move(built_);
  }

 private:
  int add_tensor(const ir::Node& node, Arrival at) {
    CoreTensorFacts t;
    t.type = node.type("result");
    t.count = ir::element_count(node.output_shape);
    t.at = at;
    t.index = static_cast<int>(built_.core.tensors.size());
    CoreTensor c;
    c.wire = core_ids_.take("t_" + node.name);
    c.bits = static_cast<int>(std::max<std::int64_t>(1, t.count * t.type.width));
    c.stage = at.stage;
    built_.core.tensors.push_back(c);
    built_.tensors[node.name] = t;
    return t.index;
  }

  void build_layer(const ir::Node& node) {
    const Emitter emit = find_emitter(node.op);
    if (emit == nullptr) {
      throw Error(ErrorKind::kUnsupported, fmt::format("not supported by this backend (Verilog): "
                                                       "{}",
                                                       ir::op_name(node.op)));
    }
    Arrival start;
    for (const std::string& in : node.inputs) {
      const Arrival& a = built_.tensors.at(in).at;
      if (a.stage > start.stage) start = {a.stage, 0.0};
      if (a.stage == start.stage) start.time = std::max(start.time, a.time);
    }
    Netlist nl(arith::stage_budget_ns(graph_.settings.clock_period_ns), start.time);
    LayerContext ctx{graph_, node, nl, {}};
    CoreInstance inst;
    for (std::size_t k = 0; k < node.inputs.size(); ++k) {
      const CoreTensorFacts& t = built_.tensors.at(node.inputs[k]);
      const std::string port = fmt::format("in_data{}", k);
      nl.add_input_port(port, built_.core.tensors.at(t.index).bits);
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
    const std::vector<NetId> outs = emit(ctx);
    const bool registered = graph_.is_output(node.name);
    const Arrival local = nl.set_outputs(outs, node.type("result").width, registered);
    inst.module = ids_.take(top_ + "_" + node.name);
    inst.instance = core_ids_.take("u_" + node.name);
    inst.output = add_tensor(node, {start.stage + local.stage, local.time});
    built_.core.instances.push_back(inst);
    built_.layers.push_back({&node, inst.module, std::move(nl), local.stage});
  }

  const ir::Graph& graph_;
  const std::string& top_;
  IdentifierTable& ids_;
  IdentifierTable core_ids_;
  BuiltCore built_;
};

}  // namespace

BuiltCore build_core(const ir::Graph& graph, const std::string& top, IdentifierTable& ids) {
  return Builder(graph, top, ids).build();
}

}  // namespace nnfpga::backend::verilog
