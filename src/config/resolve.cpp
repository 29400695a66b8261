// Per-layer resolution: every value from the most specific level that sets it (LayerName, then
// the types the model declares through its quantizers, then LayerType by op name, then LayerType
// by family, then Model, then the defaults).
#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/accumulator.hpp"
#include "config/config.hpp"
#include "config/defaults.hpp"
#include "config/inferred_result.hpp"
#include "config/layer_settings.hpp"
#include "config/schema.hpp"
#include "ir/op_table.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::config {
namespace {

using detail::Level;
using detail::ParsedConfig;
using detail::Sourced;

// The levels that apply to a node, most specific first. `explicit_levels` counts the leading
// ones that name the layer itself (LayerName, its declared types, LayerType.<op>): only those may
// give Flatten and Reshape a result type of their own.
struct Chain {
  std::vector<const Level*> levels;
  std::size_t explicit_levels = 0;
  Level declared;  // the node's declared types, as a level (levels may point at it)
};

constexpr std::string_view kDeclaredPath = "the type ";

// Whether a spelling's source is the layer's own: its LayerName entry or its quantizer's type.
bool is_layer_own(const std::string& path) {
  return path.starts_with("LayerName.") || path.starts_with("HLSConfig.LayerName.") ||
         path.starts_with(kDeclaredPath);
}

// The model's own types as a level. Each spelling's path names its source, so that an error in
// one points at the quantizer instead of a configuration key.
void read_declared(const ir::Node& node, Level& level) {
  for (const auto& [key, spelling] : node.declared_types) {
    level.precision[key] = {spelling,
                            std::string(kDeclaredPath) + node.declared_by + " declares for " + key};
  }
}

// Fills `chain` in place: it points at its own `declared` member, so it must not be copied.
void chain_for(const ir::Node& node, const ParsedConfig& cfg, Chain& chain) {
  if (auto it = cfg.layer_name.find(node.name); it != cfg.layer_name.end()) {
    chain.levels.push_back(&it->second);
  }
  if (!node.declared_types.empty()) {
    read_declared(node, chain.declared);
    chain.levels.push_back(&chain.declared);
  }
  if (auto it = cfg.layer_type.find(std::string(ir::op_name(node.op)));
      it != cfg.layer_type.end()) {
    chain.levels.push_back(&it->second);
  }
  chain.explicit_levels = chain.levels.size();
  if (ir::op_info(node.op).activation_family) {
    if (auto it = cfg.layer_type.find(std::string(detail::kActivationFamily));
        it != cfg.layer_type.end()) {
      chain.levels.push_back(&it->second);
    }
  }
  chain.levels.push_back(&cfg.model);
}

// The first level of the chain that sets the value, and its index in the chain.
template <class Get>
auto first_set(const Chain& chain, Get get)
    -> std::pair<decltype(get(*chain.levels[0])), std::size_t> {
  for (std::size_t i = 0; i < chain.levels.size(); ++i) {
    if (auto v = get(*chain.levels[i])) return {v, i};
  }
  return {nullptr, chain.levels.size()};
}

const Sourced<std::string>* precision_of(const Chain& chain, const std::string& key,
                                         std::size_t* index = nullptr) {
  auto [value, i] = first_set(chain, [&](const Level& l) -> const Sourced<std::string>* {
    auto it = l.precision.find(key);
    return it == l.precision.end() ? nullptr : &it->second;
  });
  if (index) *index = i;
  return value;
}

fixed::FixedType parse_checked(const Sourced<std::string>& spelling, const std::string& node) {
  try {
    fixed::FixedType t = fixed::parse_type(spelling.value);
    fixed::check_supported(t, spelling.value);
    return t;
  } catch (const Error& e) {
    // A spelling is wrong whatever layer reads it: name the layer only when the spelling is the
    // layer's own (its LayerName entry, or the type its quantizer declares), not for a Model or
    // LayerType key that the first layer happened to read.
    throw e.located(
        {.node = is_layer_own(spelling.path) ? node : std::string(), .key = spelling.path});
  }
}

void resolve_types(const ir::Graph& graph, ir::Node& node, const Chain& chain) {
  const ir::OpInfo& info = ir::op_info(node.op);
  const bool moves_no_bits = info.result_source == ir::ResultSource::kInput;
  const Sourced<std::string>* infer_result = nullptr;  // the 'auto' result spelling, if any
  for (std::string_view view : info.type_keys) {
    const std::string key(view);
    if (key == "accum") continue;  // needs the other types first
    std::size_t index = 0;
    const Sourced<std::string>* set = precision_of(chain, key, &index);
    if (moves_no_bits && key == "result" && index >= chain.explicit_levels) {
      node.types[key] = graph.at(node.inputs.at(0)).type("result");
    } else if (set && set->value == detail::kAuto) {
      infer_result = set;  // only result may be auto besides accum (level.cpp checks)
    } else {
      node.types[key] = set ? parse_checked(*set, node.name) : detail::default_type(key);
    }
  }
  if (info.has_type_key("accum")) {
    const Sourced<std::string>* set = precision_of(chain, "accum");
    if (set && set->value != detail::kAuto) {
      node.types["accum"] = parse_checked(*set, node.name);
    } else {
      node.types["accum"] = detail::inferred_accumulator(graph, node);
    }
  }
  if (!infer_result) return;
  try {
    node.types["result"] = detail::inferred_result(graph, node);
  } catch (const Error& e) {
    throw e.located({.node = node.name, .key = infer_result->path});
  }
}

// Each setting of the settings table from the first level that sets it, on the ops it applies to
// (a model- or type-level ReuseFactor does not reach a ReLU, which has no multipliers to share;
// hls4ml sets it at the model level for every layer, and a LayerName one was refused earlier).
void resolve_settings(ir::Node& node, const Chain& chain) {
  const ir::OpInfo& info = ir::op_info(node.op);
  node.settings = ir::LayerSettings{};
  for (const detail::LayerSetting& setting : detail::layer_settings()) {
    if (!setting.applies_to(info)) continue;
    for (const Level* level : chain.levels) {
      if (!setting.is_set(*level)) continue;
      setting.apply(*level, node);
      break;
    }
  }
  // FifoDepth is a LayerName key only (level.cpp refuses it elsewhere).
  for (const Level* level : chain.levels) {
    if (!level->fifo_depth) continue;
    node.settings.fifo_depth = level->fifo_depth->value.all;
    node.settings.fifo_depth_by_consumer = level->fifo_depth->value.by_consumer;
    break;
  }
}

// A spelling that no layer used is still checked, so that a typo in an unused key is not silent.
void check_unused_spellings(const ParsedConfig& cfg) {
  auto check = [](const Level& level) {
    for (const auto& [key, spelling] : level.precision) {
      if (spelling.value != detail::kAuto) parse_checked(spelling, "");
    }
  };
  check(cfg.model);
  for (const auto& [name, level] : cfg.layer_type) check(level);
}

}  // namespace

void resolve(ir::Graph& graph, const Tree& tree) {
  for (const ir::Node& node : graph.nodes) {
    if (!ir::op_info(node.op).canonical) {
      throw Error(ErrorKind::kInternal,
                  std::string("configuration needs a canonical graph, but this node is a ") +
                      std::string(ir::op_name(node.op)) + "; run passes::canonicalize first",
                  {.node = node.name});
    }
  }
  const ParsedConfig cfg = detail::parse_config(tree, graph);
  graph.settings = ir::ModelSettings{};
  if (cfg.io_type) graph.settings.io_type = cfg.io_type->value;
  if (cfg.clock_period) graph.settings.clock_period_ns = cfg.clock_period->value;
  if (cfg.part) graph.settings.part = cfg.part->value;

  for (ir::Node& node : graph.nodes) {
    // Stale quantized parameters would not match the new types.
    node.types.clear();
    node.qparams.clear();
    Chain chain;
    chain_for(node, cfg, chain);
    resolve_types(graph, node, chain);
    resolve_settings(node, chain);
  }
  check_unused_spellings(cfg);
}

}  // namespace nnfpga::config

namespace nnfpga::config {
namespace {

// One level's value of one key for one layer: where it was written, and whether it is the
// default. A starting configuration writes every default at every level, so a shadowed default
// changes nothing that the user asked for and is not reported.
struct LevelValue {
  std::string path;  // empty: the level does not set it
  bool is_default = false;
};

LevelValue precision_value(const Level& level, const std::string& key) {
  const auto it = level.precision.find(key);
  if (it == level.precision.end()) return {};
  const std::string& text = it->second.value;
  bool is_default = text == detail::default_spelling(key);
  if (!is_default && text != detail::kAuto) {
    try {
      is_default = fixed::parse_type(text) == detail::default_type(key);
    } catch (const Error&) {
      // not a type: resolve reports it
    }
  }
  return {it->second.path, is_default};
}

LevelValue setting_value(const Level& level, std::string_view key) {
  const ir::LayerSettings defaults;
  if (key == "ReuseFactor" && level.reuse_factor) {
    return {level.reuse_factor->path, level.reuse_factor->value == defaults.reuse_factor};
  }
  if (key == "Strategy" && level.strategy) {
    return {level.strategy->path, level.strategy->value == defaults.strategy};
  }
  if (key == "TableSize" && level.table_size) {
    return {level.table_size->path, level.table_size->value == defaults.table_size};
  }
  if (key == "ParallelizationFactor" && level.parallelization_factor) {
    return {level.parallelization_factor->path,
            level.parallelization_factor->value == defaults.parallelization_factor};
  }
  if (key == "ConvImplementation" && level.conv_implementation) {
    return {level.conv_implementation->path,
            level.conv_implementation->value == defaults.conv_implementation};
  }
  return {};  // not set, or a setting this walk does not know yet
}

// What one configuration key did across the graph: whether it could reach a layer at all,
// whether some layer took its value, and the keys that won where it did not.
struct KeyUse {
  bool used = false;
  std::vector<std::string> winners;
};

// Records, for one (layer, key), the levels that set it (most specific first): the first is
// used, every later one that is not the default is shadowed by it.
void record(const std::vector<LevelValue>& values, std::map<std::string, KeyUse>& uses) {
  const auto first = std::find_if(values.begin(), values.end(),
                                  [](const LevelValue& v) { return !v.path.empty(); });
  if (first == values.end()) return;
  uses[first->path].used = true;
  for (auto it = first + 1; it != values.end(); ++it) {
    if (it->path.empty() || it->is_default) continue;
    std::vector<std::string>& winners = uses[it->path].winners;
    if (std::find(winners.begin(), winners.end(), first->path) == winners.end()) {
      winners.push_back(first->path);
    }
  }
}

std::string shadow_message(const std::string& key, const std::vector<std::string>& winners) {
  constexpr std::size_t kListed = 3;
  std::string list;
  for (std::size_t i = 0; i < winners.size() && i < kListed; ++i) {
    list += (i ? ", " : "") + winners[i];
  }
  if (winners.size() > kListed) {
    list += " and " + std::to_string(winners.size() - kListed) + " more";
  }
  return "'" + key + "' changes no layer: every layer it applies to takes that value from a more " +
         "specific level (" + list +
         "); set it there instead, or remove those entries (a LayerName entry wins over "
         "LayerType, which wins over Model)";
}

}  // namespace

std::vector<std::string> shadowed_settings(const ir::Graph& graph, const Tree& tree) {
  const ParsedConfig cfg = detail::parse_config(tree, graph);
  std::map<std::string, KeyUse> uses;
  for (const ir::Node& node : graph.nodes) {
    Chain chain;
    chain_for(node, cfg, chain);
    const ir::OpInfo& info = ir::op_info(node.op);
    const bool moves_no_bits = info.result_source == ir::ResultSource::kInput;
    for (std::string_view view : info.type_keys) {
      const std::string key(view);
      std::vector<LevelValue> values;
      for (std::size_t i = 0; i < chain.levels.size(); ++i) {
        // Flatten and Reshape take their input's result type from any level but their own.
        const bool reaches = !(moves_no_bits && key == "result" && i >= chain.explicit_levels);
        values.push_back(reaches ? precision_value(*chain.levels[i], key) : LevelValue{});
      }
      record(values, uses);
    }
    for (const detail::LayerSetting& setting : detail::layer_settings()) {
      if (!setting.applies_to(info)) continue;
      std::vector<LevelValue> values;
      for (const Level* level : chain.levels) values.push_back(setting_value(*level, setting.key));
      record(values, uses);
    }
  }
  std::vector<std::string> warnings;
  for (const auto& [path, entry] : cfg.removed_layer_entries) {
    warnings.push_back(
        "'" + path + "' changes nothing: the layer '" + entry.layer +
        "' is not in the compiled model (" +
        (entry.taken_in_by.empty()
             ? std::string("dropped: an Identity, a Dropout, or a layer no output reads")
             : "folded into '" + entry.taken_in_by + "'; set its types there") +
        "; `nnfpga show --passes` lists what each pass removes)");
  }
  for (const auto& [key, use] : uses) {
    const bool declared = key.starts_with(kDeclaredPath);  // a quantizer's own, not a key
    if (!use.used && !use.winners.empty() && !declared)
      warnings.push_back(shadow_message(key, use.winners));
  }
  return warnings;
}

}  // namespace nnfpga::config
