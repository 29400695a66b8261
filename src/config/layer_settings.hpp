// Every per-layer setting besides Precision, declared once: its key, the ops it applies to, how
// its value is checked, its default, and where its resolved value lives. The level reader
// (level.cpp), resolution (resolve.cpp), the starting configuration and the resolved printout
// all walk this table; adding a setting (ParallelizationFactor, a FIFO depth) is one row here.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "config/level.hpp"
#include "ir/op_table.hpp"

namespace nnfpga::config::detail {

// What a LayerName value does on a layer the setting does not apply to.
enum class Elsewhere {
  kIgnored,               // accepted and unused, as hls4ml configurations set it on every layer
  kRefusedUnlessDefault,  // an error unless it is the default (ReuseFactor other than 1)
  kRefused,               // always an error
};

struct LayerSetting {
  std::string_view key;                   // "ReuseFactor"
  bool (*applies_to)(const ir::OpInfo&);  // the ops whose hardware it changes
  Elsewhere elsewhere;
  // The error on another op: refusal_before + "Dense layer 'fc1'" + refusal_after.
  std::string_view refusal_before;
  std::string_view refusal_after;
  // Written in a starting configuration's LayerType and LayerName entries of the ops it applies
  // to (every setting is written at the Model level).
  bool in_layer_entries;
  // Checks `value` and stores it in `level`; throws nnfpga::Error (kConfig) with `path`.
  void (*parse)(const Tree& value, const LevelScope& scope, const std::string& path, Level& level);
  bool (*is_set)(const Level& level);
  // Puts the level's value into the node's settings, checking it against the node (a reuse
  // factor must divide the layer's multiplications).
  void (*apply)(const Level& level, ir::Node& node);
  // The value in `settings` (the default when `settings` is default-constructed), as written in a
  // configuration file.
  Tree (*value)(const ir::LayerSettings& settings);
  // Also printed in a resolved configuration for the ops it does not apply to.
  bool resolved_everywhere;
};

std::span<const LayerSetting> layer_settings();
const LayerSetting* find_layer_setting(std::string_view key);

}  // namespace nnfpga::config::detail
