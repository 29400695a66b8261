// write_project: makes the implementation plan (src/plan/), names every tensor, asks each layer's
// emitter for its code under the plan, and writes the files (project.hpp lists them). The text is
// deterministic: graph order, no timestamps, no absolute paths (house rule 5).
#include <map>
#include <nlohmann/json.hpp>

#include "backend/hls/dataflow.hpp"
#include "backend/hls/embedded_files.hpp"
#include "backend/hls/emitter.hpp"
#include "backend/hls/hls_backend.hpp"
#include "backend/hls/project.hpp"
#include "backend/hls/project_text.hpp"
#include "backend/hls/reference_samples.hpp"
#include "backend/project_files.hpp"
#include "estimate/estimate.hpp"
#include "ir/json_io.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"
#include "plan/parallel_size.hpp"
#include "plan/plan.hpp"

namespace nnfpga::backend::hls {
namespace {

constexpr std::int64_t kTbSamples = 100;

// What the writer builds (plan.hpp): arrays inside the top; a port as an array or as a stream of
// one packed word per sample. A plan asking for more (a tuner's) is refused, not half built.
bool buildable(const plan::EdgePlan& e) {
  if (e.transfer == plan::Transfer::kArray) return true;
  const bool port = e.is_input_port() || e.is_output_port();
  return port && e.transfer == plan::Transfer::kStream && e.beats == 1 &&
         e.beat_width == e.values && e.fifo_depth == 0;
}

void check_buildable(const plan::Plan& plan) {
  for (const plan::EdgePlan& e : plan.edges) {
    if (buildable(e)) continue;
    throw Error(ErrorKind::kUnsupported,
                "the HLS writer builds arrays inside the top function, and ports as arrays or as "
                "streams of one beat per sample; the plan asks for a " +
                    plan::to_string(e.transfer) + " of " + std::to_string(e.beats) + " beats of " +
                    std::to_string(e.beat_width) + " values",
                {.node = e.is_input_port() ? e.consumer : e.producer});
  }
}

}  // namespace

Project write_project(const ir::Graph& graph, const std::string& dir,
                      const ProjectOptions& options) {
  hls_backend().check(graph);
  IdentifierTable ids;
  for (const char* local : kGeneratedLocals) ids.take(local);
  const plan::Plan own_plan = options.plan ? plan::Plan{} : plan::make_plan(graph);
  const plan::Plan& plan = options.plan ? *options.plan : own_plan;
  const bool dataflow = needs_dataflow(plan);
  // io_parallel unrolls every layer: past the rule's limits (plan/parallel_size.hpp, the one the
  // estimate flags) the vendor tool cannot, so the model is refused with the way out.
  if (plan.io_type == ir::IOType::kParallel) {
    for (const ir::Node& node : graph.nodes) plan::check_fits_io_parallel(node);
  }
  if (!dataflow) check_buildable(plan);
  ProjectContents contents;
  contents.graph = &graph;
  contents.plan = &plan;
  contents.top = ids.take(choose_top(graph, options.top));
  // Names first, in graph order, so that they do not depend on which emitter asks first.
  std::map<std::string, TensorRef> tensors;
  std::map<std::string, InputPort> input_ports;
  for (const ir::Node& node : graph.nodes) {
    TensorRef t;
    const bool input = node.op == ir::OpKind::kInput;
    t.var = ids.take(node.name + (input ? "" : "_out"));
    t.type = ids.take(node.name + "_t");
    t.size = ir::element_count(node.output_shape);
    contents.types.push_back({t.type, node.type("result")});
    if (input) {
      // A stream port is read into an array the layers use; an array port is used as it is.
      const plan::EdgePlan* edge = plan.find_input_port(node.name);
      // A stream port is unpacked into its own array; in the dataflow top the processes read the
      // port itself, and the name is that of the array a per-position process reads a beat into.
      const bool stream = dataflow || (edge != nullptr && is_stream(edge));
      const std::string internal = stream ? ids.take(node.name + "_in") : t.var;
      input_ports[node.name] = {t, internal, edge};
      t.var = internal;
    }
    tensors[node.name] = t;
  }
  for (const std::string& in : graph.inputs) {
    contents.inputs.push_back(input_ports.at(in));
    if (contents.inputs.back().edge == nullptr) contents.inputs.back().edge = &plan.input_port(in);
  }
  for (const std::string& out : graph.outputs) {
    TensorRef port = tensors.at(out);
    port.var = ids.take(out + "_result");
    contents.outputs.push_back({port, tensors.at(out).var, &plan.output_port(out)});
  }
  if (dataflow) build_dataflow(contents, graph, plan, ids, tensors);
  for (const ir::Node& node : graph.nodes) {
    if (node.op == ir::OpKind::kInput || dataflow) continue;
    LayerInput in{graph, node, plan.layer(node.name), {}, tensors.at(node.name), ids};
    for (const std::string& producer : node.inputs) in.inputs.push_back(tensors.at(producer));
    LayerCode code = find_emitter(node.op)(in);
    contents.layers.push_back({&node, tensors.at(node.name), std::move(code)});
  }

  const estimate::ModelEstimate estimate = estimate::estimate_hls(graph, plan);

  ProjectFiles writer(dir);
  writer.write("firmware/defines.h", defines_h(contents));
  writer.write("firmware/parameters.h", parameters_h(contents));
  for (const ProjectLayer& layer : contents.layers) {
    for (const ConstantArray& c : layer.code.constants) {
      writer.write("firmware/weights/" + c.name + ".h", constant_h(c));
    }
  }
  writer.write("firmware/" + contents.top + ".h", top_h(contents));
  writer.write("firmware/" + contents.top + ".cpp", top_cpp(contents));
  writer.write("firmware/" + contents.top + "_bridge.cpp", bridge_cpp(contents));
  writer.write("tb/" + contents.top + "_test.cpp", testbench_cpp(contents));
  // Inputs and the emulator's outputs for the vendor's C simulation (build_prj.tcl csim=1).
  const ReferenceSamples samples = make_reference_samples(graph, kTbSamples, 1);
  writer.write("tb_data/inputs.txt", samples.inputs_text());
  writer.write("tb_data/emulator_outputs.txt", samples.outputs_text());
  writer.write("build_prj.tcl", build_tcl(contents));
  writer.write("README.md", project_readme(contents));
  for (const EmbeddedFile& f : embedded_hlslib()) {
    if (f.path.rfind("nnfpga/", 0) == 0) writer.write("firmware/" + f.path, f.content);
    if (f.path.rfind("ap_types/", 0) == 0) writer.write(f.path, f.content);
  }
  writer.write(kModelJson, ir::to_json(graph).dump(1) + "\n");
  writer.write(kEstimateJson, estimate::to_json(estimate).dump(1) + "\n");
  writer.write(kProjectJson, nlohmann::json{{"top", contents.top}}.dump(1) + "\n");
  return {.dir = dir, .top = contents.top, .files = writer.written(), .estimate = estimate};
}

}  // namespace nnfpga::backend::hls
