// Candidates as configurations, and the knobs of a model.
#include "tune/candidate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ir/op_table.hpp"

namespace nnfpga::tune {
namespace {

config::Tree layer_entry(const LayerChoice& choice) {
  config::Tree entry = config::Tree::object();
  if (!choice.types.empty()) {
    config::Tree precision = config::Tree::object();
    for (const auto& [kind, type] : choice.types) precision[kind] = fixed::to_string(type);
    entry["Precision"] = precision;
  }
  if (choice.reuse_factor > 0) entry["ReuseFactor"] = choice.reuse_factor;
  if (!choice.strategy.empty()) entry["Strategy"] = choice.strategy;
  return entry;
}

// Where Model and LayerName live in `tree`: inside HLSConfig when the base has it, since a file
// may not use both places.
config::Tree& levels_of(config::Tree& tree) {
  if (tree.is_object() && tree.contains("HLSConfig")) return tree["HLSConfig"];
  return tree;
}

std::string short_type(const fixed::FixedType& t) {
  return fmt::format("{}<{},{}>", t.is_signed ? "" : "u", t.width, t.integer);
}

}  // namespace

config::Tree to_config(const config::Tree& base, const Candidate& candidate) {
  config::Tree tree = base.is_object() ? base : config::Tree::object();
  config::Tree& levels = levels_of(tree);
  if (!candidate.model_precision.empty()) {
    config::Tree overlay = {{"Model", {{"Precision", candidate.model_precision}}}};
    levels = config::merge(levels, overlay);
  }
  for (const auto& [layer, choice] : candidate.layers) {
    config::Tree overlay = {{"LayerName", {{layer, layer_entry(choice)}}}};
    levels = config::merge(levels, overlay);
  }
  return tree;
}

std::string describe(const Candidate& candidate) {
  if (!candidate.model_precision.empty()) return "uniform " + candidate.model_precision;
  std::string text;
  for (const auto& [layer, choice] : candidate.layers) {
    if (!text.empty()) text += "; ";
    text += layer + ":";
    for (const auto& [kind, type] : choice.types) {
      text.append(" ").append(kind.substr(0, 1)).append(short_type(type));
    }
    if (choice.reuse_factor > 1) text.append(" rf").append(std::to_string(choice.reuse_factor));
    if (choice.strategy == "Resource") text += " res";
  }
  return text;
}

Candidate wide_candidate(const std::vector<Knob>& knobs, int fraction_bits) {
  Candidate c;
  for (const Knob& k : knobs) {
    const int width = std::clamp(k.integer + fraction_bits, k.is_signed ? 2 : 1, 64);
    c.layers[k.layer].types[k.kind] = fixed::make_fixed(width, k.integer, k.is_signed);
  }
  return c;
}

int integer_bits_for(double max_abs, bool is_signed) {
  if (!(max_abs > 0)) return is_signed ? 1 : 0;
  // The smallest I with 2^(I-1) > max_abs (signed) or 2^I > max_abs (unsigned).
  const int magnitude = static_cast<int>(std::floor(std::log2(max_abs))) + 1;
  return is_signed ? magnitude + 1 : magnitude;
}

std::vector<Knob> make_knobs(const ir::Graph& configured,
                             const std::map<std::string, ValueRange>& ranges, int margin_bits,
                             bool allow_qat_changes, std::vector<std::string>& notes) {
  std::vector<Knob> knobs;
  std::string kept;
  for (const ir::Node& node : configured.nodes) {
    const ir::OpInfo& info = ir::op_info(node.op);
    for (const char* kind : {"weight", "bias", "result"}) {
      if (!node.types.contains(kind)) continue;
      const bool is_result = std::string_view(kind) == "result";
      if (is_result && info.result_source != ir::ResultSource::kOwn) continue;
      if (!allow_qat_changes && node.declared_types.contains(kind)) {
        kept += (kept.empty() ? "" : ", ") + node.name + "." + kind;
        continue;
      }
      ValueRange range;
      if (is_result) {
        const auto it = ranges.find(node.name);
        if (it == ranges.end()) continue;  // not traced: leave it to the base configuration
        range = it->second;
      } else {
        for (double v : node.param(kind).data) {
          range.max_abs = std::max(range.max_abs, std::abs(v));
          range.negative = range.negative || v < 0;
        }
      }
      Knob knob{.layer = node.name, .kind = kind};
      knob.is_signed = range.negative;
      knob.floor_integer = integer_bits_for(range.max_abs, knob.is_signed);
      // Parameters are known exactly: they need no margin.
      knob.integer = knob.floor_integer + (is_result ? margin_bits : 0);
      knobs.push_back(knob);
    }
  }
  if (!kept.empty()) {
    notes.push_back(
        "kept as the quantization-aware model declares them (--allow-qat-changes "
        "searches them too): " +
        kept);
  }
  return knobs;
}

}  // namespace nnfpga::tune
