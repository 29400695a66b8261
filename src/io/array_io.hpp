// Reading and writing batches of values (emulate::Array) as NumPy .npy or CSV files, for the CLI
// and the tests. The format is chosen by the file's extension.
#pragma once

#include <string>

#include "emulate/emulator.hpp"

namespace nnfpga::io {

// The element type written to a .npy file (CSV is text, printed with enough digits to read the
// value back exactly in that precision).
enum class Dtype { kFloat32, kFloat64 };

// Parses "float32" / "float64" (also "f4", "f8"); throws nnfpga::Error (kInput) otherwise.
Dtype parse_dtype(const std::string& text);

// Reads a .npy or .csv file. Throws nnfpga::Error (kInput) naming the file for an unknown
// extension, an unreadable file or malformed contents.
emulate::Array read_array(const std::string& path);

// Writes a .npy or .csv file. Throws nnfpga::Error (kInput) naming the file when it cannot be
// written or has an unknown extension.
void write_array(const std::string& path, const emulate::Array& array,
                 Dtype dtype = Dtype::kFloat32);

}  // namespace nnfpga::io
