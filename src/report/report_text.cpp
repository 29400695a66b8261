// Text helpers of the report readers.
#include "report/report_text.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "nnfpga/error.hpp"

namespace nnfpga::report {
namespace {

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  const auto end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

}  // namespace

std::optional<double> optional_number(const std::string& s) {
  const std::string t = trim(s);
  if (t.empty() || t == "-") return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (end == t.c_str()) return std::nullopt;
  return v;
}

std::optional<long long> optional_integer(const std::string& s) {
  const std::string t = trim(s);
  if (t.empty() || t == "-") return std::nullopt;
  char* end = nullptr;
  const long long v = std::strtoll(t.c_str(), &end, 10);
  if (end == t.c_str()) return std::nullopt;
  return v;
}

double number_or(const std::string& s, double fallback) {
  return optional_number(s).value_or(fallback);
}

std::vector<std::string> table_cells(const std::string& line) {
  std::vector<std::string> cells;
  const std::string t = trim(line);
  if (t.size() < 2 || t.front() != '|') return cells;
  std::string cell;
  for (std::size_t k = 1; k < t.size(); ++k) {
    if (t[k] == '|') {
      cells.push_back(trim(cell));
      cell.clear();
    } else {
      cell += t[k];
    }
  }
  return cells;
}

std::string read_report_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kInput, "cannot read the report", {.file = path});
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace nnfpga::report
