#include "ir/json_io.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::ir {
namespace {

using nlohmann::json;

// Attributes are tagged with their type: a JSON number or list alone cannot tell an integer
// attribute from a float one (1 vs 1.0, or an empty list).
json attr_to_json(const AttrValue& v) {
  switch (v.index()) {
    case 0:
      return {{"int", std::get<0>(v)}};
    case 1: {
      // JSON has no infinity (an unbounded Clip); spell it as a string.
      const double d = std::get<1>(v);
      if (std::isinf(d)) return {{"float", d > 0 ? "inf" : "-inf"}};
      return {{"float", d}};
    }
    case 2:
      return {{"string", std::get<2>(v)}};
    case 3:
      return {{"ints", std::get<3>(v)}};
    default:
      return {{"floats", std::get<4>(v)}};
  }
}

AttrValue attr_from_json(const json& j) {
  if (!j.is_object() || j.size() != 1) throw Error(ErrorKind::kInput, "malformed attribute");
  const auto it = j.begin();
  const std::string tag = it.key();
  const json& value = it.value();
  if (tag == "int") return value.get<std::int64_t>();
  if (tag == "float") {
    if (value.is_string()) {
      const std::string text = value.get<std::string>();
      if (text == "inf") return std::numeric_limits<double>::infinity();
      if (text == "-inf") return -std::numeric_limits<double>::infinity();
      throw Error(ErrorKind::kInput, "malformed float attribute '" + text + "'");
    }
    return value.get<double>();
  }
  if (tag == "string") return value.get<std::string>();
  if (tag == "ints") return value.get<std::vector<std::int64_t>>();
  if (tag == "floats") return value.get<std::vector<double>>();
  throw Error(ErrorKind::kInput, "unknown attribute tag '" + tag + "'");
}

json node_to_json(const Node& n) {
  json j;
  j["name"] = n.name;
  j["op"] = std::string(op_name(n.op));
  j["inputs"] = n.inputs;
  j["source_op"] = n.source_op;
  j["input_shapes"] = n.input_shapes;
  j["output_shape"] = n.output_shape;
  json attrs = json::object();
  for (const auto& [k, v] : n.attrs.all()) attrs[k] = attr_to_json(v);
  j["attrs"] = attrs;
  json params = json::object();
  for (const auto& [k, t] : n.params) params[k] = {{"shape", t.shape}, {"data", t.data}};
  j["params"] = params;
  if (!n.declared_types.empty()) {
    j["declared_types"] = n.declared_types;
    j["declared_by"] = n.declared_by;
  }
  json types = json::object();
  for (const auto& [k, t] : n.types) types[k] = fixed::to_string(t);
  j["types"] = types;
  j["settings"] = {{"reuse_factor", n.settings.reuse_factor},
                   {"strategy", to_string(n.settings.strategy)},
                   {"table_size", n.settings.table_size}};
  if (op_info(n.op).slides_window) {  // only where they apply: other ops' text stays as it was
    j["settings"]["parallelization_factor"] = n.settings.parallelization_factor;
    j["settings"]["conv_implementation"] = to_string(n.settings.conv_implementation);
  }
  if (n.settings.fifo_depth > 0) j["settings"]["fifo_depth"] = n.settings.fifo_depth;
  if (!n.settings.fifo_depth_by_consumer.empty()) {
    j["settings"]["fifo_depth_by_consumer"] = n.settings.fifo_depth_by_consumer;
  }
  json q = json::object();
  for (const auto& [k, t] : n.qparams) {
    q[k] = {
        {"type", fixed::to_string(t.type)}, {"mantissa", t.mantissa}, {"overflows", t.overflows}};
  }
  j["qparams"] = q;
  return j;
}

Node node_from_json(const json& j) {
  Node n;
  n.name = j.at("name").get<std::string>();
  const std::string op = j.at("op").get<std::string>();
  auto kind = op_kind_from_name(op);
  if (!kind) throw Error(ErrorKind::kInput, "unknown op '" + op + "'", {.node = n.name});
  n.op = *kind;
  n.inputs = j.at("inputs").get<std::vector<std::string>>();
  n.source_op = j.value("source_op", "");
  n.input_shapes = j.value("input_shapes", std::vector<Shape>{});
  n.output_shape = j.value("output_shape", Shape{});
  n.declared_types = j.value("declared_types", std::map<std::string, std::string>{});
  n.declared_by = j.value("declared_by", "");
  for (const auto& [k, v] : j.at("attrs").items()) n.attrs.set(k, attr_from_json(v));
  for (const auto& [k, v] : j.at("params").items()) {
    n.params[k] = make_tensor(v.at("shape").get<Shape>(), v.at("data").get<std::vector<double>>());
  }
  // Bound to names: a temporary's items() would dangle in the range-for.
  const json types = j.value("types", json::object());
  const json qparams = j.value("qparams", json::object());
  for (const auto& [k, v] : types.items()) {
    n.types[k] = fixed::parse_type(v.get<std::string>());
  }
  if (j.contains("settings")) {
    const json& s = j.at("settings");
    n.settings.reuse_factor = s.at("reuse_factor").get<int>();
    n.settings.strategy = s.at("strategy").get<std::string>() == "Resource" ? Strategy::kResource
                                                                            : Strategy::kLatency;
    n.settings.table_size = s.at("table_size").get<int>();
    // Written for the convolutions only (LineBuffer is the one implementation).
    n.settings.parallelization_factor = s.value("parallelization_factor", 1);
    // Written only when the configuration overrides a FIFO depth.
    n.settings.fifo_depth = s.value("fifo_depth", std::int64_t{0});
    n.settings.fifo_depth_by_consumer =
        s.value("fifo_depth_by_consumer", std::map<std::string, std::int64_t>{});
  }
  for (const auto& [k, v] : qparams.items()) {
    n.qparams[k] = QuantizedTensor{fixed::parse_type(v.at("type").get<std::string>()),
                                   v.at("mantissa").get<std::vector<std::int64_t>>(),
                                   v.at("overflows").get<std::int64_t>()};
  }
  return n;
}

}  // namespace

json to_json(const Graph& graph) {
  json j;
  j["format"] = "nnfpga-ir";
  j["version"] = 1;
  j["name"] = graph.name;
  j["inputs"] = graph.inputs;
  j["outputs"] = graph.outputs;
  if (!graph.source_axes.empty()) j["source_axes"] = graph.source_axes;
  if (!graph.removed_layers.empty()) j["removed_layers"] = graph.removed_layers;
  j["settings"] = {{"io_type", to_string(graph.settings.io_type)},
                   {"clock_period_ns", graph.settings.clock_period_ns},
                   {"part", graph.settings.part}};
  json nodes = json::array();
  for (const Node& n : graph.nodes) nodes.push_back(node_to_json(n));
  j["nodes"] = nodes;
  return j;
}

Graph graph_from_json(const json& j) {
  try {
    if (j.value("format", "") != "nnfpga-ir") {
      throw Error(ErrorKind::kInput, "not an nnfpga IR file (no \"format\": \"nnfpga-ir\")");
    }
    Graph g;
    g.name = j.at("name").get<std::string>();
    g.inputs = j.at("inputs").get<std::vector<std::string>>();
    g.outputs = j.at("outputs").get<std::vector<std::string>>();
    const json& s = j.at("settings");
    g.settings.io_type =
        s.at("io_type").get<std::string>() == "io_stream" ? IOType::kStream : IOType::kParallel;
    g.settings.clock_period_ns = s.at("clock_period_ns").get<double>();
    g.settings.part = s.at("part").get<std::string>();
    for (const json& n : j.at("nodes")) g.nodes.push_back(node_from_json(n));
    if (j.contains("removed_layers")) {
      g.removed_layers = j.at("removed_layers").get<std::map<std::string, std::string>>();
    }
    if (j.contains("source_axes")) {
      g.source_axes = j.at("source_axes").get<std::map<std::string, std::vector<int>>>();
    }
    validate(g);
    return g;
  } catch (const json::exception& e) {
    throw Error(ErrorKind::kInput, std::string("malformed IR JSON: ") + e.what());
  }
}

void save_json(const Graph& graph, const std::string& path) {
  std::ofstream f(path);
  if (!f) throw Error(ErrorKind::kInput, "cannot write this file", {.file = path});
  f << to_json(graph).dump(1) << "\n";
  if (!f) throw Error(ErrorKind::kInput, "writing failed", {.file = path});
}

Graph load_json(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw Error(ErrorKind::kInput, "cannot open this file", {.file = path});
  try {
    return graph_from_json(json::parse(f));
  } catch (const json::exception& e) {
    throw Error(ErrorKind::kInput, std::string("not valid JSON: ") + e.what(), {.file = path});
  } catch (const Error& e) {
    throw e.located({.file = path});
  }
}

}  // namespace nnfpga::ir
