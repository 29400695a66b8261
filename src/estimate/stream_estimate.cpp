// estimate_dataflow: a dataflow plan's cost, process by process. Each process handles one
// position at a time, so the element-wise cost models (written for whole tensors) are divided by
// the positions; the window ops cost their line buffers (window_cost.cpp); clones their registers;
// every FIFO its storage at the plan's depth. Latencies come from the schedule the FIFO depths
// come from (src/schedule/), not from a sum along the longest path.
#include <algorithm>
#include <map>

#include "estimate/cost.hpp"
#include "estimate/delay_model.hpp"
#include "ir/layout.hpp"
#include "ir/op_table.hpp"
#include "schedule/schedule.hpp"

namespace nnfpga::estimate {
namespace {

std::int64_t stream_ceil_div(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

// A whole-tensor cost as the cost of one position's worth of hardware.
void per_position(LayerEstimate& e, std::int64_t positions) {
  if (positions <= 1) return;
  for (std::int64_t* v :
       {&e.multipliers, &e.dsp, &e.lut_multipliers, &e.lut, &e.adders, &e.bram18, &e.ff}) {
    *v = stream_ceil_div(*v, positions);
  }
}

bool costs_one_position(CostFunction cost) {
  return cost == conv_cost || cost == pool_cost || cost == relayout_cost;
}

int result_bits(const ir::Graph& graph, const std::string& node) {
  const ir::Node& n = graph.at(node);
  auto t = n.types.find("result");
  return t == n.types.end() ? 0 : t->second.width;
}

LayerEstimate process_cost(const ir::Graph& graph, const plan::LayerPlan& layer,
                           const DspFamily& family, double period, const std::string& clone_source,
                           std::int64_t clone_outputs) {
  LayerEstimate e;
  if (layer.kind == plan::LayerKind::kClone) {
    const ir::Node& src = graph.at(clone_source);
    e.op = "Clone";
    e.ff = clone_outputs * ir::channels(src.output_shape) * result_bits(graph, clone_source);
    return e;
  }
  const ir::Node& node = graph.at(layer.layer);
  const CostFunction cost = cost_function_of(node);
  e = cost({graph, node, family, period, layer, true});
  if (!costs_one_position(cost)) {
    // Dense per position shares its multipliers over the positions too: one matrix, one beat
    // every reuse-factor cycles.
    per_position(e, ir::positions(node.output_shape));
  }
  const ir::OpInfo& info = ir::op_info(node.op);
  if (node.op == ir::OpKind::kFlatten || node.op == ir::OpKind::kReshape) {
    // Regrouping beats holds an output beat while its values arrive.
    e.ff = ir::channels(node.output_shape) * result_bits(graph, node.name);
  } else if (e.ff == 0 && !info.shares_multipliers) {
    e.ff = output_registers(node, ir::channels(node.output_shape), layer.latency);
  }
  e.op = std::string(info.name);
  return e;
}

}  // namespace

ModelEstimate estimate_dataflow(const ir::Graph& graph, const plan::Plan& plan,
                                const DspFamily& family, ModelEstimate m) {
  m.dataflow = true;
  const schedule::Schedule sched = schedule::compute_schedule(plan::dataflow_network(graph, plan));
  std::map<std::string, std::string> clone_source;
  std::map<std::string, std::int64_t> outputs;
  for (const plan::EdgePlan& e : plan.edges) {
    const plan::LayerPlan* l = e.is_output_port() ? nullptr : plan.find_layer(e.consumer);
    if (l != nullptr && l->kind == plan::LayerKind::kClone) clone_source[l->layer] = e.producer;
    if (!e.is_input_port()) ++outputs[e.producer];
  }
  for (std::size_t p = 0; p < plan.layers.size(); ++p) {
    const plan::LayerPlan& layer = plan.layers[p];
    const auto src = clone_source.find(layer.layer);
    LayerEstimate e =
        process_cost(graph, layer, family, m.clock_period_ns,
                     src == clone_source.end() ? std::string() : src->second, outputs[layer.layer]);
    e.layer = layer.layer;
    e.interval = layer.interval;
    const schedule::ProcessTiming& t = sched.processes[p];
    e.latency_cycles = t.last_write - t.first_read + 1;
    add_to_total(m.total, e);
    m.layers.push_back(std::move(e));
  }
  for (const plan::EdgePlan& e : plan.edges) {
    if (e.fifo_depth == 0) continue;  // a port
    auto src = clone_source.find(e.producer);
    const std::string& tensor = src == clone_source.end() ? e.producer : src->second;
    FifoEstimate f;
    f.name = plan::edge_name(e);
    f.depth = e.fifo_depth;
    f.width_bits = e.beat_width * result_bits(graph, tensor);
    const BufferStorage s = buffer_storage(f.depth, f.width_bits);
    f.storage = s.kind;
    f.lut = s.lut;
    f.bram18 = s.bram18;
    m.total.lut += f.lut;
    m.total.bram18 += f.bram18;
    m.fifos.push_back(std::move(f));
  }
  m.total.interval = plan.interval;
  m.total.latency_cycles = plan.latency;
  return m;
}

}  // namespace nnfpga::estimate
