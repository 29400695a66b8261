// Plain-text tables for the CLI's reports, and the per-layer overflow table several commands print.
#pragma once

#include <string>
#include <vector>

#include "emulate/emulator.hpp"
#include "ir/graph.hpp"

namespace nnfpga::cli {

// Columns aligned with spaces: the first left-aligned (names), the others right-aligned (numbers).
class Table {
 public:
  explicit Table(std::vector<std::string> header);
  void add(std::vector<std::string> row);
  std::string str() const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

// A number for a table: 6 significant digits, no trailing noise.
std::string format_number(double value);

// One row per layer: layer, op, values computed, result/accumulator overflows, and the parameter
// values that did not fit their types (from the quantized parameters).
std::string overflow_table(const ir::Graph& graph,
                           const std::vector<emulate::LayerOverflow>& overflows);

}  // namespace nnfpga::cli
