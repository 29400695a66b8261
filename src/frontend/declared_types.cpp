#include "frontend/declared_types.hpp"

#include <algorithm>
#include <climits>
#include <cmath>

namespace nnfpga::frontend {

std::optional<fixed::FixedType> exact_type_of(const ir::Tensor& t) {
  int frac = INT_MIN;     // fraction bits of the finest value
  int top_bit = INT_MIN;  // exponent of the largest magnitude's leading bit
  for (double v : t.data) {
    if (!std::isfinite(v)) return std::nullopt;
    if (v == 0) continue;
    int exponent = 0;
    double m = std::frexp(std::fabs(v), &exponent);  // |v| = m * 2^exponent, m in [0.5, 1)
    top_bit = std::max(top_bit, exponent - 1);
    // The lowest set bit of the 53-bit significand.
    int lowest = exponent - 53;
    auto significand = static_cast<std::uint64_t>(std::ldexp(m, 53));
    while ((significand & 1) == 0) {
      significand >>= 1;
      ++lowest;
    }
    frac = std::max(frac, -lowest);
  }
  if (top_bit == INT_MIN) return fixed::make_fixed(2, 2);  // all zeros
  // Signed: the leading bit needs one bit above it for the sign (-2^k itself would fit in one
  // fewer, but one spare bit keeps the rule simple).
  const int integer = top_bit + 2;
  const int width = integer + frac;
  if (width > fixed::kMaxTypeWidth || width < 1) return std::nullopt;
  return fixed::make_fixed(width, integer);
}

void declare_quantized_inputs(ir::Graph& graph) {
  for (const std::string& input : graph.inputs) {
    ir::Node* node = graph.find(input);
    if (!node || !node->declared_types.empty()) continue;
    std::optional<std::string> type;
    bool all = true;
    for (const ir::Node* consumer : graph.consumers(input)) {
      auto it = consumer->declared_types.find("result");
      if (consumer->op != ir::OpKind::kQuantize || it == consumer->declared_types.end() ||
          it->second == "auto" || (type && *type != it->second)) {
        all = false;
        break;
      }
      type = it->second;
      node->declared_by = consumer->declared_by;
    }
    if (all && type) {
      node->declared_types["result"] = *type;
    } else {
      node->declared_by.clear();
    }
  }
}

}  // namespace nnfpga::frontend
