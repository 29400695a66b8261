// Choosing the format by extension, and the file system side of reading and writing arrays.
#include "io/array_io.hpp"

#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "io/csv.hpp"
#include "io/npy.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::io {
namespace {

enum class Format { kNpy, kCsv };

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Format format_of(const std::string& path) {
  if (ends_with(path, ".npy")) return Format::kNpy;
  if (ends_with(path, ".csv")) return Format::kCsv;
  throw Error(ErrorKind::kInput, "unknown array format: expected a .npy or .csv file",
              {.file = path});
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kInput, "cannot open the file for reading", {.file = path});
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw Error(ErrorKind::kInput, "cannot read the file", {.file = path});
  return std::move(buffer).str();
}

void check_consistent(const emulate::Array& array, const std::string& path) {
  std::int64_t count = 1;
  for (std::int64_t d : array.shape) count *= d;
  if (count != static_cast<std::int64_t>(array.data.size())) {
    throw Error(ErrorKind::kInternal,
                "array to write has " + std::to_string(array.data.size()) +
                    " values but its shape holds " + std::to_string(count),
                {.file = path});
  }
}

}  // namespace

Dtype parse_dtype(const std::string& text) {
  if (text == "float32" || text == "f4") return Dtype::kFloat32;
  if (text == "float64" || text == "f8") return Dtype::kFloat64;
  throw Error(ErrorKind::kInput, "unknown dtype '" + text + "': expected float32 or float64");
}

emulate::Array read_array(const std::string& path) {
  const Format format = format_of(path);
  const std::string bytes = read_file(path);
  return format == Format::kNpy ? parse_npy(bytes, path) : parse_csv(bytes, path);
}

void write_array(const std::string& path, const emulate::Array& array, Dtype dtype) {
  const Format format = format_of(path);
  check_consistent(array, path);
  const std::string bytes =
      format == Format::kNpy ? encode_npy(array, dtype) : encode_csv(array, dtype);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(ErrorKind::kInput, "cannot open the file for writing", {.file = path});
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw Error(ErrorKind::kInput, "cannot write the file", {.file = path});
}

}  // namespace nnfpga::io
