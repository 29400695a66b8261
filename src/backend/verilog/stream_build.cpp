// build_stream: the DAG of streaming layers (a clone of a shared input, one FIFO per reader), each
// layer's per-pixel netlist built by the existing emitters on a one-position copy of its node, and
// the schedule of the network they form.
#include "backend/verilog/stream_build.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "arith/delay.hpp"
#include "backend/project_files.hpp"
#include "backend/verilog/emitter.hpp"
#include "backend/verilog/line_buffer.hpp"
#include "backend/verilog/stream_fold.hpp"
#include "ir/element_types.hpp"
#include "ir/geometry.hpp"
#include "ir/layout.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"
#include "schedule/token_order.hpp"

namespace nnfpga::backend::verilog {
namespace {

bool is_window_max(ir::OpKind op) {
  using K = ir::OpKind;
  return op == K::kMaxPool1D || op == K::kMaxPool2D || op == K::kGlobalMaxPool1D ||
         op == K::kGlobalMaxPool2D;
}

bool is_window_average(ir::OpKind op) {
  using K = ir::OpKind;
  return op == K::kAveragePool1D || op == K::kAveragePool2D || op == K::kGlobalAveragePool1D ||
         op == K::kGlobalAveragePool2D;
}

bool is_conv(ir::OpKind op) {
  return op == ir::OpKind::kConv1D || op == ir::OpKind::kConv2D;
}

// Whether the streaming design has a per-pixel function for the op.
bool streams(const ir::Node& node) {
  if (is_conv(node.op) || is_window_max(node.op) || is_window_average(node.op)) return true;
  if (node.op == ir::OpKind::kFlatten || node.op == ir::OpKind::kReshape) return true;
  if (ir::op_family(node.op) == ir::OpFamily::kRelayout) return true;  // a one-beat window
  return find_emitter(node.op) != nullptr && ir::merge_is_plain(node);
}

// The node as the per-pixel function sees it: one output position from `elements` beats of the
// input's channels. A convolution is the Dense of its window (im2col order, ir/geometry.hpp).
ir::Node pixel_node(const ir::Node& node, const StreamReads& r) {
  ir::Node p = node;
  const std::int64_t c_in = ir::channels(node.input_shapes.at(0));
  const std::int64_t c_out = ir::channels(node.output_shape);
  p.input_shapes.clear();
  for (const ir::Shape& in : node.input_shapes)
    p.input_shapes.push_back({r.elements * ir::channels(in)});
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
  // Flatten's gather, and ZeroPadding/Cropping/UpSampling's copy: the beat cast into result_t
  // (padding arrives as 0, which every cast keeps).
  if (node.op == ir::OpKind::kFlatten || node.op == ir::OpKind::kReshape ||
      ir::op_family(node.op) == ir::OpFamily::kRelayout) {
    return emit_reshape;
  }
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
    // A graph input read by several layers is copied by a clone, whose FIFOs feed the readers.
    if (graph_.consumers(input.name).size() + (graph_.is_output(input.name) ? 1 : 0) > 1) {
      d_.layers.push_back(build_clone(input));
      layer_of_[input.name] = 0;
    }
    for (const ir::Node& node : graph_.nodes) {
      if (node.op == ir::OpKind::kInput) continue;
      std::vector<fixed::FixedType> x_types;
      for (const std::string& in : node.inputs) x_types.push_back(graph_.at(in).type("result"));
      try {
        d_.layers.push_back(build_layer(node, x_types));
      } catch (const Error& e) {
        throw e.located({.node = node.name});
      }
      layer_of_[node.name] = static_cast<int>(d_.layers.size()) - 1;
    }
    d_.output_layer = layer_of_.at(graph_.outputs.front());
    const StreamLayer& last = d_.layers[static_cast<std::size_t>(d_.output_layer)];
    d_.out_type = last.out_type;
    d_.out_channels = last.out_channels;
    d_.out_beats = last.reads.out_beats;
    d_.out_beat_bits = static_cast<int>(d_.out_channels * d_.out_type.width);
    schedule_layers();
    return std::move(d_);
  }

 private:
  // The clone of the graph's input: one beat in, the same beat into every reader's FIFO, behind
  // one register (its "per-pixel function" is wiring).
  StreamLayer build_clone(const ir::Node& input) {
    StreamLayer l{.node = &input,
                  .clone = true,
                  .module = ids_.take(top_ + "_" + input.name + "_clone"),
                  .process = ids_.take(top_ + "_" + input.name + "_clone_stream"),
                  .pixel = Netlist(arith::stage_budget_ns(graph_.settings.clock_period_ns), 0.0)};
    l.reads.in_beats = l.reads.out_beats = d_.in_beats;
    l.reads.need = schedule::clone_order(d_.in_beats).need.at(0);
    l.reads.per_position = true;
    l.in_type = l.out_type = d_.in_type;
    l.in_channels = l.out_channels = d_.in_channels;
    l.inputs.push_back({StreamSource::kInputPort, 0, d_.in_type, d_.in_channels});
    l.pixel.add_input_port("in_data0", d_.in_beat_bits);
    std::vector<NetId> outs;
    for (std::int64_t e = 0; e < d_.in_channels; ++e) {
      outs.push_back(l.pixel.slice("in_data0", static_cast<int>(e) * d_.in_type.width,
                                   d_.in_type.width, d_.in_type.is_signed));
    }
    l.pixel_latency = l.pixel.set_outputs(outs, d_.in_type.width, true).stage;
    l.latency = l.pixel_latency;
    return l;
  }

  StreamLayer build_layer(const ir::Node& node, const std::vector<fixed::FixedType>& x_types) {
    const fixed::FixedType& x_t = x_types.at(0);
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
    if (!l.reads.per_position) {
      // A buffer with RAM delay lines moves on the tail writes too (stream_window.hpp).
      StreamReads shifted = stream_reads(node, true);
      if (has_ram(plan_line_buffer(shifted, l.in_channels * x_t.width))) {
        l.reads = std::move(shifted);
      }
    }
    if (is_window_average(node.op)) average_divisors(node, l);
    const bool folded = folded_reuse(node) > 1;
    if (folded) l.reads = folded_reads(std::move(l.reads));
    const ir::Node pixel = pixel_node(node, l.reads);
    for (std::size_t k = 0; k < node.inputs.size(); ++k) {
      const auto it = layer_of_.find(node.inputs[k]);
      l.inputs.push_back({it == layer_of_.end() ? StreamSource::kInputPort : it->second, 0,
                          x_types.at(k), ir::channels(node.input_shapes.at(k))});
    }
    if (folded) {
      l.fold = std::make_shared<const FoldedProduct>(
          build_folded_product(graph_, pixel, x_t, l.module, ids_));
      l.pixel_latency = l.fold->latency();
      l.latency = l.pixel_latency + 1;  // the window register
      return l;
    }
    const int bits = static_cast<int>(l.reads.elements * l.in_channels * x_t.width);
    std::vector<TensorSignals> signals;
    for (std::size_t k = 0; k < node.inputs.size(); ++k) {
      const fixed::FixedType& t = x_types.at(k);
      const std::int64_t channels = ir::channels(node.input_shapes.at(k));
      const std::string port = std::string("in_data").append(std::to_string(k));
      l.pixel.add_input_port(port, static_cast<int>(l.reads.elements * channels * t.width) +
                                       (k == 0 ? l.divisor_bits : 0));
      TensorSignals s{t, {}};
      for (std::int64_t e = 0; e < l.reads.elements * channels; ++e) {
        const NetId net = l.pixel.slice(port, static_cast<int>(e) * t.width, t.width, t.is_signed);
        s.elements.push_back(code_signal(net, t));
      }
      signals.push_back(std::move(s));
    }
    LayerContext ctx{graph_, pixel, l.pixel, std::move(signals)};
    std::vector<NetId> outs;
    if (is_window_average(node.op)) {
      std::optional<Signal> index;
      if (l.divisor_bits > 0) {
        index = Signal{l.pixel.slice("in_data0", bits, l.divisor_bits, false), 0,
                       static_cast<fixed::i128>(l.divisors.size()) - 1};
      }
      outs = emit_window_average(ctx, l.divisors, index);
    } else {
      outs = pixel_emitter(node)(ctx);
    }
    // Registered outputs: the valid pipeline then has a register to stall on (stream_text.cpp).
    l.pixel_latency = l.pixel.set_outputs(outs, l.out_type.width, true).stage;
    l.latency = l.pixel_latency + (l.reads.per_position ? 0 : 1);
    return l;
  }

  // An average's counts: the window's size with count_include_pad, else each case's real elements
  // (fewer at padded borders); with several, the window carries the index of its count.
  static void average_divisors(const ir::Node& node, StreamLayer& l) {
    const bool count_pad = node.attrs.get_int_or("count_include_pad", 0) != 0;
    for (std::size_t c = 0; c < l.reads.case_real.size(); ++c) {
      const std::int64_t n = count_pad ? l.reads.elements : l.reads.case_real[c];
      auto it = std::find(l.divisors.begin(), l.divisors.end(), n);
      if (it == l.divisors.end()) it = l.divisors.insert(it, n);
      l.divisor_of_case.push_back(static_cast<int>(it - l.divisors.begin()));
    }
    if (l.divisors.size() > 1) {
      l.divisor_bits = 1;
      while ((std::size_t{1} << l.divisor_bits) < l.divisors.size()) ++l.divisor_bits;
    }
  }

  // The layers as a network for src/schedule/: one process per layer, one stream per FIFO (per
  // reader of each layer's tensor, the output port's included) and the input port's stream into
  // its reader. Sets every layer's inputs and outputs and every FIFO's depth.
  void schedule_layers() {
    schedule::Network net;
    auto add_stream = [&](const std::string& name, int producer, int consumer, std::int64_t beats) {
      net.streams.push_back({name, producer, consumer, beats});
      return static_cast<int>(net.streams.size()) - 1;
    };
    for (std::size_t k = 0; k < d_.layers.size(); ++k) {
      StreamLayer& l = d_.layers[k];
      const std::string& reader = l.node->name;
      const int consumer = static_cast<int>(k);
      std::vector<int> streams;
      for (StreamSource& src : l.inputs) {
        if (src.layer == StreamSource::kInputPort) {
          streams.push_back(
              add_stream("<input> -> " + reader, schedule::kPort, consumer, l.reads.in_beats));
          continue;
        }
        StreamLayer& producer = d_.layers[static_cast<std::size_t>(src.layer)];
        src.output = static_cast<int>(producer.outputs.size());
        const std::string name = stream_name(producer) + " -> " + reader;
        streams.push_back(add_stream(name, src.layer, consumer, producer.reads.out_beats));
        producer.outputs.push_back({reader, name, streams.back(), 0});
      }
      const schedule::TokenOrder order =
          l.clone ? schedule::clone_order(l.reads.in_beats) : schedule::token_order(*l.node);
      schedule::Process proc{.name = stream_name(l),
                             .out_beats = order.out_beats,
                             .cycles_per_read = 1,
                             .latency = l.latency,
                             .cycles_per_write = l.fold ? l.fold->reuse : 1};
      for (int i : order.read_order) {
        proc.inputs.push_back(streams.at(static_cast<std::size_t>(i)));
        proc.need.push_back(order.need.at(static_cast<std::size_t>(i)));
      }
      net.processes.push_back(std::move(proc));
    }
    StreamLayer& last = d_.layers[static_cast<std::size_t>(d_.output_layer)];
    d_.output_fifo = static_cast<int>(last.outputs.size());
    last.outputs.push_back({"<output>", stream_name(last) + " -> <output>",
                            add_stream(stream_name(last) + " -> <output>", d_.output_layer,
                                       schedule::kPort, d_.out_beats),
                            kOutputFifoDepth});
    for (std::size_t k = 0; k < d_.layers.size(); ++k) {
      for (const StreamOutput& o : d_.layers[k].outputs) {
        net.processes[k].outputs.push_back(o.stream);
      }
    }
    d_.schedule = schedule::compute_schedule(net);
    // The schedule counts from the cycle the first input beat is offered; a layer that writes
    // before it reads (ZeroPadding's top rows) accepts it later, and the design's latency counts
    // from that acceptance.
    for (std::size_t k = 0; k < d_.layers.size(); ++k) {
      if (d_.layers[k].inputs.front().layer == StreamSource::kInputPort) {
        d_.latency = d_.schedule.latency - d_.schedule.processes[k].first_read;
      }
    }
    for (StreamLayer& l : d_.layers) {
      for (StreamOutput& o : l.outputs) {
        if (o.reader != "<output>")
          o.depth = d_.schedule.fifo_depth.at(static_cast<std::size_t>(o.stream));
      }
    }
  }

  static std::string stream_name(const StreamLayer& l) {
    return l.clone ? l.node->name + "_clone" : l.node->name;
  }

  const ir::Graph& graph_;
  const std::string& top_;
  IdentifierTable& ids_;
  StreamDesign d_;
  std::map<std::string, int> layer_of_;  // tensor -> the layer whose FIFOs carry it
};

}  // namespace

bool is_streaming_graph(const ir::Graph& graph) {
  bool positions = false;
  for (const ir::Node& node : graph.nodes) {
    if (is_conv(node.op) || is_window_max(node.op) || is_window_average(node.op) ||
        ir::op_info(node.op).slides_window || ir::op_family(node.op) == ir::OpFamily::kRelayout) {
      return true;
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
  // A DAG of streams: every layer reads the input or earlier layers (a tensor read by several gets
  // one FIFO per reader); a constant operand would be a stream no process writes.
  for (const ir::Node& node : graph.nodes) {
    if (node.op == ir::OpKind::kInput) continue;
    for (const std::string& in : node.inputs) {
      const ir::OpKind op = graph.at(in).op;
      if (op == ir::OpKind::kConstant) {
        throw Error(ErrorKind::kUnsupported,
                    "the streaming Verilog backend streams every operand of a layer; its input '" +
                        in +
                        "' is a constant tensor, which no process writes (fold it into the "
                        "layer's parameters, e.g. a bias or batch norm)",
                    {.node = node.name});
      }
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
  }
  if (graph.at(graph.outputs.front()).op == ir::OpKind::kInput) {
    throw Error(ErrorKind::kUnsupported,
                "the streaming Verilog backend writes a layer's stream to the output port; this "
                "model outputs its input unchanged",
                {.node = graph.outputs.front()});
  }
}

StreamDesign build_stream(const ir::Graph& graph, const std::string& top, IdentifierTable& ids) {
  check_stream_graph(graph);
  return StreamBuilder(graph, top, ids).build();
}

}  // namespace nnfpga::backend::verilog
