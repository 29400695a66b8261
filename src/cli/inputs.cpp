#include "cli/inputs.hpp"

#include <string>
#include <vector>

#include "io/array_io.hpp"
#include "ir/tensor.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::cli {
namespace {

std::string names_of(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

emulate::Array fit_to_shape(emulate::Array array, const ir::Shape& shape, const std::string& what) {
  if (array.shape.empty()) {
    throw Error(ErrorKind::kInput,
                "a scalar cannot be an input: the first axis of the array is the batch",
                {.file = what});
  }
  const ir::Shape sample(array.shape.begin() + 1, array.shape.end());
  if (sample == shape) return array;
  if (ir::element_count(sample) != ir::element_count(shape)) {
    if (ir::element_count(array.shape) == ir::element_count(shape)) {
      ir::Shape batched{1};
      batched.insert(batched.end(), shape.begin(), shape.end());
      throw Error(ErrorKind::kInput,
                  "array of shape " + ir::to_string(array.shape) +
                      " holds one sample of the model input " + ir::to_string(shape) +
                      " without a batch axis: the first axis is the batch; reshape it to " +
                      ir::to_string(batched) + " (x[None] or x.reshape(1, -1) in NumPy)",
                  {.file = what});
    }
    throw Error(ErrorKind::kInput,
                "array of shape " + ir::to_string(array.shape) + " does not fit the model input " +
                    ir::to_string(shape) + " (the first axis is the batch; each sample needs " +
                    std::to_string(ir::element_count(shape)) + " values, in that shape or flat)",
                {.file = what});
  }
  ir::Shape fitted{array.shape[0]};
  fitted.insert(fitted.end(), shape.begin(), shape.end());
  array.shape = fitted;
  return array;
}

std::vector<emulate::Array> read_inputs(const ir::Graph& graph,
                                        const std::vector<std::string>& paths,
                                        emulate::ArrayLayout layout) {
  if (paths.size() != graph.inputs.size()) {
    throw Error(ErrorKind::kInput, "the model has " + std::to_string(graph.inputs.size()) +
                                       " input(s) (" + names_of(graph.inputs) + ") but " +
                                       std::to_string(paths.size()) +
                                       " input file(s) were given: give -i once per input");
  }
  std::vector<emulate::Array> arrays;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const ir::Shape shape = emulate::shape_in_layout(graph, graph.inputs[i], layout);
    arrays.push_back(fit_to_shape(io::read_array(paths[i]), shape, paths[i]));
    if (arrays.back().shape[0] != arrays.front().shape[0]) {
      throw Error(ErrorKind::kInput,
                  "batch size " + std::to_string(arrays.back().shape[0]) +
                      " differs from the first input's " + std::to_string(arrays.front().shape[0]),
                  {.file = paths[i]});
    }
  }
  return arrays;
}

std::int64_t batch_of(const std::vector<emulate::Array>& arrays) {
  return arrays.empty() || arrays.front().shape.empty() ? 0 : arrays.front().shape[0];
}

}  // namespace nnfpga::cli
