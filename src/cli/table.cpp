#include "cli/table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "ir/op_table.hpp"

namespace nnfpga::cli {

Table::Table(std::vector<std::string> header) {
  rows_.push_back(std::move(header));
}

void Table::add(std::vector<std::string> row) {
  row.resize(rows_.front().size());
  rows_.push_back(std::move(row));
}

std::string Table::str() const {
  std::vector<std::size_t> widths(rows_.front().size(), 0);
  for (const auto& row : rows_) {
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  std::string out;
  for (const auto& row : rows_) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) line += "  ";
      line += c == 0 ? fmt::format("{:<{}}", row[c], widths[c])
                     : fmt::format("{:>{}}", row[c], widths[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + '\n';
  }
  return out;
}

std::string format_number(double value) {
  return fmt::format("{:.6g}", value);
}

std::string overflow_table(const ir::Graph& graph,
                           const std::vector<emulate::LayerOverflow>& overflows) {
  Table table({"layer", "op", "values", "result_overflows", "accum_overflows", "param_overflows",
               "quantizer_clips"});
  for (const emulate::LayerOverflow& o : overflows) {
    std::string op = "-";
    std::int64_t param_overflows = 0;
    if (const ir::Node* node = graph.find(o.layer)) {
      op = std::string(ir::op_name(node->op));
      for (const auto& [key, q] : node->qparams) param_overflows += q.overflows;
    }
    table.add({o.layer, op, std::to_string(o.values), std::to_string(o.result_overflows),
               std::to_string(o.accum_overflows), std::to_string(param_overflows),
               std::to_string(o.quantizer_clips)});
  }
  return table.str();
}

}  // namespace nnfpga::cli
