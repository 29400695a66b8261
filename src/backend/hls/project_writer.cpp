// write_project: names every tensor, asks each layer's emitter for its code, and writes the files
// (project.hpp lists them). The text is deterministic: graph order, no timestamps, no absolute
// paths (house rule 5).
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "backend/hls/embedded_files.hpp"
#include "backend/hls/emitter.hpp"
#include "backend/hls/project.hpp"
#include "backend/hls/project_text.hpp"
#include "backend/hls/reference_samples.hpp"
#include "estimate/estimate.hpp"
#include "ir/json_io.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::hls {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kTbSamples = 100;

class Writer {
 public:
  Writer(std::string dir, Project& project) : dir_(std::move(dir)), project_(project) {}

  void write(const std::string& relative, const std::string& text) {
    const fs::path path = fs::path(dir_) / relative;
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    if (ec || !out) {
      throw Error(ErrorKind::kInput,
                  "cannot write " + path.string() + (ec ? ": " + ec.message() : std::string()));
    }
    project_.files.push_back(relative);
  }

 private:
  std::string dir_;
  Project& project_;
};

// Every node the backend cannot generate, listed at once (like the readers do).
void check_supported(const ir::Graph& graph) {
  std::string missing;
  for (const ir::Node& node : graph.nodes) {
    if (node.op == ir::OpKind::kInput || find_emitter(node.op) != nullptr) continue;
    missing += "\n  " + node.name + " (" + std::string(ir::op_name(node.op)) + ")";
  }
  if (!missing.empty()) {
    throw Error(ErrorKind::kUnsupported, "not supported by the HLS backend:" + missing);
  }
  if (graph.inputs.empty() || graph.outputs.empty()) {
    throw Error(ErrorKind::kInput, "the model has no inputs or no outputs");
  }
}

std::string top_name(const ir::Graph& graph, const ProjectOptions& options, IdentifierTable& ids) {
  if (!options.top.empty()) return ids.take(options.top);
  return ids.take(graph.name.empty() ? "myproject" : graph.name);
}

}  // namespace

Project write_project(const ir::Graph& graph, const std::string& dir,
                      const ProjectOptions& options) {
  check_supported(graph);
  IdentifierTable ids;
  for (const char* local : kGeneratedLocals) ids.take(local);
  ProjectLayout layout;
  layout.graph = &graph;
  layout.top = top_name(graph, options, ids);
  // Names first, in graph order, so that they do not depend on which emitter asks first.
  const bool stream = graph.settings.io_type == ir::IOType::kStream;
  std::map<std::string, TensorRef> tensors;
  std::map<std::string, InputPort> input_ports;
  for (const ir::Node& node : graph.nodes) {
    TensorRef t;
    const bool input = node.op == ir::OpKind::kInput;
    t.var = ids.take(node.name + (input ? "" : "_out"));
    t.type = ids.take(node.name + "_t");
    t.size = ir::element_count(node.output_shape);
    layout.types.push_back({t.type, node.type("result")});
    if (input) {
      // io_stream reads the port into an array the layers use; io_parallel uses the port.
      const std::string internal = stream ? ids.take(node.name + "_in") : t.var;
      input_ports[node.name] = {t, internal};
      t.var = internal;
    }
    tensors[node.name] = t;
  }
  for (const std::string& in : graph.inputs) layout.inputs.push_back(input_ports.at(in));
  for (const std::string& out : graph.outputs) {
    TensorRef port = tensors.at(out);
    port.var = ids.take(out + "_result");
    layout.outputs.push_back({port, tensors.at(out).var});
  }
  for (const ir::Node& node : graph.nodes) {
    if (node.op == ir::OpKind::kInput) continue;
    LayerInput in{graph, node, {}, tensors.at(node.name), ids};
    for (const std::string& producer : node.inputs) in.inputs.push_back(tensors.at(producer));
    LayerCode code = find_emitter(node.op)(in);
    layout.layers.push_back({&node, tensors.at(node.name), std::move(code)});
  }

  const estimate::ModelEstimate estimate = estimate::estimate_hls(graph);
  layout.interval = estimate.total.interval;

  Project project;
  project.dir = dir;
  project.estimate = estimate;
  project.top = layout.top;
  Writer writer(dir, project);
  writer.write("firmware/defines.h", defines_h(layout));
  writer.write("firmware/parameters.h", parameters_h(layout));
  for (const LayerLayout& layer : layout.layers) {
    for (const ConstantArray& c : layer.code.constants) {
      writer.write("firmware/weights/" + c.name + ".h", constant_h(c));
    }
  }
  writer.write("firmware/" + layout.top + ".h", top_h(layout));
  writer.write("firmware/" + layout.top + ".cpp", top_cpp(layout));
  writer.write("firmware/" + layout.top + "_bridge.cpp", bridge_cpp(layout));
  writer.write("tb/" + layout.top + "_test.cpp", testbench_cpp(layout));
  // Inputs and the emulator's outputs for the vendor's C simulation (build_prj.tcl csim=1).
  const ReferenceSamples samples = make_reference_samples(graph, kTbSamples, 1);
  writer.write("tb_data/inputs.txt", samples.inputs_text());
  writer.write("tb_data/emulator_outputs.txt", samples.outputs_text());
  writer.write("build_prj.tcl", build_tcl(layout));
  writer.write("README.md", project_readme(layout));
  for (const EmbeddedFile& f : embedded_hlslib()) {
    if (f.path.rfind("nnfpga/", 0) == 0) writer.write("firmware/" + f.path, f.content);
    if (f.path.rfind("ap_types/", 0) == 0) writer.write(f.path, f.content);
  }
  writer.write(kModelJson, ir::to_json(graph).dump(1) + "\n");
  writer.write(kEstimateJson, estimate::to_json(estimate).dump(1) + "\n");
  writer.write(kProjectJson, nlohmann::json{{"top", layout.top}}.dump(1) + "\n");
  return project;
}

}  // namespace nnfpga::backend::hls
