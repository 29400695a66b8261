// write_project: the text of the layers' modules as build_core builds them, then the core, the top
// module, the AXI-stream wrapper and the facts. Deterministic: graph order, no timestamps or
// paths.
#include <fmt/format.h>
#include <filesystem>
#include <fstream>

#include "backend/verilog/build_core.hpp"
#include "backend/verilog/emitter.hpp"
#include "backend/verilog/project.hpp"
#include "backend/verilog/project_facts.hpp"
#include "backend/verilog/top_text.hpp"
#include "ir/json_io.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

namespace fs = std::filesystem;

void write_file(const std::string& dir, const std::string& relative, const std::string& text,
                Project& project) {
  const fs::path path = fs::path(dir) / relative;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (ec || !out) {
    throw Error(ErrorKind::kInput,
                "cannot write " + path.string() + (ec ? ": " + ec.message() : std::string()));
  }
  project.files.push_back(relative);
}

// Every node the backend cannot generate, listed at once.
void check_supported(const ir::Graph& graph) {
  std::string missing;
  for (const ir::Node& node : graph.nodes) {
    if (node.op == ir::OpKind::kInput || find_emitter(node.op) != nullptr) continue;
    missing += fmt::format("\n  {} at {}", ir::op_name(node.op), node.name);
  }
  if (!missing.empty()) {
    throw Error(ErrorKind::kUnsupported, "not supported by this backend (Verilog):" + missing);
  }
  if (graph.inputs.size() != 1 || graph.outputs.size() != 1) {
    throw Error(ErrorKind::kUnsupported,
                fmt::format("the Verilog backend writes models with one input and one output "
                            "tensor; this one has {} and {}",
                            graph.inputs.size(), graph.outputs.size()));
  }
}

PortFacts port_facts(const CoreTensorFacts& t) {
  return {t.count, t.type.width, t.type.is_signed, fixed::to_string(t.type)};
}

}  // namespace

Project write_project(const ir::Graph& graph, const std::string& dir,
                      const ProjectOptions& options) {
  check_supported(graph);
  const std::string top = sanitize_identifier(
      options.top.empty() ? (graph.name.empty() ? "myproject" : graph.name) : options.top);
  IdentifierTable ids;
  ids.take(top);
  ids.take(top + "_axis");
  BuiltCore built = build_core(graph, top, ids);
  Project p;
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
    write_file(dir, p.rtl.back(), layer.netlist.module_text(layer.name, false), p);
  }
  const std::string core = built.core.name;
  p.rtl.push_back("rtl/" + core + ".v");
  write_file(dir, p.rtl.back(), core_text(built.core), p);
  p.rtl.push_back("rtl/" + top + ".v");
  write_file(dir, p.rtl.back(), top_text(top, core, in_bits, out_bits), p);
  p.rtl.push_back("rtl/" + top + "_axis.v");
  write_file(dir, p.rtl.back(), axis_text(top, core, in_bits, out_bits, p.latency_cycles), p);
  write_file(dir, kModelJson, ir::to_json(graph).dump(1) + "\n", p);
  write_file(dir, kRtlJson, facts_json(p), p);
  return p;
}

}  // namespace nnfpga::backend::verilog
