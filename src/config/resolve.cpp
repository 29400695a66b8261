// Per-layer resolution: every value from the most specific level that sets it (LayerName, then
// the types the model declares through its quantizers, then LayerType by op name, then LayerType
// by family, then Model, then the defaults).
#include <algorithm>
#include <vector>

#include "config/accumulator.hpp"
#include "config/config.hpp"
#include "config/defaults.hpp"
#include "config/inferred_result.hpp"
#include "config/schema.hpp"
#include "config/suggest.hpp"
#include "ir/geometry.hpp"
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

// The model's own types as a level. Each spelling's path names its source, so that an error in
// one points at the quantizer instead of a configuration key.
void read_declared(const ir::Node& node, Level& level) {
  for (const auto& [key, spelling] : node.declared_types) {
    level.precision[key] = {spelling, "the type " + node.declared_by + " declares for " + key};
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
  if (detail::in_activation_family(node.op)) {
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
    throw e.located({.node = node, .key = spelling.path});
  }
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

void check_dense_reuse(const ir::Node& node, const Sourced<int>& rf) {
  const ir::DenseGeometry g = ir::dense_geometry(node);
  const std::int64_t total = g.products();
  if (total % rf.value == 0) return;
  // The valid factors nearest to the requested one: two below and two above.
  const std::vector<std::int64_t> all = divisors(total);
  const auto above = std::upper_bound(all.begin(), all.end(), rf.value);
  std::vector<std::string> nearest;
  for (auto it = above - std::min<std::ptrdiff_t>(2, above - all.begin());
       it != all.end() && it < above + 2; ++it) {
    nearest.push_back(std::to_string(*it));
  }
  throw Error(ErrorKind::kConfig,
              "reuse factor " + std::to_string(rf.value) + " does not fit Dense layer '" +
                  node.name + "' (" + std::to_string(g.n_in) + " inputs x " + std::to_string(g.n_out) +
                  " outputs = " + std::to_string(total) + " multiplications): it must divide " +
                  std::to_string(total) + "; nearest valid: " + detail::join(nearest),
              {.node = node.name, .key = rf.path});
}

void resolve_types(const ir::Graph& graph, ir::Node& node, const Chain& chain) {
  const ir::OpInfo& info = ir::op_info(node.op);
  const bool moves_no_bits = node.op == ir::OpKind::kFlatten || node.op == ir::OpKind::kReshape;
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
  if (std::find(info.type_keys.begin(), info.type_keys.end(), "accum") != info.type_keys.end()) {
    const Sourced<std::string>* set = precision_of(chain, "accum");
    if (set && set->value != detail::kAuto) {
      node.types["accum"] = parse_checked(*set, node.name);
    } else if (node.op == ir::OpKind::kDense) {
      node.types["accum"] =
          detail::dense_accumulator(node, graph.at(node.inputs.at(0)).type("result"));
    } else {
      node.types["accum"] = detail::softmax_accumulator(node);
    }
  }
  if (!infer_result) return;
  try {
    node.types["result"] = detail::inferred_result(graph, node);
  } catch (const Error& e) {
    throw e.located({.node = node.name, .key = infer_result->path});
  }
}

void resolve_settings(ir::Node& node, const Chain& chain) {
  const ir::OpInfo& info = ir::op_info(node.op);
  node.settings = ir::LayerSettings{};
  if (auto [s, i] =
          first_set(chain, [](const Level& l) { return l.strategy ? &*l.strategy : nullptr; });
      s) {
    node.settings.strategy = s->value;
  }
  if (info.uses_table) {
    if (auto [t, i] = first_set(
            chain, [](const Level& l) { return l.table_size ? &*l.table_size : nullptr; });
        t) {
      node.settings.table_size = t->value;
    }
  }
  // Other ops have no multipliers to share: a model- or type-level factor does not apply to them
  // (hls4ml sets it at the model level for every layer); a LayerName one was refused earlier.
  if (node.op != ir::OpKind::kDense) return;
  if (auto [rf, i] = first_set(
          chain, [](const Level& l) { return l.reuse_factor ? &*l.reuse_factor : nullptr; });
      rf) {
    check_dense_reuse(node, *rf);
    node.settings.reuse_factor = rf->value;
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
