// The NumPy .npy format (versions 1.0, 2.0 and 3.0), in memory. Reading accepts C-ordered arrays of
// bool, signed and unsigned integers (1, 2, 4, 8 bytes) and float32/float64 in either byte order;
// every value becomes a double. Writing produces version 1.0 (2.0 for huge headers),
// little-endian float32 or float64.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "emulate/emulator.hpp"
#include "io/array_io.hpp"

namespace nnfpga::io {

// The header dictionary of a .npy file.
struct NpyHeader {
  std::string descr;  // e.g. "<f4"
  bool fortran_order = false;
  std::vector<std::int64_t> shape;
};

// Parses the header dictionary text ("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3),
// }"). Throws nnfpga::Error (kInput) naming `origin` when it is malformed.
NpyHeader parse_npy_header(std::string_view text, const std::string& origin);

// The header dictionary text for a C-ordered array, without padding.
std::string format_npy_header(const std::string& descr, const std::vector<std::int64_t>& shape);

// Decodes a whole .npy file. Throws nnfpga::Error (kInput) naming `origin` when it is malformed,
// truncated, Fortran-ordered or of an unsupported dtype; never allocates more than the file holds.
emulate::Array parse_npy(std::string_view bytes, const std::string& origin);

// Encodes an array as a .npy file.
std::string encode_npy(const emulate::Array& array, Dtype dtype);

}  // namespace nnfpga::io
