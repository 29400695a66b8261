#include "ir/tensor.hpp"

#include <algorithm>

#include "nnfpga/error.hpp"

namespace nnfpga::ir {

std::int64_t element_count(const Shape& shape) {
  std::int64_t n = 1;
  for (std::int64_t d : shape) {
    // A shape read from a file can be anything: its count must not be undefined behaviour.
    if (__builtin_mul_overflow(n, d, &n)) {
      throw Error(ErrorKind::kInput,
                  "the shape " + to_string(shape) + " has more elements than 64 bits count");
    }
  }
  return n;
}

std::string to_string(const Shape& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

Tensor make_tensor(Shape shape, std::vector<double> data) {
  if (element_count(shape) != static_cast<std::int64_t>(data.size())) {
    throw Error(ErrorKind::kInternal, "tensor of shape " + to_string(shape) + " given " +
                                          std::to_string(data.size()) + " values");
  }
  return Tensor{std::move(shape), std::move(data)};
}

Tensor broadcast_to(const Tensor& t, const Shape& shape) {
  if (t.shape == shape) return t;
  if (t.shape.size() > shape.size()) {
    throw Error(ErrorKind::kInput,
                "cannot broadcast " + to_string(t.shape) + " to " + to_string(shape));
  }
  // Align trailing axes, as numpy does.
  const std::size_t offset = shape.size() - t.shape.size();
  for (std::size_t i = 0; i < t.shape.size(); ++i) {
    if (t.shape[i] != 1 && t.shape[i] != shape[offset + i]) {
      throw Error(ErrorKind::kInput,
                  "cannot broadcast " + to_string(t.shape) + " to " + to_string(shape));
    }
  }
  Tensor out{shape, std::vector<double>(static_cast<std::size_t>(element_count(shape)))};
  std::vector<std::int64_t> index(shape.size(), 0);
  for (double& v : out.data) {
    std::int64_t src = 0;
    for (std::size_t i = 0; i < t.shape.size(); ++i) {
      const std::int64_t d = t.shape[i] == 1 ? 0 : index[offset + i];
      src = src * t.shape[i] + d;
    }
    v = t.data[static_cast<std::size_t>(src)];
    for (std::size_t k = shape.size(); k-- > 0;) {
      if (++index[k] < shape[k]) break;
      index[k] = 0;
    }
  }
  return out;
}

}  // namespace nnfpga::ir
