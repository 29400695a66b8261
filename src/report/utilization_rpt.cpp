// Vivado's report_utilization text: the Slice/CLB logic, memory and DSP tables.
#include <sstream>

#include "nnfpga/error.hpp"
#include "report/report_text.hpp"
#include "report/vendor_report.hpp"

namespace nnfpga::report {

UtilizationReport read_utilization_rpt(const std::string& path) {
  const std::string text = read_report_file(path);
  if (text.find("Utilization Design Information") == std::string::npos) {
    throw Error(ErrorKind::kInput,
                "not a Vivado utilization report (no \"Utilization Design Information\")",
                {.file = path});
  }
  UtilizationReport r;
  r.source = path;
  std::istringstream lines(text);
  std::string line;
  std::optional<long long> ramb36, ramb18;
  while (std::getline(lines, line)) {
    if (line.rfind("| Device", 0) == 0) {
      r.device = line.substr(line.find(':') + 1);
      r.device.erase(0, r.device.find_first_not_of(' '));
      continue;
    }
    const auto cells = table_cells(line);
    if (cells.size() < 2) continue;
    const std::string& site = cells[0];
    const auto used = optional_integer(cells[1]);
    // 7-series says "Slice", UltraScale "CLB".
    if (site == "Slice LUTs*" || site == "Slice LUTs" || site == "CLB LUTs*" ||
        site == "CLB LUTs") {
      r.lut = used;
    } else if (site == "Slice Registers" || site == "CLB Registers") {
      r.ff = used;
    } else if (site == "DSPs") {
      r.dsp = used;
    } else if (site == "RAMB36/FIFO*" || site == "RAMB36/FIFO") {
      ramb36 = used;
    } else if (site == "RAMB18") {
      ramb18 = used;
    }
  }
  if (ramb36 || ramb18) r.bram18 = 2 * ramb36.value_or(0) + ramb18.value_or(0);
  if (!r.lut && !r.ff) {
    throw Error(ErrorKind::kInput, "the utilization report has no LUT or register counts",
                {.file = path});
  }
  return r;
}

}  // namespace nnfpga::report
