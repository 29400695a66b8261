// The resolved configuration of a configured graph, in the shape of the input file, for printing.
#include "config/config.hpp"
#include "config/layer_settings.hpp"
#include "ir/op_table.hpp"

namespace nnfpga::config {

Tree resolved_config(const ir::Graph& graph) {
  Tree tree = Tree::object();
  tree["Model settings"] = {{"IOType", ir::to_string(graph.settings.io_type)},
                            {"ClockPeriod", graph.settings.clock_period_ns},
                            {"Part", graph.settings.part}};
  Tree layers = Tree::object();
  for (const ir::Node& node : graph.nodes) {
    const ir::OpInfo& info = ir::op_info(node.op);
    Tree precision = Tree::object();
    for (const auto& [key, type] : node.types) precision[key] = fixed::to_string(type);
    Tree entry = {{"op", std::string(info.name)}, {"Precision", precision}};
    for (const detail::LayerSetting& setting : detail::layer_settings()) {
      if (setting.resolved_everywhere || setting.applies_to(info)) {
        entry[std::string(setting.key)] = setting.value(node.settings);
      }
    }
    layers[node.name] = entry;
  }
  tree["LayerName"] = layers;
  return tree;
}

}  // namespace nnfpga::config
