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

// The layers whose library function reads and writes the streams itself: those that move values
// across positions.
bool moves_positions(const ir::Node& node) {
  switch (ir::op_family(node.op)) {
    case ir::OpFamily::kConvolution:
    case ir::OpFamily::kDepthwise:
    case ir::OpFamily::kPool:
    case ir::OpFamily::kRelayout:
    case ir::OpFamily::kRegroup:
    case ir::OpFamily::kTranspose:
      return true;
    case ir::OpFamily::kConcatenate:  // on a position axis; on the channels, position by position
      return !ir::merge_is_plain(node);
    case ir::OpFamily::kPerPosition:
    case ir::OpFamily::kElementwiseMerge:
    case ir::OpFamily::kNotComputed:
      return false;
  }
  return false;  // not reached: the switch names every family (-Wswitch)
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
    for (const plan::LayerPlan& l : plan_.layers) {
      std::vector<std::size_t> ins, outs;
      for (std::size_t i = 0; i < plan_.edges.size(); ++i) {
        if (plan_.edges[i].consumer == l.layer) ins.push_back(i);
        if (plan_.edges[i].producer == l.layer) outs.push_back(i);
      }
      if (l.kind == plan::LayerKind::kClone) {
        add_clone(l, ins, outs);
      } else {
        add_layer(graph_.at(l.layer), l, ins, outs);
      }
    }
    c_.dataflow = std::move(flow_);
  }

 private:
  // The tensor an edge carries: its producer's result, a clone's copy of its source, or a port's.
  std::string tensor_of(const plan::EdgePlan& e) const {
    if (e.is_input_port()) return e.consumer;
    const plan::LayerPlan* l = plan_.find_layer(e.producer);
    if (l != nullptr && l->kind == plan::LayerKind::kClone) return clone_source_.at(e.producer);
    return e.producer;
  }
  std::string beat(const std::string& tensor) const {
    return packed_type(tensors_.at(tensor).type, ir::channels(graph_.at(tensor).output_shape));
  }
  std::int64_t beats(const std::string& tensor) const {
    return ir::positions(graph_.at(tensor).output_shape);
  }

  // One stream per plan edge: a port is the top's argument (a graph input is no process, so the
  // edges out of it are its port too); every edge between two processes a FIFO at the plan's
  // depth.
  void name_streams() {
    for (const plan::LayerPlan& l : plan_.layers) {
      if (l.kind != plan::LayerKind::kClone) continue;
      for (const plan::EdgePlan& e : plan_.edges) {
        if (e.consumer == l.layer) clone_source_[l.layer] = e.producer;
      }
    }
    std::map<std::string, std::string> input_port;
    for (std::size_t k = 0; k < graph_.inputs.size(); ++k) {
      input_port[graph_.inputs[k]] = c_.inputs[k].port.var;
    }
    std::size_t next_output = 0;
    for (const plan::EdgePlan& e : plan_.edges) {
      if (e.is_input_port()) {
        stream_.push_back(input_port.at(e.consumer));
      } else if (input_port.count(e.producer)) {
        stream_.push_back(input_port.at(e.producer));
      } else if (e.is_output_port()) {
        stream_.push_back(c_.outputs.at(next_output++).port.var);
      } else {
        const std::string tensor = tensor_of(e);
        const std::string var = ids_.take(e.producer + "_to_" + e.consumer);
        flow_.fifos.push_back({var, beat(tensor), e.fifo_depth > 0 ? e.fifo_depth : beats(tensor)});
        stream_.push_back(var);
      }
    }
  }

  void add_clone(const plan::LayerPlan& l, const std::vector<std::size_t>& ins,
                 const std::vector<std::size_t>& outs) {
    const std::string tensor = clone_source_.at(l.layer);
    StreamProcess p;
    p.function = ids_.take(l.layer);
    const std::string b = beat(tensor);
    const std::string src = stream_.at(ins.at(0));
    p.args = {src};
    std::string params = stream_param(b, src);
    std::string writes;
    for (std::size_t e : outs) {
      p.args.push_back(stream_[e]);
      params += ", " + stream_param(b, stream_[e]);
      writes += "    " + stream_[e] + ".write(word);\n";
    }
    p.definition = fmt::format(
        "// Clone: each beat of one tensor copied to each of its {} readers.\n"
        "static void {}({}) {{\nClone:\n  for (int position = 0; position < {}; position++) {{\n"
        "#pragma HLS PIPELINE II=1\n    const {} word = {}.read();\n{}  }}\n}}\n",
        outs.size(), p.function, params, beats(tensor), b, src, writes);
    flow_.processes.push_back(std::move(p));
  }

  void add_layer(const ir::Node& node, const plan::LayerPlan& lp,
                 const std::vector<std::size_t>& ins, const std::vector<std::size_t>& outs) {
    if (ins.size() != node.inputs.size() || outs.size() != 1) {
      throw Error(ErrorKind::kInternal,
                  "the plan gives the layer " + std::to_string(ins.size()) + " input and " +
                      std::to_string(outs.size()) + " output streams",
                  {.node = node.name});
    }
    LayerInput in{graph_, node, lp, {}, tensors_.at(node.name), ids_};
    StreamProcess p;
    p.function = ids_.take(node.name + "_process");
    std::string params;
    for (std::size_t i = 0; i < ins.size(); ++i) {
      p.args.push_back(stream_[ins[i]]);
      params += stream_param(beat(node.inputs[i]), stream_[ins[i]]) + ", ";
    }
    const std::string out = stream_[outs[0]];
    p.args.push_back(out);
    params += stream_param(beat(node.name), out);
    ProjectLayer layer{&node, in.output, {}};
    if (moves_positions(node)) {
      in.stream = true;
      for (std::size_t i = 0; i < node.inputs.size(); ++i) {
        in.inputs.push_back({p.args[i], tensors_.at(node.inputs[i]).type, 0});
      }
      in.output.var = out;
      layer.code = find_emitter(node.op)(in);
      p.definition = fmt::format(
          "// {} (model name escaped: {}), its hlslib stream function.\nstatic void {}({}) "
          "{{\n  {}\n}}\n",
          ir::op_name(node.op), sanitize_identifier(node.name), p.function, params,
          layer.code.call);
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
  // A merge's broadcast operand (the core allows (1, 1, C) and (H, W, 1) against (H, W, C)) is
  // widened as it is read: an operand of one position is read once, before the loop (the token
  // order reads it first), and an operand of one channel fills every channel of its array.
  std::string per_position_process(const ir::Node& node, const plan::LayerPlan& lp,
                                   const StreamProcess& p, const std::string& params,
                                   const std::string& call) const {
    const std::int64_t positions = ir::positions(node.output_shape);
    const std::int64_t m = ir::channels(node.output_shape);
    const bool merge = ir::op_family(node.op) == ir::OpFamily::kElementwiseMerge;
    std::string once, body;
    std::vector<std::string> declared;
    for (std::size_t i = 0; i < node.inputs.size(); ++i) {
      const TensorRef& x = tensors_.at(node.inputs[i]);
      const ir::Shape& shape = graph_.at(node.inputs[i]).output_shape;
      const std::int64_t width = ir::channels(shape);
      const std::int64_t n = merge ? m : width;
      const bool read_once = positions > 1 && ir::positions(shape) == 1;
      std::string& code = read_once ? once : body;
      const std::string indent = read_once ? "  " : "    ";
      if (std::find(declared.begin(), declared.end(), x.var) == declared.end()) {
        code += fmt::format("{}{} {}[{}];\n#pragma HLS ARRAY_PARTITION variable={} complete\n",
                            indent, x.type, x.var, n, x.var);
        declared.push_back(x.var);
      }
      code += fmt::format(
          "{i}{{\n{i}  const {} word = {}.read();\n{i}  for (int k = 0; k < {}; k++) {}[k] = "
          "word.data[{}];\n{i}}}\n",
          beat(node.inputs[i]), p.args[i], n, x.var, width == n ? "k" : "0", fmt::arg("i", indent));
    }
    const TensorRef& y = tensors_.at(node.name);
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
        "static void {}({}) {{\n{}Positions:\n  for (int position = 0; position < {}; "
        "position++) {{\n#pragma HLS PIPELINE II={}\n{}  }}\n}}\n",
        ir::op_name(node.op), sanitize_identifier(node.name), p.function, params, once, positions,
        ii, body);
  }

  ProjectContents& c_;
  const ir::Graph& graph_;
  const plan::Plan& plan_;
  IdentifierTable& ids_;
  const std::map<std::string, TensorRef>& tensors_;
  Dataflow flow_;
  std::vector<std::string> stream_;                  // per plan edge
  std::map<std::string, std::string> clone_source_;  // clone layer -> the tensor it copies
};

}  // namespace

bool is_window_op(ir::OpKind op) {
  return ir::is_windowed(op);
}

bool needs_dataflow(const plan::Plan& plan) {
  return plan.dataflow;
}

void build_dataflow(ProjectContents& contents, const ir::Graph& graph, const plan::Plan& plan,
                    IdentifierTable& ids, const std::map<std::string, TensorRef>& tensors) {
  DataflowBuilder(contents, graph, plan, ids, tensors).build();
}

std::string dataflow_top_cpp(const ProjectContents& p) {
  std::string s =
      "// The network as a dataflow region of one process per layer. Generated by "
      "nnfpga.\n";
  s +=
      "#include \"" + p.top + ".h\"\n#include \"nnfpga/dataflow.h\"\n#include \"parameters.h\"\n\n";
  for (const StreamProcess& proc : p.dataflow->processes) s += proc.definition + "\n";
  s += top_signature(p) + " {\n";
  for (const InputPort& in : p.inputs) s += "#pragma HLS INTERFACE axis port=" + in.port.var + "\n";
  for (const OutputPort& o : p.outputs) s += "#pragma HLS INTERFACE axis port=" + o.port.var + "\n";
  s += "#pragma HLS DATAFLOW\n";
  for (const StreamFifo& f : p.dataflow->fifos) {
    s += fmt::format("  hls::stream<{} > {}(\"{}\");\n#pragma HLS STREAM variable={} depth={}\n",
                     f.beat, f.var, f.var, f.var, f.depth);
  }
  // hlslib/nnfpga/dataflow.h: plain calls for the HLS tool and AMD's C simulation; with nnfpga's
  // headers one thread per process on FIFOs bounded at these depths (a deadlock is reported).
  s += "  NNF_DATAFLOW_BEGIN\n";
  for (const StreamFifo& f : p.dataflow->fifos) {
    s += fmt::format("  NNF_STREAM_DEPTH({}, {});\n", f.var, f.depth);
  }
  for (const StreamProcess& proc : p.dataflow->processes) {
    std::string args;
    for (const std::string& a : proc.args) args += (args.empty() ? "" : ", ") + a;
    s += "  NNF_PROCESS(" + proc.function + "(" + args + "));\n";
  }
  s += "  NNF_DATAFLOW_END\n}\n";
  return s;
}

}  // namespace nnfpga::backend::hls
