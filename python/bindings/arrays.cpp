#include "arrays.hpp"

#include <string>

#include "nnfpga/error.hpp"

namespace nb = nanobind;

namespace nnfpga::python {

emulate::Array to_array(const InputArray& in) {
  emulate::Array a;
  for (std::size_t i = 0; i < in.ndim(); ++i)
    a.shape.push_back(static_cast<std::int64_t>(in.shape(i)));
  a.data.assign(in.data(), in.data() + in.size());
  return a;
}

OutputArray to_numpy(std::vector<double> data, const std::vector<std::int64_t>& shape) {
  std::size_t expected = 1;
  std::vector<std::size_t> dims;
  for (std::int64_t d : shape) {
    dims.push_back(static_cast<std::size_t>(d));
    expected *= static_cast<std::size_t>(d);
  }
  if (expected != data.size()) {
    throw Error(ErrorKind::kInternal,
                "array of " + std::to_string(data.size()) + " values does not fit its shape");
  }
  auto* owned = new std::vector<double>(std::move(data));
  nb::capsule owner(owned, [](void* p) noexcept { delete static_cast<std::vector<double>*>(p); });
  return OutputArray(owned->data(), dims.size(), dims.data(), owner);
}

}  // namespace nnfpga::python
