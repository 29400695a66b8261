// CSV arrays. Numbers are parsed with std::from_chars, which ignores the locale, so "1.5" means
// the same everywhere.
#include "io/csv.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nnfpga/error.hpp"

namespace nnfpga::io {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    fields.push_back(trim(line.substr(start, comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return fields;
}

bool parse_number(std::string_view field, double& value) {
  if (!field.empty() && field.front() == '+') field.remove_prefix(1);  // from_chars refuses '+'
  if (field.empty()) return false;
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  return ec == std::errc() && end == field.data() + field.size();
}

[[noreturn]] void fail_at(const std::string& origin, std::size_t line, std::size_t column,
                          const std::string& what) {
  throw Error(ErrorKind::kInput,
              "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + what,
              {.file = origin});
}

}  // namespace

emulate::Array parse_csv(std::string_view text, const std::string& origin) {
  emulate::Array array;
  std::size_t columns = 0;
  std::int64_t rows = 0;
  bool first_row = true;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++line_number;
    if (trim(line).empty()) continue;
    const std::vector<std::string_view> fields = split_fields(line);
    std::vector<double> values(fields.size());
    std::size_t bad = fields.size();
    for (std::size_t i = 0; i < fields.size() && bad == fields.size(); ++i) {
      if (!parse_number(fields[i], values[i])) bad = i;
    }
    if (first_row && bad < fields.size()) {
      // A header of column names: its width still fixes the row length.
      first_row = false;
      columns = fields.size();
      continue;
    }
    if (bad < fields.size()) {
      // Built by append: GCC 12 gives a false -Wrestrict on "'" + std::string(...) at -O2.
      std::string message = "'";
      message.append(fields[bad]).append("' is not a number");
      fail_at(origin, line_number, bad + 1, message);
    }
    if (columns == 0) columns = fields.size();
    if (fields.size() != columns) {
      fail_at(origin, line_number, std::min(fields.size(), columns) + 1,
              "expected " + std::to_string(columns) + " values, found " +
                  std::to_string(fields.size()));
    }
    first_row = false;
    array.data.insert(array.data.end(), values.begin(), values.end());
    ++rows;
  }
  if (rows == 0) throw Error(ErrorKind::kInput, "no data rows in the CSV file", {.file = origin});
  array.shape = {rows, static_cast<std::int64_t>(columns)};
  return array;
}

std::string encode_csv(const emulate::Array& array, Dtype dtype) {
  // Rank 0 and 1 arrays have one value per row; higher ranks keep the batch axis as rows.
  const std::size_t columns =
      array.shape.size() <= 1 || array.shape[0] == 0 ? 1 : array.data.size() / array.shape[0];
  std::string out;
  for (std::size_t i = 0; i < array.data.size(); ++i) {
    if (dtype == Dtype::kFloat32) {
      out += fmt::format("{:.9g}", static_cast<float>(array.data[i]));
    } else {
      out += fmt::format("{:.17g}", array.data[i]);
    }
    out += (i + 1) % columns == 0 ? '\n' : ',';
  }
  return out;
}

}  // namespace nnfpga::io
