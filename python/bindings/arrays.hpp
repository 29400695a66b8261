// NumPy <-> the emulator's arrays. Inputs arrive as C-contiguous float64 (the Python layer
// converts), outputs leave as NumPy arrays that own the C++ buffer, without a copy.
#pragma once

#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>

#include <cstdint>
#include <vector>

#include "emulate/emulator.hpp"

namespace nnfpga::python {

using InputArray = nanobind::ndarray<const double, nanobind::c_contig, nanobind::device::cpu>;
using OutputArray = nanobind::ndarray<nanobind::numpy, double>;

emulate::Array to_array(const InputArray& in);
OutputArray to_numpy(std::vector<double> data, const std::vector<std::int64_t>& shape);
inline OutputArray to_numpy(emulate::Array a) {
  return to_numpy(std::move(a.data), a.shape);
}

}  // namespace nnfpga::python
