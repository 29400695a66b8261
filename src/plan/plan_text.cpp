// The plan as JSON and as readable text (`nnfpga show --resolved`).
#include "ir/op_table.hpp"
#include "plan/plan.hpp"

namespace nnfpga::plan {

std::string edge_name(const EdgePlan& e) {
  return (e.is_input_port() ? std::string("<input>") : e.producer) + " -> " +
         (e.is_output_port() ? std::string("<output>") : e.consumer);
}

std::string to_string(Transfer t) {
  switch (t) {
    case Transfer::kArray:
      return "array";
    case Transfer::kPacked:
      return "packed";
    case Transfer::kStream:
      return "stream";
  }
  return "array";
}

nlohmann::json to_json(const Plan& plan) {
  nlohmann::json layers = nlohmann::json::array();
  for (const LayerPlan& l : plan.layers) {
    nlohmann::json j = {{"layer", l.layer}};
    if (l.kind == LayerKind::kClone) j["kind"] = "clone";
    j.update({{"op", std::string(ir::op_name(l.op))},
              {"interval", l.interval},
              {"reuse_factor", l.reuse_factor},
              {"strategy", ir::to_string(l.strategy)}});
    if (l.multiplier_limit > 0) j["multiplier_limit"] = l.multiplier_limit;
    if (plan.dataflow) j["latency"] = l.latency;
    layers.push_back(j);
  }
  nlohmann::json edges = nlohmann::json::array();
  for (const EdgePlan& e : plan.edges) {
    nlohmann::json j = {
        {"producer", e.is_input_port() ? nlohmann::json() : nlohmann::json(e.producer)},
        {"consumer", e.is_output_port() ? nlohmann::json() : nlohmann::json(e.consumer)},
        {"transfer", to_string(e.transfer)},
        {"values", e.values}};
    if (e.transfer == Transfer::kStream) {
      j["beat_width"] = e.beat_width;
      j["beats"] = e.beats;
      j["fifo_depth"] = e.fifo_depth;
    }
    edges.push_back(j);
  }
  nlohmann::json j = {{"io_type", ir::to_string(plan.io_type)}, {"interval", plan.interval}};
  if (plan.dataflow) {
    j["dataflow"] = true;
    j["latency"] = plan.latency;
  }
  j["layers"] = layers;
  j["edges"] = edges;
  return j;
}

std::string to_text(const Plan& plan) {
  std::string s = "io_type: " + ir::to_string(plan.io_type) + "\n";
  s += "interval: " + std::to_string(plan.interval) + "\n";
  if (plan.dataflow) s += "dataflow: true\nlatency: " + std::to_string(plan.latency) + "\n";
  s += "layers:\n";
  for (const LayerPlan& l : plan.layers) {
    s += "  " + l.layer + ": {" + (l.kind == LayerKind::kClone ? "kind: clone, " : "") +
         "op: " + std::string(ir::op_name(l.op)) + ", interval: " + std::to_string(l.interval) +
         ", reuse_factor: " + std::to_string(l.reuse_factor);
    if (l.multiplier_limit > 0) s += ", multiplier_limit: " + std::to_string(l.multiplier_limit);
    s += ", strategy: " + ir::to_string(l.strategy);
    if (plan.dataflow) s += ", latency: " + std::to_string(l.latency);
    s += "}\n";
  }
  s += "edges:\n";
  for (const EdgePlan& e : plan.edges) {
    s += "  " + edge_name(e) + ": {transfer: " + to_string(e.transfer) +
         ", values: " + std::to_string(e.values);
    if (e.transfer == Transfer::kStream) {
      s += ", beat_width: " + std::to_string(e.beat_width) + ", beats: " + std::to_string(e.beats) +
           ", fifo_depth: " + std::to_string(e.fifo_depth);
    }
    s += "}\n";
  }
  return s;
}

}  // namespace nnfpga::plan
