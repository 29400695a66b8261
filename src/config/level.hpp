// Reading one level of settings (Model, LayerType.<T> or LayerName.<N>).
#pragma once

#include <string>
#include <vector>

#include "config/schema.hpp"
#include "ir/op_table.hpp"

namespace nnfpga::config::detail {

// What a level applies to, which decides the keys it may hold.
struct LevelScope {
  std::string path;                    // "LayerName.fc1", "HLSConfig.Model", ...
  std::string node;                    // set for LayerName levels
  std::string what;                    // "Dense layer 'fc1'", "LayerType Dense", "Model"
  std::vector<std::string> type_keys;  // precision keys the level may set
  bool is_layer_name = false;
  // The layer's op, for LayerName levels: a setting that does not apply to it is refused as its
  // row in the settings table (layer_settings.hpp) says.
  const ir::OpInfo* op = nullptr;
};

// Reads Precision, ReuseFactor, Strategy and TableSize; any other key is an error, except the
// ones listed in `also_allowed` (the Model level's IOType, ClockPeriod, Part), which it skips.
Level parse_level(const Tree& body, const LevelScope& scope,
                  const std::vector<std::string>& also_allowed = {});

// Throws the configuration error `what` at `path` of the level `scope` reads.
[[noreturn]] void fail(const LevelScope& scope, const std::string& path, const std::string& what);

// Throws the unknown-key error: path, "did you mean", and the keys known there.
[[noreturn]] void unknown_key(const std::string& key, const std::string& path,
                              const std::vector<std::string>& known, const std::string& node = "");

}  // namespace nnfpga::config::detail
