// A starting configuration with the defaults written out, for the user to edit.
#include <algorithm>
#include <cctype>

#include "config/config.hpp"
#include "config/defaults.hpp"
#include "config/layer_settings.hpp"
#include "config/schema.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::config {
namespace {

// The settings of one op at LayerType or LayerName level: its precision keys with their defaults,
// and the settings that apply to it. Flatten and Reshape get no result type, so that they keep
// their input's type (a type written here would become a cast). The settings come from the settings
// table (layer_settings.hpp).
Tree op_entry(const ir::OpInfo& info) {
  Tree entry = Tree::object();
  const bool moves_no_bits = info.result_source == ir::ResultSource::kInput;
  Tree precision = Tree::object();
  for (std::string_view key : info.type_keys) {
    if (moves_no_bits && key == "result") continue;
    precision[std::string(key)] = detail::default_spelling(key);
  }
  if (!precision.empty()) entry["Precision"] = precision;
  for (const detail::LayerSetting& setting : detail::layer_settings()) {
    if (setting.in_layer_entries && setting.applies_to(info)) {
      entry[std::string(setting.key)] = setting.value(ir::LayerSettings{});
    }
  }
  return entry;
}

}  // namespace

Granularity parse_granularity(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "model") return Granularity::kModel;
  if (lower == "type") return Granularity::kType;
  if (lower == "name") return Granularity::kName;
  throw Error(ErrorKind::kConfig,
              "unknown granularity '" + std::string(text) + "': use model, type or name");
}

Tree starting_config(const ir::Graph& graph, Granularity granularity) {
  const ir::ModelSettings model_settings;
  const ir::LayerSettings layer_settings;
  Tree tree = Tree::object();
  tree["IOType"] = ir::to_string(model_settings.io_type);
  tree["ClockPeriod"] = model_settings.clock_period_ns;
  tree["Part"] = model_settings.part;

  Tree precision = Tree::object();
  for (const std::string& key : detail::precision_keys()) {
    precision[key] = detail::default_spelling(key);
  }
  tree["Model"] = {{"Precision", precision}};
  for (const detail::LayerSetting& setting : detail::layer_settings()) {
    tree["Model"][std::string(setting.key)] = setting.value(layer_settings);
  }
  if (granularity == Granularity::kModel) return tree;

  Tree types = Tree::object();
  for (const ir::Node& node : graph.nodes) {
    const ir::OpInfo& info = ir::op_info(node.op);
    Tree entry = op_entry(info);
    if (!entry.empty()) types[std::string(info.name)] = entry;
  }
  tree["LayerType"] = types;
  if (granularity == Granularity::kType) return tree;

  Tree names = Tree::object();
  for (const ir::Node& node : graph.nodes) names[node.name] = op_entry(ir::op_info(node.op));
  tree["LayerName"] = names;
  return tree;
}

}  // namespace nnfpga::config
