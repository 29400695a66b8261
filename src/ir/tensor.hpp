// Shapes and constant tensors of the IR. Shapes never include the batch axis.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nnfpga::ir {

using Shape = std::vector<std::int64_t>;

std::int64_t element_count(const Shape& shape);
std::string to_string(const Shape& shape);  // "[16, 64]"

// A constant tensor in float precision (the trained value); row-major.
struct Tensor {
  Shape shape;
  std::vector<double> data;

  std::int64_t size() const { return static_cast<std::int64_t>(data.size()); }
  bool operator==(const Tensor&) const = default;
};

Tensor make_tensor(Shape shape, std::vector<double> data);  // checks the element count

// Numpy-style broadcast of `t` to `shape`. Throws nnfpga::Error when the shapes are incompatible.
Tensor broadcast_to(const Tensor& t, const Shape& shape);

}  // namespace nnfpga::ir
