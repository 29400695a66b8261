// The op table: one row per OpKind, the single description every consumer relies on.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "ir/graph.hpp"

namespace nnfpga::ir {

// A parameter tensor of an op and the precision key its values are quantized with.
struct ParamInfo {
  std::string_view name;
  std::string_view type_key;
};

// OpInfo::num_inputs of the ops that take two or more inputs.
inline constexpr int kVariadic = -1;

using ShapeRule = Shape (*)(const Node& node, const std::vector<Shape>& inputs);

struct OpInfo {
  OpKind kind;
  std::string_view name;  // "Dense"; also the LayerType key of the configuration
  int num_inputs;         // activation inputs once constants are folded into params, or kVariadic
  std::vector<ParamInfo> params;
  std::vector<std::string_view> type_keys;  // types config must resolve (params' keys included)
  std::vector<std::string_view> attributes;
  // False for the ops that canonicalization must remove (MatMul, Identity, ...): consumers
  // behind the passes never see them.
  bool canonical;
  // Lookup-table ops use settings.table_size.
  bool uses_table;
  ShapeRule shape_rule;
};

const OpInfo& op_info(OpKind kind);
std::span<const OpInfo> all_ops();
std::optional<OpKind> op_kind_from_name(std::string_view name);
inline std::string_view op_name(OpKind kind) {
  return op_info(kind).name;
}

}  // namespace nnfpga::ir
