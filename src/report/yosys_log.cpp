// The text Yosys prints for `ltp` and `check` (Yosys 0.23), captured with `tee -o`.
#include <sstream>

#include "nnfpga/error.hpp"
#include "report/yosys_stat.hpp"

namespace nnfpga::report {
namespace {

std::string problem_kind(const std::string& line) {
  if (line.find("multiple conflicting drivers") != std::string::npos) return "multiple drivers";
  if (line.find("logic loop") != std::string::npos) return "logic loop";
  if (line.find("has no driver") != std::string::npos) return "undriven";
  return "other";
}

}  // namespace

int parse_yosys_ltp_length(const std::string& text, const std::string& source) {
  // Of several modules (an unflattened design), the longest path of any.
  static const std::string kMarker = "Longest topological path in ";
  static const std::string kLength = "(length=";
  int longest = -1;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(kMarker, 0) != 0) continue;
    const std::size_t at = line.rfind(kLength);
    if (at == std::string::npos) continue;
    try {
      longest = std::max(longest, std::stoi(line.substr(at + kLength.size())));
    } catch (const std::exception&) {
      continue;  // not a number: not the line we look for
    }
  }
  if (longest < 0) {
    throw Error(ErrorKind::kInput, "no \"Longest topological path\" line in the Yosys ltp output",
                {.file = source});
  }
  return longest;
}

std::vector<YosysProblem> parse_yosys_check(const std::string& text) {
  // Each problem starts with "Warning: "; its indented lines name the drivers or the loop.
  std::vector<YosysProblem> problems;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("Warning: ", 0) != 0) continue;
    problems.push_back({problem_kind(line), line.substr(9)});
  }
  return problems;
}

}  // namespace nnfpga::report
