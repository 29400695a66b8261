// make_dataflow_plan: io_stream CNNs as a dataflow of processes (plan.hpp). Every tensor streams
// one beat per position; a tensor read more than once goes through a clone layer; the schedule
// (src/schedule/) times the network the plan describes and sizes its FIFOs.
#include <algorithm>
#include <map>
#include <set>

#include "ir/geometry.hpp"
#include "ir/layout.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"
#include "plan/plan.hpp"
#include "schedule/schedule.hpp"
#include "schedule/token_order.hpp"

namespace nnfpga::plan {
namespace {

std::int64_t stream_plan_ceil_log2(std::int64_t n) {
  std::int64_t bits = 0;
  while ((std::int64_t{1} << bits) < n) ++bits;
  return bits;
}

// The pipeline depth of the timing model (docs/hls.md): a per-pixel product spends its reuse
// factor's cycles on the shared multipliers, one on the products and one per level of the adder
// tree; a pool one per level of its comparison or sum tree; a lookup table two (index, read);
// softmax four (tables, sum, normalize); everything else one register.
std::int64_t pipeline_depth(const ir::Node& node) {
  const ir::OpInfo& info = ir::op_info(node.op);
  if (info.shares_multipliers) {
    const ir::DenseGeometry g = ir::weighted_sum_geometry(node);
    return node.settings.reuse_factor + 1 + stream_plan_ceil_log2(g.n_in);
  }
  switch (ir::op_family(node.op)) {
    case ir::OpFamily::kPool:
      // A global pool folds one position a cycle; a window pool reduces its window in a tree.
      return ir::pool_geometry(node).keeps_positions
                 ? 1 + stream_plan_ceil_log2(ir::pool_geometry(node).window())
                 : 1;
    case ir::OpFamily::kPerPosition:
      if (node.op == ir::OpKind::kSoftmax) return 4;
      return info.uses_table ? 2 : 1;
    case ir::OpFamily::kConvolution:  // shares multipliers: above
    case ir::OpFamily::kDepthwise:
    case ir::OpFamily::kRelayout:
    case ir::OpFamily::kRegroup:
    case ir::OpFamily::kTranspose:
    case ir::OpFamily::kElementwiseMerge:
    case ir::OpFamily::kConcatenate:
    case ir::OpFamily::kNotComputed:
      return 1;
  }
  return 1;  // not reached: the switch names every family (-Wswitch)
}

EdgePlan stream_edge(const std::string& producer, const std::string& consumer,
                     const ir::Shape& shape) {
  EdgePlan e{producer, consumer, Transfer::kStream, ir::element_count(shape)};
  e.beat_width = ir::channels(shape);
  e.beats = ir::positions(shape);
  return e;
}

// The layers and edges of a dataflow plan, in the order of plan.hpp, clones right after the
// tensor they copy.
class DataflowBuilder {
 public:
  explicit DataflowBuilder(const ir::Graph& graph) : graph_(graph) {
    for (const ir::Node& n : graph.nodes) taken_.insert(n.name);
    for (const ir::Node& n : graph.nodes) {
      for (const std::string& in : n.inputs) ++readers_[in];
    }
    for (const std::string& out : graph.outputs) ++readers_[out];
  }

  Plan build() {
    plan_.io_type = graph_.settings.io_type;
    plan_.dataflow = true;
    for (const std::string& in : graph_.inputs) {
      plan_.edges.push_back(stream_edge("", in, graph_.at(in).output_shape));
    }
    for (const std::string& in : graph_.inputs) add_clone_if_shared(in);
    for (const ir::Node& node : graph_.nodes) {
      if (node.op == ir::OpKind::kInput || node.op == ir::OpKind::kConstant) continue;
      add_node(node);
      add_clone_if_shared(node.name);
    }
    for (const std::string& out : graph_.outputs) {
      plan_.edges.push_back(stream_edge(source_of(out), "", graph_.at(out).output_shape));
    }
    return std::move(plan_);
  }

 private:
  // The name whose stream a reader of tensor `name` reads: its clone's, or its own.
  const std::string& source_of(const std::string& name) const {
    auto it = clone_of_.find(name);
    return it == clone_of_.end() ? name : it->second;
  }

  void add_node(const ir::Node& node) {
    LayerPlan l;
    l.layer = node.name;
    l.op = node.op;
    l.reuse_factor = node.settings.reuse_factor;
    l.strategy = node.settings.strategy;
    l.latency = pipeline_depth(node);
    if (ir::op_info(node.op).shares_multipliers) l.multiplier_limit = dense_multiplier_limit(node);
    for (std::size_t k = 0; k < node.inputs.size(); ++k) {
      plan_.edges.push_back(
          stream_edge(source_of(node.inputs[k]), node.name, node.input_shapes.at(k)));
    }
    plan_.layers.push_back(std::move(l));
  }

  void add_clone_if_shared(const std::string& tensor) {
    if (readers_[tensor] < 2) return;
    std::string name = tensor + "_clone";
    for (int n = 2; taken_.count(name); ++n) {
      name = tensor + "_clone" + std::to_string(n);
    }
    taken_.insert(name);
    const ir::Node& producer = graph_.at(tensor);
    LayerPlan l;
    l.layer = name;
    l.kind = LayerKind::kClone;
    l.op = producer.op;
    l.latency = 1;
    plan_.edges.push_back(stream_edge(tensor, name, producer.output_shape));
    plan_.layers.push_back(std::move(l));
    clone_of_[tensor] = name;
  }

  const ir::Graph& graph_;
  Plan plan_;
  std::set<std::string> taken_;
  std::map<std::string, int> readers_;
  std::map<std::string, std::string> clone_of_;
};

// One process of the network: its token order (the node's, or a clone's) over its input edges.
schedule::Process layer_process(const ir::Graph& graph, const Plan& plan, const LayerPlan& l,
                                const std::vector<int>& input_edges) {
  schedule::Process proc;
  proc.name = l.layer;
  proc.latency = l.latency;
  schedule::TokenOrder order;
  if (l.kind == LayerKind::kClone) {
    order = schedule::clone_order(plan.edges.at(static_cast<std::size_t>(input_edges.at(0))).beats);
  } else {
    const ir::Node& node = graph.at(l.layer);
    order = schedule::token_order(node);
    if (ir::op_info(node.op).shares_multipliers) proc.cycles_per_read = l.reuse_factor;
  }
  if (order.need.size() != input_edges.size()) {
    throw Error(ErrorKind::kInternal, "the plan's edges do not match the layer's inputs",
                {.node = l.layer});
  }
  proc.out_beats = order.out_beats;
  for (int k : order.read_order) {
    proc.inputs.push_back(input_edges.at(static_cast<std::size_t>(k)));
    proc.need.push_back(order.need.at(static_cast<std::size_t>(k)));
  }
  return proc;
}

[[noreturn]] void bad_fifo_setting(const std::string& node, const std::string& key,
                                   const std::string& why) {
  throw Error(ErrorKind::kConfig, why, {.node = node, .key = "LayerName." + node + "." + key});
}

// LayerName.<layer>.FifoDepth over the computed depths: every FIFO carrying the layer's output
// (the one into its clone and the clone's), or the one into a named reader.
void apply_fifo_settings(const ir::Graph& graph, Plan& plan) {
  std::map<std::string, std::string> clone_source;
  for (const EdgePlan& e : plan.edges) {
    const LayerPlan* l = e.is_output_port() ? nullptr : plan.find_layer(e.consumer);
    if (l != nullptr && l->kind == LayerKind::kClone) clone_source[l->layer] = e.producer;
  }
  std::map<std::string, std::vector<std::string>> fifos_of;  // tensor -> its FIFOs' names
  std::set<std::string> set_by_reader;                       // "tensor -> reader" overridden
  for (EdgePlan& e : plan.edges) {
    if (e.fifo_depth == 0) continue;  // a port
    auto src = clone_source.find(e.producer);
    const std::string& tensor = src == clone_source.end() ? e.producer : src->second;
    fifos_of[tensor].push_back(edge_name(e));
    const ir::LayerSettings& s = graph.at(tensor).settings;
    if (auto it = s.fifo_depth_by_consumer.find(e.consumer); it != s.fifo_depth_by_consumer.end()) {
      e.fifo_depth = it->second;
      set_by_reader.insert(tensor + " -> " + e.consumer);
    } else if (s.fifo_depth > 0) {
      e.fifo_depth = s.fifo_depth;
    }
  }
  for (const ir::Node& node : graph.nodes) {
    const std::vector<std::string>& fifos = fifos_of[node.name];
    const std::string listed = fifos.empty() ? std::string("none (its stream is a port of the top)")
                                             : fifos.front() + (fifos.size() > 1 ? ", ..." : "");
    if (node.settings.fifo_depth > 0 && fifos.empty()) {
      bad_fifo_setting(node.name, "FifoDepth",
                       "no FIFO carries the output of '" + node.name + "': its FIFOs: " + listed);
    }
    for (const auto& [reader, depth] : node.settings.fifo_depth_by_consumer) {
      if (set_by_reader.count(node.name + " -> " + reader)) continue;
      std::string all;
      for (const std::string& f : fifos) all += (all.empty() ? "" : ", ") + f;
      bad_fifo_setting(
          node.name, "FifoDepth." + reader,
          "no FIFO " + node.name + " -> " + reader + " (depth " + std::to_string(depth) + "): '" +
              reader + "' does not read '" + node.name +
              "' through a FIFO; the FIFOs of its output: " + (all.empty() ? listed : all));
    }
  }
}

}  // namespace

void check_no_fifo_settings(const ir::Graph& graph) {
  for (const ir::Node& node : graph.nodes) {
    if (node.settings.fifo_depth > 0 || !node.settings.fifo_depth_by_consumer.empty()) {
      bad_fifo_setting(node.name, "FifoDepth",
                       "'" + node.name +
                           "' has no FIFO to size: FIFOs join the layers of io_stream models "
                           "whose tensors have several positions (CNNs); this one is " +
                           (graph.settings.io_type == ir::IOType::kStream
                                ? std::string("io_stream with one position per tensor")
                                : std::string("io_parallel")));
    }
  }
}

schedule::Network dataflow_network(const ir::Graph& graph, const Plan& plan) {
  std::map<std::string, int> index;
  for (std::size_t p = 0; p < plan.layers.size(); ++p) {
    index[plan.layers[p].layer] = static_cast<int>(p);
  }
  auto process_of = [&](const std::string& name, bool port) {
    auto it = index.find(name);
    return port || it == index.end() ? schedule::kPort : it->second;  // a graph input is a port
  };
  schedule::Network net;
  std::vector<std::vector<int>> inputs(plan.layers.size()), outputs(plan.layers.size());
  for (std::size_t i = 0; i < plan.edges.size(); ++i) {
    const EdgePlan& e = plan.edges[i];
    const int producer = process_of(e.producer, e.is_input_port());
    const int consumer = process_of(e.consumer, e.is_output_port());
    net.streams.push_back({edge_name(e), producer, consumer, e.beats});
    if (producer != schedule::kPort) outputs[producer].push_back(static_cast<int>(i));
    if (consumer != schedule::kPort) inputs[consumer].push_back(static_cast<int>(i));
  }
  for (std::size_t p = 0; p < plan.layers.size(); ++p) {
    net.processes.push_back(layer_process(graph, plan, plan.layers[p], inputs[p]));
    net.processes.back().outputs = outputs[p];
  }
  return net;
}

Plan make_dataflow_plan(const ir::Graph& graph) {
  Plan plan = DataflowBuilder(graph).build();
  const schedule::Network net = dataflow_network(graph, plan);
  const schedule::Schedule sched = schedule::compute_schedule(net);
  for (std::size_t i = 0; i < plan.edges.size(); ++i) {
    plan.edges[i].fifo_depth = sched.fifo_depth[i];
  }
  for (std::size_t p = 0; p < plan.layers.size(); ++p) {
    plan.layers[p].interval = sched.processes[p].interval;
  }
  plan.interval = sched.interval;
  plan.latency = sched.latency;
  apply_fifo_settings(graph, plan);
  return plan;
}

}  // namespace nnfpga::plan
