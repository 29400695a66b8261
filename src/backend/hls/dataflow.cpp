// build_dataflow: the processes and FIFOs of io_stream's dataflow top, in the token order of
// docs/hls.md. A layer that moves positions (convolutions, pools, padding, cropping, upsampling,
// Flatten/Reshape) is its hlslib `_stream` function; every other layer computes position by
// position: a loop that reads one beat of each input into an array, runs the layer's io_parallel
// code on that one position, and writes one beat. A tensor read more than once goes through a
// clone process that copies each beat to one FIFO per reader, as a dataflow region needs (each
// stream has one reader and one writer).
#include "backend/hls/dataflow.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "backend/hls/emitter.hpp"
#include "backend/hls/library_call.hpp"
#include "ir/geometry.hpp"
#include "ir/layout.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::hls {
namespace {

// The layers whose library function reads and writes the streams itself.
bool moves_positions(ir::OpKind op) {
  return is_window_op(op) || op == ir::OpKind::kFlatten || op == ir::OpKind::kReshape;
}

// The plan's FIFO depth for producer -> consumer, or the whole tensor (hls4ml's default depth,
// enough for any feed-forward region) when the plan has none.
std::int64_t planned_depth(const plan::Plan& plan, const std::string& producer,
                           const std::string& consumer, std::int64_t beats) {
  for (const plan::EdgePlan& e : plan.edges) {
    if (e.producer == producer && e.consumer == consumer && e.fifo_depth > 0) return e.fifo_depth;
  }
  return beats;
}

std::string stream_param(const std::string& beat, const std::string& var) {
  return "hls::stream<" + beat + " >& " + var;
}

class DataflowBuilder {
 public:
  DataflowBuilder(ProjectContents& c, const ir::Graph& g, const plan::Plan& p, IdentifierTable& ids,
                  const std::map<std::string, TensorRef>& tensors)
      : c_(c), graph_(g), plan_(p), ids_(ids), tensors_(tensors) {}

  void build() {
    name_streams();
    for (const ir::Node& node : graph_.nodes) {
      if (node.op != ir::OpKind::kInput) add_layer(node);
      add_clone(node.name);
    }
    c_.dataflow = std::move(flow_);
  }

 private:
  std::string beat(const std::string& tensor) const {
    return packed_type(tensors_.at(tensor).type, ir::channels(graph_.at(tensor).output_shape));
  }
  std::int64_t beats(const std::string& tensor) const {
    return ir::positions(graph_.at(tensor).output_shape);
  }

  std::string fifo(const std::string& tensor, const std::string& name, std::int64_t depth) {
    const std::string var = ids_.take(name);
    flow_.fifos.push_back({var, beat(tensor), depth});
    return var;
  }

  // Every tensor's stream (what its producer writes) and every reader's stream: the same one for
  // a single reader, a clone's copy each for several. A graph output is a reader (its port).
  void name_streams() {
    std::map<std::string, std::vector<std::pair<std::string, std::size_t>>> readers;
    for (const ir::Node& node : graph_.nodes) {
      for (std::size_t i = 0; i < node.inputs.size(); ++i) {
        readers[node.inputs[i]].push_back({node.name, i});
      }
    }
    std::map<std::string, std::string> output_ports;
    for (std::size_t k = 0; k < graph_.outputs.size(); ++k) {
      readers[graph_.outputs[k]].push_back({"", k});
      output_ports[graph_.outputs[k]] = c_.outputs[k].port.var;
    }
    for (std::size_t k = 0; k < graph_.inputs.size(); ++k) {
      written_[graph_.inputs[k]] = c_.inputs[k].port.var;
    }
    for (const ir::Node& node : graph_.nodes) {
      const auto& list = readers[node.name];
      auto reader_stream = [&](const std::pair<std::string, std::size_t>& r,
                               const std::string& producer) {
        if (r.first.empty()) return output_ports.at(node.name);
        return fifo(node.name, node.name + "_to_" + r.first,
                    planned_depth(plan_, producer, r.first, beats(node.name)));
      };
      if (list.size() == 1) {
        const std::string s = node.op == ir::OpKind::kInput ? written_.at(node.name)
                                                            : reader_stream(list[0], node.name);
        written_[node.name] = s;
        read_[{list[0].first, list[0].second}] = s;
        continue;
      }
      const std::string clone = node.name + "_clone";
      if (node.op != ir::OpKind::kInput) {
        written_[node.name] = fifo(node.name, node.name + "_stream",
                                   planned_depth(plan_, node.name, clone, beats(node.name)));
      }
      for (const auto& r : list) {
        const std::string s = reader_stream(r, clone);
        read_[{r.first, r.second}] = s;
        clones_[node.name].push_back(s);
      }
    }
  }

  void add_clone(const std::string& tensor) {
    auto it = clones_.find(tensor);
    if (it == clones_.end()) return;
    StreamProcess p;
    p.function = ids_.take(tensor + "_clone");
    const std::string b = beat(tensor);
    const std::string src = written_.at(tensor);
    p.args = {src};
    std::string params = stream_param(b, src);
    std::string writes;
    for (const std::string& d : it->second) {
      p.args.push_back(d);
      params += ", " + stream_param(b, d);
      writes += "    " + d + ".write(word);\n";
    }
    p.definition = fmt::format(
        "// Clone: each beat of one tensor copied to each of its {} readers.\n"
        "static void {}({}) {{\nClone:\n  for (int position = 0; position < {}; position++) {{\n"
        "#pragma HLS PIPELINE II=1\n    const {} word = {}.read();\n{}  }}\n}}\n",
        it->second.size(), p.function, params, beats(tensor), b, src, writes);
    flow_.processes.push_back(std::move(p));
  }

  void add_layer(const ir::Node& node) {
    if (!ir::merge_is_plain(node)) {
      throw Error(ErrorKind::kUnsupported,
                  "the HLS dataflow top does not build a merge that broadcasts an input or a "
                  "Concatenate on another axis than the channels",
                  {.node = node.name});
    }
    const plan::LayerPlan& lp = plan_.layer(node.name);
    LayerInput in{graph_, node, lp, {}, tensors_.at(node.name), ids_};
    StreamProcess p;
    p.function = ids_.take(node.name + "_process");
    std::string params;
    for (std::size_t i = 0; i < node.inputs.size(); ++i) {
      const std::string s = read_.at({node.name, i});
      p.args.push_back(s);
      params += stream_param(beat(node.inputs[i]), s) + ", ";
    }
    const std::string out = written_.at(node.name);
    p.args.push_back(out);
    params += stream_param(beat(node.name), out);
    ProjectLayer layer{&node, in.output, {}};
    if (moves_positions(node.op)) {
      in.stream = true;
      for (std::size_t i = 0; i < node.inputs.size(); ++i) {
        in.inputs.push_back({p.args[i], tensors_.at(node.inputs[i]).type, 0});
      }
      in.output.var = out;
      layer.code = find_emitter(node.op)(in);
      p.definition =
          fmt::format("static void {}({}) {{\n  {}\n}}\n", p.function, params, layer.code.call);
    } else {
      in.calls = ir::positions(node.output_shape);
      in.position = "position";
      for (const std::string& producer : node.inputs) in.inputs.push_back(tensors_.at(producer));
      layer.code = find_emitter(node.op)(in);
      p.definition = per_position_process(node, lp, p, params, layer.code.call);
    }
    c_.layers.push_back(std::move(layer));
    flow_.processes.push_back(std::move(p));
  }

  // A loop over positions: one beat of each input into its array, the layer's code, one beat out.
  std::string per_position_process(const ir::Node& node, const plan::LayerPlan& lp,
                                   const StreamProcess& p, const std::string& params,
                                   const std::string& call) const {
    std::string body;
    std::vector<std::string> declared;
    for (std::size_t i = 0; i < node.inputs.size(); ++i) {
      const TensorRef& x = tensors_.at(node.inputs[i]);
      const std::int64_t n = ir::channels(graph_.at(node.inputs[i]).output_shape);
      if (std::find(declared.begin(), declared.end(), x.var) == declared.end()) {
        body += fmt::format("    {} {}[{}];\n#pragma HLS ARRAY_PARTITION variable={} complete\n",
                            x.type, x.var, n, x.var);
        declared.push_back(x.var);
      }
      body += fmt::format(
          "    {{\n      const {} word = {}.read();\n      for (int k = 0; k < {}; k++) {}[k] = "
          "word.data[k];\n    }}\n",
          beat(node.inputs[i]), p.args[i], n, x.var);
    }
    const TensorRef& y = tensors_.at(node.name);
    const std::int64_t m = ir::channels(node.output_shape);
    body += fmt::format("    {} {}[{}];\n#pragma HLS ARRAY_PARTITION variable={} complete\n",
                        y.type, y.var, m, y.var);
    body += "    " + call + "\n";
    body += fmt::format(
        "    {{\n      {} word;\n      for (int k = 0; k < {}; k++) word.data[k] = {}[k];\n"
        "      {}.write(word);\n    }}\n",
        beat(node.name), m, y.var, p.args.back());
    const int ii = node.op == ir::OpKind::kDense ? std::max(1, lp.reuse_factor) : 1;
    return fmt::format(
        "// {} (model name escaped: {}), one position at a time.\n"
        "static void {}({}) {{\nPositions:\n  for (int position = 0; position < {}; position++) "
        "{{\n#pragma HLS PIPELINE II={}\n{}  }}\n}}\n",
        ir::op_name(node.op), sanitize_identifier(node.name), p.function, params,
        ir::positions(node.output_shape), ii, body);
  }

  ProjectContents& c_;
  const ir::Graph& graph_;
  const plan::Plan& plan_;
  IdentifierTable& ids_;
  const std::map<std::string, TensorRef>& tensors_;
  Dataflow flow_;
  std::map<std::string, std::string> written_;  // tensor -> the stream its producer writes
  std::map<std::pair<std::string, std::size_t>, std::string> read_;  // (consumer, input) -> stream
  std::map<std::string, std::vector<std::string>> clones_;  // tensor -> its copies' streams
};

}  // namespace

bool is_window_op(ir::OpKind op) {
  using K = ir::OpKind;
  switch (op) {
    case K::kConv1D:
    case K::kConv2D:
    case K::kDepthwiseConv1D:
    case K::kDepthwiseConv2D:
    case K::kMaxPool1D:
    case K::kMaxPool2D:
    case K::kAveragePool1D:
    case K::kAveragePool2D:
    case K::kGlobalMaxPool1D:
    case K::kGlobalMaxPool2D:
    case K::kGlobalAveragePool1D:
    case K::kGlobalAveragePool2D:
    case K::kZeroPadding1D:
    case K::kZeroPadding2D:
    case K::kCropping1D:
    case K::kCropping2D:
    case K::kUpSampling1D:
    case K::kUpSampling2D:
      return true;
    default:
      return false;
  }
}

bool needs_dataflow(const ir::Graph& graph, const plan::Plan& plan) {
  if (plan.io_type != ir::IOType::kStream) return false;
  for (const ir::Node& node : graph.nodes) {
    if (ir::positions(node.output_shape) > 1) return true;
  }
  return false;
}

void build_dataflow(ProjectContents& contents, const ir::Graph& graph, const plan::Plan& plan,
                    IdentifierTable& ids, const std::map<std::string, TensorRef>& tensors) {
  DataflowBuilder(contents, graph, plan, ids, tensors).build();
}

std::string dataflow_top_cpp(const ProjectContents& p) {
  std::string s =
      "// The network as a dataflow region of one process per layer. Generated by "
      "nnfpga.\n";
  s += "#include \"" + p.top + ".h\"\n#include \"parameters.h\"\n\n";
  for (const StreamProcess& proc : p.dataflow->processes) s += proc.definition + "\n";
  s += top_signature(p) + " {\n";
  for (const InputPort& in : p.inputs) s += "#pragma HLS INTERFACE axis port=" + in.port.var + "\n";
  for (const OutputPort& o : p.outputs) s += "#pragma HLS INTERFACE axis port=" + o.port.var + "\n";
  s += "#pragma HLS DATAFLOW\n";
  for (const StreamFifo& f : p.dataflow->fifos) {
    s += fmt::format("  hls::stream<{} > {}(\"{}\");\n#pragma HLS STREAM variable={} depth={}\n",
                     f.beat, f.var, f.var, f.var, f.depth);
  }
  for (const StreamProcess& proc : p.dataflow->processes) {
    std::string args;
    for (const std::string& a : proc.args) args += (args.empty() ? "" : ", ") + a;
    s += "  " + proc.function + "(" + args + ");\n";
  }
  s += "}\n";
  return s;
}

}  // namespace nnfpga::backend::hls
