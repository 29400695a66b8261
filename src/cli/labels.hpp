// Reading class labels for the commands that score a classifier (evaluate, tune).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nnfpga::cli {

// Labels as class indices: integers in a [N] or [N, 1] array, or the argmax of one-hot rows.
// Throws nnfpga::Error (kInput) naming the file when the count is not `batch` or a label is not a
// class index.
std::vector<std::int64_t> read_labels(const std::string& path, std::int64_t batch);

}  // namespace nnfpga::cli
