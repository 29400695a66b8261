#include "config/layer_settings.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "config/suggest.hpp"
#include "ir/geometry.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::config::detail {
namespace {

int positive_int(const Tree& value, const LevelScope& scope, const std::string& path) {
  if (!value.is_number_integer() || value.get<std::int64_t>() < 1 ||
      value.get<std::int64_t>() > (1LL << 30)) {
    fail(scope, path, "expected an integer >= 1, got " + value.dump());
  }
  return static_cast<int>(value.get<std::int64_t>());
}

std::vector<std::int64_t> divisors(std::int64_t n) {
  std::vector<std::int64_t> out;
  for (std::int64_t d = 1; d * d <= n; ++d) {
    if (n % d) continue;
    out.push_back(d);
    if (d != n / d) out.push_back(n / d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The divisors of `total` nearest to `value` (which does not divide it): two below, two above.
std::string nearest_divisors(std::int64_t total, int value) {
  const std::vector<std::int64_t> all = divisors(total);
  const auto above = std::upper_bound(all.begin(), all.end(), value);
  std::vector<std::string> nearest;
  for (auto it = above - std::min<std::ptrdiff_t>(2, above - all.begin());
       it != all.end() && it < above + 2; ++it) {
    nearest.push_back(std::to_string(*it));
  }
  return join(nearest);
}

// A reuse factor shares each multiplier among that many products: it must divide them.
void check_reuse_factor(const ir::Node& node, const Sourced<int>& rf) {
  const ir::DenseGeometry g = ir::weighted_sum_geometry(node);
  const std::int64_t total = g.products();
  if (total % rf.value == 0) return;
  throw Error(ErrorKind::kConfig,
              "reuse factor " + std::to_string(rf.value) + " does not fit " +
                  std::string(ir::op_name(node.op)) + " layer '" + node.name + "' (" +
                  std::to_string(g.n_in) + " inputs x " + std::to_string(g.n_out) +
                  " outputs = " + std::to_string(total) + " multiplications): it must divide " +
                  std::to_string(total) + "; nearest valid: " + nearest_divisors(total, rf.value),
              {.node = node.name, .key = rf.path});
}

// A convolution computes its output positions `pf` at a time: pf must divide them.
void check_parallelization_factor(const ir::Node& node, const Sourced<int>& pf) {
  const std::int64_t positions = ir::weighted_sum_geometry(node).positions;
  if (positions % pf.value == 0) return;
  throw Error(ErrorKind::kConfig,
              "parallelization factor " + std::to_string(pf.value) + " does not fit " +
                  std::string(ir::op_name(node.op)) + " layer '" + node.name + "' (" +
                  std::to_string(positions) + " output positions): it must divide " +
                  std::to_string(positions) +
                  "; nearest valid: " + nearest_divisors(positions, pf.value),
              {.node = node.name, .key = pf.path});
}

ir::ConvImplementation parse_conv_implementation(const Tree& value, const LevelScope& scope,
                                                 const std::string& path) {
  std::string text = value.is_string() ? value.get<std::string>() : "";
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (text == "linebuffer") return ir::ConvImplementation::kLineBuffer;
  fail(scope, path,
       "expected LineBuffer (the one convolution implementation nnfpga has; hls4ml's Encoded is "
       "not implemented), got " +
           value.dump());
}

ir::Strategy parse_strategy(const Tree& value, const LevelScope& scope, const std::string& path) {
  std::string text = value.is_string() ? value.get<std::string>() : "";
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (text == "latency") return ir::Strategy::kLatency;
  if (text == "resource") return ir::Strategy::kResource;
  fail(scope, path, "expected Latency or Resource, got " + value.dump());
}

const std::array<LayerSetting, 5> kSettings = {{
    {.key = "ReuseFactor",
     .applies_to = [](const ir::OpInfo& op) { return op.shares_multipliers; },
     .elsewhere = Elsewhere::kRefusedUnlessDefault,
     .refusal_before = "a reuse factor applies to Dense and convolution layers only; ",
     .refusal_after = " has no multipliers to share",
     .in_layer_entries = true,
     .parse =
         [](const Tree& v, const LevelScope& scope, const std::string& path, Level& level) {
           level.reuse_factor = Sourced<int>{positive_int(v, scope, path), path};
         },
     .is_set = [](const Level& l) { return l.reuse_factor.has_value(); },
     .apply =
         [](const Level& l, ir::Node& node) {
           check_reuse_factor(node, *l.reuse_factor);
           node.settings.reuse_factor = l.reuse_factor->value;
         },
     .value = [](const ir::LayerSettings& s) { return Tree(s.reuse_factor); },
     .resolved_everywhere = true},
    {.key = "Strategy",
     .applies_to = [](const ir::OpInfo&) { return true; },
     .elsewhere = Elsewhere::kIgnored,
     .refusal_before = "",
     .refusal_after = "",
     .in_layer_entries = false,
     .parse =
         [](const Tree& v, const LevelScope& scope, const std::string& path, Level& level) {
           level.strategy = Sourced<ir::Strategy>{parse_strategy(v, scope, path), path};
         },
     .is_set = [](const Level& l) { return l.strategy.has_value(); },
     .apply = [](const Level& l, ir::Node& node) { node.settings.strategy = l.strategy->value; },
     .value = [](const ir::LayerSettings& s) { return Tree(ir::to_string(s.strategy)); },
     .resolved_everywhere = true},
    {.key = "TableSize",
     .applies_to = [](const ir::OpInfo& op) { return op.uses_table; },
     .elsewhere = Elsewhere::kRefused,
     .refusal_before = "",
     .refusal_after = " uses no lookup table",
     .in_layer_entries = true,
     .parse =
         [](const Tree& v, const LevelScope& scope, const std::string& path, Level& level) {
           const int size = positive_int(v, scope, path);
           if (size < 2 || size > 65536 || (size & (size - 1)) != 0) {
             fail(scope, path,
                  "a table size must be a power of two from 2 to 65536, got " +
                      std::to_string(size));
           }
           level.table_size = Sourced<int>{size, path};
         },
     .is_set = [](const Level& l) { return l.table_size.has_value(); },
     .apply = [](const Level& l,
                 ir::Node& node) { node.settings.table_size = l.table_size->value; },
     .value = [](const ir::LayerSettings& s) { return Tree(s.table_size); },
     .resolved_everywhere = false},
    {.key = "ParallelizationFactor",
     .applies_to = [](const ir::OpInfo& op) { return op.slides_window; },
     .elsewhere = Elsewhere::kRefusedUnlessDefault,
     .refusal_before = "a parallelization factor applies to convolution layers only; ",
     .refusal_after = " has no output positions to compute in parallel",
     .in_layer_entries = true,
     .parse =
         [](const Tree& v, const LevelScope& scope, const std::string& path, Level& level) {
           level.parallelization_factor = Sourced<int>{positive_int(v, scope, path), path};
         },
     .is_set = [](const Level& l) { return l.parallelization_factor.has_value(); },
     .apply =
         [](const Level& l, ir::Node& node) {
           check_parallelization_factor(node, *l.parallelization_factor);
           node.settings.parallelization_factor = l.parallelization_factor->value;
         },
     .value = [](const ir::LayerSettings& s) { return Tree(s.parallelization_factor); },
     .resolved_everywhere = false},
    {.key = "ConvImplementation",
     .applies_to = [](const ir::OpInfo& op) { return op.slides_window; },
     .elsewhere = Elsewhere::kRefusedUnlessDefault,
     .refusal_before = "a convolution implementation applies to convolution layers only; ",
     .refusal_after = " is no convolution",
     .in_layer_entries = true,
     .parse =
         [](const Tree& v, const LevelScope& scope, const std::string& path, Level& level) {
           level.conv_implementation =
               Sourced<ir::ConvImplementation>{parse_conv_implementation(v, scope, path), path};
         },
     .is_set = [](const Level& l) { return l.conv_implementation.has_value(); },
     .apply =
         [](const Level& l, ir::Node& node) {
           node.settings.conv_implementation = l.conv_implementation->value;
         },
     .value = [](const ir::LayerSettings& s) { return Tree(ir::to_string(s.conv_implementation)); },
     .resolved_everywhere = false},
}};

}  // namespace

std::span<const LayerSetting> layer_settings() {
  return kSettings;
}

const LayerSetting* find_layer_setting(std::string_view key) {
  for (const LayerSetting& s : kSettings) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

}  // namespace nnfpga::config::detail
