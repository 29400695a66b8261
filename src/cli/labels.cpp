#include "cli/labels.hpp"

#include <cmath>

#include "cli/table.hpp"
#include "io/array_io.hpp"
#include "ir/tensor.hpp"
#include "nnfpga/error.hpp"
#include "tune/quality.hpp"

namespace nnfpga::cli {

std::vector<std::int64_t> read_labels(const std::string& path, std::int64_t batch) {
  const emulate::Array labels = io::read_array(path);
  if (labels.shape.empty() || labels.shape[0] != batch) {
    throw Error(ErrorKind::kInput,
                "labels of shape " + ir::to_string(labels.shape) + " do not match the " +
                    std::to_string(batch) + " input samples",
                {.file = path});
  }
  if (labels.data.size() != static_cast<std::size_t>(batch)) {
    return tune::classes_of(labels, 0.5);  // one-hot rows
  }
  std::vector<std::int64_t> classes;
  for (std::size_t i = 0; i < labels.data.size(); ++i) {
    const double v = labels.data[i];
    if (!(v >= 0 && v < 1e15) || v != std::floor(v)) {
      throw Error(ErrorKind::kInput,
                  "label " + std::to_string(i) + " is " + format_number(v) +
                      ": labels must be class indices (non-negative integers) or one-hot rows",
                  {.file = path});
    }
    classes.push_back(static_cast<std::int64_t>(v));
  }
  return classes;
}

}  // namespace nnfpga::cli
