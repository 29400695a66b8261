// build_stream: the chain of streaming layers, each layer's per-pixel netlist built by the
// existing emitters on a one-position copy of its node, and the schedule of the network they form.
#include "backend/verilog/stream_build.hpp"

#include <fmt/format.h>

#include "arith/delay.hpp"
#include "backend/project_files.hpp"
#include "backend/verilog/emitter.hpp"
#include "backend/verilog/stream_fold.hpp"
#include "ir/element_types.hpp"
#include "ir/geometry.hpp"
#include "ir/layout.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::backend::verilog {
namespace {

bool is_window_max(ir::OpKind op) {
  using K = ir::OpKind;
  return op == K::kMaxPool1D || op == K::kMaxPool2D || op == K::kGlobalMaxPool1D ||
         op == K::kGlobalMaxPool2D;
}

bool is_conv(ir::OpKind op) {
  return op == ir::OpKind::kConv1D || op == ir::OpKind::kConv2D;
}

// Whether the streaming design has a per-pixel function for the op.
bool streams(const ir::Node& node) {
  if (is_conv(node.op) || is_window_max(node.op)) return true;
  if (node.op == ir::OpKind::kFlatten || node.op == ir::OpKind::kReshape) return true;
  return find_emitter(node.op) != nullptr && ir::merge_is_plain(node);
}

// The node as the per-pixel function sees it: one output position from `elements` beats of the
// input's channels. A convolution is the Dense of its window (im2col order, ir/geometry.hpp).
ir::Node pixel_node(const ir::Node& node, const StreamReads& r) {
  ir::Node p = node;
  const std::int64_t c_in = ir::channels(node.input_shapes.at(0));
  const std::int64_t c_out = ir::channels(node.output_shape);
  p.input_shapes = {{r.elements * c_in}};
  p.output_shape = {c_out};
  if (is_conv(node.op)) {
    p.op = ir::OpKind::kDense;
    p.params.clear();  // the emitter reads the quantized weight, already the [n_in][F] matrix
    return p;
  }
  if (node.op == ir::OpKind::kDense) return p;
  // Element-wise parameters (batch norm's scale and bias, PReLU's slopes) are held for every
  // element of the tensor: one position's channels serve every position when they repeat.
  const std::int64_t count = ir::element_count(node.input_shapes.at(0));
  for (auto& [key, q] : p.qparams) {
    if (static_cast<std::int64_t>(q.mantissa.size()) != count || count == c_in) continue;
    for (std::int64_t k = c_in; k < count; ++k) {
      if (q.mantissa[static_cast<std::size_t>(k)] !=
          q.mantissa[static_cast<std::size_t>(k % c_in)]) {
        throw Error(ErrorKind::kUnsupported,
                    fmt::format("the streaming Verilog backend cannot write {} yet: its parameter "
                                "'{}' differ between positions, and a process computes every "
                                "position with one set of per-channel parameters",
                                ir::op_name(node.op), key),
                    {.node = node.name});
      }
    }
    q.mantissa.resize(static_cast<std::size_t>(c_in));
  }
  if (node.op == ir::OpKind::kQuantize && node.attrs.has(ir::kElementTypes)) {
    const auto types = ir::element_types(node);
    for (std::size_t k = 0; k < types.size(); ++k) {
      if (types.size() % static_cast<std::size_t>(c_in) == 0 &&
          types[k] == types[k % static_cast<std::size_t>(c_in)]) {
        continue;
      }
      throw Error(ErrorKind::kUnsupported,
                  "the streaming Verilog backend cannot write Quantize yet: its element types "
                  "differ between positions",
                  {.node = node.name});
    }
  }
  p.params.clear();
  return p;
}

Emitter pixel_emitter(const ir::Node& node) {
  if (is_conv(node.op)) return emit_dense;
  if (is_window_max(node.op)) return emit_window_max;
  if (node.op == ir::OpKind::kFlatten || node.op == ir::OpKind::kReshape) return emit_reshape;
  return find_emitter(node.op);
}

class StreamBuilder {
 public:
  StreamBuilder(const ir::Graph& graph, const std::string& top, IdentifierTable& ids)
      : graph_(graph), top_(top), ids_(ids) {}

  StreamDesign build() && {
    const ir::Node& input = graph_.at(graph_.inputs.front());
    d_.in_type = input.type("result");
    d_.in_channels = ir::channels(input.output_shape);
    d_.in_beats = ir::positions(input.output_shape);
    d_.in_beat_bits = static_cast<int>(d_.in_channels * d_.in_type.width);
    fixed::FixedType x_t = d_.in_type;
    for (const ir::Node& node : graph_.nodes) {
      if (node.op == ir::OpKind::kInput) continue;
      try {
        d_.layers.push_back(build_layer(node, x_t));
      } catch (const Error& e) {
        throw e.located({.node = node.name});
      }
      x_t = d_.layers.back().out_type;
    }
    const StreamLayer& last = d_.layers.back();
    d_.out_type = last.out_type;
    d_.out_channels = last.out_channels;
    d_.out_beats = last.reads.out_beats;
    d_.out_beat_bits = static_cast<int>(d_.out_channels * d_.out_type.width);
    schedule_layers();
    return std::move(d_);
  }

 private:
  StreamLayer build_layer(const ir::Node& node, const fixed::FixedType& x_t) {
    StreamLayer l{.node = &node,
                  .module = ids_.take(top_ + "_" + node.name),
                  .process = ids_.take(top_ + "_" + node.name + "_stream"),
                  .reads = stream_reads(node),
                  .pixel = Netlist(arith::stage_budget_ns(graph_.settings.clock_period_ns), 0.0)};
    l.in_type = x_t;
    l.out_type = node.type("result");
    l.in_channels = ir::channels(node.input_shapes.at(0));
    l.out_channels = ir::channels(node.output_shape);
    if (is_window_max(node.op)) l.pad_code = fixed::min_mantissa(x_t);
    const bool folded = folded_reuse(node) > 1;
    if (folded) l.reads = folded_reads(std::move(l.reads));
    const ir::Node pixel = pixel_node(node, l.reads);
    if (folded) {
      l.fold = std::make_shared<const FoldedProduct>(
          build_folded_product(graph_, pixel, x_t, l.module, ids_));
      l.pixel_latency = l.fold->latency();
      l.latency = l.pixel_latency + 1;  // the window register
      return l;
    }
    const int bits = static_cast<int>(l.reads.elements * l.in_channels * x_t.width);
    l.pixel.add_input_port("in_data0", bits);
    TensorSignals s{x_t, {}};
    for (std::int64_t e = 0; e < l.reads.elements * l.in_channels; ++e) {
      const NetId net =
          l.pixel.slice("in_data0", static_cast<int>(e) * x_t.width, x_t.width, x_t.is_signed);
      s.elements.push_back(code_signal(net, x_t));
    }
    LayerContext ctx{graph_, pixel, l.pixel, {std::move(s)}};
    const std::vector<NetId> outs = pixel_emitter(node)(ctx);
    // Registered outputs: the valid pipeline then has a register to stall on (stream_text.cpp).
    l.pixel_latency = l.pixel.set_outputs(outs, l.out_type.width, true).stage;
    l.latency = l.pixel_latency + (l.reads.per_position ? 0 : 1);
    return l;
  }

  // The chain as a network for src/schedule/: stream 0 the input port, stream k + 1 the output of
  // layer k (the last one the output port).
  void schedule_layers() {
    schedule::Network net;
    const auto n = static_cast<int>(d_.layers.size());
    for (int k = 0; k < n; ++k) {
      const StreamLayer& l = d_.layers[static_cast<std::size_t>(k)];
      net.streams.push_back(
          {fmt::format("{} -> {}", k == 0 ? "<input>" : d_.layers[k - 1].node->name, l.node->name),
           k == 0 ? schedule::kPort : k - 1, k, l.reads.in_beats});
      net.processes.push_back({.name = l.node->name,
                               .inputs = {k},
                               .outputs = {k + 1},
                               .out_beats = l.reads.out_beats,
                               .need = {l.reads.need},
                               .cycles_per_read = 1,
                               .latency = l.latency,
                               .cycles_per_write = l.fold ? l.fold->reuse : 1});
    }
    net.streams.push_back(
        {d_.layers.back().node->name + " -> <output>", n - 1, schedule::kPort, d_.out_beats});
    d_.schedule = schedule::compute_schedule(net);
    for (int k = 0; k < n; ++k) {
      d_.layers[static_cast<std::size_t>(k)].fifo_depth =
          k + 1 < n ? d_.schedule.fifo_depth.at(static_cast<std::size_t>(k + 1)) : kOutputFifoDepth;
    }
  }

  const ir::Graph& graph_;
  const std::string& top_;
  IdentifierTable& ids_;
  StreamDesign d_;
};

}  // namespace

bool is_streaming_graph(const ir::Graph& graph) {
  bool positions = false;
  for (const ir::Node& node : graph.nodes) {
    if (is_conv(node.op) || is_window_max(node.op) || ir::op_info(node.op).slides_window) {
      return true;
    }
    using K = ir::OpKind;
    switch (node.op) {
      case K::kAveragePool1D:
      case K::kAveragePool2D:
      case K::kGlobalAveragePool1D:
      case K::kGlobalAveragePool2D:
        return true;  // refused by name by check_stream_graph, as a CNN's layer
      default:
        break;
    }
    positions = positions || (!node.output_shape.empty() && ir::positions(node.output_shape) > 1);
  }
  return positions && graph.settings.io_type == ir::IOType::kStream;
}

void check_stream_graph(const ir::Graph& graph) {
  check_supported(graph, "Verilog", streams);
  if (graph.inputs.size() != 1 || graph.outputs.size() != 1) {
    throw Error(ErrorKind::kUnsupported,
                fmt::format("the Verilog backend writes models with one input and one output "
                            "tensor; this one has {} and {}",
                            graph.inputs.size(), graph.outputs.size()));
  }
  // A chain: every layer reads the one before it, and only the last is read by the output port.
  std::string previous = graph.inputs.front();
  for (const ir::Node& node : graph.nodes) {
    if (node.op == ir::OpKind::kInput) continue;
    const std::vector<const ir::Node*> readers = graph.consumers(previous);
    if (node.inputs.size() != 1 || node.inputs.front() != previous || readers.size() != 1 ||
        graph.is_output(previous)) {
      throw Error(ErrorKind::kUnsupported,
                  "the streaming Verilog backend writes chains of layers so far: a tensor read "
                  "by several layers (fan-out) or a layer with several inputs (merges) is not "
                  "written yet (issue 18)",
                  {.node = node.name});
    }
    try {
      pixel_node(node, stream_reads(node));  // refuses what a process cannot compute
    } catch (const Error& e) {
      throw e.located({.node = node.name});
    }
    if (node.settings.fifo_depth > 0 || !node.settings.fifo_depth_by_consumer.empty()) {
      throw Error(ErrorKind::kConfig,
                  "the Verilog backend sizes every FIFO from the schedule and does not take "
                  "FifoDepth settings yet",
                  {.node = node.name, .key = "LayerName." + node.name + ".FifoDepth"});
    }
    previous = node.name;
  }
  if (graph.outputs.front() != previous) {
    throw Error(ErrorKind::kUnsupported,
                "the streaming Verilog backend writes chains of layers whose last layer is the "
                "output; this model outputs '" +
                    graph.outputs.front() + "' instead",
                {.node = graph.outputs.front()});
  }
}

StreamDesign build_stream(const ir::Graph& graph, const std::string& top, IdentifierTable& ids) {
  check_stream_graph(graph);
  return StreamBuilder(graph, top, ids).build();
}

}  // namespace nnfpga::backend::verilog
