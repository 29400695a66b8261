// write_project: the text of the layers' modules as build_core builds them, then the core, the top
// module, the AXI-stream wrapper and the facts. Deterministic: graph order, no timestamps or
// paths.
#include <fmt/format.h>

#include "backend/project_files.hpp"
#include "backend/verilog/build_core.hpp"
#include "backend/verilog/emitter.hpp"
#include "backend/verilog/project.hpp"
#include "backend/verilog/project_facts.hpp"
#include "backend/verilog/stream_build.hpp"
#include "backend/verilog/top_text.hpp"
#include "ir/geometry.hpp"
#include "ir/json_io.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

PortFacts port_facts(const CoreTensorFacts& t) {
  return {t.count, t.type.width, t.type.is_signed, fixed::to_string(t.type)};
}

}  // namespace

void check_graph(const ir::Graph& graph) {
  if (is_streaming_graph(graph)) {
    check_stream_graph(graph);
    return;
  }
  check_supported(graph, "Verilog", [](const ir::Node& n) {
    return find_emitter(n.op) != nullptr && ir::merge_is_plain(n);
  });
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
  if (is_streaming_graph(graph)) return write_stream_project(graph, dir, top);
  IdentifierTable ids;
  ids.take(top);
  ids.take(top + "_axis");
  BuiltCore built = build_core(graph, top, ids);
  ProjectFiles files(dir);
  Project p;
  p.estimate = count_core(graph, built);
  p.dir = dir;
  p.top = top;
  p.latency_cycles = built.core.latency;
  p.clock_period_ns = graph.settings.clock_period_ns;
  p.inputs = port_facts(built.tensors.at(graph.inputs.front()));
  p.outputs = port_facts(built.tensors.at(graph.outputs.front()));
  const int in_bits = built.core.tensors.at(built.core.input).bits;
  const int out_bits = built.core.tensors.at(built.core.output).bits;
  for (const LayerModule& layer : built.layers) {
    p.rtl.push_back("rtl/" + layer.name + ".v");
    files.write(p.rtl.back(), layer.netlist.module_text(layer.name, false));
  }
  const std::string core = built.core.name;
  p.rtl.push_back("rtl/" + core + ".v");
  files.write(p.rtl.back(), core_text(built.core));
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
