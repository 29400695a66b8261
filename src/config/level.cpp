#include "config/level.hpp"

#include <algorithm>
#include <cctype>

#include "config/layer_settings.hpp"
#include "config/suggest.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::config::detail {
namespace {

// Precision, then every setting of the settings table.
const std::vector<std::string>& level_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k = {"Precision"};
    for (const LayerSetting& s : layer_settings()) k.emplace_back(s.key);
    k.emplace_back("FifoDepth");
    return k;
  }();
  return keys;
}

// YAML reads `{weight: ap_fixed<8,3>}` as weight: "ap_fixed<8" plus a key "3>": say why.
std::string flow_hint(std::string_view text) {
  const bool split =
      (text.find('<') != std::string_view::npos && text.find('>') == std::string_view::npos) ||
      (!text.empty() && text.back() == '>' && text.find('<') == std::string_view::npos);
  return split ? "; a type inside a YAML flow mapping {...} must be quoted, since the comma "
                 "splits it: {weight: 'ap_fixed<8,3>'}"
               : "";
}

std::string type_text(const LevelScope& scope, const std::string& path, const Tree& value,
                      const std::string& key) {
  if (!value.is_string()) {
    fail(scope, path, "expected a type such as ap_fixed<16,6>, got " + value.dump());
  }
  const std::string& text = value.get_ref<const std::string&>();
  if (text == kAuto && key != "accum" && key != "result") {
    fail(scope, path,
         "'auto' (inferred) is accepted for accum and result only; give a type such as "
         "ap_fixed<16,6>");
  }
  return text;
}

void parse_precision(const Tree& value, const LevelScope& scope, Level& level) {
  const std::string path = scope.path + ".Precision";
  if (value.is_string()) {
    const std::string text = type_text(scope, path, value, "");
    for (const std::string& key : scope.type_keys) {
      if (set_by_single_type(key)) level.precision[key] = {text, path};
    }
    return;
  }
  if (!value.is_object()) {
    fail(scope, path, "expected a type or a map of types by key (" + join(precision_keys()) + ")");
  }
  for (const auto& [key, type] : value.items()) {
    const std::string key_path = path + "." + key;
    if (!contains(precision_keys(), key)) {
      throw Error(ErrorKind::kConfig,
                  "unknown precision key '" + key + "'" + did_you_mean(key, precision_keys()) +
                      "; known keys: " + join(precision_keys()) + flow_hint(key),
                  {.node = scope.node, .key = key_path});
    }
    if (!contains(scope.type_keys, key)) {
      fail(scope, key_path,
           scope.what + " has no '" + key + "' type; its types: " + join(scope.type_keys));
    }
    level.precision[key] = {type_text(scope, key_path, type, key), key_path};
  }
}

std::int64_t fifo_depth_value(const Tree& value, const LevelScope& scope, const std::string& path,
                              const std::string& fifo) {
  if (!value.is_number_integer() || value.get<std::int64_t>() < 1 ||
      value.get<std::int64_t>() > (std::int64_t{1} << 24)) {
    fail(scope, path,
         "the depth of FIFO " + fifo + " must be an integer from 1 to 16777216 beats, got " +
             value.dump());
  }
  return value.get<std::int64_t>();
}

// FifoDepth: N (every FIFO carrying the layer's output) or {<reader>: N, ...} (the FIFO into
// that reader, when the output fans out). The readers are checked against the plan's FIFOs when
// the plan is made (plan/stream_plan.cpp), which knows them.
void parse_fifo_depth(const Tree& value, const LevelScope& scope, const std::string& path,
                      Level& level) {
  if (!scope.is_layer_name) {
    fail(scope, path,
         "FifoDepth sizes the FIFOs of one layer's output: set it under LayerName.<layer>, not "
         "for " +
             scope.what);
  }
  FifoDepthSetting setting;
  if (value.is_object()) {
    for (const auto& [reader, depth] : value.items()) {
      setting.by_consumer[reader] =
          fifo_depth_value(depth, scope, path + "." + reader, scope.node + " -> " + reader);
    }
  } else {
    setting.all = fifo_depth_value(value, scope, path, "out of " + scope.node);
  }
  level.fifo_depth = Sourced<FifoDepthSetting>{setting, path};
}

void parse_setting(const std::string& key, const Tree& value, const LevelScope& scope,
                   Level& level) {
  const std::string path = scope.path + "." + key;
  if (key == "Precision") {
    parse_precision(value, scope, level);
    return;
  }
  if (key == "FifoDepth") {
    parse_fifo_depth(value, scope, path, level);
    return;
  }
  const LayerSetting& setting = *find_layer_setting(key);
  setting.parse(value, scope, path, level);
  if (!scope.is_layer_name || scope.op == nullptr || setting.applies_to(*scope.op)) return;
  const bool refused = setting.elsewhere == Elsewhere::kRefused ||
                       (setting.elsewhere == Elsewhere::kRefusedUnlessDefault &&
                        setting.value(ir::LayerSettings{}) != value);
  if (refused) {
    fail(scope, path,
         std::string(setting.refusal_before) + scope.what + std::string(setting.refusal_after));
  }
}

}  // namespace

[[noreturn]] void fail(const LevelScope& scope, const std::string& path, const std::string& what) {
  throw Error(ErrorKind::kConfig, what, {.node = scope.node, .key = path});
}

void unknown_key(const std::string& key, const std::string& path,
                 const std::vector<std::string>& known, const std::string& node) {
  throw Error(
      ErrorKind::kConfig,
      "unknown key '" + key + "'" + did_you_mean(key, known) + "; known keys here: " + join(known),
      {.node = node, .key = path});
}

Level parse_level(const Tree& body, const LevelScope& scope,
                  const std::vector<std::string>& also_allowed) {
  Level level;
  if (body.is_null()) return level;
  if (!body.is_object()) {
    fail(scope, scope.path, "expected a section (a map of keys), got " + body.dump());
  }
  for (const auto& [key, value] : body.items()) {
    if (contains(also_allowed, key)) continue;
    if (!contains(level_keys(), key)) {
      std::vector<std::string> known = level_keys();
      known.insert(known.end(), also_allowed.begin(), also_allowed.end());
      unknown_key(key, scope.path + "." + key, known, scope.node);
    }
    parse_setting(key, value, scope, level);
  }
  return level;
}

}  // namespace nnfpga::config::detail
