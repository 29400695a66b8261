// Small text helpers shared by the report readers.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace nnfpga::report {

// The number at the start of `s` (after blanks), or nothing; "-" and "" are nothing.
std::optional<long long> optional_integer(const std::string& s);
std::optional<double> optional_number(const std::string& s);
double number_or(const std::string& s, double fallback);

// The cells of a "| a | b | c |" table row, trimmed; empty when the line is not a row.
std::vector<std::string> table_cells(const std::string& line);

// The whole file; throws nnfpga::Error (kInput) naming it when it cannot be read.
std::string read_report_file(const std::string& path);

}  // namespace nnfpga::report
