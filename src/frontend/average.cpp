#include "frontend/average.hpp"

#include <fmt/format.h>

namespace nnfpga::frontend {

bool average_is_shift(std::size_t n) {
  return n >= 2 && (n & (n - 1)) == 0;
}

ir::Node exact_sum_node(std::vector<std::string> inputs) {
  ir::Node n;
  n.op = ir::OpKind::kAdd;
  const std::size_t count = inputs.size();
  n.inputs = std::move(inputs);
  n.declared_types["result"] = "auto";
  n.declared_by = fmt::format("an average of {} inputs (its exact sum)", count);
  return n;
}

ir::Node reciprocal_scale_node(const std::string& sum, std::size_t n) {
  ir::Node node;
  node.op = ir::OpKind::kMulConstant;
  node.inputs = {sum};
  node.params["value"] = ir::make_tensor({}, {1.0 / static_cast<double>(n)});
  return node;
}

}  // namespace nnfpga::frontend
