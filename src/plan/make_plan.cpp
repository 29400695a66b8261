// make_plan: each layer's interval and parallelism from its resolved settings, and each edge's
// transfer from the model's IOType, as the HLS writer builds them (plan.hpp).
#include <algorithm>

#include "ir/geometry.hpp"
#include "ir/layout.hpp"
#include "nnfpga/error.hpp"
#include "plan/plan.hpp"

namespace nnfpga::plan {
namespace {

bool is_power_of_two(std::int64_t m) {
  const std::uint64_t u = m < 0 ? -static_cast<std::uint64_t>(m) : static_cast<std::uint64_t>(m);
  return u != 0 && (u & (u - 1)) == 0;
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

LayerPlan layer_plan(const ir::Node& node) {
  LayerPlan l;
  l.layer = node.name;
  l.op = node.op;
  l.reuse_factor = node.settings.reuse_factor;
  l.strategy = node.settings.strategy;
  if (node.op == ir::OpKind::kDense) {
    // One weight matrix per position, each taking reuse-factor cycles of its shared multipliers.
    l.interval = ir::dense_geometry(node).positions * node.settings.reuse_factor;
    l.multiplier_limit = dense_multiplier_limit(node);
  }
  return l;
}

// An edge inside the top function of a plan that is not a dataflow: the layers compute on arrays
// under either IOType (io_stream reads each port into an array first).
EdgePlan internal_edge(const std::string& producer, const std::string& consumer,
                       const ir::Shape& shape) {
  return {producer, consumer, Transfer::kArray, ir::element_count(shape)};
}

EdgePlan port(const std::string& producer, const std::string& consumer, const ir::Shape& shape,
              ir::IOType io) {
  EdgePlan e{producer, consumer, Transfer::kArray, ir::element_count(shape)};
  if (io == ir::IOType::kStream) {
    // One beat per sample. For a one-position tensor that is io_stream's beat per position
    // carrying its channels; a tensor of several positions is packed into the one beat too.
    e.transfer = Transfer::kStream;
    e.beat_width = e.values;
    e.beats = 1;
  }
  return e;
}

}  // namespace

std::int64_t dense_real_products(const ir::Node& dense) {
  std::int64_t n = 0;
  for (std::int64_t m : dense.qparam("weight").mantissa) n += m != 0 && !is_power_of_two(m);
  return n;
}

std::int64_t dense_multiplier_limit(const ir::Node& dense) {
  return std::max<std::int64_t>(1,
                                ceil_div(dense_real_products(dense), dense.settings.reuse_factor));
}

// io_stream with a tensor of several positions streams them (stream_plan.cpp); MLPs keep their
// pipelined top with one beat per sample at the ports.
bool streams_positions(const ir::Graph& graph) {
  if (graph.settings.io_type != ir::IOType::kStream) return false;
  for (const ir::Node& node : graph.nodes) {
    if (node.op != ir::OpKind::kConstant && ir::positions(node.output_shape) > 1) return true;
  }
  return false;
}

Plan make_plan(const ir::Graph& graph) {
  if (streams_positions(graph)) return make_dataflow_plan(graph);
  check_no_fifo_settings(graph);
  Plan p;
  p.io_type = graph.settings.io_type;
  for (const std::string& in : graph.inputs) {
    p.edges.push_back(port("", in, graph.at(in).output_shape, p.io_type));
  }
  for (const ir::Node& node : graph.nodes) {
    if (node.op == ir::OpKind::kInput) continue;
    p.layers.push_back(layer_plan(node));
    p.interval = std::max(p.interval, p.layers.back().interval);
    for (const std::string& producer : node.inputs) {
      p.edges.push_back(internal_edge(producer, node.name, graph.at(producer).output_shape));
    }
  }
  for (const std::string& out : graph.outputs) {
    p.edges.push_back(port(out, "", graph.at(out).output_shape, p.io_type));
  }
  return p;
}

const LayerPlan* Plan::find_layer(const std::string& name) const {
  for (const LayerPlan& l : layers) {
    if (l.layer == name) return &l;
  }
  return nullptr;
}

const LayerPlan& Plan::layer(const std::string& name) const {
  const LayerPlan* l = find_layer(name);
  if (l == nullptr) throw Error(ErrorKind::kInternal, "no layer plan", {.node = name});
  return *l;
}

const EdgePlan* Plan::find_input_port(const std::string& name) const {
  for (const EdgePlan& e : edges) {
    if (e.is_input_port() && e.consumer == name) return &e;
  }
  return nullptr;
}

const EdgePlan& Plan::input_port(const std::string& name) const {
  const EdgePlan* e = find_input_port(name);
  if (e == nullptr) throw Error(ErrorKind::kInternal, "no input port in the plan", {.node = name});
  return *e;
}

const EdgePlan& Plan::output_port(const std::string& name) const {
  for (const EdgePlan& e : edges) {
    if (e.is_output_port() && e.producer == name) return e;
  }
  // A tensor also read by layers reaches its port through its clone.
  for (const EdgePlan& in : edges) {
    if (in.producer != name || in.is_output_port()) continue;
    const LayerPlan* clone = find_layer(in.consumer);
    if (clone == nullptr || clone->kind != LayerKind::kClone) continue;
    for (const EdgePlan& e : edges) {
      if (e.is_output_port() && e.producer == clone->layer) return e;
    }
  }
  throw Error(ErrorKind::kInternal, "no output port in the plan", {.node = name});
}

}  // namespace nnfpga::plan
