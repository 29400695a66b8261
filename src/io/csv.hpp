// Arrays as CSV text: one sample per row, comma-separated numbers, an optional first row of column
// names.
#pragma once

#include <string>
#include <string_view>

#include "emulate/emulator.hpp"
#include "io/array_io.hpp"

namespace nnfpga::io {

// Parses CSV text into a [rows, columns] array. A first row holding any non-numeric field is taken
// as a header and skipped; blank lines are skipped. Throws nnfpga::Error (kInput) naming `origin`,
// the line and the column of a bad field, or a row of the wrong length.
emulate::Array parse_csv(std::string_view text, const std::string& origin);

// One row per sample (shape[0]); the remaining axes are flattened into the columns. Values are
// printed with %.9g (float32) or %.17g (float64), enough to read them back exactly.
std::string encode_csv(const emulate::Array& array, Dtype dtype);

}  // namespace nnfpga::io
