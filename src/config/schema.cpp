#include "config/schema.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "config/level.hpp"
#include "config/suggest.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::config::detail {
namespace {

const std::vector<std::string> kSections = {"Model", "LayerType", "LayerName"};
const std::vector<std::string> kModelSettings = {"IOType", "ClockPeriod", "Part"};
// Accepted because hls4ml users pass them; nnfpga does not use them yet.
const std::vector<std::string> kStoredOnly = {"Backend", "OutputDir", "ProjectName"};

std::vector<std::string> top_level_keys() {
  std::vector<std::string> keys = kModelSettings;
  keys.push_back("HLSConfig");
  keys.insert(keys.end(), kSections.begin(), kSections.end());
  keys.insert(keys.end(), kStoredOnly.begin(), kStoredOnly.end());
  return keys;
}

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw Error(ErrorKind::kConfig, what, {.key = path});
}

std::vector<std::string> strings(const std::vector<std::string_view>& views) {
  return {views.begin(), views.end()};
}

// Model, LayerType and LayerName with the path each was found at (top level or in HLSConfig).
std::map<std::string, Sourced<Tree>> collect_sections(const Tree& tree) {
  std::map<std::string, Sourced<Tree>> sections;
  for (const auto& [key, value] : tree.items()) {
    if (!contains(top_level_keys(), key)) unknown_key(key, key, top_level_keys());
    if (contains(kSections, key)) sections[key] = {value, key};
  }
  if (!tree.contains("HLSConfig") || tree["HLSConfig"].is_null()) return sections;
  const Tree& wrapper = tree["HLSConfig"];
  if (!wrapper.is_object())
    fail("HLSConfig", "expected a section holding Model, LayerType, LayerName");
  for (const auto& [key, value] : wrapper.items()) {
    if (!contains(kSections, key)) unknown_key(key, "HLSConfig." + key, kSections);
    if (sections.count(key)) {
      fail("HLSConfig." + key, "'" + key + "' is given both at the top level and inside HLSConfig");
    }
    sections[key] = {value, "HLSConfig." + key};
  }
  return sections;
}

// IOType, ClockPeriod and Part, at the top level or inside Model (not both with different values).
void parse_model_settings(const Tree& tree, const Sourced<Tree>* model, ParsedConfig& out) {
  for (const std::string& key : kModelSettings) {
    std::optional<Sourced<Tree>> found;
    if (tree.contains(key)) found = Sourced<Tree>{tree[key], key};
    if (model && model->value.is_object() && model->value.contains(key)) {
      Sourced<Tree> inner{model->value[key], model->path + "." + key};
      if (found && found->value != inner.value) {
        fail(inner.path, "conflicts with the top-level " + key + " (" + found->value.dump() +
                             "); set it in one place");
      }
      found = inner;
    }
    if (!found) continue;
    const Tree& v = found->value;
    if (key == "IOType") {
      const std::string text = v.is_string() ? v.get<std::string>() : "";
      if (text != "io_parallel" && text != "io_stream") {
        fail(found->path, "expected io_parallel or io_stream, got " + v.dump());
      }
      out.io_type = Sourced<ir::IOType>{
          text == "io_stream" ? ir::IOType::kStream : ir::IOType::kParallel, found->path};
    } else if (key == "ClockPeriod") {
      if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() <= 0) {
        fail(found->path, "expected a clock period in ns greater than 0, got " + v.dump());
      }
      out.clock_period = Sourced<double>{v.get<double>(), found->path};
    } else {
      if (!v.is_string() || v.get<std::string>().empty()) {
        fail(found->path, "expected an FPGA part name, got " + v.dump());
      }
      out.part = Sourced<std::string>{v.get<std::string>(), found->path};
    }
  }
}

std::vector<std::string> layer_type_names() {
  std::vector<std::string> names;
  for (const ir::OpInfo& info : ir::all_ops()) {
    if (info.canonical) names.emplace_back(info.name);
  }
  names.emplace_back(kActivationFamily);
  return names;
}

LevelScope type_scope(const std::string& name, const std::string& path) {
  LevelScope scope{.path = path, .what = "LayerType " + name};
  for (const ir::OpInfo& info : ir::all_ops()) {
    const bool applies =
        name == kActivationFamily ? info.activation_family : info.canonical && info.name == name;
    if (!applies) continue;
    for (std::string_view k : info.type_keys) {
      if (!contains(scope.type_keys, k)) scope.type_keys.emplace_back(k);
    }
  }
  return scope;
}

void parse_layer_types(const Sourced<Tree>& section, ParsedConfig& out) {
  if (section.value.is_null()) return;
  if (!section.value.is_object()) fail(section.path, "expected a map of op names to settings");
  const std::vector<std::string> names = layer_type_names();
  for (const auto& [name, body] : section.value.items()) {
    const std::string path = section.path + "." + name;
    if (!contains(names, name)) {
      fail(path, "unknown layer type '" + name + "'" + did_you_mean(name, names) +
                     "; layer types: " + join(names));
    }
    out.layer_type[name] = parse_level(body, type_scope(name, path));
  }
}

void parse_layer_names(const Sourced<Tree>& section, const ir::Graph& graph, ParsedConfig& out) {
  if (section.value.is_null()) return;
  if (!section.value.is_object()) fail(section.path, "expected a map of layer names to settings");
  std::vector<std::string> names;
  for (const ir::Node& n : graph.nodes) names.push_back(n.name);
  for (const auto& [name, body] : section.value.items()) {
    const std::string path = section.path + "." + name;
    const ir::Node* node = graph.find(name);
    if (const auto removed = graph.removed_layers.find(name);
        !node && removed != graph.removed_layers.end()) {
      out.removed_layer_entries[path] = {.layer = name, .taken_in_by = removed->second};
      continue;
    }
    if (!node) {
      fail(path, "the model has no layer named '" + name + "'" + did_you_mean(name, names) +
                     "; its layers: " + join(names, 8));
    }
    const ir::OpInfo& info = ir::op_info(node->op);
    LevelScope scope{.path = path,
                     .node = name,
                     .what = std::string(info.name) + " layer '" + name + "'",
                     .type_keys = strings(info.type_keys),
                     .is_layer_name = true,
                     .op = &info};
    out.layer_name[name] = parse_level(body, scope);
  }
}

}  // namespace

const std::vector<std::string>& precision_keys() {
  static const std::vector<std::string> keys = {"weight", "bias",   "scale", "param",
                                                "accum",  "result", "table"};
  return keys;
}

bool set_by_single_type(std::string_view key) {
  return key != "accum" && key != "table";
}

ParsedConfig parse_config(const Tree& tree, const ir::Graph& graph) {
  ParsedConfig out;
  if (tree.is_null()) return out;
  if (!tree.is_object()) fail("", "a configuration must be a map of keys, got " + tree.dump());
  const auto sections = collect_sections(tree);
  const auto model = sections.find("Model");
  const Sourced<Tree>* model_section = model == sections.end() ? nullptr : &model->second;
  parse_model_settings(tree, model_section, out);
  if (model_section) {
    LevelScope scope{.path = model_section->path, .what = "Model", .type_keys = precision_keys()};
    out.model = parse_level(model_section->value, scope, kModelSettings);
  }
  if (sections.count("LayerType")) parse_layer_types(sections.at("LayerType"), out);
  if (sections.count("LayerName")) parse_layer_names(sections.at("LayerName"), graph, out);
  return out;
}

}  // namespace nnfpga::config::detail
