// Checking the arrays a user passes against the graph's inputs, before any thread starts, so
// that an error names the input and the row.
#include <cmath>

#include "emulate/program.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::emulate {

std::int64_t check_inputs(const ir::Graph& graph, const std::vector<Array>& inputs, bool finite) {
  if (inputs.size() != graph.inputs.size()) {
    throw Error(ErrorKind::kInput, "the graph has " + std::to_string(graph.inputs.size()) +
                                       " inputs, " + std::to_string(inputs.size()) + " given");
  }
  std::int64_t batch = -1;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const ir::Node& node = graph.at(graph.inputs[i]);
    const Array& a = inputs[i];
    const ir::Shape expected = node.output_shape;
    const bool shape_ok = !a.shape.empty() && a.shape[0] >= 0 &&
                          ir::Shape(a.shape.begin() + 1, a.shape.end()) == expected;
    if (!shape_ok || (batch >= 0 && a.shape[0] != batch) ||
        static_cast<std::int64_t>(a.data.size()) != a.shape[0] * ir::element_count(expected)) {
      throw Error(ErrorKind::kInput,
                  "input '" + node.name + "' has shape " + ir::to_string(a.shape) + " and " +
                      std::to_string(a.data.size()) + " values; expected [batch] + " +
                      ir::to_string(expected) + " with the other inputs' batch",
                  {.node = node.name});
    }
    batch = a.shape[0];
    if (!finite) continue;
    const std::int64_t row_size = ir::element_count(expected);
    for (std::size_t k = 0; k < a.data.size(); ++k) {
      if (!std::isfinite(a.data[k])) {
        throw Error(ErrorKind::kInput,
                    "input '" + node.name + "' row " + std::to_string(k / row_size) + " holds " +
                        (std::isnan(a.data[k]) ? "NaN" : "infinity") +
                        ", which has no fixed-point value",
                    {.node = node.name});
      }
    }
  }
  return std::max<std::int64_t>(batch, 0);
}

}  // namespace nnfpga::emulate
